"""Exports read back as a user's software would: the workbook with openpyxl, the minutes with pypdf."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

# tests/ is on sys.path in pytest's default import mode (no tests/__init__.py).
from report_factory import CODES, NASTY_COMMENTS, build_report

from hsvalidate.consensus import Rule, Scale, Stability
from hsvalidate.errors import StorageError
from hsvalidate.exports.pdf import write_minutes
from hsvalidate.exports.xlsx import RESULT_COLUMNS, STABILITY_COLUMNS, write_consensus_workbook
from hsvalidate.fileio import TEMP_PREFIX
from hsvalidate.i18n import t
from hsvalidate.report import Report

pypdf = pytest.importorskip("pypdf")

EXPECTED_SHEETS = {
    "fr": [
        "Cadre validé", "Paramètres", "Décisions", "Révisions", "Résultats", "Stabilité",
        "Participation", "Commentaires", "Cadre", "Tours", "Participants", "Votes",
        "Sources des votes", "Comptages", "Colonnes",
    ],
    "en": [
        "Validated framework", "Settings", "Decisions", "Revisions", "Results", "Stability",
        "Attrition", "Comments", "Framework", "Rounds", "Participants", "Ballots",
        "Vote sources", "Card counts", "Columns",
    ],
}  # fmt: skip
RESULTS, STABILITY, ATTRITION, COLUMNS = 4, 5, 6, 14
"""Positions in ``EXPECTED_SHEETS`` of the sheets the tests read by language."""
BAMBARA = "ɛɔɲŋƐƆƝŊ"
CRITERION_FR = {"relevance": "Pertinence", "feasibility": "Faisabilité", "clarity": "Clarté"}


def _workbook(tmp_path: Path, report: Report) -> Path:
    path = tmp_path / "out" / "consensus.xlsx"
    write_consensus_workbook(report, path)
    return path


def _minutes_text(tmp_path: Path, report: Report) -> str:
    """Text of every page, whitespace collapsed so that wrapped lines compare as one line.

    Each page's running header and footer (drawn last, so extracted last) go to the end,
    so that a sentence broken by a page break still reads as one.
    """
    path = tmp_path / "out" / "minutes.pdf"
    write_minutes(report, path)
    reader = pypdf.PdfReader(str(path))
    bodies, running = [], []
    for number, page in enumerate(reader.pages, start=1):
        lines = (page.extract_text() or "").splitlines()
        keep = 1 if number == 1 else 2  # the cover has a footer only
        if lines and re.search(r" — page \d+ / \d+$", lines[-1]):
            bodies += lines[:-keep]
            running += lines[-keep:]
        else:
            bodies += lines
    text = " ".join(bodies + running)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def _all_cell_text(path: Path) -> list[str]:
    workbook = load_workbook(path)
    return [
        str(cell.value)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _raw_xml(path: Path) -> str:
    """Every XML part of the file: catches a name hidden in properties or a stray string."""
    with zipfile.ZipFile(path) as archive:
        return "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )


def _tidy_names(path: Path, lang: str) -> dict[tuple[str, str], str]:
    """(sheet, header) → tidy name, as the Colonnes sheet maps them."""
    ws = load_workbook(path)[EXPECTED_SHEETS[lang][COLUMNS]]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[1] is not None) + 1
    return {(str(r[0]), str(r[1])): str(r[2]) for r in rows[start:]}


def _results_rows(path: Path, lang: str) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The results sheet with its headers turned into the tidy names they stand for."""
    sheet = EXPECTED_SHEETS[lang][RESULTS]
    ws = load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    names = _tidy_names(path, lang)
    return [names[(sheet, str(h))] for h in rows[0]], rows[1:]


