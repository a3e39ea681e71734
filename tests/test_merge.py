"""``hsvalidate merge``: copies of one session collected on several laptops, brought together.

Each test starts as a workshop does: the session is prepared on laptop A (participants,
round 1 opened), its folder copied to a USB stick for laptop B, both collect.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate import merge as service
from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.framework import Framework, Text
from hsvalidate.i18n import t, tn
from hsvalidate.model import Ballot, Settings
from hsvalidate.workshop import Workshop

PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère de la Réconciliation", "gouvernement", "F"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
]
NAME = "Atelier Bamako"


@pytest.fixture
def laptop_a(sessions_dir: Path, small_framework: Framework) -> Path:
    """Laptop A's sessions folder: the session prepared, round 1 open, one ballot cast."""
    with Workshop.create(
        root=sessions_dir, name=NAME, framework=small_framework, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
        vote(ws, "P01", "D1.O1.I1", 7, station="PORTABLE-A", at="2026-11-27T09:00:00+00:00")
    return sessions_dir


def copy_to(laptop_a: Path, tmp_path: Path, name: str = "bamako 2026") -> Path:
    """The session folder copied to a USB stick (a path with spaces and accents)."""
    target = tmp_path / "clé USB" / name
    shutil.copytree(laptop_a / NAME, target)
    return target


@pytest.fixture
def usb(laptop_a: Path, tmp_path: Path) -> Path:
    return copy_to(laptop_a, tmp_path)


def vote(
    ws: Workshop,
    participant: str,
    indicator: str,
    score: int,
    *,
    station: str,
    at: str = "",
    source: str = "terminal",
) -> Ballot:
    ratings: dict[str, int | None] = {c.code: score for c in ws.settings.criteria}
    return ws.record_ballots(
        [
            Ballot(
                round=0,
                participant=participant,
                indicator=indicator,
                ratings=ratings,
                source=source,
                station=station,
                recorded_at=at,
            )
        ]
    )[0]


def open_here(laptop_a: Path) -> Workshop:
    return Workshop.open(root=laptop_a, name=NAME)


def open_folder(folder: Path) -> Workshop:
    return Workshop.open(root=folder.parent, name=folder.name)


def counting(root: Path, name: str = NAME) -> dict[tuple[str, str], tuple[int | None, str]]:
    """(participant, indicator) → (relevance score, station) of every ballot that counts."""
    with Workshop.open(root=root, name=name, writable=False) as ws:
        return {
            (b.participant, b.indicator): (b.ratings.get("relevance"), b.station)
            for b in ws.ballots(1)
        }


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a session folder and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def merge(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["merge", *map(str, args)], catch_exceptions=False)


def plain(text: str) -> str:
    """Output with non-breaking spaces as plain ones and lines joined (wrapped on screen)."""
    return " ".join(text.replace("\xa0", " ").split())


# -- what comes in, and only once ---------------------------------------------------------


def test_every_ballot_of_both_laptops_is_there_once(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
        vote(b, "P02", "D1.O1.I2", 6, station="PORTABLE-B", source="paper")
    with open_here(laptop_a) as a:
        vote(a, "P03", "D1.O1.I1", 5, station="PORTABLE-A")

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert counting(laptop_a) == {
        ("P01", "D1.O1.I1"): (7, "PORTABLE-A"),
        ("P02", "D1.O1.I1"): (8, "PORTABLE-B"),
        ("P02", "D1.O1.I2"): (6, "PORTABLE-B"),
        ("P03", "D1.O1.I1"): (5, "PORTABLE-A"),
    }
    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        stored = ws.store.ballots(1)
        uids = [d["uid"] for d in stored]
        assert len(uids) == len(set(uids)) == 4  # the ballot cast before the copy: once
        paper = next(d for d in stored if d["indicator"] == "D1.O1.I2")
        assert (paper["source"], paper["station"]) == ("paper", "PORTABLE-B")
    out = plain(result.output)
    assert plain(tn("merge.done.round", 2, lang="en", round=1, duplicates=1)) in out


def test_merging_twice_changes_nothing(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        b.add_participant(name="Fatoumata Ba", organisation="AFJM", group="société civile")
        vote(b, "P05", "D2.O1.I1", 9, station="PORTABLE-B")
    assert merge(usb).exit_code == 0
    session = laptop_a / NAME
    before = {
        k: v for k, v in fingerprint(session).items() if not k.startswith(("lock", "backups"))
    }

    again = merge(usb)

    assert again.exit_code == 0
    assert plain(again.output).endswith(plain(t("merge.done.nothing", lang="fr", other=usb.name)))
    after = {k: v for k, v in fingerprint(session).items() if not k.startswith(("lock", "backups"))}
    assert after == before  # same journal bytes, same tables, no new log entry


def test_the_other_session_is_not_changed_by_a_byte(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
    untouched = fingerprint(usb)

    assert merge(usb, "--prefer", "latest").exit_code == 0

    assert fingerprint(usb) == untouched


def test_the_order_of_merging_two_laptops_does_not_change_what_counts(
    laptop_a: Path, tmp_path: Path
) -> None:
    b_folder = copy_to(laptop_a, tmp_path, "portable B")
    c_folder = copy_to(laptop_a, tmp_path, "portable C")
    twin = tmp_path / "jumeau"
    shutil.copytree(laptop_a, twin)  # laptop A again, to merge in the other order
    with open_folder(b_folder) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="B", at="2026-11-27T10:00:00+00:00")
        vote(b, "P01", "D1.O1.I1", 4, station="B", at="2026-11-27T10:05:00+00:00")
    with open_folder(c_folder) as c:
        vote(c, "P03", "D1.O1.I1", 3, station="C", at="2026-11-27T10:01:00+00:00")
        vote(c, "P02", "D1.O1.I2", 2, station="C", at="2026-11-27T10:02:00+00:00")
        vote(c, "P03", "D1.O1.I1", 9, station="C", at="2026-11-27T10:03:00+00:00")

    with open_here(laptop_a) as ws:
        service.merge_sessions(ws, [b_folder, c_folder], choose=service.chooser_for("here"))
    with Workshop.open(root=twin, name=NAME) as ws:
        service.merge_sessions(ws, [c_folder, b_folder], choose=service.chooser_for("here"))

    assert counting(laptop_a) == counting(twin)
    assert counting(laptop_a)[("P03", "D1.O1.I1")] == (9, "C")
    assert counting(laptop_a)[("P01", "D1.O1.I1")] == (4, "B")  # B re-rated after the copy


def test_an_old_ballot_from_the_other_laptop_does_not_override_a_newer_one_here(
    laptop_a: Path, usb: Path
) -> None:
    """B is behind: its last ballot for P01 is the one A replaced since."""
    with open_here(laptop_a) as a:
        vote(a, "P01", "D1.O1.I1", 2, station="PORTABLE-A", at="2026-11-27T11:00:00+00:00")
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")

    result = merge(usb)

    assert result.exit_code == 0, result.output
    assert counting(laptop_a)[("P01", "D1.O1.I1")] == (2, "PORTABLE-A")


def test_a_laptop_that_moved_on_replaces_the_ballot_it_had_seen(laptop_a: Path, usb: Path) -> None:
    """B replaced the ballot copied from A: B's is newer knowledge, not a conflict."""
    with open_folder(usb) as b:
        vote(b, "P01", "D1.O1.I1", 3, station="PORTABLE-B", at="2026-11-27T08:00:00+00:00")

    result = merge(usb)

    assert result.exit_code == 0, result.output
    assert counting(laptop_a)[("P01", "D1.O1.I1")] == (3, "PORTABLE-B")


# -- conflicts ------------------------------------------------------------------------------


@pytest.fixture
def conflict(laptop_a: Path, usb: Path) -> Path:
    """P02 rated D1.O1.I1 on both laptops, each unaware of the other's ballot."""
    with open_here(laptop_a) as a:
        vote(a, "P02", "D1.O1.I1", 8, station="PORTABLE-A", at="2026-11-27T10:10:00+00:00")
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 3, station="PORTABLE-B", at="2026-11-27T10:20:00+00:00")
    return usb


@pytest.mark.parametrize(
    ("prefer", "kept"),
    [("ici", (8, "PORTABLE-A")), ("other", (3, "PORTABLE-B")), ("récent", (3, "PORTABLE-B"))],
)
def test_a_conflict_is_settled_either_way_and_stays_settled(
    laptop_a: Path, conflict: Path, prefer: str, kept: tuple[int, str]
) -> None:
    result = merge(conflict, "--prefer", prefer)

    assert result.exit_code == 0, result.output
    assert counting(laptop_a)[("P02", "D1.O1.I1")] == kept
    assert plain(tn("merge.done.conflicts", 1, lang="fr")) in plain(result.output)
    again = merge(conflict, "--prefer", "other" if kept[1] == "PORTABLE-A" else "here")
    assert plain(t("merge.done.nothing", lang="fr", other=conflict.name)) in plain(again.output)
    assert counting(laptop_a)[("P02", "D1.O1.I1")] == kept


def test_a_settled_conflict_travels_to_the_other_laptop_without_a_new_question(
    laptop_a: Path, conflict: Path
) -> None:
    """A kept its own ballot; merging A into B then needs no choice and B counts A's."""
    with open_here(laptop_a) as a:
        service.merge_sessions(a, [conflict], choose=service.chooser_for("here"))

    def no_question(c: service.Conflict) -> str:
        raise AssertionError(f"asked about {c}")

    with open_folder(conflict) as b:
        service.merge_sessions(b, [laptop_a / NAME], choose=no_question)

    assert counting(conflict.parent, conflict.name) == counting(laptop_a)
    assert counting(laptop_a)[("P02", "D1.O1.I1")] == (8, "PORTABLE-A")


def test_latest_is_the_same_choice_on_both_laptops(laptop_a: Path, conflict: Path) -> None:
    twin_a = laptop_a.parent / "copie de A"
    shutil.copytree(laptop_a / NAME, twin_a)
    with open_here(laptop_a) as a:
        service.merge_sessions(a, [conflict], choose=service.chooser_for("latest"))
    with open_folder(conflict) as b:
        service.merge_sessions(b, [twin_a], choose=service.chooser_for("latest"))

    assert counting(laptop_a) == counting(conflict.parent, conflict.name)


def test_without_a_terminal_a_conflict_names_the_option_and_writes_nothing(
    laptop_a: Path, conflict: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: False)
    before = fingerprint(laptop_a / NAME)

    result = merge(conflict, "--lang", "en")

    assert result.exit_code == 1
    assert "--prefer latest, here or other" in plain(result.output)
    assert fingerprint(laptop_a / NAME) == before


def test_the_facilitator_chooses_at_the_keyboard(
    laptop_a: Path, conflict: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("\x1b[B\r")  # down to the other laptop's ballot, Enter
        inp.close()
        result = merge(conflict)

    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "P02" in out and "D1.O1.I1" in out and "PORTABLE-B" in out
    assert counting(laptop_a)[("P02", "D1.O1.I1")] == (3, "PORTABLE-B")


def test_dry_run_lists_the_conflict_and_writes_nothing(laptop_a: Path, conflict: Path) -> None:
    before = fingerprint(laptop_a / NAME)

    result = merge(conflict, "--dry-run", "--lang", "en")

    assert result.exit_code == 0, result.output
    out = plain(result.output)
    assert "(nothing is written)" in out
    assert "1 conflict to settle (or --prefer): round 1, P02, D1.O1.I1: here" in out
    assert fingerprint(laptop_a / NAME) == before


# -- participants ---------------------------------------------------------------------------


def test_a_participant_registered_only_on_the_other_laptop_comes_with_their_ballots(
    laptop_a: Path, usb: Path
) -> None:
    with open_folder(usb) as b:
        late = b.add_participant(name="Fatoumata Ba", organisation="AFJM", group="société civile")
        vote(b, late.code, "D1.O1.I1", 6, station="PORTABLE-B")

    result = merge(usb)

    assert result.exit_code == 0, result.output
    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        person = ws.participant("P05")
        assert (person.name, person.organisation) == ("Fatoumata Ba", "AFJM")
    assert counting(laptop_a)[("P05", "D1.O1.I1")] == (6, "PORTABLE-B")


def test_two_latecomers_given_the_same_code_keep_their_own_ballots(
    laptop_a: Path, usb: Path
) -> None:
    with open_here(laptop_a) as a:
        a.add_participant(name="Bintou Sangaré", organisation="CAFO")
        vote(a, "P05", "D1.O1.I1", 9, station="PORTABLE-A")
    with open_folder(usb) as b:
        b.add_participant(name="Moussa Cɛsira", organisation="AMDH")
        vote(b, "P05", "D1.O1.I1", 2, station="PORTABLE-B")

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert plain(
        t(
            "merge.done.renumbered",
            lang="en",
            name="Moussa Cɛsira",
            theirs="P05",
            code="P06",
            other=usb.name,
        )
    ) in plain(result.output)
    assert counting(laptop_a)[("P05", "D1.O1.I1")] == (9, "PORTABLE-A")
    assert counting(laptop_a)[("P06", "D1.O1.I1")] == (2, "PORTABLE-B")
    again = merge(usb)
    assert plain(t("merge.done.nothing", lang="fr", other=usb.name)) in plain(again.output)


def test_presence_seen_on_either_laptop_wins_over_absent(laptop_a: Path, usb: Path) -> None:
    with open_here(laptop_a) as a:
        a.set_presence("P03", status="absent")
    with open_folder(usb) as b:
        b.set_presence("P03", status="arrived-late")
        b.withdraw_participant("P04")

    assert merge(usb).exit_code == 0

    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        assert ws.participant("P03").presence_in(1) == "arrived-late"
        assert ws.participant("P04").withdrawn_from == 1


# -- what is refused ------------------------------------------------------------------------


def test_a_session_made_from_another_framework_is_refused(
    laptop_a: Path, tmp_path: Path, small_framework: Framework
) -> None:
    from dataclasses import replace

    other_root = tmp_path / "autre atelier"
    changed = replace(small_framework, title=Text("Un autre cadre", "Another framework"))
    with Workshop.create(
        root=other_root, name="Ségou", framework=changed, settings=Settings()
    ) as ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    before = fingerprint(laptop_a / NAME)

    result = merge(other_root / "Ségou")

    assert result.exit_code == 1
    out = plain(result.output)
    assert "La session « Ségou » a été créée avec un autre cadre (« Un autre cadre »" in out
    assert "elle ne peut pas être fusionnée" in out
    assert fingerprint(laptop_a / NAME) == before


def test_a_round_only_the_other_laptop_opened_is_refused_with_what_to_do(
    laptop_a: Path, usb: Path
) -> None:
    with open_folder(usb) as b:
        b.close_round(confirmed=True)
        b.start_round(["D1.O1.I2"])
        vote(b, "P01", "D1.O1.I2", 5, station="PORTABLE-B")

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 1
    assert "open it here first with the same indicators (D1.O1.I2)" in plain(result.output)


def test_framework_changes_made_differently_on_each_laptop_are_refused(
    laptop_a: Path, usb: Path
) -> None:
    for folder, words in ((laptop_a / NAME, "Incidents signalés à la police"), (usb, "Plaintes")):
        with open_folder(folder) as ws:
            ws.close_round(confirmed=True)
            ws.reword_indicator("D2.O1.I2", fields={"text": words})

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 1
    assert "changed the framework differently from this laptop" in plain(result.output)


def test_a_session_cannot_be_merged_into_itself(laptop_a: Path) -> None:
    result = merge(laptop_a / NAME)

    assert result.exit_code == 1
    assert "est cette session même" in plain(result.output)


def test_a_folder_that_is_not_a_session_is_one_sentence(laptop_a: Path, tmp_path: Path) -> None:
    result = merge(tmp_path / "nulle part")

    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_a_merge_is_not_undone(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
    assert merge(usb).exit_code == 0

    result = CliRunner().invoke(cli, ["undo", "--yes", "--lang", "en"], catch_exceptions=False)

    assert result.exit_code == 1
    assert "A merge cannot be undone" in plain(result.output)


# -- decisions, the log, a cut in the middle -----------------------------------------------


def test_decisions_come_in_unless_this_laptop_took_another(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        b.record_decision(indicator="D2.O1.I1", action="adopt")
        b.record_decision(indicator="D2.O1.I2", action="drop")
    with open_here(laptop_a) as a:
        a.record_decision(indicator="D2.O1.I2", action="defer")

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 0, result.output
    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        standing = {row.decision.indicator: row.decision.action for row in ws.decision_rows()[0]}
    assert standing == {"D2.O1.I1": "adopt", "D2.O1.I2": "defer"}
    assert "The decision from “bamako 2026” on D2.O1.I2 is not brought in" in plain(result.output)


def test_the_log_tells_the_merge_in_both_languages(laptop_a: Path, usb: Path) -> None:
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
    assert merge(usb).exit_code == 0

    french = CliRunner().invoke(cli, ["log"], catch_exceptions=False)
    english = CliRunner().invoke(cli, ["log", "--lang", "en"], catch_exceptions=False)

    assert "Fusion de la session « bamako 2026 » — bulletins ajoutés : 1" in plain(french.output)
    assert "Session “bamako 2026” merged — ballots added: 1" in plain(english.output)


def test_a_cut_between_the_tables_and_the_ballots_is_completed_by_merging_again(
    laptop_a: Path, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hsvalidate.store import FileSessionStore

    with open_folder(usb) as b:
        late = b.add_participant(name="Fatoumata Ba", organisation="AFJM")
        vote(b, late.code, "D1.O1.I1", 6, station="PORTABLE-B")

    def power_cut(self: object, round_no: int, ballots: list[object]) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(FileSessionStore, "append_ballots", power_cut)
        with open_here(laptop_a) as ws, pytest.raises(KeyboardInterrupt):
            service.merge_sessions(ws, [usb], choose=service.chooser_for("latest"))
    assert ("P05", "D1.O1.I1") not in counting(laptop_a)

    with open_here(laptop_a) as ws:
        results = service.merge_sessions(ws, [usb], choose=service.chooser_for("latest"))

    assert results[0].ballots == {1: 1} and not results[0].added
    assert counting(laptop_a)[("P05", "D1.O1.I1")] == (6, "PORTABLE-B")


def test_several_sessions_at_once_are_all_checked_before_anything_is_written(
    laptop_a: Path, usb: Path, tmp_path: Path, small_framework: Framework
) -> None:
    from dataclasses import replace

    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
    other_root = tmp_path / "autre"
    changed = replace(small_framework, title=Text("Un autre cadre", "Another framework"))
    Workshop.create(root=other_root, name="Kayes", framework=changed, settings=Settings()).close()
    before = fingerprint(laptop_a / NAME)

    result = merge(usb, other_root / "Kayes")

    assert result.exit_code == 1
    assert fingerprint(laptop_a / NAME) == before


def test_the_preference_words_are_the_services() -> None:
    from hsvalidate.cli.merge import PREFER_CHOICE

    assert tuple(PREFER_CHOICE.terms) == service.PREFERENCES


@pytest.fixture(autouse=True)
def _no_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands run as from a script unless a test gives them a keyboard."""
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: False)
    yield


def test_ballots_from_before_uids_are_known_by_their_content(
    laptop_a: Path, tmp_path: Path
) -> None:
    old = {
        "round": 1,
        "participant": "P04",
        "indicator": "D2.O1.I2",
        "ratings": {"relevance": 6, "feasibility": 6, "clarity": 6},
        "comment": "",
        "version": 1,
        "source": "paper",
        "recorded_at": "2026-11-27T08:30:00+00:00",
    }
    with open_here(laptop_a) as a:
        a.store.append_ballots(1, [old])  # as an earlier hsvalidate wrote it: no station, no uid
    usb = copy_to(laptop_a, tmp_path)
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")

    assert merge(usb).exit_code == 0
    assert merge(usb).exit_code == 0

    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        kept = [d for d in ws.store.ballots(1) if d["participant"] == "P04"]
    assert len(kept) == 1 and "uid" not in kept[0]


def test_ballots_for_a_round_already_closed_here_come_with_a_warning(
    laptop_a: Path, usb: Path
) -> None:
    with open_folder(usb) as b:
        vote(b, "P02", "D1.O1.I1", 8, station="PORTABLE-B")
    with open_here(laptop_a) as a:
        a.close_round(confirmed=True)

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 0, result.output
    assert plain(t("merge.done.closed_round", lang="en", round=1)) in plain(result.output)
    assert counting(laptop_a)[("P02", "D1.O1.I1")] == (8, "PORTABLE-B")


def test_card_counts_of_a_session_that_has_them_follow_the_decisions_rule(
    laptop_a: Path, usb: Path
) -> None:
    """A version that counts cards in plenary keeps them in a ``counts`` table."""
    count = {"round": 1, "indicator": "D1.O2.I1", "criterion": "relevance", "counts": {"8": 12}}
    with open_folder(usb) as b:
        b.store.insert("counts", count)

    assert merge(usb).exit_code == 0
    assert merge(usb).exit_code == 0

    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        assert [{k: v for k, v in d.items() if k != "_id"} for d in ws.store.all("counts")] == [
            count
        ]


def test_a_person_registered_on_both_laptops_under_two_codes_is_one_participant(
    laptop_a: Path, usb: Path
) -> None:
    with open_here(laptop_a) as a:
        a.add_participant(name="Bintou Sangaré", organisation="CAFO")  # P05 here
        a.add_participant(name="Fatoumata Ba", organisation="AFJM")  # P06 here
    with open_folder(usb) as b:
        b.add_participant(name="Fatoumata BA", organisation="afjm")  # P05 there
        vote(b, "P05", "D1.O1.I1", 4, station="PORTABLE-B")

    result = merge(usb, "--lang", "en")

    assert result.exit_code == 0, result.output
    with Workshop.open(root=laptop_a, name=NAME, writable=False) as ws:
        assert len(ws.participants()) == 6
    assert counting(laptop_a)[("P06", "D1.O1.I1")] == (4, "PORTABLE-B")
    assert "Fatoumata BA has code P05 on “bamako 2026” and P06 here" in plain(result.output)
