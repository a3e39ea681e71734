"""Tallying: figures, verdicts, stability, attrition and feedback as pure functions of a snapshot.

Why a snapshot: every table of a report must describe the same moment, even while
another window records ballots.  The service reads the store once into a frozen
``Snapshot``; everything here is computed from it, with no store and no ordering trick,
so the tests (and any script) can build a snapshot by hand and get the same figures.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hsvalidate import consensus
from hsvalidate.framework import Framework, Indicator
from hsvalidate.model import (
    Ballot,
    Count,
    Decision,
    Participant,
    Round,
    Settings,
    WorkshopDetails,
)
from hsvalidate.report import (
    ALL_GROUPS,
    OPEN,
    OTHER_GROUPS,
    AttritionRow,
    BallotRow,
    ChannelRow,
    CommentRow,
    Disclosure,
    IndicatorResult,
    Report,
    ResultRow,
    RoundSummary,
    StabilityRow,
)
from hsvalidate.revisions import History, build_history


@dataclass(frozen=True)
class Snapshot:
    """A session as it stood at one moment: what every figure is computed from."""

    name: str
    """Session name."""
    settings: Settings
    framework: Framework
    participants: tuple[Participant, ...]
    """Registered participants in code order."""
    rounds: tuple[Round, ...]
    """Every round, first to last."""
    ballots: Mapping[int, tuple[Ballot, ...]] = field(default_factory=dict)
    """Round number → the ballots that count (the latest per participant and indicator)."""
    decisions: tuple[Decision, ...] = ()
    """Plenary decisions in the order they were taken."""
    created_at: str = ""
    """When the session was created (ISO)."""
    history: History | None = None
    """The draft and its revisions; None for a framework never revised."""
    details: WorkshopDetails = field(default_factory=WorkshopDetails)
    """Title, place, dates, organisers, chair and rapporteur."""
    counts: Mapping[int, tuple[Count, ...]] = field(default_factory=dict)
    """Round number → the card counts that stand (the latest per indicator and criterion)."""

    @property
    def lineage(self) -> History:
        """The history of the framework (a draft with no revision when none was given)."""
        return self.history or build_history(self.framework, ())

    @property
    def scale(self) -> consensus.Scale:
        """The session's rating scale."""
        return self.settings.scale

    @property
    def rule(self) -> consensus.Rule:
        """The session's consensus rule."""
        return self.settings.rule

    def round_ballots(self, number: int) -> tuple[Ballot, ...]:
        """The ballots that count in round ``number`` (none for an unknown round)."""
        return self.ballots.get(number, ())

    def round_counts(self, number: int) -> tuple[Count, ...]:
        """The card counts that stand in round ``number`` (none for a round never counted)."""
        return self.counts.get(number, ())

    def open_round(self) -> Round | None:
        """The round currently open, if any."""
        return next((r for r in self.rounds if r.status == "open"), None)

    def groups(self) -> list[str]:
        """Stakeholder groups of the participants registered as attending, in a stable order.

        The same groups in every round, so that tables line up even when a group's only
        member was absent from one round.
        """
        return sorted({p.group for p in self.participants if p.present and p.group})

    def present_in(self, round_no: int) -> list[Participant]:
        """Participants counted present in a round: its quorum and its expected raters.

        Absent and withdrawn participants are left out; those who left early or arrived
        late are in (``model.PRESENCE``).
        """
        return [p for p in self.participants if p.attends(round_no)]


def latest_ballots(ballots: Iterable[Ballot]) -> tuple[Ballot, ...]:
    """The ballots that count: a later ballot by the same participant on the same indicator wins.

    Both stay in the journal as an audit trail; only the latest is tallied.
    """
    latest: dict[tuple[str, str], Ballot] = {}
    for ballot in ballots:
        latest[(ballot.participant, ballot.indicator)] = ballot
    return tuple(latest.values())


