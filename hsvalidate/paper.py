"""Typing paper ballots: the keystroke core that ``hsvalidate ballots enter`` drives.

Why a core without a screen: the prompt (``cli/paper_entry.py``), the tests and
``benchmarks/paper_entry.py`` all go through the same object, so what the benchmark
times and what the tests check is what the secretariat types into.

The secretariat types one form at a time, in the order it is printed
(``printed_order``), one keystroke per box: a digit on the scale, ``0`` (or ``n``) for
"cannot judge", ``-`` (or space) for a box left empty on paper; Enter after each
indicator (so the typist's place on the screen stays the place on the paper), ``c`` to
type that indicator's comment; Backspace takes back the last keystroke, across
indicators too.  A form is saved whole, in one durable write (``Workshop.record_ballots``),
only once the typist has seen its summary and confirmed it — explicitly when boxes were
left empty.

Why an index of the round's ballots in memory: the issue measured 0.16–0.19 s per
ballot when each was a process reading the whole session; the index is read once when
the entry starts and kept up to date from this entry's own writes, so a form costs its
checks and its one write.

Double entry (``check=True``): a second typist types the same forms.  The second entry
is never stored: it lives in memory only until it has been compared with the stored
first entry, and what is recorded afterwards is the corrected ballot of an indicator
where the two disagreed and the paper said otherwise than the first entry.  So a ballot
is never counted twice, the stored ballot stays the one truth, and the journal shows
each correction as a later ballot replacing the first (with its time), which is the
audit trail of the check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final, TypeAlias

from hsvalidate import tally
from hsvalidate.errors import BallotError, RoundError
from hsvalidate.i18n import Message, t
from hsvalidate.model import Ballot, Participant, Round
from hsvalidate.screens import figure_values

if TYPE_CHECKING:
    from hsvalidate.workshop import Workshop

BLANK: Final = "-"
"""A box left empty on paper (typed ``-`` or space)."""

Mark: TypeAlias = int | str | None
"""What one box holds: a score, None for "cannot judge", or ``BLANK``."""

SOURCE: Final = "paper"
"""The channel every typed ballot is recorded with."""

CANNOT_JUDGE_KEYS: Final = ("0", "n", "N")
"""Keys for "cannot judge": 0 on the numeric keypad, as on the ballot screen; n (NSP)."""

BLANK_KEYS: Final = ("-", " ")
"""Keys for a box left empty: minus on the numeric keypad, or the space bar."""

ENTER: Final = "enter"
BACKSPACE: Final = "backspace"


def printed_order(ws: Workshop, rnd: Round) -> tuple[str, ...]:
    """The open round's indicators in the order the form prints them: the framework's.

    Why one function: the form and the typing screen must walk the same order, or the
    typist's place on the screen would not be their place on the paper.
    """
    wanted = set(rnd.indicators)
    return tuple(i.code for i in ws.framework.indicators() if i.code in wanted)


@dataclass
class Line:
    """One indicator on the form being typed."""

    indicator: str
    marks: list[Mark] = field(default_factory=list)
    """The boxes typed so far, in the order of the session's criteria."""
    comment: str = ""
    done: bool = False
    """Whether the typist has moved past it (Enter, or a comment)."""


@dataclass(frozen=True)
class Earlier:
    """What is already stored for a participant in the open round (typed twice?)."""

    participant: str
    count: int
    """Indicators they have a ballot for."""
    last_at: str
    """ISO time of the latest of those ballots."""
    source: str
    """Channel of the latest (``paper``, ``terminal``…)."""


@dataclass(frozen=True)
class Difference:
    """One box on which the two typists disagree."""

    indicator: str
    criterion: str | None
    """Criterion code; None for the comment."""
    first: Mark
    """What the stored (first) entry holds; a comment's text for the comment."""
    second: Mark
    """What the second typist typed."""

    @property
    def key(self) -> tuple[str, str | None]:
        """(indicator, criterion), how a resolution names it."""
        return (self.indicator, self.criterion)


