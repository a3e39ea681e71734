"""The interactive ballot, driven with keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output

from hsvalidate import prompts
from hsvalidate.cli import cli
from hsvalidate.framework_io import load_framework
from hsvalidate.i18n import t
from hsvalidate.model import Settings
from hsvalidate.workshop import Workshop

ENTER = "\r"
DOWN = "\x1b[B"


@contextmanager
def screen(keys: str) -> Iterator[io.StringIO]:
    """Like ``keyboard``, but the prompts draw on an 80×24 screen whose text the test reads."""
    drawn = io.StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=24, columns=80), term="xterm")
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(keys)
        inp.close()
        yield drawn


def shown(drawn: io.StringIO) -> str:
    """What a person would read: the drawn text without the terminal's control sequences."""
    return plain(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn.getvalue()))


def plain(text: str) -> str:
    """Non-breaking spaces as plain ones (the screen draws both alike)."""
    return text.replace("\xa0", " ")


@contextmanager
def keyboard(keys: str) -> Iterator[None]:
    """Type ``keys`` into the next prompts; once they run out, a prompt gets EOF (never a hang)."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        yield


def rate(*scores: str, comment: str = "") -> str:
    """Keystrokes for one indicator: a shortcut key and Enter per criterion, then the comment."""
    return "".join(f"{s}{ENTER}" for s in scores) + comment + ENTER


@pytest.fixture
def open_session(sessions_dir: Path, framework_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    ws = Workshop.create(
        root=sessions_dir,
        name="Atelier",
        framework=load_framework(framework_file),
        settings=Settings(),
    )
    with ws:
        ws.add_participants(
            [
                ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
                ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
            ]
        )
        ws.start_round()
    return sessions_dir


def ballot(*args: str) -> Result:
    return CliRunner().invoke(cli, ["ballot", *args], catch_exceptions=False)


def stored(sessions_dir: Path) -> dict[str, dict[str, int | None]]:
    with Workshop.open(root=sessions_dir, name="Atelier", writable=False) as ws:
        return {b.indicator: b.ratings for b in ws.ballots(1) if b.participant == "P01"}


def test_a_participant_rates_every_indicator_with_cannot_judge_and_a_comment(
    open_session: Path,
) -> None:
    keys = rate("7", "0", "9", comment="Préciser la source à Gao ; ɛ ɔ") + rate("2", "3", "4") * 4
    with keyboard(keys):
        result = ballot("--participant", "P01")
    assert result.exit_code == 0, result.output
    assert "D1.O1.I1 — Nombre d'incidents signalés" in result.output
    assert result.output.count("✓ Vote enregistré") == 5
    ratings = stored(open_session)
    assert ratings["D1.O1.I1"] == {"relevance": 7, "feasibility": None, "clarity": 9}
    assert ratings["D2.O1.I2"] == {"relevance": 2, "feasibility": 3, "clarity": 4}
    with Workshop.open(root=open_session, name="Atelier", writable=False) as ws:
        first = next(b for b in ws.ballots(1) if b.indicator == "D1.O1.I1")
    assert first.comment == "Préciser la source à Gao ; ɛ ɔ"
    assert first.source == "terminal"


def test_an_interrupted_participant_keeps_what_was_answered_and_resumes(open_session: Path) -> None:
    with keyboard(
        rate("8", "8", "8") + rate("6", "6", "6") + "5" + ENTER
    ):  # runs out mid-indicator
        stopped = ballot("--participant", "P01")
    assert stopped.exit_code == 130
    assert "Tout ce qui a été confirmé est enregistré" in stopped.output
    assert set(stored(open_session)) == {"D1.O1.I1", "D1.O1.I2"}

    with keyboard(rate("4", "4", "4") * 3):
        resumed = ballot("--participant", "P01")
    assert resumed.exit_code == 0, resumed.output
    assert "Indicateur 3 sur 5" in resumed.output
    assert "D1.O2.I1 — " in resumed.output and "D1.O1.I1 — " not in resumed.output
    assert len(stored(open_session)) == 5


def test_the_participant_picks_themselves_when_no_code_is_given(open_session: Path) -> None:
    with keyboard(DOWN + ENTER + rate("5", "5", "5") * 5):
        result = ballot()
    assert result.exit_code == 0, result.output
    with Workshop.open(root=open_session, name="Atelier", writable=False) as ws:
        assert {b.participant for b in ws.ballots(1)} == {"P02"}


def test_round_two_shows_the_groups_feedback_and_own_previous_rating(open_session: Path) -> None:
    with Workshop.open(root=open_session, name="Atelier") as ws:
        for code in ("P01", "P02"):
            for ind in ws.framework.indicators():
                score = 9 if ind.code != "D1.O1.I1" else (1 if code == "P01" else 9)
                ws.record_ballot(
                    participant=code,
                    indicator=ind.code,
                    ratings={"relevance": score, "feasibility": score, "clarity": score},
                    comment="Trop vague pour Kidal"
                    if code == "P02" and ind.code == "D1.O1.I1"
                    else "",
                )
        ws.close_round()
        assert ws.start_round().indicators == ("D1.O1.I1",)
    with keyboard(rate("7", "7", "7")):
        result = ballot("--participant", "P01")
    assert result.exit_code == 0, result.output
    assert (
        "Tour précédent — médiane 5, bas 50 %, moyen 0 %, haut 50 % (n = 2) ; votre note : 1"
        in result.output.replace("\xa0", " ")
    )
    assert "« Trop vague pour Kidal »" in result.output


def test_no_terminal_is_a_clear_error_not_a_hang(
    open_session: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: False)
    result = ballot("--participant", "P01")
    assert result.exit_code == 1
    assert t("cli.no_terminal.ballot", lang="fr") in result.output


def test_adding_a_participant_interactively(open_session: Path) -> None:
    keys = "Kɔrɔtimi Sissoko" + ENTER + "Radio Kayira" + ENTER + "société civile" + ENTER + ENTER
    with keyboard(keys):
        result = CliRunner().invoke(cli, ["participants", "add"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert t("cli.participants.added", lang="fr", name="Kɔrɔtimi Sissoko", code="P03") in (
        result.output
    )
    with Workshop.open(root=open_session, name="Atelier", writable=False) as ws:
        p = ws.participant("P03")
    assert (p.organisation, p.group, p.sex) == ("Radio Kayira", "société civile", "F")


QUESTIONARY_ENGLISH = ("Use arrow keys", "Use shortcuts", "arrow keys", "Answered", "Invalid input")


def test_the_french_ballot_screen_has_no_english_hint(open_session: Path) -> None:
    # The participant picks themselves, rates one indicator, then stops (keys run out).
    with screen(ENTER + rate("7", "0", "9", comment="ɛ ɔ")) as drawn:
        result = ballot()
    assert result.exit_code == 130
    text = shown(drawn)
    for key in ("ballot.who", "ballot.arrows", "ballot.how_to_rate", "ballot.cannot_judge"):
        assert plain(t(key, lang="fr")) in text
    assert [word for word in QUESTIONARY_ENGLISH if word in text] == []
    assert t("cli.stopped", lang="fr") in result.output


def test_the_english_ballot_screen_follows_lang_en(open_session: Path) -> None:
    with screen(ENTER + rate("7", "0", "9")) as drawn:
        result = ballot("--lang", "en")
    assert result.exit_code == 130
    text = shown(drawn)
    assert t("ballot.who", lang="en") in text and t("ballot.arrows", lang="en") in text
    assert "Use arrow keys" not in text
    assert "Incidents reported" in result.output  # the indicator in English
    assert t("ballot.recorded", lang="en", code="D1.O1.I1") in result.output


def test_adding_a_participant_on_a_french_screen_has_no_english_hint(open_session: Path) -> None:
    keys = "Kadi" + ENTER + ENTER + ENTER + ENTER
    with screen(keys) as drawn:
        result = CliRunner().invoke(cli, ["participants", "add"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = shown(drawn)
    assert plain(t("ballot.sex", lang="fr")) in text
    assert [word for word in QUESTIONARY_ENGLISH if word in text] == []
