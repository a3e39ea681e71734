"""The kiosk's screens: whole-screen prompts drawn with prompt_toolkit, sized for 80×24.

Why not questionary here (``prompts.py`` keeps it for the facilitator's questions): the
kiosk must start with no scale point chosen, so a stray Enter records nothing, and must
keep the question visible whatever the length of the indicator; questionary's select
always has its cursor on a choice and lets long text push the question off the screen.
Each screen is one full-screen application that takes the whole terminal and gives it
back blank, so the next participant never sees the previous one's answers.

The layout is computed here, in plain Python, from the screen's size; prompt_toolkit is
imported only inside the functions that run a screen (``hsvalidate --help`` stays fast).
As in ``prompts.py``, Ctrl-C raises KeyboardInterrupt and a closed input EOFError; the
caller decides what either means.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hsvalidate.i18n import t

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.key_binding import KeyPressEvent

Line = tuple[str, str]
"""One line of the screen: (prompt_toolkit style, text)."""

BACK = "<back>"
"""What a screen returns when the participant asks for the previous question."""

FINISH = "<finish>"
"""What the review screen returns when the participant is done."""

QUIT = "<quit>"
"""What the picker returns when the facilitator closes the kiosk."""

CANNOT_JUDGE = "<cannot-judge>"
"""The rating menu's value for « Je ne peux pas juger »."""

STYLE = {
    "title": "bold",
    "dim": "#888888",
    "indicator": "bold",
    "changed": "ansiyellow",
    "feedback": "ansicyan",
    "comment": "italic",
    "selected": "reverse",
    "ok": "ansigreen bold",
    "warn": "ansired bold",
    "question": "bold",
    "more": "#888888 italic",
}


# -- what the screens show ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionView:
    """A criterion as the participant sees it, with last round's feedback when there is one."""

    code: str
    label: str
    question: str
    feedback: str = ""
    """One line: the group's distribution and the participant's own previous rating."""
    low: str = ""
    """The criterion's own words for the lowest score; empty: the generic "pas du tout"."""
    middle: str = ""
    """Its words for the middle of the scale; empty: the generic "moyennement"."""
    high: str = ""
    """Its words for the highest score; empty: the generic "tout à fait"."""


@dataclass(frozen=True)
class IndicatorView:
    """What the ballot screen shows about one indicator, already in the participant's language."""

    code: str
    text: str
    definition: str
    dimension: str
    outcome: str
    position: int
    """1-based position of the indicator in the round."""
    total: int
    criteria: tuple[CriterionView, ...]
    previous_comments: tuple[str, ...] = ()
    """Anonymous comments from the previous round."""
    changed: str = ""
    """Said when the wording changed since an earlier round (« Libellé modifié après le tour 1 »)."""
    details: tuple[str, ...] = ()
    """Source of verification, frequency, baseline and target, one sentence each, when known."""


@dataclass(frozen=True)
class BallotAnswer:
    """A participant's answers for one indicator."""

    ratings: dict[str, int | None]
    """Score by criterion; None for "cannot judge"."""
    comment: str


@dataclass(frozen=True)
class Para:
    """A paragraph of the screen, wrapped to its width when drawn."""

    text: str
    style: str = ""
    indent: str = ""


@dataclass(frozen=True)
class Item:
    """One entry of a menu."""

    value: str
    label: str
    shortcut: str = ""
    """A key that moves the cursor straight to this entry (a digit for a score)."""
    style: str = ""


@dataclass
class _MenuState:
    selected: int | None
    header_top: int = 0
    message: str = ""
    page_size: int = 1
    header_room: int = 0
    header_lines: int = 0
    paged: bool = False
    extra: dict[str, str] = field(default_factory=dict)


# -- layout (pure) -----------------------------------------------------------------------


def wrap(paras: Sequence[Para], width: int) -> list[Line]:
    """Paragraphs as screen lines, cut at word boundaries so no word is split."""
    lines: list[Line] = []
    for para in paras:
        if not para.text:
            lines.append((para.style, ""))
            continue
        for text_line in para.text.split("\n"):
            filled = textwrap.wrap(
                text_line,
                width=max(20, width),
                initial_indent=para.indent,
                subsequent_indent=para.indent,
                break_on_hyphens=False,
            ) or [""]
            lines.extend((para.style, line) for line in filled)
    return lines


