"""The paper-entry screen's keyboard (prompt_toolkit): keys in, nothing decided here.

Why apart from the command: like the kiosk's screens (``kiosk_screen.py``), the terminal
library stays behind a module of its own and out of ``cli/``; every decision about a
keystroke is ``paper.Form``'s, which the tests and the benchmark drive directly.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hsvalidate.paper import Form


def read_keys(form: Form, lines: Callable[[str], list[tuple[str, str]]]) -> str:
    """Keystrokes into ``form`` until it is complete or the typist asks for something else.

    ``lines(message)`` draws the screen as (style, text) lines, ``message`` being the
    last refusal (empty when none).  Returns "done" (the form is complete), "comment"
    (``c`` on a finished line), "rest_blank" (``f``) or "quit" (Esc).
    """
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.layout import HSplit, Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    from hsvalidate.errors import BallotError
    from hsvalidate.paper import BACKSPACE, ENTER

    state = {"message": ""}

    def text() -> list[tuple[str, str]]:
        pieces: list[tuple[str, str]] = []
        for style, line in lines(state["message"]):
            pieces += [(style, line), ("", "\n")]
        return pieces[:-1]

    bindings = KeyBindings()

    def press(key: str, event: KeyPressEvent) -> None:
        state["message"] = ""
        try:
            form.key(key)
        except BallotError as exc:
            state["message"] = str(exc)
            event.app.output.bell()
            return
        if form.complete:
            event.app.exit(result="done")

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        press(ENTER, event)

    @bindings.add("backspace")
    @bindings.add("c-h")
    def _back(event: KeyPressEvent) -> None:
        press(BACKSPACE, event)

    @bindings.add("escape", eager=True)
    def _quit(event: KeyPressEvent) -> None:
        event.app.exit(result="quit")

    @bindings.add("c-c")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    @bindings.add("<any>")
    def _other(event: KeyPressEvent) -> None:
        key = event.data
        number = form.current
        if key in ("c", "C") and number is not None and form.line_full(number):
            event.app.exit(result="comment")
            return
        if key in ("f", "F") and number is not None:
            event.app.exit(result="rest_blank")
            return
        press(key, event)

    app: Application[str] = Application(
        layout=Layout(HSplit([Window(FormattedTextControl(text), wrap_lines=True)])),
        key_bindings=bindings,
        full_screen=False,
        erase_when_done=True,
    )
    return str(app.run())


def ask_line(question: str, default: str = "") -> str:
    """One line of text (a code, a comment); Ctrl-C stops, what was saved stays saved."""
    from prompt_toolkit import prompt

    return str(prompt(question + " ", default=default))


def choose_key(question: str, allowed: tuple[str, ...]) -> str:
    """Wait for one of ``allowed`` keys (a character, "enter" or "escape"); others do nothing."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.layout import Layout, Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    bindings = KeyBindings()

    def finish(key: str) -> Callable[[KeyPressEvent], None]:
        def handler(event: KeyPressEvent) -> None:
            event.app.exit(result=key)

        return handler

    if "enter" in allowed:
        bindings.add("enter")(finish("enter"))
    if "escape" in allowed:
        bindings.add("escape", eager=True)(finish("escape"))

    @bindings.add("c-c")
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    @bindings.add("<any>")
    def _other(event: KeyPressEvent) -> None:
        if event.data in allowed or event.data.lower() in allowed:
            event.app.exit(result=event.data)
        else:
            event.app.output.bell()

    width = max(40, shutil.get_terminal_size((80, 24)).columns - 1)  # as the screen it follows
    lines: Any = "\n".join(textwrap.wrap(question, width))
    app: Application[str] = Application(
        layout=Layout(Window(FormattedTextControl(lines), wrap_lines=True)),
        key_bindings=bindings,
        full_screen=False,
        erase_when_done=True,
    )
    return str(app.run())
