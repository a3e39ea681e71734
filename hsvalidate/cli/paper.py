"""``hsvalidate ballots print`` (the paper forms) and ``hsvalidate ballots enter`` (typing them in).

The typing screen only reads keys and draws; every decision is ``hsvalidate.paper``'s
(``PaperEntry`` and ``Form``), which the tests and the benchmark drive directly.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from hsvalidate.cli._common import command, echo_wrapped, open_workshop, option, session_options
from hsvalidate.i18n import Message, fold, get_language, t, tn
from hsvalidate.paper_screen import ask_line, choose_key

if TYPE_CHECKING:
    from hsvalidate.paper import Difference, Form, Mark, PaperEntry
    from hsvalidate.workshop import Workshop


@command("print", help="help.ballots.print")
@option(
    "--blank",
    type=click.IntRange(min=0),
    default=0,
    metavar="meta.number",
    help="help.opt.paper_blank",
)
@option(
    "--participant",
    "participants",
    multiple=True,
    metavar="meta.code",
    help="help.opt.paper_participant",
)
@option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="meta.file",
    help="help.opt.paper_output",
)
@session_options
def print_ballots(
    blank: int,
    participants: tuple[str, ...],
    output: Path | None,
    session_name: str | None,
    sessions_dir: Path | None,
) -> None:
    """Write the open round's paper forms: one per participant expected, then blank ones."""
    from hsvalidate.exports.paper import write_paper_ballots
    from hsvalidate.paper import printed_ballots

    codes = [c for item in participants for c in item.replace(",", " ").split()]
    with open_workshop(session_name, sessions_dir, writable=False) as ws:
        lang = get_language()
        forms = printed_ballots(ws, lang=lang, participants=codes or None, blank=blank)
        target = output or ws.exports_dir / t(
            "paper.print.file_name", session=ws.name, round=forms.round
        )
    pages = write_paper_ballots(forms, target)
    named = sum(1 for f in forms.forms if f.code)
    click.echo(tn("paper.print.written", named, pages=pages, file=target, round=forms.round))
    if blank:
        click.echo(tn("paper.print.blank", blank))


@command("enter", help="help.ballots.enter")
@option("--second", is_flag=True, default=False, help="help.opt.paper_second")
@session_options
def enter(second: bool, session_name: str | None, sessions_dir: Path | None) -> None:
    """Type a stack of paper forms in, one after the other, in one process."""
    from hsvalidate import prompts
    from hsvalidate.paper import PaperEntry

    prompts.require_terminal(Message("paper.ui.no_terminal"))
    with open_workshop(session_name, sessions_dir, purpose="hsvalidate ballots enter") as ws:
        entry = PaperEntry(ws, check=second)
        _session(ws, entry)


# -- the typing screen -----------------------------------------------------------------------


def _session(ws: Workshop, entry: PaperEntry) -> None:
    """Form after form until the typist leaves the code empty; each form saved as confirmed."""
    from hsvalidate.errors import BallotError

    mode = "paper.ui.mode_second" if entry.check else "paper.ui.mode_first"
    echo_wrapped(t("paper.ui.welcome", session=ws.name, round=entry.round.number, mode=t(mode)))
    echo_wrapped(t("paper.ui.keys_intro", low=ws.scale.low, high=ws.scale.high))
    typed = 0
    while True:
        code = ask_line(t("paper.ui.ask_code"))
        if not code.strip():
            break
        try:
            form = _start(entry, code)
        except BallotError as exc:
            _say_error(str(exc))
            continue
        if form is None:
            continue
        if _type_form(ws, entry, form):
            typed += 1
    click.echo(tn("paper.ui.bye", typed))


def _start(entry: PaperEntry, code: str) -> Form | None:
    """A form for the code typed; when it was typed before, only once the typist agrees."""
    from hsvalidate.i18n.documents import format_datetime

    if entry.check:
        return entry.start(code)
    earlier = entry.earlier(code)
    if earlier is None:
        return entry.start(code)
    question = tn(
        "paper.ui.replace_question",
        earlier.count,
        code=earlier.participant,
        round=entry.round.number,
        when=format_datetime(earlier.last_at, get_language()),
        source=t(f"source.{earlier.source}"),
    )
    if not _single_key(" ".join(question.split()), enter_is_yes=False, no_means_correct=False):
        click.echo(t("paper.ui.not_replaced", code=earlier.participant))
        return None
    return entry.start(code, replace=True)