# --- workbook -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_workbook_has_every_sheet_in_the_report_language(tmp_path: Path, lang: str) -> None:
    path = _workbook(tmp_path, build_report(lang=lang))
    assert load_workbook(path).sheetnames == EXPECTED_SHEETS[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_results_columns_are_exactly_the_documented_ones(tmp_path: Path, lang: str) -> None:
    """Headers in words, each standing for one documented tidy name, in the tidy order."""
    path = _workbook(tmp_path, build_report(lang=lang))
    header, _ = _results_rows(path, lang)
    assert header == list(RESULT_COLUMNS)
    assert header == [
        "round",
        "indicator",
        "version",
        "criterion",
        "group",
        "n",
        "n_cannot_judge",
        "n_missing",
        "n_counted",
        "median",
        "mean",
        "sd",
        "cv",
        "q1",
        "q3",
        "iqr",
        "p30",
        "p70",
        "ipr",
        "iprcp",
        "ai",
        "ipras",
        "disagreement",
        "n_low",
        "n_mid",
        "n_high",
        "pct_low",
        "pct_mid",
        "pct_high",
        "ram_class",
        "percent_class",
        "verdict",
    ]
    shown = [c.value for c in load_workbook(path)[EXPECTED_SHEETS[lang][RESULTS]][1]]
    assert not [h for h in shown if "_" in str(h)], "headers are words, not tidy names"
    words = {
        "fr": ["Tour", "Indicateur", "Version", "Critère", "Groupe", "Notes", "Ne peut pas juger"],
        "en": ["Round", "Indicator", "Version", "Criterion", "Group", "Ratings", "Cannot judge"],
    }[lang]
    assert shown[:7] == words


def test_results_figures_equal_the_report_stats_unrounded(tmp_path: Path) -> None:
    report = build_report()
    header, rows = _results_rows(_workbook(tmp_path, report), "fr")
    assert len(rows) == len(report.results)
    for row, result in zip(rows, report.results, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert (cells["round"], cells["indicator"], cells["version"], cells["criterion"]) == (
            result.round,
            result.indicator,
            result.version,
            CRITERION_FR[result.criterion],
        )
        for name in RESULT_COLUMNS[5:-3]:
            if name == "n_counted":  # not a figure: empty unless cards were counted
                assert cells[name] == (result.n_counted or None)
                continue
            expected = getattr(result.stats, name)
            if name == "disagreement" and expected is not None:
                expected = "oui" if expected else "non"
            # openpyxl writes 16 significant digits (Excel keeps 15): equal to the last bit or so.
            if isinstance(expected, float):
                assert cells[name] == pytest.approx(expected, rel=1e-15, abs=1e-15), name
            else:
                assert cells[name] == expected, (name, result)
    # Not rounded on the way: a third stays a third.
    assert any(isinstance(v, float) and round(v, 2) != v for row in rows for v in row)
    # The new dispersion figures are really there, not all empty.
    for name in ("sd", "cv", "iqr"):
        assert any(isinstance(cells, float) for cells in (row[header.index(name)] for row in rows))


def test_results_leave_missing_figures_empty(tmp_path: Path) -> None:
    report = build_report()
    header, rows = _results_rows(_workbook(tmp_path, report), "fr")
    single = [
        (row, result)
        for row, result in zip(rows, report.results, strict=True)
        if result.stats.n == 1
    ]
    assert single, "the factory should have a group with a single rating"
    for row, _ in single:
        assert row[header.index("sd")] is None
        assert row[header.index("cv")] is None
        assert row[header.index("median")] is not None


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("fr", {"approprié", "incertain", "inapproprié", "consensus pour", "pas de consensus"}),
        ("en", {"appropriate", "uncertain", "inappropriate", "consensus in", "no consensus"}),
    ],
)
def test_results_carry_both_classes_in_the_report_language(
    tmp_path: Path, lang: str, labels: set[str]
) -> None:
    report = build_report(lang=lang)
    header, rows = _results_rows(_workbook(tmp_path, report), lang)
    ram = [row[header.index("ram_class")] for row in rows]
    percent = [row[header.index("percent_class")] for row in rows]
    assert labels <= set(ram) | set(percent)
    if lang == "en":
        assert ram == [r.ram_class for r in report.results]
        assert percent == [r.percent_class for r in report.results]


def _sheet_rows(path: Path, title: str) -> tuple[list[Any], list[tuple[Any, ...]], list[str]]:
    """Header, data rows and preface lines of a sheet whose header follows a preface."""
    ws = load_workbook(path)[title]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[1] is not None)
    preface = [str(row[0]).replace("\u00a0", " ") for row in rows[:start] if row[0]]
    return list(rows[start]), rows[start + 1 :], preface