class Form:
    """One participant's paper form being typed, keystroke by keystroke."""

    def __init__(
        self,
        participant: Participant,
        indicators: Sequence[str],
        criteria: Sequence[str],
        *,
        low: int,
        high: int,
        earlier: Earlier | None = None,
    ) -> None:
        self.participant = participant
        self.criteria = tuple(criteria)
        self.lines = [Line(code) for code in indicators]
        self.low = low
        self.high = high
        self.earlier = earlier
        """The ballots this form replaces, when the typist agreed to replace them."""

    # -- where the typist is --------------------------------------------------------------

    @property
    def current(self) -> int | None:
        """Index of the line being typed; None once every line is done (the summary)."""
        for number, line in enumerate(self.lines):
            if not line.done:
                return number
        return None

    @property
    def complete(self) -> bool:
        """Whether every indicator has been typed through: the form may be saved."""
        return self.current is None

    def line_full(self, number: int) -> bool:
        """Whether every criterion of that line has a mark."""
        return len(self.lines[number].marks) == len(self.criteria)

    # -- keystrokes -------------------------------------------------------------------------

    def key(self, key: str) -> None:
        """Apply one keystroke: a mark, Enter (next indicator) or Backspace (take one back).

        A key that cannot apply raises ``BallotError`` with the sentence the screen shows,
        and changes nothing, so a slip never costs more than that keystroke.
        """
        if key == BACKSPACE:
            self.back()
            return
        number = self.current
        if number is None:
            raise BallotError(Message("paper.entry.form_complete"))
        line = self.lines[number]
        if key == ENTER:
            if not self.line_full(number):
                raise BallotError(
                    Message(
                        "paper.entry.line_unfinished",
                        len(self.criteria) - len(line.marks),
                        indicator=line.indicator,
                    )
                )
            line.done = True
            return
        mark = self._mark(key)
        if self.line_full(number):
            raise BallotError(Message("paper.entry.line_full", indicator=line.indicator))
        line.marks.append(mark)

    def keys(self, keys: Iterable[str]) -> None:
        """Several keystrokes in turn (``"78-"`` then ENTER…): how tests and the benchmark type."""
        for key in keys:
            self.key(key)

    def _mark(self, key: str) -> Mark:
        if key in CANNOT_JUDGE_KEYS:
            return None
        if key in BLANK_KEYS:
            return BLANK
        if len(key) == 1 and key.isdigit():
            score = int(key)
            if self.low <= score <= self.high:
                return score
            raise BallotError(
                Message("paper.entry.off_scale", score=score, low=self.low, high=self.high)
            )
        raise BallotError(Message("paper.entry.unknown_key", low=self.low, high=self.high))

    def back(self) -> None:
        """Take back the last keystroke: a mark, or the Enter that closed the line before.

        Why across lines: the typist notices a slip one box later, often just after
        Enter; two Backspaces reach the last box of the previous indicator.
        """
        number = self.current
        if number is None:
            if self.lines:
                self.lines[-1].done = False
            return
        line = self.lines[number]
        if line.marks:
            line.marks.pop()
        elif number > 0:
            self.lines[number - 1].done = False

    def comment(self, text: str) -> None:
        """The current indicator's comment; it also closes the line, as Enter does."""
        number = self.current
        if number is None:
            raise BallotError(Message("paper.entry.form_complete"))
        if not self.line_full(number):
            line = self.lines[number]
            raise BallotError(
                Message(
                    "paper.entry.line_unfinished",
                    len(self.criteria) - len(line.marks),
                    indicator=line.indicator,
                )
            )
        self.lines[number].comment = " ".join(text.split())
        self.lines[number].done = True

    def blank_rest(self) -> None:
        """Mark every box still untyped as empty: a form whose last pages came back blank."""
        for line in self.lines:
            line.marks.extend([BLANK] * (len(self.criteria) - len(line.marks)))
            line.done = True

    # -- the summary ----------------------------------------------------------------------

    def blanks(self) -> list[tuple[str, str]]:
        """(indicator, criterion) of each box left empty on an indicator otherwise rated."""
        return [
            (line.indicator, criterion)
            for line in self.lines
            if not self._all_blank(line)
            for criterion, mark in zip(self.criteria, line.marks, strict=False)
            if mark == BLANK
        ]

    def empty(self) -> list[str]:
        """Indicators with every box empty: they are not recorded at all."""
        return [line.indicator for line in self.lines if self._all_blank(line)]

    def _all_blank(self, line: Line) -> bool:
        return all(mark == BLANK for mark in line.marks)

    def ratings(self, line: Line) -> dict[str, int | None]:
        """A line's scores by criterion code; a box left empty is no answer at all."""
        return {
            criterion: mark
            for criterion, mark in zip(self.criteria, line.marks, strict=False)
            if not isinstance(mark, str)
        }

    def ballots(self) -> list[Ballot]:
        """The ballots this form records: one per indicator with at least one answer."""
        return [
            Ballot(
                round=0,
                participant=self.participant.code,
                indicator=line.indicator,
                ratings=self.ratings(line),
                comment=line.comment,
                source=SOURCE,
            )
            for line in self.lines
            if not self._all_blank(line)
        ]