def _type_form(ws: Workshop, entry: PaperEntry, form: Form) -> bool:
    """Type one form through to its summary and confirmation; True once it is saved."""
    from hsvalidate.errors import BallotError
    from hsvalidate.paper import BACKSPACE

    while True:
        outcome = _keys_screen(ws, entry, form)
        if outcome == "quit":
            click.echo(t("paper.ui.abandoned", code=form.participant.code))
            return False
        if outcome == "comment":
            number = form.current
            assert number is not None
            line = form.lines[number]
            text = ask_line(t("paper.ui.ask_comment", indicator=line.indicator), line.comment)
            form.comment(text)
            continue
        # The form is typed through: its summary, then the typist's word.
        if entry.check:
            if _settle(ws, entry, form):
                return True
            form.key(BACKSPACE)
            continue
        _summary(ws, entry, form)
        if not _confirm_save(ws, form):
            form.key(BACKSPACE)  # back to the last indicator, to correct
            continue
        try:
            saved = entry.save(form, blanks_confirmed=True)
        except BallotError as exc:
            _say_error(str(exc))
            form.key(BACKSPACE)
            continue
        click.secho(
            tn("paper.ui.saved", len(saved), code=form.participant.code, round=entry.round.number),
            fg="green",
            bold=True,
        )
        return True


def _say_error(text: str) -> None:
    """A refusal in red, wrapped at words."""
    click.secho(textwrap.fill(text, _width(), break_long_words=False), fg="red")


def _width() -> int:
    return max(40, shutil.get_terminal_size((80, 24)).columns - 1)


def _mark_text(mark: Mark) -> str:
    """A box as the screen shows it: the digit, NSP, or « vide »."""
    from hsvalidate.paper import BLANK

    if mark is None:
        return t("paper.ui.mark_cannot_judge")
    if mark == BLANK:
        return t("paper.ui.mark_blank")
    return str(mark)


def _criterion_label(ws: Workshop, code: str) -> str:
    lang = get_language()
    found = next((c for c in ws.settings.criteria if c.code == code), None)
    return (found.label.get(lang) if found else "") or code


def _indicator_text(ws: Workshop, code: str) -> str:
    ind = ws.framework.indicator(code)
    return ind.text.get(get_language()) if ind is not None else ""


def _screen_lines(
    ws: Workshop, entry: PaperEntry, form: Form, message: str
) -> list[tuple[str, str]]:
    """What the typing screen shows now, as (style, text) pieces, one line each."""
    width = _width()
    out: list[tuple[str, str]] = []
    number = form.current
    if number is None:  # pragma: no cover - the screen closes when the form is complete
        return out
    line = form.lines[number]
    mode = "paper.ui.mode_second" if entry.check else "paper.ui.mode_first"
    out.append(
        (
            "bold",
            t(
                "paper.ui.position",
                code=form.participant.code,
                i=number + 1,
                n=len(form.lines),
                indicator=line.indicator,
                mode=t(mode),
            ),
        )
    )
    wording = textwrap.wrap(_indicator_text(ws, line.indicator), width) or [""]
    if len(wording) > 3:
        wording = [*wording[:2], textwrap.shorten(" ".join(wording[2:]), width, placeholder=" …")]
    out += [("", w) for w in wording]
    out.append(("", ""))
    labels = [_criterion_label(ws, c) for c in form.criteria]
    pad = max(len(label) for label in labels) + 2
    for index, label in enumerate(labels):
        if index < len(line.marks):
            out.append(("", f"  {label:<{pad}}{_mark_text(line.marks[index])}"))
        elif index == len(line.marks):
            out.append(("reverse", f"▸ {label:<{pad}}_"))
        else:
            out.append(("", f"  {label:<{pad}}"))
    comment = line.comment or t("paper.ui.no_comment")
    label = t("paper.ui.comment_label")
    out.append(("", "  " + textwrap.shorten(f"{label:<{pad}}{comment}", width - 2)))
    if number > 0:
        before = form.lines[number - 1]
        marks = " · ".join(_mark_text(m) for m in before.marks)
        out.append(("", ""))
        out.append(
            (
                "italic",
                textwrap.shorten(
                    t("paper.ui.previous", indicator=before.indicator, marks=marks), width
                ),
            )
        )
    out.append(("", ""))
    hint = "paper.ui.hint_next" if form.line_full(number) else "paper.ui.hint_keys"
    out += [("reverse", w) for w in textwrap.wrap(t(hint, low=form.low, high=form.high), width)]
    if message:
        out += [("fg:ansired bold", w) for w in textwrap.wrap(message, width)]
    return out


def _keys_screen(ws: Workshop, entry: PaperEntry, form: Form) -> str:
    """Read keystrokes into ``form`` until it is complete ("done"), a comment or Esc ("quit")."""
    from hsvalidate.paper_screen import read_keys

    while True:
        result = read_keys(form, lambda message: _screen_lines(ws, entry, form, message))
        if result == "rest_blank":
            question = t("paper.ui.rest_blank_question", code=form.participant.code)
            if _single_key(question, enter_is_yes=False, no_means_correct=False):
                form.blank_rest()
                return "done"
            continue
        return result


def _blank_words(ws: Workshop, form: Form) -> str:
    return ", ".join(f"{ind} {_criterion_label(ws, c)}" for ind, c in form.blanks())