@pytest.mark.parametrize(("lang", "yes", "no"), [("fr", "oui", "non"), ("en", "yes", "no")])
def test_stability_sheet_equals_the_report(tmp_path: Path, lang: str, yes: str, no: str) -> None:
    report = build_report(lang=lang)
    path = _workbook(tmp_path, report)
    sheet = EXPECTED_SHEETS[lang][STABILITY]
    header, rows, preface = _sheet_rows(path, sheet)
    names = _tidy_names(path, lang)
    header = [names[(sheet, str(h))] for h in header]
    assert header == list(STABILITY_COLUMNS)
    assert header == [
        "round", "previous_round", "indicator", "criterion", "group",
        "n_pairs", "n_moved", "pct_moved", "stable",
    ]  # fmt: skip
    assert len(rows) == len(report.stability) > 0
    for row, item in zip(rows, report.stability, strict=True):
        cells = dict(zip(header, row, strict=True))
        st = item.stability
        assert (cells["round"], cells["previous_round"], cells["indicator"]) == (
            item.round,
            item.previous_round,
            item.indicator,
        )
        assert (cells["n_pairs"], cells["n_moved"]) == (st.n_pairs, st.n_moved)
        if st.pct_moved is None:
            assert cells["pct_moved"] is None
        else:
            assert cells["pct_moved"] == pytest.approx(st.pct_moved, rel=1e-15)
        assert cells["stable"] == {True: yes, False: no, None: None}[st.stable]
    assert {yes, no} <= {row[-1] for row in rows}
    text = " ".join(preface)
    assert "15 %" in text or "15%" in text
    assert "Wilcoxon" in text and "scipy" in text


def test_stability_without_pairs_is_an_empty_cell(tmp_path: Path) -> None:
    report = build_report()
    empty = Stability(0, 0, None, None)
    report = replace(report, stability=(replace(report.stability[0], stability=empty),))
    _, rows, _ = _sheet_rows(_workbook(tmp_path, report), "Stabilité")
    assert rows == [(2, 1, "D1.O2.I1", "Pertinence", "ensemble", 0, 0, None, None)]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_attrition_sheet_gives_turnout_per_round_and_group(tmp_path: Path, lang: str) -> None:
    report = build_report(lang=lang)
    header, rows, _ = _sheet_rows(_workbook(tmp_path, report), EXPECTED_SHEETS[lang][ATTRITION])
    assert len(header) == 5
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (a.round, a.invited, a.present, a.rating) for a in report.attrition
    ]
    international = "partenaires internationaux" if lang == "fr" else "international"
    assert (2, international, 3, 2, 1) in rows  # one left after round 1


def test_results_verdict_and_group_are_in_french(tmp_path: Path) -> None:
    _, rows = _results_rows(_workbook(tmp_path, build_report()), "fr")
    assert {row[-1] for row in rows} >= {
        "retenu",
        "écarté",
        "pas de consensus",
        "quorum non atteint",
    }
    assert {row[4] for row in rows} >= {"ensemble", "gouvernement", "société civile"}


def test_results_have_display_formats(tmp_path: Path) -> None:
    ws = load_workbook(_workbook(tmp_path, build_report()))["Résultats"]
    header = [c.value for c in ws[1]]
    first = ws[2]
    assert first[header.index("Moyenne")].number_format == "0.00"
    assert first[header.index(t("tidy.col.pct_high", lang="fr"))].number_format == "0.0"


def test_formula_like_comment_is_stored_as_text(tmp_path: Path) -> None:
    path = _workbook(tmp_path, build_report())
    ws = load_workbook(path)["Commentaires"]
    cells = [row[4] for row in ws.iter_rows(min_row=2)]
    formula = next(c for c in cells if c.value == "=SUM(A1)")
    assert formula.data_type == "s"
    assert "<f>" not in _raw_xml(path)


def test_comments_keep_their_text_without_control_characters(tmp_path: Path) -> None:
    texts = _all_cell_text(_workbook(tmp_path, build_report()))
    for comment in NASTY_COMMENTS:
        assert comment.replace("\x07", "") in texts


def test_ballots_show_cannot_judge_in_words(tmp_path: Path) -> None:
    """One row per ballot paper, a column per criterion: every score is there once."""
    report = build_report(lang="en")
    assert any(b.score is None for b in report.ballots)
    ws = load_workbook(_workbook(tmp_path, report))["Ballots"]
    header = [c.value for c in ws[1]]
    assert header[5:8] == ["Relevance", "Feasibility", "Clarity"]
    scores = [v for row in ws.iter_rows(min_row=2, values_only=True) for v in row[5:8]]
    assert "cannot judge" in scores
    assert len([s for s in scores if s is not None]) == len(report.ballots)
    papers = {(b.round, b.indicator, b.participant) for b in report.ballots}
    assert ws.max_row - 1 == len(papers)


