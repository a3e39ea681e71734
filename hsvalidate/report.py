"""The read-only report model that both exports (workbook and minutes) are built from.

Why one model: the workbook and the minutes must never disagree.  The service layer
computes everything once into a ``Report``; ``exports.xlsx`` and ``exports.pdf`` only
lay it out.  Confidentiality is decided here too: ``show_names`` is the single switch
that lets names appear in a document that also carries participant codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from hsvalidate.consensus import Rule, Scale, Stability, Stats
from hsvalidate.framework import Framework
from hsvalidate.model import Criterion, Decision, Participant, Round


@dataclass(frozen=True)
class ResultRow:
    """Figures and classification for one round × indicator × criterion × group."""

    round: int
    indicator: str
    """Indicator code."""
    version: int
    """Version of the wording rated."""
    criterion: str
    """Criterion code."""
    group: str
    """Stakeholder group, or ``all`` for the whole panel."""
    stats: Stats
    verdict: str
    """One of ``consensus.VERDICTS``, by the session's rule (with its group variants)."""
    ram_class: str = ""
    """RAND/UCLA class whatever the session's rule: appropriate, uncertain, inappropriate
    (or below quorum)."""
    percent_class: str = ""
    """Percent-agreement class whatever the session's rule: consensus in, consensus out,
    no consensus (or below quorum)."""
    important_to: str = ""
    """On whole-panel rows: the one group that alone reaches consensus to keep."""


@dataclass(frozen=True)
class StabilityRow:
    """Band changes of the same participants between two consecutive rounds."""

    round: int
    """The later round."""
    previous_round: int
    indicator: str
    criterion: str
    group: str
    """Stakeholder group, or ``all``."""
    stability: Stability


@dataclass(frozen=True)
class AttritionRow:
    """Who was invited, present and rating, per round and group."""

    round: int
    group: str
    """Stakeholder group, or ``all``."""
    invited: int
    """Participants registered."""
    present: int
    """Participants marked present."""
    rating: int
    """Participants who cast at least one ballot in the round."""


@dataclass(frozen=True)
class IndicatorResult:
    """The verdict for one indicator in one round, all criteria combined (whole panel)."""

    round: int
    indicator: str
    verdict: str
    """Combined verdict (``consensus.combine_verdicts``)."""
    n_ballots: int
    """Ballots received for this indicator in this round."""
    important_to: str = ""
    """A group that alone reached consensus to keep on some criterion ("important to one group")."""


@dataclass(frozen=True)
class CommentRow:
    """An anonymous comment: attributed to a participant code and group, never a name."""

    round: int
    indicator: str
    participant: str
    """Participant code (``P07``)."""
    group: str
    text: str


@dataclass(frozen=True)
class BallotRow:
    """One rating as stored, for the workbook's raw-data sheet."""

    round: int
    indicator: str
    version: int
    participant: str
    """Participant code."""
    group: str
    criterion: str
    score: int | None
    """``None`` is "cannot judge"."""
    source: str
    recorded_at: str


@dataclass(frozen=True)
class RoundSummary:
    """A round and its turnout."""

    round: Round
    n_invited: int
    """Participants registered."""
    n_present: int
    """Participants marked present."""
    n_rating: int
    """Participants who cast at least one ballot in this round."""
    n_ballots: int


@dataclass(frozen=True)
class Report:
    """Everything the secretariat takes home from a session, computed once."""

    session: str
    """Session name."""
    lang: str
    """``fr`` or ``en``: language of the documents."""
    framework: Framework
    criteria: tuple[Criterion, ...]
    scale: Scale
    rule: Rule
    percentile_method: str
    participants: tuple[Participant, ...]
    rounds: tuple[RoundSummary, ...]
    results: tuple[ResultRow, ...]
    indicator_results: tuple[IndicatorResult, ...]
    comments: tuple[CommentRow, ...]
    ballots: tuple[BallotRow, ...]
    decisions: tuple[Decision, ...]
    created_at: str
    """When the session was created (ISO)."""
    generated_at: str
    """When this report was computed (ISO)."""
    show_names: bool = False
    """Only when the facilitator asks: names may appear beside codes."""
    stability: tuple[StabilityRow, ...] = ()
    """Between consecutive rounds, per indicator × criterion × group."""
    attrition: tuple[AttritionRow, ...] = ()
    """Turnout per round and group."""

    def latest_verdicts(self) -> dict[str, IndicatorResult]:
        """The verdict from the last round that rated each indicator: what the plenary starts from."""
        latest: dict[str, IndicatorResult] = {}
        for item in sorted(self.indicator_results, key=lambda r: r.round):
            latest[item.indicator] = item
        return latest
