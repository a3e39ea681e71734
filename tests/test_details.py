"""Workshop details: set with the session, changed later, carried to the documents, undone."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.model import WorkshopDetails
from hsvalidate.workshop import Workshop

NAME = "Atelier de Bamako"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--lang", "fr"], catch_exceptions=False)


def test_details_are_set_with_the_session_and_changed_later(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    made = run("session", "new", NAME, "--framework", str(framework_file),
               "--lieu", "Bamako, Hôtel de l'Amitié", "--date", "28/11/2026",
               "--date", "2026-11-27", "--organisateur", "WANEP-Mali",
               "--organisateur", "GPPAC", "--president", "Ɲɛlɛni Dembélé")  # fmt: skip
    assert made.exit_code == 0, made.output
    logo = tmp_path / "logo wanep.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    changed = run("session", "details", "--rapporteur", "Ŋolo Kɔnɛ", "--logo", str(logo))
    assert changed.exit_code == 0, changed.output
    assert "Ŋolo Kɔnɛ" in changed.output and "27 novembre 2026" in changed.output
    with Workshop.open(root=sessions_dir, name=NAME, writable=False) as ws:
        details = ws.details
        report = ws.build_report()
    assert details == WorkshopDetails(
        place="Bamako, Hôtel de l'Amitié",
        dates=("2026-11-27", "2026-11-28"),
        organisers=("WANEP-Mali", "GPPAC"),
        chair="Ɲɛlɛni Dembélé",
        rapporteur="Ŋolo Kɔnɛ",
        logos=("logo wanep.png",),
    )
    assert report.details == details
    assert (sessions_dir / NAME / "logos" / "logo wanep.png").read_bytes() == logo.read_bytes()

    undone = run("undo", "--yes")
    assert undone.exit_code == 0, undone.output
    with Workshop.open(root=sessions_dir, name=NAME, writable=False) as ws:
        assert ws.details.rapporteur == "" and ws.details.chair == "Ɲɛlɛni Dembélé"


def test_bad_details_are_one_sentence_and_change_nothing(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    run("session", "new", NAME, "--framework", str(framework_file), "--lieu", "Mopti")
    for args in (
        ("--date", "31/02/2026"),
        ("--logo", str(tmp_path / "absent.png")),
        ("--logo", str(framework_file)),
    ):
        result = run("session", "details", *args)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert result.output.count("\n") <= 2
    with Workshop.open(root=sessions_dir, name=NAME, writable=False) as ws:
        assert ws.details == WorkshopDetails(place="Mopti")


def test_a_session_from_before_details_reads_as_empty() -> None:
    assert not WorkshopDetails.from_dict(None)
    assert WorkshopDetails.from_dict({"place": "Ségou", "future": 1}).place == "Ségou"
