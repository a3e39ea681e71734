"""Rewording, merging, splitting, adding and dropping indicators; the audit log and undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hsvalidate.errors import RoundError, SessionError
from hsvalidate.framework import Framework
from hsvalidate.model import Settings
from hsvalidate.workshop import Workshop

PANEL = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Fanta Dɔnbɛlɛ", "Réseau des jeunes", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère", "gouvernement", "F"),
    ("Ŋolo Traoré", "Ministère", "gouvernement", "M"),
]


@pytest.fixture
def ws(small_framework: Framework, tmp_path: Path) -> Iterator[Workshop]:
    with Workshop.create(
        root=tmp_path / "sessions à Bamako",
        name="atelier",
        framework=small_framework,
        settings=Settings(),
    ) as workshop:
        workshop.add_participants(PANEL)
        yield workshop


def reopen(ws: Workshop) -> Workshop:
    """The same session as a new command would see it."""
    folder = ws.store.folder
    assert folder is not None
    ws.close()
    return Workshop.open(root=folder.parent, name=folder.name)


def rate(ws: Workshop, indicator: str, scores: list[int]) -> None:
    for i, score in enumerate(scores, start=1):
        ws.record_ballot(
            participant=f"P{i:02d}",
            indicator=indicator,
            ratings={c.code: score for c in ws.settings.criteria},
        )


def round_one(ws: Workshop) -> None:
    ws.start_round()
    for code in ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2"):
        rate(ws, code, [8, 8, 9, 8])
    ws.close_round()


def test_reworded_indicator_keeps_round_one_ballots_at_version_one(ws: Workshop) -> None:
    round_one(ws)
    ws.reword_indicator(
        "d1.o1.i1",
        fields={"text": "Nombre d'incidents violents signalés à la police", "definition_en": "New"},
        reason="plus précis",
    )
    ws = reopen(ws)
    assert ws.framework.indicator("D1.O1.I1") is not None
    assert ws.history.version("D1.O1.I1") == 2
    assert ws.history.wording("D1.O1.I1", 1).text.fr == "Nombre d'incidents signalés"  # type: ignore[union-attr]
    rnd = ws.start_round()
    assert rnd.indicators == ("D1.O1.I1",)  # every other indicator had consensus
    rate(ws, "D1.O1.I1", [9, 9, 9, 9])
    assert {b.version for b in ws.ballots(1) if b.indicator == "D1.O1.I1"} == {1}
    assert {b.version for b in ws.ballots(2)} == {2}
    rows = [r for r in ws.results() if r.indicator == "D1.O1.I1" and r.group == "all"]
    assert {(r.round, r.version) for r in rows} == {(1, 1), (2, 2)}
    ws.close()


def test_merge_split_add_drop_shape_the_next_round(ws: Workshop) -> None:
    round_one(ws)
    merged = ws.merge_indicators(
        ["D1.O1.I1", "D1.O1.I2"], text="Incidents signalés et sentiment de sécurité des femmes"
    )
    assert merged.code == "D1.O1.I1" and merged.sources == ("D1.O1.I1", "D1.O1.I2")
    split = ws.split_indicator("D2.O1.I1", texts=["Première partie ɛ", "Seconde partie ɔ"])
    assert split.new_codes == ("D2.O1.I1a", "D2.O1.I1b")
    added = ws.add_indicator("d1.o2", text="Délai moyen de réponse aux alertes (jours)")
    assert added.code == "D1.O2.I2"
    ws.drop_indicator("D2.O1.I2", reason="hors mandat")
    ws = reopen(ws)
    codes = [i.code for i in ws.framework.indicators()]
    assert codes == ["D1.O1.I1", "D1.O2.I1", "D1.O2.I2", "D2.O1.I1a", "D2.O1.I1b"]
    rnd = ws.start_round()
    assert set(rnd.indicators) == {"D1.O1.I1", "D1.O2.I2", "D2.O1.I1a", "D2.O1.I1b"}
    with pytest.raises(RoundError) as caught:
        ws.reword_indicator("D1.O1.I2", fields={"text": "x"})
    assert "D1.O1.I1" in str(caught.value)  # merged: it says where it went
    with pytest.raises(RoundError) as caught:
        ws.reword_indicator("D1.O2.I2", fields={"text": "Autre"})
    assert "2" in str(caught.value) and "D1.O2.I2" in str(caught.value)  # being rated now
    report = ws.build_report(lang="fr")
    # Round 1's figures for retired indicators stay in the documents, with their wording.
    assert {r.indicator for r in report.results if r.round == 1} >= {"D1.O1.I2", "D2.O1.I2"}
    assert report.lineage.wording("D2.O1.I2").text.fr  # type: ignore[union-attr]
    ws.close()


def test_a_new_code_is_never_reused(ws: Workshop) -> None:
    first = ws.add_indicator("D1.O2", text="Ajout 1")
    ws.drop_indicator(first.code)
    second = ws.add_indicator("D1.O2", text="Ajout 2")
    assert second.code != first.code


def test_revision_errors_are_sentences(ws: Workshop) -> None:
    with pytest.raises(RoundError) as caught:
        ws.reword_indicator("D9.O9.I9", fields={"text": "x"})
    assert "D9.O9.I9" in str(caught.value)
    with pytest.raises(RoundError):
        ws.reword_indicator("D1.O1.I1", fields={"text": "Nombre d'incidents signalés"})
    with pytest.raises(RoundError) as caught:
        ws.reword_indicator("D1.O1.I1", fields={"couleur": "bleu"})
    assert "couleur" in str(caught.value)
    with pytest.raises(RoundError):
        ws.merge_indicators(["D1.O1.I1"], text="seul")
    with pytest.raises(RoundError):
        ws.add_indicator("D7.O1", text="nulle part")
    # A draft's own heading names a field too.
    ws.reword_indicator("D1.O1.I1", fields={"Source de vérification": "Rapports de police"})
    assert ws.framework.indicator("D1.O1.I1").source.fr == "Rapports de police"  # type: ignore[union-attr]


def test_undo_takes_back_a_rewording_then_a_decision(ws: Workshop) -> None:
    round_one(ws)
    ws.reword_indicator("D1.O1.I1", fields={"text": "Nouveau libellé"})
    ws.record_decision(indicator="D1.O1.I2", action="adopt", votes={"for": 3, "against": 1})
    ws.log_export([Path("atelier.pdf")])  # exports are looked past
    assert ws.undo().action == "decision"
    assert ws.decisions() == []
    assert ws.undo().action == "indicator-reword"
    ws = reopen(ws)
    assert ws.framework.indicator("D1.O1.I1").text.fr == "Nombre d'incidents signalés"  # type: ignore[union-attr]
    assert ws.history.version("D1.O1.I1") == 1
    entries = ws.log_entries()
    assert [e.action for e in entries][-3:] == ["export", "undo", "undo"]
    undo_lines = [str(e.message()) for e in entries if e.action == "undo"]
    assert "D1.O1.I2" in undo_lines[0] and "D1.O1.I1" in undo_lines[1]
    ws.close()


def test_undo_refuses_what_would_orphan_ballots(ws: Workshop) -> None:
    ws.start_round()
    rate(ws, "D1.O1.I1", [8, 8, 8, 8])
    with pytest.raises(SessionError) as caught:
        ws.undo()
    assert "round close" in str(caught.value)
    assert ws.open_round() is not None


def test_undo_of_presence_and_registration(ws: Workshop) -> None:
    ws.start_round()
    ws.set_presence("P02", status="absent")
    assert [p.code for p in ws.present_in(1)] == ["P01", "P03", "P04"]
    ws.undo()
    assert [p.code for p in ws.present_in(1)] == ["P01", "P02", "P03", "P04"]
    ws.undo()  # the round opening: no ballot yet
    assert ws.rounds() == []
    ws.undo()  # the registration of the panel
    assert ws.participants() == []
    with pytest.raises(SessionError) as caught:
        ws.undo()  # only the creation is left
    assert str(caught.value)


def test_a_ballot_import_is_not_undone(ws: Workshop, tmp_path: Path) -> None:
    ws.start_round()
    sheet = tmp_path / "bulletins papier.csv"
    sheet.write_text(
        "participant;indicateur;critère;note;commentaire\nP01;D1.O1.I1;pertinence;8;à garder\n",
        encoding="utf-8",
    )
    ws.import_ballots(sheet)
    with pytest.raises(SessionError) as caught:
        ws.undo()
    assert "bulletins papier.csv" in str(caught.value)
    assert len(ws.ballots(1)) == 1


def test_reimport_names_the_comments_it_drops(ws: Workshop, tmp_path: Path) -> None:
    ws.start_round()
    sheet = tmp_path / "b.csv"
    sheet.write_text(
        "participant;indicateur;critère;note;commentaire\nP01;D1.O1.I1;pertinence;8;à garder\n",
        encoding="utf-8",
    )
    ws.import_ballots(sheet)
    sheet.write_text(
        "participant;indicateur;critère;note;commentaire\nP01;D1.O1.I1;pertinence;9;\n",
        encoding="utf-8",
    )
    summary = ws.import_ballots(sheet)
    assert summary.replaced == 1 and summary.comments_dropped == ("P01 D1.O1.I1",)


def test_an_action_and_its_log_entry_are_one_write(ws: Workshop) -> None:
    """A failing write leaves neither the change nor its entry (same file, one replacement)."""
    before = len(ws.log_entries())
    session_file = ws.store.folder / "session.json"  # type: ignore[operator]
    on_disk = session_file.read_bytes()

    def broken(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    import hsvalidate.fileio as fileio

    original = fileio.write_atomic
    fileio.write_atomic = broken  # type: ignore[assignment]
    try:
        with pytest.raises(Exception):  # noqa: B017 - the store's storage error
            ws.add_indicator("D1.O2", text="Ne sera pas enregistré")
    finally:
        fileio.write_atomic = original
    assert session_file.read_bytes() == on_disk
    assert len(ws.log_entries()) == before
    assert ws.revisions() == []
    ws2 = reopen(ws)
    assert [i.code for i in ws2.framework.indicators()] == [
        i.code for i in ws2.history.original.indicators()
    ]
    ws2.close()


def test_the_ballot_screen_says_the_wording_changed(ws: Workshop) -> None:
    from hsvalidate.cli.kiosk import _view

    round_one(ws)
    ws.reword_indicator("D1.O1.I2", fields={"text": "Part des femmes en sécurité la nuit"})
    ws.add_indicator("D1.O2", text="Délai de réponse")
    ws.start_round(add=["D1.O1.I1"])
    reworded = _view(ws, "D1.O1.I2", 1, 3, {}, "fr")
    assert reworded.text == "Part des femmes en sécurité la nuit"
    assert "tour 1" in reworded.changed and "version 2" in reworded.changed
    assert "Part des femmes qui se sentent en sécurité" in reworded.changed
    assert "ajouté" in _view(ws, "D1.O2.I2", 2, 3, {}, "fr").changed
    assert _view(ws, "D1.O1.I1", 3, 3, {}, "fr").changed == ""


@pytest.mark.parametrize("wait", [40, 120])
def test_killed_while_revising_reopens_with_every_change_and_its_log_entry(
    small_framework: Framework, tmp_path: Path, wait: int
) -> None:
    """A process killed between two steps loses nothing acknowledged, and no change is unlogged."""
    import os
    import subprocess
    import sys

    root = tmp_path / "sessions à Bamako"
    Workshop.create(
        root=root, name="atelier", framework=small_framework, settings=Settings()
    ).close()
    helper = Path(__file__).resolve().parent / "store_helpers.py"
    repo = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, str(helper), "revise", str(root / "atelier")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    acked = []
    while len(acked) < wait:
        line = child.stdout.readline()
        assert line.startswith("ack "), line
        acked.append(line.split()[1])
    child.kill()
    acked += [
        line.split()[1] for line in child.stdout.read().splitlines() if line.startswith("ack")
    ]
    child.wait(timeout=30)
    with Workshop.open(root=root, name="atelier") as ws:
        added = [r.code for r in ws.revisions()]
        logged = [e.details["code"] for e in ws.log_entries() if e.action == "indicator-add"]
        assert added == logged  # every change has its entry, and no entry lacks its change
        assert set(acked) <= set(added) and len(added) - len(acked) <= 1
        assert len(ws.framework.indicators()) == len(small_framework.indicators()) + len(added)
        ws.add_indicator("D1.O2", text="Après la reprise")  # the session works on