def test_no_participant_name_or_organisation_anywhere_by_default(tmp_path: Path) -> None:
    report = build_report()
    path = _workbook(tmp_path, report)
    xml = _raw_xml(path)
    texts = "\n".join(_all_cell_text(path))
    secrets = [s for p in report.participants for s in (p.name, p.organisation)]
    # A list, not `secret not in xml`: pytest's diff of a huge string takes minutes.
    leaked = [s for s in secrets if s in xml or s in texts]
    assert leaked == []
    ws = load_workbook(path)["Participants"]
    assert [c.value for c in ws[3]] == [
        "Code", "Groupe", "Sexe", "Présent",
        "Présence au tour 1", "Présence au tour 2", "Retiré à partir du tour",
    ]  # fmt: skip


CODES_OF_PEOPLE = [f"P{n:02d}" for n in range(1, 13)]


def _attendance_report(lang: str = "fr", *, show_names: bool = False) -> Report:
    """P04 left round 1 early, P05 missed round 2, P06 withdrew after round 1."""
    report = build_report(lang=lang, show_names=show_names)
    changes: dict[str, dict[str, Any]] = {
        "P04": {"presence": {1: "left-early"}},
        "P05": {"presence": {2: "absent"}},
        "P06": {"withdrawn_from": 2},
    }
    people = tuple(replace(p, **changes.get(p.code, {})) for p in report.participants)
    return replace(report, participants=people)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ["présent", "parti plus tôt", "absent", "retiré"]),
        ("en", ["present", "left early", "absent", "withdrawn"]),
    ],
)
def test_workbook_shows_each_round_s_presence_and_withdrawal_by_code(
    tmp_path: Path, lang: str, words: list[str]
) -> None:
    present, early, absent, withdrawn = words
    report = _attendance_report(lang)
    ws = load_workbook(_workbook(tmp_path, report))["Participants"]
    header = [c.value for c in ws[3]]
    rows = {
        r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)
    }
    one, two, since = (
        t("col.presence_in_round", lang=lang, round=1),
        t("col.presence_in_round", lang=lang, round=2),
        t("col.withdrawn_from", lang=lang),
    )
    assert [rows["P01"][one], rows["P01"][two], rows["P01"][since]] == [present, present, None]
    assert [rows["P04"][one], rows["P04"][two]] == [early, present]
    assert [rows["P05"][one], rows["P05"][two]] == [present, absent]
    assert [rows["P06"][one], rows["P06"][two], rows["P06"][since]] == [present, withdrawn, 2]
    assert [rows["P09"][one], rows["P09"][two]] == [absent, absent]  # registered, never came
    assert "Awa Kɔnɛ" not in "\n".join(_all_cell_text(_workbook(tmp_path, report)))


def test_minutes_note_who_missed_left_or_withdrew_by_name_only(tmp_path: Path) -> None:
    whole = _minutes_text(tmp_path, _attendance_report())
    text = whole[whole.index("1. Liste de présence") : whole.index("2. Objectifs et méthode")]
    assert "Présence aux tours" in text
    # Names, in the order of the table, each followed by its note; never a code.
    assert re.search(r"Oumar Ŋɔmi Maïga .*? départ anticipé au tour 1", text)
    assert re.search(r"Awa Kɔnɛ .*? absence au tour 2", text)
    assert re.search(r"Sɛkuba Dembélé .*? retrait à partir du tour 2", text)
    # Nobody else: present in every round is not noted, nor P09's absence, already "non".
    assert (text.count("au tour"), text.count("retrait")) == (2, 1)
    assert [c for c in CODES_OF_PEOPLE if re.search(rf"\b{c}\b", whole)] == []
    assert t("pdf.attendance.rounds_note", lang="fr").replace("\u00a0", " ") in text


def test_minutes_of_everyone_present_have_no_attendance_column(tmp_path: Path) -> None:
    whole = _minutes_text(tmp_path, build_report())
    text = whole[whole.index("1. Liste de présence") : whole.index("2. Objectifs et méthode")]
    assert "Présence aux tours" not in text and "au tour" not in text


def test_minutes_say_withdrawn_after_the_last_round(tmp_path: Path) -> None:
    report = build_report(lang="en")
    people = tuple(
        replace(p, withdrawn_from=3) if p.code == "P02" else p for p in report.participants
    )
    text = _minutes_text(tmp_path, replace(report, participants=people))
    assert re.search(r"Amadou Tɔgɔla .*? withdrawn after round 2", text)
    assert "round 3" not in text


def test_names_appear_only_when_asked(tmp_path: Path) -> None:
    report = build_report(show_names=True)
    texts = _all_cell_text(_workbook(tmp_path, report))
    for p in report.participants:
        assert p.name in texts and p.organisation in texts