def _summary(ws: Workshop, entry: PaperEntry, form: Form) -> None:
    """The form as typed, in a few lines: what will be saved and what was left empty."""
    rated = len(form.lines) - len(form.empty())
    commented = sum(1 for line in form.lines if line.comment)
    echo_wrapped(
        tn("paper.ui.summary", rated, code=form.participant.code, total=len(form.lines))
        + " "
        + tn("paper.ui.summary_comments", commented)
    )
    empty = form.empty()  # boxes left empty are listed by the confirmation itself
    if form.earlier is not None:  # replacing: what this form leaves empty keeps its first ballot
        stored = entry.stored(form.participant.code)
        kept = [code for code in empty if code in stored]
        if kept:
            echo_wrapped(tn("paper.ui.summary_kept", len(kept), which=", ".join(kept)))


def _confirm_save(ws: Workshop, form: Form) -> bool:
    """Enter saves; with boxes left empty the question says so and only « o » saves."""
    blanks = form.blanks()
    empty = form.empty()
    if not blanks and not empty:
        return _single_key(t("paper.ui.confirm", code=form.participant.code), enter_is_yes=True)
    question = t(
        "paper.ui.confirm_blanks",
        blanks=tn("paper.ui.blanks_count", len(blanks), which=_blank_words(ws, form))
        if blanks
        else "",
        empty=tn("paper.ui.empty_count", len(empty), which=", ".join(empty)) if empty else "",
    )
    return _single_key(" ".join(question.split()), enter_is_yes=False)


def _settle(ws: Workshop, entry: PaperEntry, form: Form) -> bool:
    """Second entry: compare with the first, have each difference read on paper, record it."""
    from hsvalidate.paper import BLANK

    differences = entry.compare(form)
    boxes = len(form.lines) * len(form.criteria)
    if not differences:
        click.secho(
            t("paper.ui.check_same", code=form.participant.code, boxes=boxes), fg="green", bold=True
        )
        return True
    echo_wrapped(tn("paper.ui.check_differences", len(differences), code=form.participant.code))
    for diff in differences:
        echo_wrapped(_difference_line(ws, form, diff), indent="  ")
    if not _single_key(t("paper.ui.check_resolve_now"), enter_is_yes=True):
        return False
    chosen: dict[tuple[str, str | None], Mark] = {}
    for diff in differences:
        line = _difference_line(ws, form, diff)
        if diff.criterion is None:
            pick = choose_key(line + "  " + t("paper.ui.check_pick_comment"), ("1", "2"))
            chosen[diff.key] = diff.first if pick == "1" else diff.second
        else:
            allowed = (*(str(s) for s in range(form.low, form.high + 1)), "0", "n", "-", " ")
            pick = choose_key(
                line + "  " + t("paper.ui.check_pick_score", low=form.low, high=form.high), allowed
            )
            chosen[diff.key] = (
                None if pick in ("0", "n") else BLANK if pick in ("-", " ") else int(pick)
            )
        value = chosen[diff.key]
        shown = value if diff.criterion is None else _mark_text(value)
        echo_wrapped(t("paper.ui.check_chosen", line=line, value=shown), indent="  ")
    recorded = entry.resolve(form, chosen)
    if not recorded:
        click.secho(t("paper.ui.check_kept", code=form.participant.code), fg="green", bold=True)
        return True
    click.secho(
        tn("paper.ui.check_recorded", len(recorded), code=form.participant.code),
        fg="green",
        bold=True,
    )
    return True


def _difference_line(ws: Workshop, form: Form, diff: Difference) -> str:
    """« P03 D1.O2.I1 pertinence : 1re saisie 7, 2e saisie 1 »."""
    if diff.criterion is None:
        return t(
            "paper.ui.check_comment_line",
            code=form.participant.code,
            indicator=diff.indicator,
            first=str(diff.first) or t("paper.ui.no_comment"),
            second=str(diff.second) or t("paper.ui.no_comment"),
        )
    return t(
        "paper.ui.check_line",
        code=form.participant.code,
        indicator=diff.indicator,
        criterion=_criterion_label(ws, diff.criterion),
        first=_mark_text(diff.first),
        second=_mark_text(diff.second),
    )


# -- small questions ---------------------------------------------------------------------------


def _single_key(question: str, *, enter_is_yes: bool, no_means_correct: bool = True) -> bool:
    """Yes with one key: Enter (when ``enter_is_yes``) or « o »/« y »; Esc or « n » is no.

    ``no_means_correct``: the hint says Esc goes back to correct the form (at the save);
    otherwise it says plainly that « n » or Esc answers no.
    """
    yes = {fold(w)[:1] for w in t("cli.yes_words").split(",")} | {"y"}
    keys = (*yes, "n", "N", "escape") + (("enter",) if enter_is_yes else ())
    hint = "paper.ui.hint_enter_yes" if enter_is_yes else "paper.ui.hint_o_yes"
    if not no_means_correct:
        hint = "paper.ui.hint_o_no"
    pick = choose_key(f"{question} {t(hint)}", keys)
    return pick == "enter" or fold(pick) in yes