def disclose(snap: Snapshot) -> Disclosure:
    """Which groups may be shown as themselves, under the session's ``min_group_size``.

    A group's size is the fewest of its members present in a round (rounds it missed
    entirely aside; registered as attending before round 1): the attendance list says
    who was there, so a group of three with two absent from round 2 is one person's
    ratings in round 2.  One answer for the whole session, so that a group is shown
    or pooled the same way in every table and beside every code.  The rule itself is
    explained on ``report.Disclosure``.
    """
    k = snap.settings.min_group_size
    numbers = [r.number for r in snap.rounds]
    people = snap.participants

    def turnout(members: Iterable[Participant]) -> int:
        members = list(members)
        if not numbers:
            return sum(1 for p in members if p.present)
        counts = [sum(1 for p in members if p.attends(n)) for n in numbers]
        return min((c for c in counts if c), default=0)

    panel = turnout(people)
    if k <= 1:
        return Disclosure(threshold=k, panel=panel)
    order = list(dict.fromkeys(p.group for p in people))  # as registered: the secretariat's order
    members = {g: [p for p in people if p.group == g] for g in order}
    sizes = {g: turnout(m) for g, m in members.items()}
    pooled = [g for g in order if 0 < sizes[g] < k]
    others = [g for g in order if g and g not in pooled and sizes[g] > 0]

    def pool_size() -> int:
        return turnout(p for g in pooled for p in members[g])

    while pooled and pool_size() < k and others:
        # The smallest group joins, the last registered among equals: otherwise the
        # pool would be the whole panel minus the groups shown, and could be worked out.
        joining = min(reversed(others), key=lambda g: sizes[g])
        others.remove(joining)
        pooled.append(joining)
    withheld: list[str] = []
    if pooled and not others:  # the pool would be the whole panel: no group at all
        withheld, pooled = order, []
    shown = Disclosure(threshold=k, pooled=tuple(pooled), withheld=tuple(withheld), panel=panel)
    # Beside a code, a shown group's sex only when each sex there is as large as a group.
    by_label: dict[str, list[Participant]] = defaultdict(list)
    for p in people:
        by_label[shown.group_of(p.group)].append(p)
    unsexed = tuple(
        label
        for label, group in by_label.items()
        if any(0 < turnout(p for p in group if p.sex == sex) < k for sex in {p.sex for p in group})
    )
    return Disclosure(
        threshold=k, pooled=tuple(pooled), withheld=tuple(withheld), unsexed=unsexed, panel=panel
    )