class PaperEntry:
    """Typing a stack of paper forms for the open round, in one process.

    ``check``: the second typist of a double entry (see the module's docstring).
    """

    def __init__(self, ws: Workshop, *, check: bool = False) -> None:
        rnd = ws.open_round()
        if rnd is None:
            raise RoundError(Message("round.none_open_for_ballots"))
        self.ws = ws
        self.check = check
        self.round = rnd
        self.indicators = printed_order(ws, rnd)
        self.criteria = tuple(c.code for c in ws.settings.criteria)
        self.people = {p.code.upper(): p for p in ws.participants()}
        self._index: dict[str, dict[str, Ballot]] = {}
        """Participant → indicator → the ballot that counts, kept up to date by :meth:`_catch_up`."""
        self._seen = 0  # journal lines of the round already in the index
        self._catch_up()

    def _catch_up(self) -> None:
        """Add to the index what was recorded since it was last read, here or in another window.

        Why incremental: the store hands over only the lines appended since (the ballot
        screen or a second typist may be writing the same round), so checking a form
        costs the same at the first ballot and at the twelve-thousandth.
        """
        new = self.ws.store.ballots(self.round.number, self._seen)
        self._seen += len(new)
        for doc in new:
            ballot = Ballot.from_dict(doc)
            self._index.setdefault(ballot.participant, {})[ballot.indicator] = ballot

    def participant(self, code: str) -> Participant:
        """The participant a form's code box names, in any case (``p03`` is P03).

        A code unknown here is looked up again: the secretariat may have just registered
        a latecomer in another window.
        """
        found = self.people.get(code.strip().upper())
        if found is None:
            self.people = {p.code.upper(): p for p in self.ws.participants()}
            found = self.people.get(code.strip().upper())
        if found is None:
            raise BallotError(Message("participant.unknown_code", code=code.strip()))
        return found

    def stored(self, code: str) -> dict[str, Ballot]:
        """The participant's ballots that count in the open round, by indicator."""
        self._catch_up()
        return dict(self._index.get(self.participant(code).code, {}))

    def earlier(self, code: str) -> Earlier | None:
        """What is already stored for this participant in the open round, if anything."""
        person = self.participant(code)
        self._catch_up()
        ballots = self._index.get(person.code)
        if not ballots:
            return None
        last = max(ballots.values(), key=lambda b: b.recorded_at)
        return Earlier(person.code, len(ballots), last.recorded_at, last.source)

    def _same_round(self) -> None:
        """Refuse to go on when another window closed this round (or opened the next).

        Why: the forms on the table were printed for this round; typed into the next
        one they would count there, as answers to a question nobody was asked.
        """
        rnd = self.ws.open_round()
        if rnd is None or rnd.number != self.round.number:
            raise RoundError(Message("paper.entry.round_changed", round=self.round.number))

    def start(self, code: str, *, replace: bool = False) -> Form:
        """A blank form for this participant.

        A first entry for someone who already has ballots in this round needs
        ``replace``: a form typed twice must be a decision, never an accident.  A second
        entry needs the first to exist, since it is only compared with it.
        """
        self._same_round()
        person = self.participant(code)
        earlier = self.earlier(person.code)
        if self.check and earlier is None:
            raise BallotError(
                Message("paper.check.no_first", code=person.code, round=self.round.number)
            )
        if not self.check and earlier is not None and not replace:
            raise BallotError(
                Message(
                    "paper.entry.already_typed",
                    code=person.code,
                    round=self.round.number,
                    count=earlier.count,
                )
            )
        return Form(
            person,
            self.indicators,
            self.criteria,
            low=self.ws.scale.low,
            high=self.ws.scale.high,
            earlier=earlier if not self.check else None,
        )

    def save(self, form: Form, *, blanks_confirmed: bool = False) -> list[Ballot]:
        """Record a typed form in one durable write; when this returns, it survives a power cut.

        Refused (nothing recorded) while the form is unfinished, when boxes were left
        empty and the typist has not confirmed that they were empty on paper, and when
        nothing at all was rated.
        """
        if self.check:
            raise BallotError(Message("paper.check.save_is_resolve"))
        if not form.complete:
            raise BallotError(Message("paper.entry.unfinished", code=form.participant.code))
        if (form.blanks() or form.empty()) and not blanks_confirmed:
            raise BallotError(Message("paper.entry.blanks_unconfirmed"))
        ballots = form.ballots()
        if not ballots:
            raise BallotError(Message("paper.entry.nothing_rated", code=form.participant.code))
        # Stamped with the round typed for: refused if another window has moved on.
        recorded = self.ws.record_ballots([replace(b, round=self.round.number) for b in ballots])
        self._remember()
        return recorded

    def _remember(self) -> None:
        """Our own write, and whatever other windows wrote before it, into the index.

        Read back from the journal rather than taken from memory, so the index holds the
        ballots in the order they count, whoever wrote them.
        """
        self._catch_up()

    # -- double entry -----------------------------------------------------------------------

    def compare(self, form: Form) -> list[Difference]:
        """Every box (and comment) where the second entry differs from the stored first one."""
        self._catch_up()
        first = self._index.get(form.participant.code, {})
        found: list[Difference] = []
        for line in form.lines:
            stored = first.get(line.indicator)
            for criterion, second in zip(form.criteria, line.marks, strict=False):
                before: Mark = BLANK
                if stored is not None and criterion in stored.ratings:
                    before = stored.ratings[criterion]
                if before != second:
                    found.append(Difference(line.indicator, criterion, before, second))
            before_comment = stored.comment if stored is not None else ""
            if " ".join(before_comment.split()) != line.comment:
                found.append(Difference(line.indicator, None, before_comment, line.comment))
        return found

    def resolve(self, form: Form, chosen: Mapping[tuple[str, str | None], Mark]) -> list[Ballot]:
        """Record what the paper says where the two entries differed, in one durable write.

        ``chosen`` maps (indicator, criterion or None for the comment) to the value read
        on the paper.  Only indicators whose ballot then differs from the stored one are
        recorded again, each as a whole ballot replacing the first; returns them.
        """
        if not form.complete:
            raise BallotError(Message("paper.entry.unfinished", code=form.participant.code))
        first = self._index.get(form.participant.code, {})
        changed: dict[str, Ballot] = {}
        for (indicator, criterion), value in chosen.items():
            if indicator not in self.indicators:
                raise BallotError(
                    Message(
                        "ballot.indicator_not_rated", indicator=indicator, round=self.round.number
                    )
                )
            base = changed.get(indicator) or first.get(indicator)
            if base is None:
                base = Ballot(
                    round=0,
                    participant=form.participant.code,
                    indicator=indicator,
                    ratings={},
                    source=SOURCE,
                )
            if criterion is None:
                new = replace(base, comment=" ".join(str(value or "").split()))
            else:
                ratings = dict(base.ratings)
                if isinstance(value, str):  # BLANK: no answer on paper
                    ratings.pop(criterion, None)
                else:
                    ratings[criterion] = value
                new = replace(base, ratings=ratings)
            changed[indicator] = new
        ballots: list[Ballot] = []
        for indicator, ballot in changed.items():
            old = first.get(indicator)
            if old is not None and old.ratings == ballot.ratings and old.comment == ballot.comment:
                continue
            if not ballot.ratings:
                raise BallotError(
                    Message(
                        "paper.check.cannot_empty", code=form.participant.code, indicator=indicator
                    )
                )
            ballots.append(
                replace(
                    ballot,
                    round=self.round.number,
                    source=SOURCE,
                    recorded_at="",
                    station="",
                    uid="",
                )
            )
        if not ballots:
            return []
        recorded = self.ws.record_ballots(ballots)
        self._remember()
        return recorded