def _settings(path: Path, title: str) -> dict[str, Any]:
    """The settings sheet as {label: value} (a single value, or the row's values)."""
    ws = load_workbook(path)[title]
    out: dict[str, Any] = {}
    for row in ws.iter_rows(values_only=True):
        values = [v for v in row[1:] if v is not None]
        if row[0] and values:
            out[str(row[0])] = values[0] if len(values) == 1 else values
    return out


def test_settings_state_the_percent_rule_and_only_its_settings(tmp_path: Path) -> None:
    rule = Rule(
        kind="percent",
        agree_pct=80,
        veto_pct=10,
        quorum=5,
        group_quorum=2,
        per_group=True,
        likert_iqr=1.5,
        stability_pct=20,
    )
    settings = _settings(_workbook(tmp_path, build_report(lang="en", rule=rule)), "Settings")
    assert settings["Consensus rule"] == "percent agreement"
    assert settings["X: share of ratings needed in a band (%)"] == 80
    assert settings["Y: veto share in the opposite band (%)"] == 10
    text = "\n".join(str(v) for v in settings.values()).replace("\u00a0", " ")
    for phrase in (
        "percent agreement: keep when at least 80% of ratings are high",
        "Quorum: 5, the fewest ratings",
        "Group variant: the rule must also be met within every stakeholder group",
        "Quorum per group: 2, the fewest ratings in every stakeholder group",
        "fewer than 20% of them changed rating band",
        "linear interpolation between order statistics",
    ):
        assert phrase in text, phrase
    # What the percent rule does not use is not there to puzzle a reader.
    assert not [label for label in settings if "IQR" in label or "IPRAS" in label]
    assert "IPRAS" not in text


def test_settings_of_ram_give_ipras_and_no_shares(tmp_path: Path) -> None:
    settings = _settings(_workbook(tmp_path, build_report()), "Paramètres")
    assert settings["Règle de consensus"] == "RAND/UCLA"
    assert str(settings["Désaccord (IPRAS)"]).startswith("IPRAS = 2,35 + 1,5 × AI, centre 5")
    assert not [label for label in settings if label.startswith(("X ", "Y ", "IQR"))]
    assert settings["Session"] == "atelier-bamako-2026"
    method = t("percentile.method", lang="fr")
    assert settings["Méthode des percentiles"] == method
    assert isinstance(settings["Participants inscrits"], int)


def _validated(
    path: Path, title: str = "Cadre validé"
) -> tuple[list[Any], dict[str, tuple[Any, ...]]]:
    """The validated framework's header and its indicator rows by code."""
    rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] in ("Code",))
    return list(rows[at]), {str(r[0]): r for r in rows[at + 1 :] if r[0] in CODES}


def test_validated_framework_marks_indicators_important_to_one_group(tmp_path: Path) -> None:
    report = build_report()
    header, rows = _validated(_workbook(tmp_path, report))
    column = header.index("Important pour un seul groupe")
    shown = {code: row[column] for code, row in rows.items()}
    french = {"civil society": "société civile", "government": "gouvernement"}
    expected = {
        code: ", ".join(french[g] for g in item.important_to.split(", ") if g) or None
        for code, item in report.latest_verdicts().items()
    }
    assert {code: shown[code] for code in expected} == expected
    assert "société civile" in shown.values()


def test_validated_framework_gives_latest_verdicts(tmp_path: Path) -> None:
    report = build_report()
    header, rows = _validated(_workbook(tmp_path, report))
    latest = report.latest_verdicts()
    assert set(latest) <= set(rows)
    assert rows["D2.O1.I2"][header.index("Verdict du dernier tour")] == "quorum non atteint"
    assert rows["D1.O2.I1"][header.index("Dernier tour")] == 2


def test_workbook_write_failure_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsvalidate import spreadsheet

    target = tmp_path / "consensus.xlsx"
    target.write_bytes(b"the previous workbook")
    real = spreadsheet._write_sheet
    written = []

    def broken(out: Any, writer: Any) -> None:
        if written:  # the second sheet: half a workbook is on disk already
            raise RuntimeError("power cut")
        written.append(real(out, writer))

    monkeypatch.setattr(spreadsheet, "_write_sheet", broken)
    with pytest.raises(RuntimeError):
        write_consensus_workbook(build_report(), target)
    assert target.read_bytes() == b"the previous workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["consensus.xlsx"]


