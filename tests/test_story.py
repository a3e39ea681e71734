"""A whole workshop through the French command line, without a terminal, as a script would run it.

Round 1, a refused close under quorum, a reopening with its reason, two rewordings, a
merge, an addition, round 2 on what is left, the plenary's decisions with counts, an undo,
and the validated framework out — then the log, the workbook and the minutes must tell
the same story.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from hsvalidate.cli import cli
from hsvalidate.framework_io import load_framework
from hsvalidate.workshop import Workshop

NAME = "Atelier de Bamako"
PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
    ("Ɲɛlɛni Dembélé", "Ministère", "gouvernement", "F"),
]
CRITERIA = ("pertinence", "faisabilité", "clarté")


def run(*args: str, ok: bool = True) -> Result:
    result = CliRunner().invoke(cli, [*args, "--lang", "fr"], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def ballots_file(folder: Path, name: str, rows: dict[tuple[str, str], int]) -> Path:
    path = folder / name
    lines = ["participant;indicateur;critère;note;commentaire"]
    for (who, code), score in rows.items():
        lines += [f"{who};{code};{c};{score};" for c in CRITERIA]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def session(sessions_dir: Path) -> Workshop:
    return Workshop.open(root=sessions_dir, name=NAME, writable=False)


@pytest.fixture
def story(sessions_dir: Path, framework_file: Path, tmp_path: Path) -> Path:
    """Run the day; return the folder the documents were exported to."""
    run("session", "new", NAME, "--framework", str(framework_file))
    for name, org, grp, sex in PEOPLE:
        run("participants", "add", "--name", name, "--organisation", org, "--group", grp,
            "--sex", sex)  # fmt: skip
    opened = run("round", "open")
    assert "1" in opened.output
    codes = ["D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"]
    half = {(p, c): 8 for p in ("P01", "P02") for c in codes}
    run("ballots", "import", str(ballots_file(tmp_path, "tour 1 a.csv", half)))

    # Two of four have voted: closing needs --yes, and says so in one sentence.
    refused = run("round", "close", ok=False)
    assert refused.exit_code == 1
    assert "--yes" in refused.output and "Traceback" not in refused.output
    rest = {(p, c): 8 if c != "D1.O1.I2" else 2 for p in ("P03", "P04") for c in codes}
    run("ballots", "import", str(ballots_file(tmp_path, "tour 1 b.csv", rest)))
    run("round", "close")
    run("round", "reopen", "--reason", "Ɲɛlɛni corrige un bulletin papier")
    first = run("ballot", "--participant", "P04", "--indicator", "D2.O1.I1",
                "--rating", "pertinence=9", "--rating", "faisabilité=9", "--rating", "clarté=9",
                "--source", "papier")  # fmt: skip
    again = run("ballot", "--participant", "P04", "--indicator", "D2.O1.I1",
                "--rating", "pertinence=8", "--rating", "faisabilité=8", "--rating", "clarté=8",
                "--source", "papier")  # fmt: skip
    assert "remplace le bulletin enregistré à" in plain(again.output)
    assert "remplace" in plain(first.output)  # P04 had imported a ballot on it
    run("round", "close")

    # The room rewords two indicators, merges two, adds one.
    run("indicator", "reword", "D1.O1.I2", "--text",
        "Part des femmes qui se sentent en sécurité la nuit", "--motif", "plus mesurable")  # fmt: skip
    run("indicator", "reword", "D2.O1.I1", "--set", "Définition=Nouvelle définition ɛ ɔ")
    merged = run("indicator", "merge", "D1.O1.I1", "D1.O2.I1", "--text",
                 "Incidents signalés et alertes suivies d'une réponse")  # fmt: skip
    assert "D1.O1.I1" in merged.output
    added = run("indicator", "add", "D1.O2", "--text", "Délai moyen de réponse aux alertes")
    assert "D1.O2.I2" in added.output

    second = run("round", "open")
    opened2 = plain(second.output)
    assert "D1.O1.I2 reformulé (version 2) — pas de consensus" in opened2
    assert "D1.O2.I2 ajouté en salle sous D1.O2" in opened2
    with session(sessions_dir) as ws:
        round2 = ws.rounds()[-1].indicators
    assert set(round2) == {"D1.O1.I1", "D1.O1.I2", "D1.O2.I2", "D2.O1.I1"}
    all_in = {(p, c): 8 for p in ("P01", "P02", "P03", "P04") for c in round2}
    run("ballots", "import", str(ballots_file(tmp_path, "tour 2.csv", all_in)))
    run("round", "close")

    # The plenary decides, with a show of hands; one decision is a mistake, undone.
    run("decision", "D1.O1.I2", "--action", "reformuler", "--rationale", "préciser « nuit »",
        "--for", "21", "--against", "4", "--abstain", "3")  # fmt: skip
    run("decision", "D1.O1.I1", "--action", "adopter", "--for", "25", "--against", "0",
        "--abstain", "3")  # fmt: skip
    run("decision", "D2.O1.I2", "--action", "écarter", "--for", "2", "--against", "20")
    undone = run("undo", "--yes")
    assert "D2.O1.I2" in undone.output
    out = tmp_path / "documents de l'atelier"
    run("export", "--out", str(out), "--format", "xlsx", "--format", "pdf",
        "--format", "framework-xlsx")  # fmt: skip
    return out


def test_ballots_stay_with_the_version_they_rated(story: Path, sessions_dir: Path) -> None:
    with session(sessions_dir) as ws:
        assert {b.version for b in ws.ballots(1) if b.indicator == "D1.O1.I2"} == {1}
        assert {b.version for b in ws.ballots(2) if b.indicator == "D1.O1.I2"} == {2}
        assert {b.version for b in ws.ballots(2) if b.indicator == "D1.O2.I2"} == {1}
        # The paper ballot typed twice counts once.
        p04 = [b for b in ws.ballots(1) if (b.participant, b.indicator) == ("P04", "D2.O1.I1")]
        assert [b.ratings["relevance"] for b in p04] == [8]
        assert [d.indicator for d in ws.decisions()] == ["D1.O1.I2", "D1.O1.I1"]
        assert ws.rounds()[0].reopenings[0][1] == "Ɲɛlɛni corrige un bulletin papier"


def test_the_log_tells_the_day(story: Path, sessions_dir: Path) -> None:
    log = plain(run("log").output)
    for expected in (
        "Tour 1 ouvert",
        "Tour 1 rouvert",
        "Motif : Ɲɛlɛni corrige un bulletin papier",
        "D1.O1.I2 reformulé : version 2",
        "Motif : plus mesurable",
        "D1.O1.I1, D1.O2.I1 fusionnés en D1.O1.I1",
        "Indicateur D1.O2.I2 ajouté",
        "P04 : bulletin sur D2.O1.I1 au tour 1, remplace celui de",
        "Décision sur D1.O1.I2 : reformuler (pour 21, contre 4, abstention 3)",
        "Bulletins du tour 1 importés depuis tour 1 a.csv : 10",
        "Décision sur D2.O1.I2 : écarter (annulé)",
        "Annulé : Décision sur D2.O1.I2",
        "tour 2.csv",
        "Documents exportés",
    ):
        assert expected in log, expected
    quiet = plain(run("log", "--no-ballots").output)
    assert "P04 : bulletin" not in quiet and "Tour 1 ouvert" in quiet


def test_documents_show_decisions_counts_and_lineage(story: Path) -> None:
    workbook = openpyxl.load_workbook(next(story.glob("*.xlsx")), read_only=True)
    cells = {
        str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value
    }
    assert {"21", "4", "3"} <= cells or {21, 4, 3} <= {
        c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row
    }
    assert "Part des femmes qui se sentent en sécurité la nuit" in cells
    minutes = plain(
        " ".join(page.extract_text() for page in PdfReader(next(story.glob("*.pdf"))).pages)
    )
    assert "Part des femmes qui se sentent en sécurité la nuit" in minutes
    assert "21" in minutes and "plus mesurable" in minutes
    assert "D2.O1.I2" in minutes  # its round-1 figures stay


def test_the_validated_framework_loads_back(story: Path) -> None:
    validated = load_framework(next(story.glob("*framework*.xlsx")))
    codes = [i.code for i in validated.indicators()]
    assert "D1.O2.I1" not in codes  # merged into D1.O1.I1
    assert "D1.O2.I2" in codes  # added in the room
    reworded = validated.indicator("D1.O1.I2")
    assert reworded is not None
    assert reworded.text.fr == "Part des femmes qui se sentent en sécurité la nuit"
    d2 = validated.indicator("D2.O1.I1")
    assert d2 is not None and d2.definition.fr == "Nouvelle définition ɛ ɔ"


def test_undo_without_a_terminal_needs_yes(story: Path) -> None:
    result = run("undo", ok=False)
    assert result.exit_code == 1
    assert "--yes" in plain(result.output)


def test_keep_dropped_keeps_what_the_room_took_out_marked(story: Path, tmp_path: Path) -> None:
    out = tmp_path / "avec retirés"
    run("export", "--out", str(out), "--format", "framework-yaml", "--keep-dropped")
    kept = load_framework(next(out.glob("*framework.yaml")))
    merged_away = kept.indicator("D1.O2.I1")
    assert merged_away is not None
    assert ("Statut de validation", "fusionné dans D1.O1.I1 entre les tours") in merged_away.extra
