"""The validated framework out: the draft after the plenary's decisions, and back in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.framework import Framework
from hsvalidate.framework_io import load_framework, save_framework
from hsvalidate.model import Ballot, Settings
from hsvalidate.workshop import Workshop

NAME = "Atelier"
KINDS = ("xlsx", "yaml", "csv")
STATUS = "Statut de validation"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def session(sessions_dir: Path, framework_file: Path) -> Path:
    """Round 1 keeps four indicators, drops D1.O2.I1, splits on D1.O1.I2; then the plenary."""
    with Workshop.create(
        root=sessions_dir, name=NAME, framework=load_framework(framework_file), settings=Settings()
    ) as ws:
        people = ws.add_participants(
            [
                ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
                ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
                ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
                ("Ɲɛlɛni Dembélé", "Ministère", "gouvernement", "F"),
            ]
        )
        rnd = ws.start_round()
        split = (1, 9, 1, 9)
        scores = {"D1.O2.I1": (2, 2, 2, 2), "D1.O1.I2": split}
        ws.record_ballots(
            [
                Ballot(
                    round=1,
                    participant=p.code,
                    indicator=code,
                    ratings=dict.fromkeys(("relevance", "feasibility", "clarity"), score),
                )
                for number, p in enumerate(people)
                for code in rnd.indicators
                for score in [scores.get(code, (8, 8, 8, 8))[number]]
            ]
        )
        ws.close_round()
        ws.record_decision(indicator="D1.O1.I1", action="adopt")
        ws.record_decision(indicator="D1.O1.I2", action="defer", rationale="À revoir")
        ws.record_decision(indicator="D2.O1.I1", action="merge", into=("D1.O1.I1",))
        ws.record_decision(indicator="D2.O1.I2", action="drop")
    return sessions_dir


def statuses(fw: Framework) -> dict[str, str]:
    return {ind.code: dict(ind.extra).get(STATUS, "") for ind in fw.indicators()}


def export(out: Path, *extra: str) -> dict[str, Framework]:
    formats = [arg for kind in KINDS for arg in ("--format", f"framework-{kind}")]
    result = run("export", *formats, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    assert "Cadre validé (XLSX)" in result.output
    files = {kind: out / f"{NAME}-fr-framework.{kind}" for kind in KINDS}
    return {kind: load_framework(path) for kind, path in files.items()}


def test_the_validated_framework_leaves_out_dropped_and_merged_and_loads_back(
    session: Path, tmp_path: Path, small_framework: Framework
) -> None:
    loaded = export(tmp_path)
    expected = {
        "D1.O1.I1": "adopté en plénière",
        "D1.O1.I2": "reporté",
        "D1.O2.I1": "écarté par le vote, sans décision",
    }
    for kind, fw in loaded.items():
        assert statuses(fw) == expected, kind
        assert fw.lang == "fr"
        assert fw.title == small_framework.title
        for ind in fw.indicators():
            draft = small_framework.indicator(ind.code)
            assert draft is not None
            assert ind.text == draft.text and ind.definition == draft.definition, kind
        assert "(ɛ ɔ ɲ ŋ)" in fw.indicators()[0].definition.fr
        merged_into = fw.indicator("D1.O1.I1")
        assert merged_into is not None
        assert merged_into.notes.fr == "fusionné avec D2.O1.I1", kind
        assert merged_into.notes.en == "", kind
        # the outcome whose indicators all left stays, empty, for the authors to see
        assert [o.code for o in fw.outcomes()] == ["D1.O1", "D1.O2", "D2.O1"]
    assert loaded["xlsx"].dimensions == loaded["yaml"].dimensions == loaded["csv"].dimensions


def test_keep_dropped_keeps_them_marked(session: Path, tmp_path: Path) -> None:
    for kind, fw in export(tmp_path, "--keep-dropped").items():
        found = statuses(fw)
        assert found["D2.O1.I1"] == "fusionné avec D1.O1.I1", kind
        assert found["D2.O1.I2"] == "écarté en plénière", kind
        assert len(found) == 5


def test_a_reexported_framework_round_trips_and_its_status_is_replaced(
    session: Path, tmp_path: Path
) -> None:
    first = export(tmp_path / "one")["yaml"]
    for kind in KINDS:
        again = tmp_path / f"again.{kind}"
        save_framework(first, again)
        back = load_framework(again)
        assert back.dimensions == first.dimensions, kind
        assert [h for h, _ in back.indicators()[0].extra].count(STATUS) == 1


def test_the_csv_opens_in_french_excel(session: Path, tmp_path: Path) -> None:
    export(tmp_path)
    raw = (tmp_path / f"{NAME}-fr-framework.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = next(line for line in text.splitlines() if line.startswith("Code dimension"))
    assert header.split(";")[-1] == STATUS
    assert "Kɔnɛ" not in text  # names of participants never leave with the framework


def test_the_status_is_written_in_the_framework_language(session: Path, tmp_path: Path) -> None:
    result = run("export", "--lang", "en", "--format", "framework-yaml", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    fw = load_framework(tmp_path / f"{NAME}-en-framework.yaml")
    assert statuses(fw)["D1.O1.I2"] == "reporté"


def test_the_latest_decision_stands_and_a_rewording_keeps_the_current_text(
    session: Path, tmp_path: Path, small_framework: Framework
) -> None:
    with Workshop.open(root=session, name=NAME) as ws:
        ws.record_decision(indicator="D1.O1.I1", action="reword")
    fw = export(tmp_path)["xlsx"]
    assert statuses(fw)["D1.O1.I1"] == "à reformuler"
    reworded, draft = fw.indicator("D1.O1.I1"), small_framework.indicator("D1.O1.I1")
    assert reworded is not None and draft is not None and reworded.text == draft.text
