"""The one header matcher: what a hand-typed header means, where the header row is, what is left over."""

from __future__ import annotations

import pytest

from hsvalidate.framework_io import MATRIX_VOCABULARY
from hsvalidate.headers import Field, HeaderMatch, Vocabulary, find_header, fold, header_words


@pytest.mark.parametrize(
    ("header", "field", "marker", "year"),
    [
        # French, as francophone M&E teams write them
        ("Axe stratégique", "dimension", None, None),
        ("RÉSULTAT ATTENDU", "outcome", None, None),
        ("N°", "code", None, None),
        ("Libellé de l'indicateur", "text", None, None),
        ("Unité de mesure", "unit", None, None),
        ("Méthode  de calcul", "calculation", None, None),
        ("Périodicité", "frequency", None, None),
        ("Hypothèses et risques", "assumptions", None, None),
        # English
        ("Pillar", "dimension", None, None),
        ("Expected outcome", "outcome", None, None),
        ("Means of verification", "source", None, None),
        ("Baseline year", "baseline_year", None, None),
        # accents, case, plurals, punctuation and extra spaces do not matter
        ("resultat", "outcome", None, None),
        ("INDICATORS", "text", None, None),
        ("Sources de vérification", "source", None, None),
        ("  moyens   de  verification ", "source", None, None),
        ("Risques", "assumptions", None, None),
        # two names joined by a slash
        ("Source / Moyens de vérification", "source", None, None),
        ("Pilier/Axe stratégique", "dimension", None, None),
        ("Hypothèses / Risques", "assumptions", None, None),
        # a year in the header dates the value
        ("Valeur de référence (2024)", "baseline", None, 2024),
        ("Cible 2028", "target", None, 2028),
        ("Situation de référence 2023", "baseline", None, 2023),
        ("Baseline (2024)", "baseline", None, 2024),
        # a unit qualifies the header without naming it
        ("Unité de mesure (%)", "unit", None, None),
        ("Cible (en %)", "target", None, None),
        # language markers
        ("Indicateur (EN)", "text", "en", None),
        ("Indicateur (anglais)", "text", "en", None),
        ("Résultat - en", "outcome", "en", None),
        ("Indicateur en anglais", "text", "en", None),
        ("Indicator (English)", "text", "en", None),
        ("Indicator (FR)", "text", "fr", None),
        ("Indicator (français)", "text", "fr", None),
        ("Source / Moyens de vérification (EN)", "source", "en", None),
    ],
)
def test_a_header_names_its_field(
    header: str, field: str, marker: str | None, year: int | None
) -> None:
    match = MATRIX_VOCABULARY.match(header)
    assert match is not None, header
    assert (match.field, match.marker, match.year) == (field, marker, year)


@pytest.mark.parametrize(
    "header",
    [
        "Budget (FCFA)",
        "Taux (%)",
        "Partenaire",
        "Cible (EN)",  # a target is a value, not a text to translate
        "Baseline / Target",  # two fields: the author must choose
        "Fréquence de collecte des données",
        "Resp.",
        "2024",
        "",
    ],
)
def test_a_header_that_names_no_field(header: str) -> None:
    assert MATRIX_VOCABULARY.match(header) is None


@pytest.mark.parametrize(
    ("header", "probable"),
    [
        ("Resp.", "responsible"),
        ("Fréquence de collecte des données", "frequency"),
        ("Moyens de vérif.", "source"),
        ("Indicateurs clés", "text"),
        ("Baseline / Target", "baseline"),
        ("Indicatuer", "text"),  # a typo
        ("Budget (FCFA)", None),
        ("Partenaire", None),
        ("2024", None),
    ],
)
def test_an_unrecognised_header_gets_the_field_it_probably_means(
    header: str, probable: str | None
) -> None:
    assert MATRIX_VOCABULARY.probable(header) == probable


@pytest.mark.parametrize(
    ("header", "lang"),
    [("Pillar", "en"), ("Pilier", "fr"), ("Code", None), ("Dimension", None), ("Cible", "fr")],
)
def test_a_match_knows_the_language_of_its_words(header: str, lang: str | None) -> None:
    match = MATRIX_VOCABULARY.match(header)
    assert match is not None and match.lang == lang


def test_fold_and_header_words() -> None:
    assert fold("  Moussa KEÏTA, Mairie de Gao ") == "moussa keita mairie de gao"
    assert fold("Cœur") == "coeur"
    assert header_words("Moyens de vérification") == ("moyen", "verification")
    assert header_words("Nom et prénom(s)") == ("nom", "prenom")
    assert header_words("H/F") == ("h", "f")


