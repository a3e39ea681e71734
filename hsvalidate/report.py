"""The read-only report model that both exports (workbook and minutes) are built from.

Why one model: the workbook and the minutes must never disagree.  The service layer
computes everything once into a ``Report``; ``exports.xlsx`` and ``exports.pdf`` only
lay it out.  Confidentiality is decided here too: ``show_names`` is the single switch
that lets names appear in a document that also carries participant codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from hsvalidate.consensus import Rule, Scale, Stability, Stats
from hsvalidate.framework import Framework
from hsvalidate.model import Count, Criterion, Decision, Participant, Round, WorkshopDetails
from hsvalidate.revisions import History

ALL_GROUPS = "all"
"""Group name of the rows about the whole panel."""

OTHER_GROUPS = "other groups"
"""Group name of the rows about the groups too small to be shown alone, taken together."""

GROUP_WITHHELD = "withheld"
"""Group shown beside a comment or a code when no group may be shown at all."""


@dataclass(frozen=True)
class Disclosure:
    """Which stakeholder groups an output may show as groups, and what stands for the others.

    Why: a group of one is a person the attendance list names, and its figures, its
    comments and its "important to one group" flag are hers.  A group is shown alone
    when at least ``threshold`` of its members were present in every round it attended;
    smaller groups are shown together as ``OTHER_GROUPS`` when that pool reaches the
    threshold, else the smallest other group joins the pool (otherwise the pool's
    figures could be worked out as the whole panel minus the groups shown); when no
    group would be left beside the pool, nothing is shown by group (``withheld``).
    Participants without a group join the pool when they are too few.  Beside a code
    (the workbook's rows), sex is left out for a shown group where one sex has fewer
    than ``threshold`` members, so no group and sex together single out a person
    the attendance list names.  Computed by ``tally.disclose``; the verdicts are
    always computed from the real groups, only what is shown changes.
    """

    threshold: int = 0
    """The session's ``min_group_size``; 0 when the protection is lifted (``--show-names``)."""
    pooled: tuple[str, ...] = ()
    """Groups shown together as ``OTHER_GROUPS`` ("" for participants without a group)."""
    withheld: tuple[str, ...] = ()
    """Groups shown under no group at all: every group, when the panel cannot be split."""
    unsexed: tuple[str, ...] = ()
    """Shown groups (``group_of``) beside whose codes sex is left out."""
    panel: int = 0
    """Fewest participants present in a round: below ``threshold`` nothing can protect them."""

    @property
    def active(self) -> bool:
        """Whether some group is not shown as itself."""
        return bool(self.pooled or self.withheld or self.unsexed)

    @property
    def impossible(self) -> bool:
        """Whether the whole panel is smaller than the threshold, so its figures are a few people's."""
        return 0 < self.panel < self.threshold

    def group_of(self, group: str) -> str:
        """The group shown for a member of ``group``: itself, ``OTHER_GROUPS`` or ``GROUP_WITHHELD``."""
        if group in self.withheld:
            return GROUP_WITHHELD
        if group in self.pooled:
            return OTHER_GROUPS
        return group

    def sex_of(self, person: Participant) -> str:
        """The sex shown beside a participant's code: empty where it would single them out."""
        return "" if self.group_of(person.group) in self.unsexed else person.sex

    def notes(self, lang: str) -> list[str]:
        """What a reader of grouped figures must know: the threshold, and what it changed."""
        from hsvalidate.i18n.documents import doc_text, group_label

        if self.threshold <= 0:
            return [doc_text("groups.lifted", lang)]
        if self.threshold == 1:
            return [doc_text("groups.any_size", lang)]
        notes = [doc_text("groups.threshold", lang, n=self.threshold)]
        if self.withheld:
            notes.append(doc_text("groups.withheld", lang, n=self.threshold))
        elif self.pooled:
            listed = ", ".join(group_label(g, lang) for g in self.pooled)
            label = group_label(OTHER_GROUPS, lang)
            notes.append(
                doc_text("groups.pooled", lang, n=self.threshold, groups=listed, label=label)
            )
        return notes

    def sex_note(self, lang: str) -> str:
        """Why some codes come without their sex; empty when every sex is shown."""
        from hsvalidate.i18n.documents import doc_text, group_label

        if not self.unsexed:
            return ""
        listed = ", ".join(group_label(g, lang) for g in self.unsexed)
        return doc_text("groups.unsexed", lang, n=self.threshold, groups=listed)


OPEN = Disclosure()
"""Every group shown as itself: the protection lifted, or not asked for."""


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
    n_counted: int = 0
    """On whole-panel rows: how many of the answers are cards counted in plenary."""


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


class BallotRow(NamedTuple):
    """One rating as stored, for the workbook's raw-data sheet.

    A tuple rather than a frozen dataclass: a national session has 200,000 of them,
    and building them was a tenth of the export's time.
    """

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
    station: str = ""
    """The computer that took the vote (``Ballot.station``)."""


@dataclass(frozen=True)
class ChannelRow:
    """How many ballots that count in a round came by one channel from one computer.

    Why kept: when laptops, paper, forms and cards feed one session, the documents must
    say where each result's ratings came from (``exports.channels_sentence``).
    """

    round: int
    source: str
    """Channel code (``model.SOURCES``; a code this version does not know is kept as is)."""
    station: str
    """Computer name; empty for ballots recorded before stations were kept."""
    ballots: int


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
    history: History | None = None
    """The draft, its revisions and every wording (None: read ``framework`` as never revised)."""
    details: WorkshopDetails = field(default_factory=WorkshopDetails)
    """Title, place, dates, organisers, chair, rapporteur and logos (``session details``)."""
    folder: str = ""
    """The session's folder, where the minutes find ``logos/`` and the secretariat's
    ``minutes/*.md`` sections; empty for a report built without a store (tests)."""
    disclosure: Disclosure = OPEN
    """Which groups the report shows as themselves; ``results``, ``stability``, the
    comments and the ballots already carry the groups as shown (``Disclosure.group_of``)."""
    channels: tuple[ChannelRow, ...] = ()
    """Ballots per round, channel and computer."""
    counts: tuple[Count, ...] = ()
    """The counts of cards that stand, round by round (anonymous whole-panel ratings)."""

    @property
    def lineage(self) -> History:
        """The framework's history, a draft with no revision when the report has none."""
        from hsvalidate.revisions import build_history

        return self.history or build_history(self.framework, ())

    def latest_verdicts(self) -> dict[str, IndicatorResult]:
        """The verdict from the last round that rated each indicator: what the plenary starts from."""
        latest: dict[str, IndicatorResult] = {}
        for item in sorted(self.indicator_results, key=lambda r: r.round):
            latest[item.indicator] = item
        return latest


RESULT_COLUMNS = (
    "round",
    "indicator",
    "version",
    "criterion",
    "group",
    "n",
    "n_cannot_judge",
    "n_missing",
    "n_counted",
    "median",
    "mean",
    "sd",
    "cv",
    "q1",
    "q3",
    "iqr",
    "p30",
    "p70",
    "ipr",
    "iprcp",
    "ai",
    "ipras",
    "disagreement",
    "n_low",
    "n_mid",
    "n_high",
    "pct_low",
    "pct_mid",
    "pct_high",
    "ram_class",
    "percent_class",
    "verdict",
)
"""Tidy results: one row per round × indicator × criterion × group (``all`` for the panel).

``n_counted`` is not a figure of ``Stats``: of the ``n``, ``n_cannot_judge`` answers of
a whole-panel row, how many are cards counted in plenary (``hsvalidate tally``)."""

STABILITY_COLUMNS = (
    "round",
    "previous_round",
    "indicator",
    "criterion",
    "group",
    "n_pairs",
    "n_moved",
    "pct_moved",
    "stable",
)
"""Tidy stability: one row per later round × indicator × criterion × group."""

ATTRITION_COLUMNS = ("round", "group", "invited", "present", "rating")
"""Tidy attrition: one row per round × group."""

Record = dict[str, str | int | float | bool | None]
"""One tidy row: column name → unrounded value (None when there is no figure)."""


def result_record(row: ResultRow) -> Record:
    """A result as a tidy row with exactly ``RESULT_COLUMNS``, figures unrounded."""
    stats = row.stats
    record: Record = {
        "round": row.round,
        "indicator": row.indicator,
        "version": row.version,
        "criterion": row.criterion,
        "group": row.group,
    }
    for name in RESULT_COLUMNS[5:-3]:
        record[name] = row.n_counted if name == "n_counted" else getattr(stats, name)
    record["ram_class"] = row.ram_class
    record["percent_class"] = row.percent_class
    record["verdict"] = row.verdict
    return record


def stability_record(row: StabilityRow) -> Record:
    """A stability row with exactly ``STABILITY_COLUMNS``."""
    s = row.stability
    return {
        "round": row.round,
        "previous_round": row.previous_round,
        "indicator": row.indicator,
        "criterion": row.criterion,
        "group": row.group,
        "n_pairs": s.n_pairs,
        "n_moved": s.n_moved,
        "pct_moved": s.pct_moved,
        "stable": s.stable,
    }


def attrition_record(row: AttritionRow) -> Record:
    """An attrition row with exactly ``ATTRITION_COLUMNS``."""
    return {
        "round": row.round,
        "group": row.group,
        "invited": row.invited,
        "present": row.present,
        "rating": row.rating,
    }