def cut(text: str, width: int) -> str:
    """One line no wider than ``width``, ending with « … » when something was left out."""
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


def layout_menu(
    header: Sequence[Para],
    question: Sequence[Para],
    items: Sequence[Item],
    state: _MenuState,
    *,
    footer: str,
    rows: int,
    cols: int,
    lang: str,
) -> list[Line]:
    """The whole screen of a menu: as much header as fits, then the question, choices, footer.

    Why the header gives way: the question and its choices must stay visible on 24
    lines; a long definition is cut and scrolls with PgUp/PgDn (the screen says so).
    """
    width = cols - 1
    footer_lines = wrap([Para(state.message or footer, "warn" if state.message else "dim")], width)
    question_lines = wrap(question, width)
    header_lines = wrap(header, width)
    fixed = len(question_lines) + len(footer_lines) + 1  # the blank line under the header
    room_for_items = max(3, rows - fixed - min(len(header_lines), 3))
    state.paged = len(items) > room_for_items
    if state.paged:
        state.page_size = max(1, room_for_items - 1)  # one line says which page
        page = (state.selected or 0) // state.page_size
        first = page * state.page_size
        shown = list(range(first, min(len(items), first + state.page_size)))
        pages = (len(items) + state.page_size - 1) // state.page_size
        page_line: list[Line] = [
            ("more", cut(t("kiosk.screen.page", lang=lang, page=page + 1, pages=pages), width))
        ]
    else:
        state.page_size = max(1, len(items))
        shown = list(range(len(items)))
        page_line = []
    item_lines: list[Line] = []
    for index in shown:
        item = items[index]
        mark = "» " if index == state.selected else "  "
        style = "selected" if index == state.selected else item.style
        item_lines.append((style, cut(mark + item.label, width)))
    room = rows - fixed - len(item_lines) - len(page_line)
    state.header_room = room
    state.header_lines = len(header_lines)
    top: list[Line]
    if len(header_lines) <= room:
        top = header_lines
        state.header_top = 0
    else:
        visible = max(0, room - 1)
        state.header_top = max(0, min(state.header_top, len(header_lines) - visible))
        top = header_lines[state.header_top : state.header_top + visible]
        below = len(header_lines) - state.header_top - visible
        more = "kiosk.screen.more_below" if below > 0 else "kiosk.screen.more_above"
        top.append(("more", cut(t(more, lang=lang), width)))
    return [*top, ("", ""), *question_lines, *item_lines, *page_line, *footer_lines]


def search_key(text: str) -> str:
    """How names are compared in the picker: no case, no accents, Bambara letters spelled out.

    Why not ``i18n.fold``: it drops letters outside a–z, so « Ɲɛnɛba » would lose its
    first letter; here ɛ is e, ɔ is o, ɲ is ny and ŋ is ng, so « nyeneba » finds
    « Ɲɛnɛba » and typing « ɲɛ » does too.
    """
    lowered = text.casefold()
    for letter, spelled in (("ɛ", "e"), ("ɔ", "o"), ("ɲ", "ny"), ("ŋ", "ng"), ("œ", "oe")):
        lowered = lowered.replace(letter, spelled)
    decomposed = unicodedata.normalize("NFKD", lowered)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


@dataclass(frozen=True)
class PickerEntry:
    """A participant the kiosk offers: their code and the line that shows them."""

    code: str
    label: str


def matching(entries: Sequence[PickerEntry], typed: str) -> list[PickerEntry]:
    """The entries whose line holds every word typed, in any order; an exact code alone wins."""
    wanted = search_key(typed).split()
    if not wanted:
        return list(entries)
    if len(wanted) == 1:
        exact = [e for e in entries if search_key(e.code) == wanted[0]]
        if exact:
            return exact
    return [e for e in entries if all(word in search_key(e.label) for word in wanted)]


# -- running a screen --------------------------------------------------------------------


def _style() -> Any:
    from prompt_toolkit.styles import Style

    return Style.from_dict(STYLE)


