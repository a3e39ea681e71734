"""Criteria sets: the named sets, a session's own criteria from a file, and where they show."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.errors import InputFileError
from hsvalidate.exports.pdf import write_minutes
from hsvalidate.framework import Text
from hsvalidate.i18n import LANGS, codes_with_prefix, has, t
from hsvalidate.model import (
    CRITERIA_SETS,
    DEFAULT_CRITERIA,
    Criterion,
    Settings,
    catalogue_criterion,
    criteria_set_of,
)
from hsvalidate.readers import read_criteria
from hsvalidate.tally import results
from hsvalidate.workshop import Workshop
from tests.report_factory import build_report
from tests.test_kiosk import screen, shown

pypdf = pytest.importorskip("pypdf")

OWN_YAML = """\
- code: utilite
  label: {fr: Utilité, en: Usefulness}
  question: {fr: "L'indicateur servira-t-il aux décisions ?", en: "Will it inform decisions?"}
  anchors:
    low: {fr: inutile, en: useless}
    middle: {fr: parfois utile, en: sometimes useful}
    high: {fr: indispensable, en: essential}
- code: cout
  label: Coût
  question: Le coût de collecte est-il supportable ?
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    return path


# --- the registry and the catalogue --------------------------------------------------


def test_every_set_has_its_name_and_its_criteria_their_words_in_both_languages() -> None:
    assert sorted(CRITERIA_SETS) == codes_with_prefix("criteria_set.name")
    for kind in CRITERIA_SETS.values():
        assert 1 <= len(kind.criteria) <= 5
        for lang in LANGS:
            assert has(kind.name_key, lang), (kind.code, lang)
            for code in kind.criteria:
                for key in (f"criterion.label.{code}", f"criterion.question.{code}"):
                    assert has(key, lang), (key, lang)


def test_relevance_is_one_criterion_shared_by_every_set() -> None:
    assert all("relevance" in kind.criteria for kind in CRITERIA_SETS.values())
    assert CRITERIA_SETS["default"].build() == DEFAULT_CRITERIA


def test_the_set_is_recognised_from_the_criteria_old_sessions_included() -> None:
    assert criteria_set_of(DEFAULT_CRITERIA) == "default"
    assert criteria_set_of(CRITERIA_SETS["smart"].build()) == "smart"
    assert criteria_set_of(CRITERIA_SETS["cream"].build(["economic"])) == "cream"
    own = (Criterion("utilite", Text("Utilité")),)
    assert criteria_set_of(own) is None
    stored_before_anchors = {"code": "relevance", "label": {"fr": "Pertinence", "en": "Relevance"}}
    assert criteria_set_of([Criterion.from_dict(stored_before_anchors)]) == "default"


def test_anchors_are_stored_with_the_session_and_old_sessions_read_without_them() -> None:
    measurable = catalogue_criterion("measurable")
    assert measurable.anchor("low", "fr") == "non mesurable"
    assert Criterion.from_dict(measurable.to_dict()) == measurable
    assert "anchors" not in DEFAULT_CRITERIA[0].to_dict()  # stored as before
    settings = Settings(criteria=CRITERIA_SETS["smart"].build())
    assert Settings.from_dict(settings.to_dict()) == settings
    assert Settings.from_dict({"criteria": [{"code": "clarity", "label": {"fr": "Clarté"}}]})


# --- sessions on each set, through the command line ----------------------------------