# --- minutes ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_minutes_name_every_rated_indicator(tmp_path: Path, lang: str) -> None:
    report = build_report(lang=lang)
    text = _minutes_text(tmp_path, report)
    rated = {r.indicator for r in report.results}
    assert len(rated) == 6
    for code in rated:
        assert code in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_minutes_print_the_percentile_method(tmp_path: Path, lang: str) -> None:
    text = _minutes_text(tmp_path, build_report(lang=lang))
    assert " ".join(t("percentile.method", lang=lang).split()) in text


def test_minutes_print_bambara_letters_as_text(tmp_path: Path) -> None:
    text = _minutes_text(tmp_path, build_report())
    assert "Ɲɛlɛni Coulibaly" in text
    assert "Ɔkɔn Adeyemi" in text
    assert all(letter in text for letter in BAMBARA)


def test_minutes_embed_dejavu_sans(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    write_minutes(build_report(), path)
    fonts = set()
    for page in pypdf.PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/FontDescriptor" in font or "/DescendantFonts" in font:
                fonts.add(str(font["/BaseFont"]))
    assert any(f.endswith("+DejaVuSans") for f in fonts)
    assert any(f.endswith("+DejaVuSans-Bold") for f in fonts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_minutes_print_nasty_comments_literally(tmp_path: Path, lang: str) -> None:
    text = _minutes_text(tmp_path, build_report(lang=lang))
    for comment in NASTY_COMMENTS:
        assert comment.replace("\x07", "") in text, comment
    assert "AT&T;" not in text


def test_minutes_carry_no_participant_code_by_default(tmp_path: Path) -> None:
    report = build_report()
    text = _minutes_text(tmp_path, report)
    for p in report.participants:
        assert re.search(rf"\b{p.code}\b", text) is None, p.code
    assert "Ɲɛlɛni Coulibaly" in text  # the attendance list names people
    assert "société civile :" in text  # comments by group only


def test_minutes_show_codes_when_asked(tmp_path: Path) -> None:
    report = build_report(lang="en", show_names=True)
    text = _minutes_text(tmp_path, report)
    assert all(p.code in text for p in report.participants)


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "fr",
            [
                "Procès-verbal de validation", "1. Liste de présence",
                "2. Objectifs et méthode", "3. Synthèse", "4. Cadre validé",
                "5. Résultats par tour", "6. Commentaires", "7. Prochaines étapes",
                "8. Signatures", "Annexe — statistiques complètes", "Rapporteur",
                "Président de séance", "retenu", "écarté",
                "pas de consensus", "quorum non atteint", "IPRAS = 2,35 + 1,5 × AI",
                "atelier-bamako-2026 — page 1 / ",
            ],
        ),
        (
            "en",
            [
                "Validation minutes", "1. Attendance", "2. Objectives and method",
                "3. Summary", "4. Validated framework", "5. Results by round", "6. Comments",
                "7. Next steps", "8. Signatures", "Annex — full statistics", "Rapporteur",
                "Chair", "keep", "drop", "no consensus", "below quorum",
                "IPRAS = 2.35 + 1.5 × AI", "atelier-bamako-2026 — page 1 / ",
            ],
        ),
    ],
)  # fmt: skip
def test_minutes_speak_the_report_language(tmp_path: Path, lang: str, phrases: list[str]) -> None:
    text = _minutes_text(tmp_path, build_report(lang=lang))
    for phrase in phrases:
        assert phrase in text, phrase