def _formatted(lines: Sequence[Line]) -> StyleAndTextTuples:
    out: StyleAndTextTuples = []
    for number, (style, text) in enumerate(lines):
        out.append((f"class:{style}" if style else "", text))
        if number < len(lines) - 1:
            out.append(("", "\n"))
    return out


def _interrupt(event: KeyPressEvent) -> None:
    event.app.exit(exception=KeyboardInterrupt, style="class:aborting")


def _run(app: Application[str]) -> str:
    """Run one screen; Ctrl-C and a closed input come out as they came in."""
    return app.run()


def menu(
    header: Sequence[Para],
    question: Sequence[Para],
    items: Sequence[Item],
    *,
    footer: str,
    nothing_chosen: str,
    lang: str,
    selected: int | None = None,
    keys: Mapping[str, str] | None = None,
) -> str:
    """Show a menu and return the value of the entry chosen (or of a key in ``keys``).

    With ``selected`` None no entry is under the cursor: Enter then only says
    ``nothing_chosen``, so a stray Enter chooses nothing.
    """
    from prompt_toolkit.application import Application, get_app
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout
    from prompt_toolkit.layout.containers import Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    state = _MenuState(selected=selected)

    def draw() -> StyleAndTextTuples:
        size = get_app().output.get_size()
        return _formatted(
            layout_menu(
                header,
                question,
                items,
                state,
                footer=footer,
                rows=size.rows,
                cols=size.columns,
                lang=lang,
            )
        )

    bindings = KeyBindings()

    def move(to: int) -> None:
        state.selected = max(0, min(len(items) - 1, to))
        state.message = ""

    @bindings.add("up")
    def _up(event: KeyPressEvent) -> None:
        move(len(items) - 1 if state.selected is None else state.selected - 1)

    @bindings.add("down")
    def _down(event: KeyPressEvent) -> None:
        move(0 if state.selected is None else state.selected + 1)

    @bindings.add("pagedown")
    def _page_down(event: KeyPressEvent) -> None:
        if state.paged:
            move((state.selected or 0) + state.page_size)
        else:
            state.header_top += max(1, state.header_room - 2)

    @bindings.add("pageup")
    def _page_up(event: KeyPressEvent) -> None:
        if state.paged:
            move((state.selected or 0) - state.page_size)
        else:
            state.header_top = max(0, state.header_top - max(1, state.header_room - 2))

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        if state.selected is None:
            state.message = nothing_chosen
            return
        event.app.exit(result=items[state.selected].value)

    for index, item in enumerate(items):
        if item.shortcut:
            bindings.add(item.shortcut)(lambda event, index=index: move(index))
    for key, value in (keys or {}).items():
        bindings.add(key)(lambda event, value=value: event.app.exit(result=value))
    bindings.add("c-c")(_interrupt)
    bindings.add("<any>")(lambda event: None)  # other keys do nothing, and say nothing

    app: Application[str] = Application(
        layout=Layout(Window(FormattedTextControl(draw), wrap_lines=False)),
        key_bindings=bindings,
        style=_style(),
        full_screen=True,
    )
    return _run(app)


def ask_text(
    header: Sequence[Para],
    question: Sequence[Para],
    *,
    footer: str,
    lang: str,
    default: str = "",
    back_key: str = "up",
) -> str:
    """A line of free text under ``header``; ``back_key`` returns BACK instead."""
    from prompt_toolkit.application import Application, get_app
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.document import Document
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout
    from prompt_toolkit.layout.containers import HSplit, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
    from prompt_toolkit.layout.dimension import Dimension

    buffer = Buffer(document=Document(default, len(default)), multiline=False)
    state = _MenuState(selected=None)
    input_rows = 3

    def draw_top() -> StyleAndTextTuples:
        size = get_app().output.get_size()
        return _formatted(
            layout_menu(
                header,
                question,
                [],
                state,
                footer="",
                rows=size.rows - input_rows - 1,
                cols=size.columns,
                lang=lang,
            )[:-1]  # the empty footer line
        )

    def draw_footer() -> StyleAndTextTuples:
        width = get_app().output.get_size().columns - 1
        return _formatted([("dim", cut(footer, width))])

    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        event.app.exit(result=buffer.text)

    bindings.add(back_key)(lambda event: event.app.exit(result=BACK))
    bindings.add("c-c")(_interrupt)

    app: Application[str] = Application(
        layout=Layout(
            HSplit(
                [
                    Window(
                        FormattedTextControl(draw_top), wrap_lines=False, dont_extend_height=True
                    ),
                    Window(
                        BufferControl(buffer),
                        height=Dimension(min=1, max=input_rows),
                        wrap_lines=True,
                    ),
                    Window(),  # the rest of the screen, so the hint sits at the bottom
                    Window(FormattedTextControl(draw_footer), height=1),
                ]
            ),
            focused_element=buffer,
        ),
        key_bindings=bindings,
        style=_style(),
        full_screen=True,
    )
    return _run(app)