def test_a_name_given_to_two_fields_is_refused() -> None:
    with pytest.raises(ValueError, match="names both"):
        Vocabulary({"a": Field(fr=("Code",)), "b": Field(en=("code",), fr=())})


# --- the header row ---------------------------------------------------------------------


def test_the_header_row_is_found_under_a_title_block() -> None:
    rows = [
        ["Cadre de S&E — Mopti"],
        ["Indicateur", "rien"],  # one known column is not a header
        [],
        ["Pilier", "Résultat", "Code", "Indicateur", "Budget (FCFA)", "Resp."],
        ["P1", "R1", "I1", "Texte", "100", "Mairie"],
    ]
    header = find_header(rows, MATRIX_VOCABULARY, required=("text",), min_fields=2)
    assert header is not None
    assert (header.row, header.last_row, header.lang) == (3, 3, "fr")
    assert header.used == (
        ("dimension", "Pilier"),
        ("outcome", "Résultat"),
        ("code", "Code"),
        ("text", "Indicateur"),
    )
    assert header.ignored == (("Budget (FCFA)", None), ("Resp.", "responsible"))
    assert header.cell(rows[4], "code") == "I1"
    assert header.cell(rows[4], "target") == ""
    assert header.header_of("text") == "Indicateur"


def test_no_row_has_the_required_fields() -> None:
    rows = [["Nom", "Prénom"], ["a", "b"]]
    assert find_header(rows, MATRIX_VOCABULARY, required=("text",)) is None


def test_a_second_column_for_a_field_is_left_with_that_field_as_probable() -> None:
    rows = [["Dimension", "Indicateur", "Cible 2025", "Cible 2030"]]
    header = find_header(rows, MATRIX_VOCABULARY, required=("text",))
    assert header is not None
    target = header.find("target")
    assert target is not None and (target.header, target.year) == ("Cible 2025", 2025)
    assert header.ignored == (("Cible 2030", "target"),)


@pytest.mark.parametrize("merged", [True, False])
def test_a_two_level_header_splits_value_and_year(merged: bool) -> None:
    top = ["Dimension", "Indicateur", "Situation de référence", "", "Cible", ""]
    if merged:  # read_tables fills a merged cell with its top-left value
        top = ["Dimension", "Indicateur", "Situation de référence", "Situation de référence",
               "Cible", "Cible"]  # fmt: skip
    rows = [top, ["", "", "Valeur", "Année", "Valeur", "Année"], ["D", "T", "12 %", "2020", "", ""]]
    header = find_header(rows, MATRIX_VOCABULARY, required=("text",))
    assert header is not None
    assert header.last_row == 1
    assert [(c.field, c.header) for c in header.columns[2:]] == [
        ("baseline", "Situation de référence - Valeur"),
        ("baseline_year", "Situation de référence - Année"),
        ("target", "Cible - Valeur"),
        ("target_year", "Cible - Année"),
    ]
    assert header.cell(rows[2], "baseline_year") == "2020"


@pytest.mark.parametrize(
    ("headers", "lang"),
    [
        (["Pillar", "Outcome", "Code", "Indicator", "Baseline (2024)", "Target 2028"], "en"),
        (["Dimension", "Résultat", "Code", "Indicateur", "Indicateur (EN)"], "fr"),
        (["Dimension", "Outcome", "Code", "Indicator", "Indicator (EN)"], "fr"),  # EN is marked
        (["Pillar", "Indicator", "Indicator (French)"], "en"),
        (["Dimension", "Code", "Indicateur", "Indicator"], "fr"),  # a tie stays French
    ],
)
def test_the_working_language_is_detected_from_the_header(headers: list[str], lang: str) -> None:
    header = find_header([headers], MATRIX_VOCABULARY, required=("text",))
    assert header is not None and header.lang == lang


def test_unmarked_columns_hold_the_working_language_and_marked_ones_theirs() -> None:
    rows = [["Pillar", "Indicator", "Indicator (French)", "Frequency"]]
    header = find_header(rows, MATRIX_VOCABULARY, required=("text",))
    assert header is not None
    assert [(c.field, c.lang) for c in header.columns] == [
        ("dimension", "en"),
        ("text", "en"),
        ("text", "fr"),
        ("frequency", "en"),
    ]
    forced = find_header(rows, MATRIX_VOCABULARY, required=("text",), working_lang="fr")
    assert forced is not None and forced.find("frequency", "fr") is not None


def test_a_header_match_is_a_plain_value() -> None:
    assert MATRIX_VOCABULARY.match("Cible 2028") == HeaderMatch("target", year=2028, lang="fr")