def results(
    snap: Snapshot,
    round_no: int | None = None,
    *,
    by_group: bool = True,
    disclosure: Disclosure | None = None,
) -> list[ResultRow]:
    """Figures for every round (or one) × indicator × criterion, whole panel and per group.

    Group figures are always computed, because the per-group quorum, the per-group
    rule and the "important to one group" flag decide the whole panel's verdict;
    ``by_group`` only chooses whether their rows are returned.  The groups returned
    are those ``disclosure`` (by default the session's, ``disclose``) lets be shown,
    the small ones as one ``OTHER_GROUPS`` row; the verdict stays that of the real
    groups, and "important to one group" is read from the groups shown, so that it
    never says more than the rows do.
    """
    shown = disclose(snap) if disclosure is None else disclosure
    rounds = [r for r in snap.rounds if round_no is None or r.number == round_no]
    group_of = {p.code: p.group for p in snap.participants}
    groups = snap.groups()
    hidden = {*shown.pooled, *shown.withheld}
    visible = [g for g in groups if g not in hidden]
    pooled = set(shown.pooled)
    scale = snap.scale
    rows: list[ResultRow] = []
    for rnd in rounds:
        # Who was in the room differs from round to round: each round's quorum and
        # expected raters are those of its own participants present.
        present = snap.present_in(rnd.number)
        members = {g: sum(1 for p in present if p.group == g) for g in groups}
        if pooled:
            members[OTHER_GROUPS] = sum(1 for p in present if p.group in pooled)
        rule = snap.rule.for_panel(len(present))
        group_rule = rule.for_groups()
        by_indicator: dict[str, list[Ballot]] = defaultdict(list)
        for ballot in snap.round_ballots(rnd.number):
            by_indicator[ballot.indicator].append(ballot)
        counted = {(c.indicator, c.criterion): c for c in snap.round_counts(rnd.number)}
        extra = [OTHER_GROUPS] if pooled else []
        for code in rnd.indicators:
            ballots = by_indicator.get(code, [])
            version = max(
                [b.version for b in ballots]
                + [c.version for (i, _), c in counted.items() if i == code],
                default=1,
            )
            # One pass over the ballots for every criterion and group at once.
            by_criterion: dict[str, dict[str, list[int | None]]] = {
                c.code: {ALL_GROUPS: [], **{g: [] for g in [*groups, *extra]}}
                for c in snap.settings.criteria
            }
            for b in ballots:
                group = group_of.get(b.participant, "")
                in_pool = group in pooled
                for name, score in b.ratings.items():
                    lists = by_criterion.get(name)
                    if lists is None:
                        continue
                    lists[ALL_GROUPS].append(score)
                    if group in lists and group not in (ALL_GROUPS, OTHER_GROUPS):
                        lists[group].append(score)
                    if in_pool:
                        lists[OTHER_GROUPS].append(score)
            for criterion in snap.settings.criteria:
                answers = by_criterion[criterion.code]
                # Cards raised in plenary are anonymous ratings of the whole panel: they
                # belong to no group (docs/method.md, "Counts of cards").
                cards = counted.get((code, criterion.code))
                if cards is not None:
                    answers[ALL_GROUPS].extend(cards.ratings())
                stats = {
                    g: consensus.compute_stats(
                        values,
                        scale=scale,
                        expected=max(len(present) if g == ALL_GROUPS else members[g], len(values)),
                    )
                    for g, values in answers.items()
                }
                group_stats = {g: stats[g] for g in groups}
                panel = consensus.decide(stats[ALL_GROUPS], group_stats, rule=rule, scale=scale)
                important = panel.important_to
                if hidden:
                    units = {g: stats[g] for g in [*visible, *extra]}
                    important = consensus.decide(
                        stats[ALL_GROUPS], units, rule=rule, scale=scale
                    ).important_to
                for g in [ALL_GROUPS, *visible, *extra]:
                    st = stats[g]
                    if g != ALL_GROUPS and not by_group:
                        continue
                    applied = rule if g == ALL_GROUPS else group_rule
                    rows.append(
                        ResultRow(
                            round=rnd.number,
                            indicator=code,
                            version=version,
                            criterion=criterion.code,
                            group=g,
                            stats=st,
                            verdict=panel.verdict
                            if g == ALL_GROUPS
                            else consensus.classify(st, rule=applied, scale=scale),
                            ram_class=consensus.ram_class(st, scale=scale, quorum=applied.quorum),
                            percent_class=consensus.percent_class(
                                st,
                                agree_pct=rule.agree_pct,
                                veto_pct=rule.veto_pct,
                                quorum=applied.quorum,
                            ),
                            important_to=important if g == ALL_GROUPS else "",
                            n_counted=cards.total if cards is not None and g == ALL_GROUPS else 0,
                        )
                    )
    return rows


def stability(snap: Snapshot, *, disclosure: Disclosure | None = None) -> list[StabilityRow]:
    """Band changes of the same participants between each pair of consecutive rounds.

    One pass over each round's ballots: pairs are found by (participant, indicator).
    Groups as ``results`` shows them: a group's band changes are its members' minds.
    """
    shown = disclose(snap) if disclosure is None else disclosure
    group_of = {p.code: shown.group_of(p.group) for p in snap.participants}
    hidden = {*shown.pooled, *shown.withheld}
    groups = [g for g in snap.groups() if g not in hidden]
    if shown.pooled:
        groups.append(OTHER_GROUPS)
    scale, threshold = snap.scale, snap.rule.stability_pct
    rows: list[StabilityRow] = []
    for before, after in itertools.pairwise(snap.rounds):
        earlier = {(b.participant, b.indicator): b for b in snap.round_ballots(before.number)}
        later_by_indicator: dict[str, list[Ballot]] = defaultdict(list)
        for b in snap.round_ballots(after.number):
            later_by_indicator[b.indicator].append(b)
        for code in after.indicators:
            if code not in before.indicators:
                continue
            for criterion in snap.settings.criteria:
                pairs: dict[str, list[tuple[int, int]]] = {
                    ALL_GROUPS: [],
                    **{g: [] for g in groups},
                }
                for b in later_by_indicator.get(code, ()):
                    a = earlier.get((b.participant, code))
                    if a is None:
                        continue
                    x, y = a.ratings.get(criterion.code), b.ratings.get(criterion.code)
                    if x is None or y is None:
                        continue
                    pairs[ALL_GROUPS].append((x, y))
                    group = group_of.get(b.participant, "")
                    if group in pairs and group != ALL_GROUPS:
                        pairs[group].append((x, y))
                rows.extend(
                    StabilityRow(
                        round=after.number,
                        previous_round=before.number,
                        indicator=code,
                        criterion=criterion.code,
                        group=g,
                        stability=consensus.compute_stability(
                            values, scale=scale, threshold_pct=threshold
                        ),
                    )
                    for g, values in pairs.items()
                )
    return rows