def pick(
    header: Sequence[Para],
    entries: Sequence[PickerEntry],
    *,
    prompt: str,
    quit_label: str,
    footer: str,
    lang: str,
    describe: Callable[[str, int], str],
) -> str:
    """Search-as-you-type list of participants; returns a code, or QUIT.

    The cursor is on nobody until the participant moves it, except when the text typed
    leaves exactly one person: Enter then takes that person (a confirmation follows).
    ``describe(typed, found)`` says why Enter did nothing (nobody, or several match).
    """
    from prompt_toolkit.application import Application, get_app
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout
    from prompt_toolkit.layout.containers import HSplit, Window
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
    from prompt_toolkit.layout.processors import BeforeInput

    state = _MenuState(selected=None)
    found: list[PickerEntry] = list(entries)

    def items() -> list[Item]:
        return [
            *(Item(e.code, e.label) for e in found),
            Item(QUIT, quit_label, style="dim"),
        ]

    def changed(_: Buffer) -> None:
        found[:] = matching(entries, buffer.text)
        state.selected = None
        state.message = ""

    buffer = Buffer(multiline=False, on_text_changed=changed)

    def draw_top() -> StyleAndTextTuples:
        width = get_app().output.get_size().columns - 1
        return _formatted(wrap(header, width))

    def draw_list() -> StyleAndTextTuples:
        size = get_app().output.get_size()
        top = len(wrap(header, size.columns - 1)) + 1
        return _formatted(
            layout_menu(
                [],
                [],
                items(),
                state,
                footer=footer,
                rows=size.rows - top,
                cols=size.columns,
                lang=lang,
            )[1:]  # no blank line between the search and the list
        )

    bindings = KeyBindings()

    def move(to: int) -> None:
        state.selected = max(0, min(len(found), to))
        state.message = ""

    @bindings.add("up")
    def _up(event: KeyPressEvent) -> None:
        move(len(found) if state.selected is None else state.selected - 1)

    @bindings.add("down")
    def _down(event: KeyPressEvent) -> None:
        move(0 if state.selected is None else state.selected + 1)

    @bindings.add("pagedown")
    def _page_down(event: KeyPressEvent) -> None:
        move((state.selected or 0) + state.page_size)

    @bindings.add("pageup")
    def _page_up(event: KeyPressEvent) -> None:
        move((state.selected or 0) - state.page_size)

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        if state.selected is not None:
            event.app.exit(result=items()[state.selected].value)
        elif len(found) == 1 and buffer.text.strip():
            event.app.exit(result=found[0].code)
        else:
            state.message = describe(buffer.text.strip(), len(found))

    bindings.add("c-c")(_interrupt)

    app: Application[str] = Application(
        layout=Layout(
            HSplit(
                [
                    Window(FormattedTextControl(draw_top), dont_extend_height=True),
                    Window(BufferControl(buffer, input_processors=[BeforeInput(prompt)]), height=1),
                    Window(FormattedTextControl(draw_list), wrap_lines=False),
                ]
            ),
            focused_element=buffer,
        ),
        key_bindings=bindings,
        style=_style(),
        full_screen=True,
    )
    return _run(app)


# -- the kiosk's screens -----------------------------------------------------------------


def _k(key: str, lang: str, **values: object) -> str:
    return t(f"kiosk.{key}", lang=lang, **values)


