"""``hsvalidate demo`` end to end: the workbook and the minutes read back as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from hsvalidate.cli import cli
from hsvalidate.framework_io import load_framework
from hsvalidate.i18n import t
from hsvalidate.resources import DEMO_FRAMEWORK, template_path


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "sortie démo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # French, the working language, unless --lang says otherwise.
    for key in ("cli.demo.workbook", "cli.demo.minutes"):
        assert t("cli.field", lang="fr", label=t(key, lang="fr")) in result.output
    assert t("cli.demo.title", lang="fr", title="") in result.output
    return out


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_demo_writes_session_workbook_and_minutes(demo_out: Path) -> None:
    assert (demo_out / "sessions" / "demo-bamako" / "session.json").exists()
    assert len(list(demo_out.glob("*consensus.xlsx"))) == 1
    assert len(list(demo_out.glob("*framework.xlsx"))) == 1
    assert len(list(demo_out.glob("*.pdf"))) == 1


def test_minutes_name_every_indicator_of_the_shipped_framework(demo_out: Path) -> None:
    text = pdf_text(next(demo_out.glob("*.pdf")))
    codes = [i.code for i in load_framework(template_path(DEMO_FRAMEWORK)).indicators()]
    assert len(codes) >= 30
    missing = [c for c in codes if c not in text]
    assert missing == []
    assert "Hyndman" in text


def test_workbook_holds_results_for_every_indicator_and_no_names(demo_out: Path) -> None:
    book = openpyxl.load_workbook(next(demo_out.glob("*consensus.xlsx")), read_only=True)
    cells = {
        str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    }
    codes = {i.code for i in load_framework(template_path(DEMO_FRAMEWORK)).indicators()}
    assert codes <= cells
    assert "P01" in cells
    # Participants' names never stand in the workbook by default (the demo panel has them).
    assert not any("Traoré" in c or "Kɔnɛ" in c or "Coulibaly" in c for c in cells)


def test_demo_is_reproducible_and_can_be_run_again(tmp_path: Path) -> None:
    out = tmp_path / "d"
    first = CliRunner().invoke(
        cli, ["demo", "--out", str(out), "--participants", "12"], catch_exceptions=False
    )
    second = CliRunner().invoke(
        cli, ["demo", "--out", str(out), "--participants", "12"], catch_exceptions=False
    )
    assert first.exit_code == second.exit_code == 0
    assert t("cli.show.round", lang="fr", round=2) in first.output
    assert first.output == second.output


@pytest.mark.skipif(
    shutil.which("hsvalidate") is None, reason="needs 'pip install .' (CI installs it)"
)
def test_installed_command_runs_the_demo_outside_the_repository(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        ["hsvalidate", "demo", "--participants", "8"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "hsvalidate-demo").glob("*.pdf"))) == 1


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hsvalidate", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0
    assert "validation workshop" in done.stdout


def test_the_demo_in_english_speaks_english(tmp_path: Path) -> None:
    out = tmp_path / "en"
    result = CliRunner().invoke(
        cli,
        ["demo", "--out", str(out), "--participants", "8", "--lang", "en"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert t("cli.demo.title", lang="en", title="") in result.output
    assert "Round 1:" in result.output and "Tour" not in result.output
    assert len(list(out.glob("*-en-minutes.pdf"))) == 1


def test_the_demo_tells_the_whole_story_as_the_log_does(demo_out: Path) -> None:
    """Rewordings, a merge, an addition, decisions with counts and an undo, told alike everywhere."""
    from hsvalidate.workshop import Workshop

    with Workshop.open(root=demo_out / "sessions", name="demo-bamako", writable=False) as ws:
        actions = [e.action for e in ws.log_entries()]
        revisions = ws.revisions()
        decisions = ws.decision_rows()[0]
        quorum_share = ws.rule.quorum_share
    assert actions.count("indicator-reword") == 2
    assert actions.count("indicator-merge") == 1 and actions.count("indicator-add") == 1
    assert actions[-2:] == ["undo", "export"]
    assert quorum_share == 50  # the default of a new session, not a quorum of 1

    log = CliRunner().invoke(
        cli,
        ["log", "--sessions-dir", str(demo_out / "sessions"), "--session", "demo-bamako"],
        catch_exceptions=False,
    )
    assert log.exit_code == 0
    for revision in revisions:
        assert revision.code in log.output
    assert "(annulé)" in log.output

    book = openpyxl.load_workbook(next(demo_out.glob("*consensus.xlsx")), read_only=True)
    lineage = list(book["Révisions"].iter_rows(values_only=True))
    assert [row[0] for row in lineage[1:]] == [r.code for r in revisions]
    decided = list(book["Décisions"].iter_rows(values_only=True))
    header = decided[0]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in decided[1:]}
    assert set(rows) == {d.decision.indicator for d in decisions}  # the undone one is not there
    counted = [d.decision for d in decisions if d.decision.votes]
    assert counted and all(
        rows[d.indicator][t("vote.for", lang="fr")] == d.votes["for"] for d in counted
    )

    minutes = pdf_text(next(demo_out.glob("*.pdf")))
    assert t("pdf.h.lineage", lang="fr") in minutes
    merged = next(r for r in revisions if r.change == "merge")
    assert all(code in minutes for code in merged.sources)

    validated = load_framework(next(demo_out.glob("*framework.xlsx")))
    codes = [i.code for i in validated.indicators()]
    added = next(r for r in revisions if r.change == "add")
    assert added.code in codes
    assert merged.sources[1] not in codes
    reworded = next(r for r in revisions if r.change == "reword")
    assert validated.indicator(reworded.code).text == reworded.indicators[0].text  # type: ignore[union-attr]


def test_the_demo_minutes_can_be_signed_as_they_are(demo_out: Path) -> None:
    """Place, date, organisers, chair and rapporteur on the cover; the secretariat's sections."""
    from hsvalidate.workshop import Workshop

    with Workshop.open(root=demo_out / "sessions", name="demo-bamako", writable=False) as ws:
        details = ws.details
    text = " ".join(pdf_text(next(demo_out.glob("*.pdf"))).split())
    assert details.chair and details.rapporteur
    for expected in ("Bamako, Hôtel de l'Amitié", "WANEP-Mali", details.chair, details.rapporteur):
        assert expected in text, expected
    assert "INSTAT avant la prochaine revue" in text  # recommandations.md