def attrition(snap: Snapshot) -> list[AttritionRow]:
    """Invited, present and rating participants per round, overall and per group.

    Present is that round's presence (``Snapshot.present_in``), so a participant absent
    from round 2 or withdrawn after round 1 shows as the attrition it is.  Every group
    as itself, however small: who came and who voted is what the attendance list
    already says by name, and no rating can be read from it.
    """
    people = snap.participants
    groups = sorted({p.group for p in people if p.group})
    rows: list[AttritionRow] = []
    for rnd in snap.rounds:
        raters = {b.participant for b in snap.round_ballots(rnd.number)}
        present = {p.code for p in snap.present_in(rnd.number)}
        for g in [ALL_GROUPS, *groups]:
            members = [p for p in people if g == ALL_GROUPS or p.group == g]
            rows.append(
                AttritionRow(
                    round=rnd.number,
                    group=g,
                    invited=len(members),
                    present=sum(1 for p in members if p.code in present),
                    rating=sum(1 for p in members if p.code in raters),
                )
            )
    return rows


def combine_by_indicator(rows: Iterable[ResultRow]) -> dict[str, str]:
    """Each indicator's verdict over its criteria, from whole-panel rows of one round."""
    per: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        per[row.indicator].append(row.verdict)
    return {code: consensus.combine_verdicts(v) for code, v in per.items()}


def indicator_verdicts(snap: Snapshot, round_no: int) -> dict[str, str]:
    """Each indicator's combined verdict in a round (whole panel)."""
    return combine_by_indicator(results(snap, round_no, by_group=False))


def carried_forward(snap: Snapshot, round_no: int) -> list[str]:
    """Indicators a round leaves for the next one: those without consensus or below quorum.

    This is the Delphi rule: later rounds re-rate only what the panel has not settled.
    """
    verdicts = indicator_verdicts(snap, round_no)
    unsettled = (consensus.NO_CONSENSUS, consensus.BELOW_QUORUM)
    return [i.code for i in snap.framework.indicators() if verdicts.get(i.code) in unsettled]


def pending(snap: Snapshot, participant: str) -> list[Indicator]:
    """Indicators of the open round this participant has not rated yet, in framework order.

    This is what makes an interrupted ballot resume where it stopped.  Empty for a
    withdrawn participant, so the ballot screen no longer offers them.
    """
    rnd = snap.open_round()
    person = next((p for p in snap.participants if p.code == participant), None)
    if rnd is None or (person is not None and person.withdrawn):
        return []  # a withdrawn participant is no longer expected to vote
    done = {b.indicator for b in snap.round_ballots(rnd.number) if b.participant == participant}
    return [
        ind
        for ind in snap.framework.indicators()
        if ind.code in rnd.indicators and ind.code not in done
    ]


@dataclass(frozen=True)
class Feedback:
    """What a participant sees about an indicator from the previous round (Delphi feedback)."""

    stats: dict[str, consensus.Stats]
    """Whole-panel figures by criterion (criteria nobody rated are absent)."""
    own: dict[str, int | None]
    """The participant's own previous rating by criterion (None: cannot judge)."""
    comments: tuple[str, ...]
    """Everyone's comments on the indicator, without names or codes."""


def feedback(snap: Snapshot, participant: str) -> dict[str, Feedback]:
    """Last round's figures, own ratings and comments for the open round's indicators.

    Empty in round 1, when there is nothing to feed back yet.
    """
    rnd = snap.open_round()
    if rnd is None or rnd.number <= 1:
        return {}
    previous = rnd.number - 1
    ballots = snap.round_ballots(previous)
    own = {b.indicator: b.ratings for b in ballots if b.participant == participant}
    comments: dict[str, list[str]] = defaultdict(list)
    for b in ballots:
        if b.comment:
            comments[b.indicator].append(b.comment)
    out: dict[str, Feedback] = {}
    for row in results(snap, previous, by_group=False):
        if row.stats.n == 0 or row.indicator not in rnd.indicators:
            continue
        entry = out.setdefault(
            row.indicator,
            Feedback(
                stats={},
                own=dict(own.get(row.indicator, {})),
                comments=tuple(comments[row.indicator]),
            ),
        )
        entry.stats[row.criterion] = row.stats
    return out


