"""Plenary decisions: recorded with flags or by questions, listed, and shown in both documents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from pypdf import PdfReader

from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.demo import run_demo
from hsvalidate.exports import write_exports
from hsvalidate.framework_io import load_framework
from hsvalidate.i18n import LANGS, codes_with_prefix, has, t
from hsvalidate.model import DECISION_ACTIONS, Ballot, Settings, decision_action_code
from hsvalidate.resources import DEMO_FRAMEWORK, template_path
from hsvalidate.workshop import Workshop

ENTER = "\r"
DOWN = "\x1b[B"
BACKSPACE = "\x7f"
NAME = "Atelier"


@contextmanager
def keyboard(keys: str) -> Iterator[None]:
    """Type ``keys`` into the next prompts; once they run out, a prompt gets EOF (never a hang)."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        yield


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def plain(text: str) -> str:
    """Non-breaking spaces as plain ones, whitespace collapsed (wrapped lines compare as one)."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " "))


@pytest.fixture
def session(sessions_dir: Path, framework_file: Path) -> Path:
    """A French session whose round 1 keeps D1.O1.I1 and leaves D1.O1.I2 without consensus."""
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
                for score in [8 if code != "D1.O1.I2" else split[number]]
            ]
        )
        ws.close_round()  # everyone present voted: nothing to confirm
    return sessions_dir


def documents(sessions_dir: Path, out: Path) -> tuple[dict[str, dict[str, object]], str]:
    """The Décisions sheet as {indicator: {header: value}} and the minutes' text."""
    with Workshop.open(root=sessions_dir, name=NAME, writable=False) as ws:
        report = ws.build_report()
    (_, workbook), (_, minutes) = write_exports(report, out, ["xlsx", "pdf"])
    sheet = openpyxl.load_workbook(workbook, read_only=True)[t("sheet.decisions", lang="fr")]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == t("col.indicator", lang="fr"))
    header = [str(h) for h in rows[at]]
    cells = {str(r[0]): dict(zip(header, r, strict=False)) for r in rows[at + 1 :] if r and r[0]}
    text = plain(" ".join(page.extract_text() or "" for page in PdfReader(minutes).pages))
    return cells, text


def test_a_decision_with_counts_is_recorded_listed_and_shown_in_both_documents(
    session: Path, tmp_path: Path
) -> None:
    recorded = run(
        "decision", "D1.O1.I2", "--action", "adopter", "--rationale", "Débattu longuement",
        "--for", "21", "--against", "4", "--abstain", "3",
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    assert (
        "Décision enregistrée pour D1.O1.I2 : adopter (pour 21, contre 4, abstention 3)."
        in plain(recorded.output)
    )
    assert run("decision", "D1.O1.I1", "--action", "adopt").exit_code == 0

    listed = run("decision", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    differing = next(li for li in lines if li.startswith("D1.O1.I2"))
    assert differing.split() == [
        "D1.O1.I2", "adopter", "21", "4", "3", "1", "pas", "de", "consensus", "≠",
    ]  # fmt: skip
    agreeing = next(li for li in lines if li.startswith("D1.O1.I1"))
    assert agreeing.split() == ["D1.O1.I1", "adopter", "–", "–", "–", "1", "retenu"]

    cells, minutes = documents(session, tmp_path)
    row = cells["D1.O1.I2"]
    assert [row["pour"], row["contre"], row["abstention"]] == [21, 4, 3]
    assert row[t("decision.col.verdict", lang="fr")] == "pas de consensus"
    gap = "adopté en plénière malgré l'absence de consensus"
    assert plain(str(row[t("decision.col.differs", lang="fr")])) == gap
    assert not cells["D1.O1.I1"][t("decision.col.differs", lang="fr")]
    assert "pour 21 · contre 4 · abstention 3" in minutes
    assert gap in minutes
    assert minutes.count("en plénière") == 1  # the agreeing decision is not marked


def test_a_later_decision_replaces_the_earlier_in_the_documents_and_both_stay_stored(
    session: Path, tmp_path: Path
) -> None:
    assert run("decision", "D1.O1.I2", "--action", "reporter").exit_code == 0
    again = run("decision", "d1.o1.i2", "--action", "fusionner", "--into", "D1.O1.I1")
    assert again.exit_code == 0, again.output
    assert re.search(r"elle remplace la décision enregistrée à \d\d:\d\d\.", plain(again.output))
    with Workshop.open(root=session, name=NAME, writable=False) as ws:
        assert [d.action for d in ws.decisions()] == ["defer", "merge"]
        assert ws.decisions()[-1].into == ("D1.O1.I1",)
    cells, minutes = documents(session, tmp_path)
    assert cells["D1.O1.I2"][t("col.action", lang="fr")] == "fusionner"
    assert "fusionné dans D1.O1.I1" in minutes and "reporter" not in minutes
    listed = run("decision", "list")
    assert "1 décision antérieure" in plain(listed.output)


@pytest.mark.parametrize(
    "before",
    [("--session", NAME), ("--session=" + NAME,), ("--lang", "fr", "--session", NAME)],
    ids=["option and value", "option=value", "two options"],
)
def test_options_before_list_still_list(session: Path, before: tuple[str, ...]) -> None:
    assert run("decision", "D1.O1.I2", "--action", "reporter").exit_code == 0
    listed = run("decision", *before, "list")
    assert listed.exit_code == 0, listed.output
    assert next(li for li in listed.output.splitlines() if li.startswith("D1.O1.I2")).split()[
        :2
    ] == ["D1.O1.I2", "reporter"]
    with Workshop.open(root=session, name=NAME, writable=False) as ws:
        assert [d.indicator for d in ws.decisions()] == ["D1.O1.I2"]  # "list" not recorded


def test_options_before_the_indicator_still_record(session: Path) -> None:
    recorded = run("decision", "--session", NAME, "D1.O1.I1", "--action", "adopter")
    assert recorded.exit_code == 0, recorded.output
    # A session named like a subcommand is the option's value, not the subcommand.
    unknown = run("decision", "--session", "list", "D1.O1.I1", "--action", "adopter")
    assert unknown.exit_code == 1, unknown.output
    assert "list" in unknown.output and "D1.O1.I1" not in unknown.output  # the unknown session
    with Workshop.open(root=session, name=NAME, writable=False) as ws:
        assert [(d.indicator, d.action) for d in ws.decisions()] == [("D1.O1.I1", "adopt")]


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ("D9.O9.I9", "--action", "adopter"),
            "Le cadre ne contient pas d'indicateur « D9.O9.I9 ».",
        ),
        (
            ("D1.O1.I2", "--action", "adopter", "--against", "-4"),
            "Le nombre de voix « contre » doit être un nombre entier égal ou supérieur à 0",
        ),
        (
            ("D1.O1.I2", "--action", "garder"),
            "« garder » n'est pas une décision connue ; choisissez parmi : adopter, reformuler,",
        ),
        (
            ("D1.O1.I2", "--action", "adopter", "--into", "D1.O1.I1"),
            "Seule une fusion nomme les indicateurs",
        ),
        (("D1.O1.I2",), "Il n'y a pas de terminal où poser les questions ; donnez la décision"),
    ],
    ids=["unknown indicator", "negative count", "unknown action", "into without merge", "no tty"],
)
def test_a_refused_decision_is_one_sentence_exit_1_and_nothing_stored(
    session: Path, args: tuple[str, ...], sentence: str
) -> None:
    result = run("decision", *args)
    assert result.exit_code == 1
    output = plain(result.output)
    assert sentence in output
    assert "Traceback" not in output and "Usage" not in output
    with Workshop.open(root=session, name=NAME, writable=False) as ws:
        assert ws.decisions() == []