# -- the printed forms ----------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedCriterion:
    """A criterion as the form prints it: its row of boxes and its line in the legend."""

    code: str
    label: str
    question: str
    low: str
    """Words at the lowest score (the criterion's own, else the generic ones)."""
    high: str
    """Words at the highest score."""


@dataclass(frozen=True)
class PrintedIndicator:
    """An indicator as the form prints it."""

    code: str
    text: str
    definition: str


@dataclass(frozen=True)
class PrintedForm:
    """One participant's form, or a blank one (``code`` empty: the code box is to fill in)."""

    code: str
    name: str
    """Printed only on the strip to cut off before the form is handed back."""
    feedback: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Indicator → criterion → the previous round's line, own rating included."""
    number: int = 0
    """For a blank form: its number among the blanks (1, 2…), so its pages stay together."""


@dataclass(frozen=True)
class PrintedBallots:
    """Everything the PDF writer needs, already in the forms' language."""

    session: str
    title: str
    """The workshop's title, else the framework's."""
    round: int
    lang: str
    low: int
    high: int
    criteria: tuple[PrintedCriterion, ...]
    indicators: tuple[PrintedIndicator, ...]
    forms: tuple[PrintedForm, ...]


def printed_ballots(
    ws: Workshop, *, lang: str, participants: Sequence[str] | None = None, blank: int = 0
) -> PrintedBallots:
    """The forms of the open round: one per participant (or those named), then ``blank`` blanks.

    Who gets a form by default: everyone expected in the round (present, not withdrawn),
    as on the ballot screen.  The previous round's figures are computed once for all
    forms; only each participant's own rating differs from form to form.
    """
    rnd = ws.open_round()
    if rnd is None:
        raise RoundError(Message("paper.print.no_round"))
    if blank < 0:
        raise BallotError(Message("paper.print.blank_negative"))
    snap = ws.snapshot()
    if participants:
        entry_people = {p.code.upper(): p for p in snap.participants}
        people = []
        for code in participants:
            found = entry_people.get(code.strip().upper())
            if found is None:
                raise BallotError(Message("participant.unknown_code", code=code.strip()))
            people.append(found)
    else:
        people = [p for p in snap.participants if p.attends(rnd.number)]
    if not people and not blank:
        raise BallotError(Message("paper.print.nobody"))
    previous = _previous_round(snap, rnd, lang)
    own = {
        (b.participant, b.indicator): b.ratings
        for b in snap.round_ballots(rnd.number - 1)
        if previous
    }
    forms = [
        PrintedForm(
            code=p.code,
            name=p.name,
            feedback={
                indicator: {
                    criterion: t(
                        "paper.form.feedback",
                        lang=lang,
                        round=rnd.number - 1,
                        figures=figures,
                        own=_own(own.get((p.code, indicator), {}), criterion, lang),
                    )
                    for criterion, figures in by_criterion.items()
                }
                for indicator, by_criterion in previous.items()
            },
        )
        for p in people
    ]
    # A blank form's participant is unknown: the panel's figures, without an own rating.
    panel_only = {
        indicator: {
            criterion: t("paper.form.feedback_panel", lang=lang, round=rnd.number - 1, figures=f)
            for criterion, f in by_criterion.items()
        }
        for indicator, by_criterion in previous.items()
    }
    forms += [
        PrintedForm(code="", name="", feedback=panel_only, number=n) for n in range(1, blank + 1)
    ]
    order = printed_order(ws, rnd)
    return PrintedBallots(
        session=ws.name,
        title=ws.details.title or ws.framework.title.get(lang),
        round=rnd.number,
        lang=lang,
        low=ws.scale.low,
        high=ws.scale.high,
        criteria=tuple(
            PrintedCriterion(
                code=c.code,
                label=c.label.get(lang) or c.code,
                question=c.question.get(lang),
                low=c.anchor("low", lang) or t("ballot.low", lang=lang),
                high=c.anchor("high", lang) or t("ballot.high", lang=lang),
            )
            for c in ws.settings.criteria
        ),
        indicators=tuple(
            PrintedIndicator(i.code, i.text.get(lang), i.definition.get(lang))
            for code in order
            if (i := ws.framework.indicator(code)) is not None
        ),
        forms=tuple(forms),
    )