NINE, FIVE = Scale(1, 9), Scale(1, 5)
RULE_CASES = {
    "ram-9": (Rule(kind="ram", quorum=3), NINE),
    "ram-5": (Rule(kind="ram", quorum=3), FIVE),
    "percent-9": (Rule(kind="percent", agree_pct=80, veto_pct=10, quorum=3), NINE),
    "percent-5": (
        Rule(kind="percent", quorum=4, group_quorum=2, per_group=True, stability_pct=20),
        FIVE,
    ),
    "likert-5": (Rule(kind="likert", agree_pct=75, likert_iqr=1, quorum=3), FIVE),
}
METHOD_PHRASES = {
    ("ram-9", "en"): [
        "Consensus rule, set before the first round: RAND/UCLA: keep when the median is high "
        "(7–9) without disagreement, drop when it is low (1–3) without disagreement",
        "IPRAS = 2.35 + 1.5 × AI",
    ],
    ("ram-9", "fr"): [
        "RAND/UCLA : retenu quand la médiane est élevée (7–9) sans désaccord, écarté quand elle "
        "est faible (1–3) sans désaccord",
        "IPRAS = 2,35 + 1,5 × AI",
    ],
    ("ram-5", "en"): [
        "RAND/UCLA: keep when the median is high (4–5) without disagreement",
        "AI = |3 − IPRCP|; IPRAS = 1.175 + 1.5 × AI",
        "centred on 3, base constant halved to 1.175, slope 1.5",
    ],
    ("ram-5", "fr"): [
        "AI = |3 − IPRCP| ; IPRAS = 1,175 + 1,5 × AI",
        "centré sur 3, constante de base divisée par deux, soit 1,175, pente 1,5",
    ],
    ("percent-9", "en"): [
        "percent agreement: keep when at least 80% of ratings are high (7–9) and fewer than "
        "10% low (1–3); drop in the opposite case; otherwise no consensus",
        "The rule applies to the whole panel",
        "No quorum per stakeholder group.",
    ],
    ("percent-9", "fr"): [
        "pourcentage d'accord : retenu quand au moins 80 % des notes sont élevées (7–9) et moins "
        "de 10 % faibles (1–3)",
        "La règle s'applique à l'ensemble du panel",
        "Pas de quorum par groupe d'acteurs.",
    ],
    ("percent-5", "en"): [
        "keep when at least 70% of ratings are high (4–5) and fewer than 15% low (1–2)",
        "Quorum: a result is classified only when it has at least 4 ratings; below that, it "
        "is marked “below quorum”.",
        "Quorum per group: 2, the fewest ratings in every stakeholder group",
        "Group variant: the rule must also be met within every stakeholder group",
        "a result is stable when fewer than 20% of them changed rating band",
        "base constant halved to 1.175",
    ],
    ("percent-5", "fr"): [
        "retenu quand au moins 70 % des notes sont élevées (4–5) et moins de 15 % faibles (1–2)",
        "Quorum : un résultat n'est classé que s'il réunit au moins 4 notes ; en dessous, il "
        "est marqué « quorum non atteint ».",
        "Quorum par groupe : 2, le nombre minimal de notes dans chaque groupe d'acteurs",
        "Variante par groupe : la règle doit aussi être atteinte dans chaque groupe d'acteurs",
        "un résultat est stable lorsque moins de 20 % d'entre eux ont changé de bande",
    ],
    ("likert-5", "en"): [
        "Likert: keep when ≥ 75% of ratings are in the high band (4–5) and IQR ≤ 1; drop when "
        "≥ 75% of ratings are in the low band (1–2) and IQR ≤ 1; otherwise no consensus",
        "centred on 3, base constant halved to 1.175, slope 1.5",
    ],
    ("likert-5", "fr"): [
        "Likert : retenu quand ≥ 75 % des notes sont dans la bande élevée (4–5) et IQR ≤ 1 ; "
        "écarté quand ≥ 75 % des notes sont dans la bande faible (1–2) et IQR ≤ 1",
    ],
}
COMMON_METHOD = {
    "en": [
        "Combined verdict of an indicator across criteria: keep only when every criterion says "
        "keep; drop when any criterion says drop; otherwise below quorum when any criterion is "
        "below quorum; otherwise no consensus.",
        "No significance test (Wilcoxon) is computed.",
        "flagged “important to one group”",
        "Hyndman & Fan type 7",
    ],
    "fr": [
        "Verdict combiné d'un indicateur sur l'ensemble des critères : retenu seulement si tous "
        "les critères sont retenus ; écarté dès qu'un critère est écarté ; sinon, quorum non "
        "atteint si un critère n'atteint pas le quorum ; sinon pas de consensus.",
        "Aucun test de significativité (Wilcoxon) n'est calculé.",
        "signalé « important pour un seul groupe »",
        "Hyndman et Fan, type 7",
    ],
}


def _method_text(text: str) -> str:
    """The Method section only, so a phrase cannot be matched elsewhere by chance."""
    start = re.search(r"\d+\. (Objectifs et méthode|Objectives and method)", text)
    end = re.search(r"\d+\. (Synthèse|Summary)", text)
    assert start and end
    return text[start.end() : end.start()]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("case", sorted(RULE_CASES))