def test_the_interactive_decision_shows_the_verdict_then_asks(
    session: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    keys = (
        DOWN + DOWN + ENTER  # adopter, reformuler, fusionner
        + "D9.X" + ENTER + BACKSPACE * 4 + "d1.o1.i1" + ENTER  # an unknown code is refused
        + "Même donnée" + ENTER
        + "12" + ENTER
        + BACKSPACE + "3" + ENTER
        + ENTER  # abstentions: 0
    )  # fmt: skip
    with keyboard(keys):
        result = run("decision", "D1.O1.I2")
    assert result.exit_code == 0, result.output
    output = plain(result.output)
    assert "D1.O1.I2 — Part des femmes qui se sentent en sécurité" in output
    assert "Verdict calculé au tour 1 : pas de consensus" in output
    assert (
        "Décision enregistrée pour D1.O1.I2 : fusionner (pour 12, contre 3, abstention 0)."
        in output
    )
    with Workshop.open(root=session, name=NAME, writable=False) as ws:
        stored = ws.decisions()[-1]
    assert (stored.action, stored.into, stored.rationale) == ("merge", ("D1.O1.I1",), "Même donnée")
    assert stored.votes == {"for": 12, "against": 3, "abstain": 0}


def test_an_old_session_with_keep_and_french_vote_keys_still_exports(
    session: Path, tmp_path: Path
) -> None:
    with Workshop.open(root=session, name=NAME) as ws:
        ws.store.insert(
            "decisions",
            {
                "indicator": "D1.O1.I1",
                "action": "keep",
                "rationale": "Consensus.",
                "round": 1,
                "votes": {"pour": 9, "contre": 1, "abstention": 1},
                "recorded_at": "2026-11-26T16:00:00",
            },
        )
        assert ws.decisions()[0].action == "adopt"
    cells, minutes = documents(session, tmp_path)
    row = cells["D1.O1.I1"]
    assert [row["pour"], row["contre"], row["abstention"], row["Action"]] == [9, 1, 1, "adopter"]
    assert "pour 9 · contre 1 · abstention 1" in minutes


def test_the_demo_records_its_decisions_with_counts_the_workbook_shows(tmp_path: Path) -> None:
    framework = load_framework(template_path(DEMO_FRAMEWORK))
    result = run_demo(tmp_path / "démo", framework=framework, size=12)
    assert result.decisions > 0
    sheet = openpyxl.load_workbook(result.workbook, read_only=True)[t("sheet.decisions", lang="fr")]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == t("col.indicator", lang="fr"))
    header = [str(h) for h in rows[at]]
    counted = [dict(zip(header, r, strict=False)) for r in rows[at + 1 :] if r and r[0]]
    voted = [r for r in counted if r["pour"] is not None]
    assert voted, "the demo's show-of-hands decisions have their counts"
    assert all(isinstance(r[k], int) for r in voted for k in ("pour", "contre", "abstention"))


def test_every_action_has_its_words_and_is_understood_in_both_languages() -> None:
    assert sorted(DECISION_ACTIONS) == codes_with_prefix("action")
    for code in DECISION_ACTIONS:
        for lang in LANGS:
            assert has(f"decision.taken.{code}", lang)
            assert decision_action_code(t(f"action.{code}", lang=lang)) == code
    assert decision_action_code("keep") == "adopt"
    assert decision_action_code("REFORMULER") == "reword"
    assert decision_action_code("garder") is None
