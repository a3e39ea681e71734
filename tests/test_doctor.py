"""A damaged session: results show what they can, and hsvalidate doctor salvages or restores."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.store import list_backups
from hsvalidate.workshop import Workshop

NAME = "Atelier"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--lang", "fr"], catch_exceptions=False)


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def make(sessions_dir: Path, framework_file: Path) -> Path:
    run("session", "new", NAME, "--framework", str(framework_file))
    with Workshop.open(root=sessions_dir, name=NAME) as ws:
        for who in ("Awa Kɔnɛ", "Ŋolo Traoré", "Sɛkuba Kanté"):
            ws.add_participant(name=who)
        rnd = ws.start_round()
        for p in ("P01", "P02", "P03"):
            for code in rnd.indicators:
                ws.record_ballot(participant=p, indicator=code, ratings={"relevance": 8})
        ws.close_round(confirmed=True)
    return sessions_dir / NAME / "ballots" / "round-01.jsonl"


def damage_line(path: Path, number: int) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[number - 1] = lines[number - 1].replace(b'"relevance":8', b'"relevance":9')
    path.write_bytes(b"\n".join(lines))


def test_a_round_close_leaves_a_snapshot(sessions_dir: Path, framework_file: Path) -> None:
    make(sessions_dir, framework_file)
    assert [b.endswith("round-1-closed") for b in list_backups(sessions_dir / NAME)] == [True]


def test_results_of_a_damaged_session_show_what_they_can_and_say_what_was_left_out(
    sessions_dir: Path, framework_file: Path
) -> None:
    journal = make(sessions_dir, framework_file)
    damage_line(journal, 4)
    result = run("results", "--format", "csv", "--tidy")
    assert result.exit_code == 0, result.output
    warned = plain(result.stderr if hasattr(result, "stderr") else result.output)
    assert "1 ligne illisible" in plain(result.output) or "1 ligne illisible" in warned
    assert "ligne 4" in plain(result.output) + warned
    # Writing is refused in one sentence: a damaged journal is never appended to.
    refused = run("round", "open")
    assert refused.exit_code == 1 and "Traceback" not in refused.output


def test_doctor_salvages_every_readable_ballot_into_a_copy(
    sessions_dir: Path, framework_file: Path
) -> None:
    journal = make(sessions_dir, framework_file)
    before = journal.read_bytes()
    damage_line(journal, 4)
    checked = run("doctor")
    assert checked.exit_code == 1
    assert "1 ligne endommagée" in plain(checked.output) and "--salvage" in checked.output
    salvaged = run("doctor", "--salvage")
    assert salvaged.exit_code == 0, salvaged.output
    assert "14 bulletins gardés, 1 ligne endommagée perdue" in plain(salvaged.output)
    assert journal.read_bytes() != before  # the original stays as it was found, damaged
    with Workshop.open(root=sessions_dir, name=f"{NAME} réparée") as ws:
        assert len(ws.ballots(1)) == 14
        ws.start_round(["D1.O1.I1"])  # the copy works: it can go on
    assert run("doctor").exit_code == 0  # the copy is now the default, and sound


def test_doctor_restores_a_snapshot_into_a_new_session(
    sessions_dir: Path, framework_file: Path
) -> None:
    make(sessions_dir, framework_file)
    with Workshop.open(root=sessions_dir, name=NAME) as ws:
        ws.start_round(["D1.O1.I1"])
    snapshot = list_backups(sessions_dir / NAME)[0]
    restored = run("doctor", "--restore", snapshot)
    assert restored.exit_code == 0, restored.output
    with Workshop.open(root=sessions_dir, name=f"{NAME} restaurée", writable=False) as ws:
        assert [r.number for r in ws.rounds()] == [1]
        assert len(ws.ballots(1)) == 15
    unknown = run("doctor", "--session", NAME, "--restore", "n'existe pas")
    assert unknown.exit_code == 1 and snapshot in unknown.output