def _previous_round(snap: tally.Snapshot, rnd: Round, lang: str) -> dict[str, dict[str, str]]:
    """Indicator → criterion → the panel's figures of the previous round, in words."""
    if rnd.number <= 1:
        return {}
    out: dict[str, dict[str, str]] = {}
    scale = snap.scale
    bands = [f"{a}–{b}" for a, b in scale.bands]
    for row in tally.results(snap, rnd.number - 1, by_group=False):
        stats = row.stats
        if stats.n == 0 or row.indicator not in rnd.indicators:
            continue
        spread = (
            t("paper.form.disagreement", lang=lang)
            if stats.disagreement
            else t("paper.form.agreement", lang=lang)
        )
        out.setdefault(row.indicator, {})[row.criterion] = t(
            "paper.form.figures",
            lang=lang,
            **figure_values(stats, lang),
            low_band=bands[0],
            mid_band=bands[1],
            high_band=bands[2],
            spread=spread,
        )
    return out


def _own(ratings: Mapping[str, int | None], criterion: str, lang: str) -> str:
    """The participant's own previous rating in words: the score, NSP, or none."""
    if criterion not in ratings:
        return t("ballot.none", lang=lang)
    score = ratings[criterion]
    return str(score) if score is not None else t("paper.form.cannot_judge_short", lang=lang)
