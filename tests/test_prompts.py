"""The facilitator's questions, driven with keystrokes through prompt_toolkit's pipe input.

The kiosk's screens (``hsvalidate ballot``) are tested in test_kiosk.py.
"""

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


def test_adding_a_participant_on_a_french_screen_has_no_english_hint(open_session: Path) -> None:
    keys = "Kadi" + ENTER + ENTER + ENTER + ENTER
    with screen(keys) as drawn:
        result = CliRunner().invoke(cli, ["participants", "add"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = shown(drawn)
    assert plain(t("ballot.sex", lang="fr")) in text
    assert [word for word in QUESTIONARY_ENGLISH if word in text] == []