def choose_participant(
    entries: Sequence[PickerEntry], *, lang: str, round_no: int, notice: str = ""
) -> str:
    """« Participant suivant »: the person at the laptop finds themselves; a code, or QUIT."""

    def describe(typed: str, found: int) -> str:
        if not typed:
            return _k("picker.type_first", lang)
        if found == 0:
            return _k("picker.nobody", lang, typed=typed)
        return _k("picker.several", lang, n=found)

    header = [Para(_k("picker.title", lang, round=round_no), "title")]
    if notice:
        header.append(Para(notice, "ok"))
    header.append(Para(_k("picker.instructions", lang), "dim"))
    return pick(
        header,
        entries,
        prompt=_k("picker.search", lang) + " ",
        quit_label=_k("picker.quit", lang),
        footer=_k("picker.footer", lang),
        lang=lang,
        describe=describe,
    )


def confirm_identity(name: str, code: str, organisation: str, *, lang: str) -> bool:
    """« Vous êtes bien … ? », the cursor on « Non »: a stray Enter goes back to the list.

    Why « Non » under the cursor: voting as a namesake is the one mistake the
    participant cannot see afterwards; going back to the list costs a few keys.
    """
    question = (
        _k("confirm.question", lang, name=name, code=code, organisation=organisation)
        if organisation
        else _k("confirm.question_plain", lang, name=name, code=code)
    )
    answer = menu(
        [Para(_k("picker.title_short", lang), "title")],
        [Para(question, "question")],
        [
            Item("no", _k("confirm.no", lang), shortcut="n"),
            Item("yes", _k("confirm.yes", lang), shortcut=_k("confirm.yes_key", lang)),
        ],
        footer=_k("confirm.footer", lang),
        nothing_chosen=_k("confirm.footer", lang),
        lang=lang,
        selected=0,
    )
    return answer == "yes"


def indicator_header(view: IndicatorView, *, who: str, status: str, lang: str) -> list[Para]:
    """What the participant reads about the indicator, most useful first (the end may scroll)."""
    top = _k("screen.position", lang, who=who, i=view.position, n=view.total)
    paras = [Para(top, "dim")]
    if status:
        paras.append(Para(status, "ok"))
    if view.dimension:
        paras.append(Para(_k("screen.dimension", lang, value=view.dimension), "dim"))
    if view.outcome:
        paras.append(Para(_k("screen.outcome", lang, value=view.outcome), "dim"))
    paras.append(Para(_k("screen.indicator", lang, code=view.code, text=view.text), "indicator"))
    if view.changed:
        paras.append(Para(view.changed, "changed"))
    if view.definition:
        paras.append(Para(_k("screen.definition", lang, value=view.definition)))
    paras.extend(Para(detail) for detail in view.details)
    if view.previous_comments:
        paras.append(Para(t("ballot.comments_seen", lang=lang), "comment"))
        paras.extend(
            Para(_k("screen.quoted", lang, text=c), "comment", indent="  ")
            for c in view.previous_comments
        )
    return paras


def _score_word(score: int | None, lang: str) -> str:
    return _k("score.none", lang) if score is None else str(score)