def build_report(
    snap: Snapshot, *, lang: str, show_names: bool = False, generated_at: str = ""
) -> Report:
    """Everything the documents show, computed once from one snapshot, so they agree.

    Small groups are protected here, once for every document: result and stability
    rows, comments and ballot rows carry the groups as ``disclose`` lets them be shown.
    """
    participants = snap.participants
    # --show-names lifts the protection of small groups with that of the codes.
    shown = OPEN if show_names else disclose(snap)
    group_of = {p.code: shown.group_of(p.group) for p in participants}
    all_results = tuple(results(snap, disclosure=shown))
    summaries: list[RoundSummary] = []
    indicator_results: list[IndicatorResult] = []
    comments: list[CommentRow] = []
    ballot_rows: list[BallotRow] = []
    channels: list[ChannelRow] = []
    for rnd in snap.rounds:
        ballots = snap.round_ballots(rnd.number)
        by_channel = Counter((b.source, b.station) for b in ballots)
        channels.extend(
            ChannelRow(round=rnd.number, source=source, station=station, ballots=n)
            for (source, station), n in sorted(by_channel.items())
        )
        summaries.append(
            RoundSummary(
                round=rnd,
                n_invited=len(participants),
                n_present=len(snap.present_in(rnd.number)),
                n_rating=len({b.participant for b in ballots}),
                n_ballots=len(ballots),
            )
        )
        panel_rows = [r for r in all_results if r.round == rnd.number and r.group == ALL_GROUPS]
        verdicts = combine_by_indicator(panel_rows)
        flagged: dict[str, list[str]] = defaultdict(list)
        for row in panel_rows:
            if row.important_to and row.important_to not in flagged[row.indicator]:
                flagged[row.indicator].append(row.important_to)
        counts = Counter(b.indicator for b in ballots)
        indicator_results.extend(
            IndicatorResult(
                round=rnd.number,
                indicator=code,
                verdict=verdicts.get(code, consensus.BELOW_QUORUM),
                n_ballots=counts[code],
                important_to=", ".join(flagged[code]),
            )
            for code in rnd.indicators
        )
        order = {c: i for i, c in enumerate(rnd.indicators)}
        for b in sorted(ballots, key=lambda b: (order.get(b.indicator, 0), b.participant)):
            if b.comment:
                comments.append(
                    CommentRow(
                        round=rnd.number,
                        indicator=b.indicator,
                        participant=b.participant,
                        group=group_of.get(b.participant, ""),
                        text=b.comment,
                    )
                )
            ballot_rows.extend(
                BallotRow(
                    round=rnd.number,
                    indicator=b.indicator,
                    version=b.version,
                    participant=b.participant,
                    group=group_of.get(b.participant, ""),
                    criterion=criterion,
                    score=score,
                    source=b.source,
                    recorded_at=b.recorded_at,
                    station=b.station,
                )
                for criterion, score in b.ratings.items()
            )
    return Report(
        session=snap.name,
        lang=lang,
        framework=snap.framework,
        criteria=snap.settings.criteria,
        scale=snap.scale,
        rule=snap.rule,
        percentile_method=consensus.PERCENTILE_METHOD,
        participants=participants,
        rounds=tuple(summaries),
        results=all_results,
        indicator_results=tuple(indicator_results),
        comments=tuple(comments),
        ballots=tuple(ballot_rows),
        decisions=snap.decisions,
        created_at=snap.created_at,
        generated_at=generated_at,
        show_names=show_names,
        stability=tuple(stability(snap, disclosure=shown)),
        attrition=tuple(attrition(snap)),
        history=snap.lineage,
        details=snap.details,
        disclosure=shown,
        channels=tuple(channels),
        counts=tuple(c for rnd in snap.rounds for c in snap.round_counts(rnd.number)),
    )