@pytest.mark.parametrize("name", ["smart", "RACER", "cream", "par défaut"])
def test_each_named_set_makes_a_session_whose_ballots_are_tallied_on_its_criteria(
    name: str, sessions_dir: Path, framework_file: Path
) -> None:
    created = run(
        "--lang", "fr", "session", "new", "Atelier", "--framework", str(framework_file),
        "--criteria-set", name,
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    code = {"RACER": "racer", "par défaut": "default"}.get(name, name)
    kind = CRITERIA_SETS[code]
    first = catalogue_criterion(kind.criteria[0])
    assert t(kind.name_key, lang="fr") in created.output
    assert first.label.fr in created.output
    with Workshop.open(root=sessions_dir, name="Atelier") as ws:
        assert tuple(c.code for c in ws.settings.criteria) == kind.criteria
        ws.add_participants([("Awa Kɔnɛ", "WANEP", "société civile", "F")])
        ws.start_round()
        indicator = ws.framework.indicators()[0].code
    words = [catalogue_criterion(c).label.fr.lower() for c in kind.criteria]
    ratings = [f"--rating={w}={7 + i % 3}" for i, w in enumerate(words)]
    voted = run(
        "--lang", "fr", "ballot", "--participant", "P01", "--indicator", indicator, *ratings
    )
    assert voted.exit_code == 0, voted.output
    with Workshop.open(root=sessions_dir, name="Atelier", writable=False) as ws:
        (ballot,) = ws.ballots(1)
        assert set(ballot.ratings) == set(kind.criteria)
        tallied = {row.criterion for row in results(ws.snapshot()) if row.indicator == indicator}
    assert tallied == set(kind.criteria)


def test_criteria_pick_within_the_set_and_a_criterion_outside_it_is_refused(
    sessions_dir: Path, framework_file: Path
) -> None:
    base = ("--lang", "fr", "session", "new", "A", "--framework", str(framework_file))
    picked = run(*base, "--criteria-set", "smart", "--criteria", "mesurabilité,pertinence")
    assert picked.exit_code == 0, picked.output
    with Workshop.open(root=sessions_dir, name="A", writable=False) as ws:
        assert [c.code for c in ws.settings.criteria] == ["measurable", "relevance"]
    refused = run(*base[:-3], "B", "--framework", str(framework_file), "--criteria", "robustesse")
    assert refused.exit_code == 2
    assert "Robustesse" in refused.output and "B" not in {p.name for p in sessions_dir.iterdir()}


def test_a_session_takes_its_own_criteria_from_a_file(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    own = tmp_path / "criteria.yaml"
    own.write_text(OWN_YAML, encoding="utf-8")
    created = run(
        "--lang", "fr", "session", "new", "Atelier", "--framework", str(framework_file),
        "--criteria-file", str(own),
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "critères propres à la session : Utilité, Coût" in created.output.replace("\xa0", " ")
    with Workshop.open(root=sessions_dir, name="Atelier", writable=False) as ws:
        assert ws.settings.criteria[0].high == Text("indispensable", "essential")


# --- the reader ------------------------------------------------------------------------


def test_criteria_load_from_yaml_and_from_a_csv_with_french_headers(tmp_path: Path) -> None:
    yaml_file = tmp_path / "criteria.yaml"
    yaml_file.write_text(OWN_YAML, encoding="utf-8")
    from_yaml = read_criteria(yaml_file, lang="fr")
    assert [c.code for c in from_yaml] == ["utilite", "cout"]
    assert from_yaml[0].middle == Text("parfois utile", "sometimes useful")
    assert from_yaml[1].label == Text("Coût") and not from_yaml[1].has_anchors
    table = write_csv(
        tmp_path / "critères.csv",
        [
            [
                "Code",
                "Libellé",
                "Libellé (EN)",
                "Question",
                "Ancrage bas",
                "Ancrage milieu",
                "Ancrage haut",
            ],
            [
                "utilite",
                "Utilité",
                "Usefulness",
                "Sert-il aux décisions ?",
                "inutile",
                "parfois",
                "indispensable",
            ],
            ["cout", "Coût", "", "Coût supportable ?", "", "", ""],
        ],
    )
    from_csv = read_criteria(table, lang="fr")
    assert from_csv[0] == Criterion(
        "utilite",
        Text("Utilité", "Usefulness"),
        Text("Sert-il aux décisions ?"),
        low=Text("inutile"),
        middle=Text("parfois"),
        high=Text("indispensable"),
    )
    assert from_csv[1].label == Text("Coût") and not from_csv[1].has_anchors


def _yaml_items(n: int) -> str:
    return "".join(f"- code: c{i}\n  label: Critère {i}\n" for i in range(1, n + 1))


@pytest.mark.parametrize(
    ("name", "content", "line", "key"),
    [
        (
            "dup.yaml",
            _yaml_items(2) + "- code: C1\n  label: Encore\n",
            5,
            "criteria_file.code_duplicate",
        ),
        ("six.yaml", _yaml_items(6), 11, "criteria_file.too_many"),
        (
            "nolabel.yaml",
            "- code: utilite\n  label: {en: Usefulness}\n",
            1,
            "criteria_file.label_missing",
        ),
        (
            "latin1.yaml",
            "- code: c1\n  label: Crit\xe8re\n".encode("cp1252"),
            2,
            "framework.yaml_not_utf8",
        ),
        ("syntax.yaml", "- code: c1\n  label: [Critère\n", 3, "framework.yaml_syntax"),
        ("dup.csv", "code;libellé\nc1;Un\nc1;Deux\n", 3, "criteria_file.code_duplicate"),
    ],
)
def test_a_bad_criteria_file_gives_located_problems_and_exit_1(
    name: str,
    content: str | bytes,
    line: int,
    key: str,
    tmp_path: Path,
    sessions_dir: Path,
    framework_file: Path,
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_criteria(path, lang="fr")
    problem = caught.value.problems[0]
    assert problem.row == line, [str(p) for p in caught.value.problems]
    assert problem.message.key == key  # type: ignore[union-attr]
    result = run(
        "--lang", "fr", "session", "new", "A", "--framework", str(framework_file),
        "--criteria-file", str(path),
    )  # fmt: skip
    assert result.exit_code == 1
    assert name in result.output and "Traceback" not in result.output
    assert re.search(rf"lign[e]?\s+{line}", result.output), result.output
    assert not (sessions_dir / "A").exists()


# --- where the criteria show --------------------------------------------------------------


def test_the_ballot_screen_shows_the_question_and_the_criterions_own_words(
    sessions_dir: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    created = run(
        "--lang", "fr", "session", "new", "Atelier", "--framework", str(framework_file),
        "--criteria-set", "smart", "--criteria", "measurable,relevance",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    with Workshop.open(root=sessions_dir, name="Atelier") as ws:
        ws.add_participants([("Awa Kɔnɛ", "WANEP", "société civile", "F")])
        ws.start_round()
    with screen("9" + "\r") as drawn:  # the screen draws the first question only
        result = run("ballot", "--participant", "P01")
    text = shown(drawn)
    assert result.exit_code == 130, result.output  # stopped when the keys ran out
    assert "Peut-on lui donner une valeur chiffrée" in text
    assert "1 — non mesurable" in text and "9 — pleinement mesurable" in text
    assert "5 — mesurable en partie" in text
    assert "pas du tout" not in text.split("Pertinence")[0]


def _minutes_text(tmp_path: Path, criteria: tuple[Criterion, ...]) -> str:
    report = dataclasses.replace(build_report(), criteria=criteria)
    path = tmp_path / "minutes.pdf"
    write_minutes(report, path)
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_the_minutes_name_the_set_and_print_each_criterions_words(tmp_path: Path) -> None:
    text = _minutes_text(tmp_path, CRITERIA_SETS["smart"].build())
    assert "Jeu de critères : SMART." in text
    assert "non mesurable / mesurable en partie / pleinement mesurable" in text
    assert "La cible est-elle atteignable" in text


def test_an_old_session_without_anchors_exports_as_before(tmp_path: Path) -> None:
    old = tuple(
        Criterion.from_dict({k: v for k, v in c.to_dict().items() if k != "anchors"})
        for c in DEFAULT_CRITERIA
    )
    text = _minutes_text(tmp_path, old)
    assert "Jeu de critères : par défaut." in text
    assert t("criteria_set.col.anchors", lang="fr") not in text
    assert "Cet indicateur mesure-t-il bien le résultat visé ?" in text