def test_minutes_state_the_rule_as_configured(tmp_path: Path, case: str, lang: str) -> None:
    rule, scale = RULE_CASES[case]
    text = _method_text(_minutes_text(tmp_path, build_report(lang=lang, rule=rule, scale=scale)))
    for phrase in METHOD_PHRASES[case, lang] + COMMON_METHOD[lang]:
        assert phrase in text, phrase
    adapted = "1.175" if lang == "en" else "1,175"
    assert (adapted in text) == (scale.high == 5)
    other_rules = {"ram": "RAND/UCLA :", "percent": "pourcentage d'accord", "likert": "Likert :"}
    if lang == "fr":
        for kind, marker in other_rules.items():
            assert (marker in text) == (kind == rule.kind), marker


@pytest.mark.parametrize(
    ("lang", "header", "total"),
    [
        ("fr", "Groupe d'acteurs Inscrits Présents Votants", "Ensemble"),
        ("en", "Stakeholder group Invited Present Rating", "All"),
    ],
)
def test_minutes_give_participation_per_round_and_group(
    tmp_path: Path, lang: str, header: str, total: str
) -> None:
    report = build_report(lang=lang)
    text = _minutes_text(tmp_path, report)
    assert text.count(header) == len(report.rounds) == 2
    international = "partenaires internationaux" if lang == "fr" else "international"
    round_2 = text[text.index("Tour 2" if lang == "fr" else "Round 2") :]
    assert f"{header} " in round_2
    assert f"{international} 3 2 1" in round_2  # one left after round 1
    assert f"{total} 12 11 10" in round_2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_minutes_give_the_share_of_stable_results_after_round_two(
    tmp_path: Path, lang: str
) -> None:
    report = build_report(lang=lang)
    panel = [s.stability for s in report.stability if s.group == "all" and s.stability.n_pairs]
    stable = sum(1 for s in panel if s.stable)
    assert 0 < stable < len(panel)
    pct = round(100 * stable / len(panel))
    expected = {
        "fr": "Stabilité depuis le tour 1, pour l'ensemble du panel : résultats stables "
        f"{stable} sur {len(panel)} ({pct} %)",
        "en": "Stability since round 1, whole panel: stable results "
        f"{stable} of {len(panel)} ({pct}%)",
    }[lang]
    text = _minutes_text(tmp_path, report)
    assert text.count(expected) == 1
    assert text.index(expected) > text.index("Tour 2" if lang == "fr" else "Round 2")


def test_minutes_mark_indicators_important_to_one_group(tmp_path: Path) -> None:
    report = build_report()
    text = _minutes_text(tmp_path, report)
    flagged = [i for i in report.indicator_results if i.important_to == "civil society"]
    assert flagged
    for item in flagged:
        assert f"{item.indicator} †" in text
    assert "† important pour un seul groupe : société civile" in text
    assert "† : important pour un seul groupe d'acteurs" in text  # the legend


def test_minutes_without_stability_or_attrition_still_build(tmp_path: Path) -> None:
    report = replace(build_report(lang="en"), stability=(), attrition=())
    text = _minutes_text(tmp_path, report)
    assert "Stability since round 1: nobody rated the same indicators in both rounds." in text
    assert "Stakeholder group Invited" not in text


def test_minutes_footer_counts_pages(tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    write_minutes(build_report(), path)
    pages = pypdf.PdfReader(str(path)).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in (page.extract_text() or "")


def test_minutes_show_the_decisions_with_votes(tmp_path: Path) -> None:
    text = _minutes_text(tmp_path, build_report())
    assert "pour 9 · contre 1 · abstention 1" in text
    assert "« réunions » ≠ <i>effets</i> & impact." in text


def test_minutes_write_failure_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    target = tmp_path / "minutes.pdf"
    target.write_bytes(b"the signed minutes of yesterday")

    def broken_save(self: Any) -> None:
        Path(self._filename).write_bytes(b"%PDF-1.4 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Canvas, "save", broken_save)
    with pytest.raises(StorageError, match="disk is full"):
        write_minutes(build_report(), target)
    assert target.read_bytes() == b"the signed minutes of yesterday"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_failed_first_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hsvalidate.exports.pdf as pdf

    def explode(*args: Any, **kwargs: Any) -> list[Any]:
        raise ValueError("layout bug")

    monkeypatch.setattr(pdf, "_signatures", explode)
    with pytest.raises(ValueError):
        write_minutes(build_report(), tmp_path / "minutes.pdf")
    assert list(tmp_path.iterdir()) == []


def test_exports_do_not_import_their_libraries_until_used() -> None:
    code = (
        "import sys, hsvalidate.exports.pdf, hsvalidate.exports.xlsx;"
        "assert 'reportlab' not in sys.modules and 'openpyxl' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