def ask_indicator(
    view: IndicatorView,
    *,
    who: str,
    status: str,
    earlier: BallotAnswer | None,
    can_go_back: bool,
    scale_min: int,
    scale_max: int,
    lang: str,
) -> BallotAnswer | None:
    """One indicator: each criterion, then the comment; None when the participant goes back.

    No score is under the cursor unless the participant rated this indicator before
    (then their earlier answer is, so they see it and Enter keeps it).
    """
    header = indicator_header(view, who=who, status=status, lang=lang)
    if earlier is not None:
        header.insert(
            1, Para(_k("screen.earlier", lang, scores=_scores(view, earlier, lang)), "ok")
        )
    middle = (scale_min + scale_max) // 2
    ratings: dict[str, int | None] = dict(earlier.ratings) if earlier is not None else {}
    comment = earlier.comment if earlier is not None else ""
    step = 0
    count = len(view.criteria)
    while True:
        if step == count:
            given = BallotAnswer(ratings=ratings, comment="")
            typed = ask_text(
                header,
                [
                    Para(_k("comment.given", lang, scores=_scores(view, given, lang)), "ok"),
                    Para(t("ballot.comment", lang=lang), "question"),
                ],
                footer=_k("comment.footer", lang),
                lang=lang,
                default=comment,
            )
            if typed == BACK:
                step -= 1
                continue
            return BallotAnswer(ratings=ratings, comment=typed.strip())
        criterion = view.criteria[step]
        words = {
            scale_min: criterion.low or t("ballot.low", lang=lang),
            middle: criterion.middle or t("ballot.middle", lang=lang),
            scale_max: criterion.high or t("ballot.high", lang=lang),
        }
        items = [
            Item(
                str(score),
                _k("rate.point", lang, score=score, words=words[score])
                if score in words
                else str(score),
                shortcut=str(score),
            )
            for score in range(scale_min, scale_max + 1)
        ]
        items.append(Item(CANNOT_JUDGE, _k("rate.cannot_judge", lang), shortcut="0"))
        back_allowed = step > 0 or can_go_back
        if back_allowed:
            back = "rate.back_criterion" if step > 0 else "rate.back_indicator"
            items.append(Item(BACK, _k(back, lang), style="dim"))
        question = [
            Para(
                _k(
                    "rate.question",
                    lang,
                    i=step + 1,
                    n=count,
                    label=criterion.label,
                    question=criterion.question,
                ),
                "question",
            )
        ]
        if criterion.feedback:
            question.append(Para(criterion.feedback, "feedback"))
        before = [
            i
            for i, item in enumerate(items)
            if item.value == _rating_value(ratings, criterion.code)
        ]
        answer = menu(
            header,
            question,
            items,
            footer=_k("rate.footer_back" if back_allowed else "rate.footer", lang),
            nothing_chosen=_k("rate.nothing_chosen", lang),
            lang=lang,
            selected=before[0] if before else None,
            keys={"left": BACK} if back_allowed else {},
        )
        if answer == BACK:
            if step == 0:
                return None
            step -= 1
            continue
        ratings[criterion.code] = None if answer == CANNOT_JUDGE else int(answer)
        step += 1


def _rating_value(ratings: Mapping[str, int | None], code: str) -> str:
    """The menu value of an answer already given (none when the criterion was not answered)."""
    if code not in ratings:
        return ""
    score = ratings[code]
    return CANNOT_JUDGE if score is None else str(score)


def _scores(view: IndicatorView, answer: BallotAnswer, lang: str) -> str:
    return " · ".join(
        _k("score.named", lang, label=c.label, score=_score_word(answer.ratings.get(c.code), lang))
        for c in view.criteria
    )


def review(
    rows: Sequence[tuple[str, str, BallotAnswer]],
    labels: Sequence[str],
    criteria: Sequence[str],
    *,
    who: str,
    status: str,
    lang: str,
) -> str:
    """Every indicator rated, with its scores; returns FINISH or the code to rate again.

    ``rows`` are (code, text, answer) in the round's order; ``criteria`` the criterion
    codes in the order ``labels`` names them.
    """
    header = [Para(_k("review.title", lang, who=who), "title")]
    if status:
        header.append(Para(status, "ok"))
    header.append(Para(_k("review.columns", lang, labels=" · ".join(labels)), "dim"))
    items = [Item(FINISH, _k("review.finish", lang), style="ok")]
    for code, text, answer in rows:
        scores = " · ".join(_score_word(answer.ratings.get(c), lang) for c in criteria)
        items.append(Item(code, _k("review.row", lang, code=code, scores=scores, text=text)))
    return menu(
        header,
        [Para(_k("review.question", lang), "question")],
        items,
        footer=_k("review.footer", lang),
        nothing_chosen=_k("review.footer", lang),
        lang=lang,
        selected=0,
    )


def say_done(*, who: str, lang: str) -> None:
    """The last screen of a participant, until they press Enter and leave the place."""
    menu(
        [Para(_k("done.title", lang, who=who), "ok")],
        [Para(_k("done.body", lang))],
        [Item("next", _k("done.next", lang))],
        footer="",
        nothing_chosen="",
        lang=lang,
        selected=0,
    )
