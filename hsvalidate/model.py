"""Session domain values: settings, criteria, participants, rounds, ballots, decisions.

Frozen dataclasses so that the service layer, the statistics and the exports can
share them without copying; each has ``to_dict``/``from_dict`` for the session store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from hsvalidate.consensus import DROP, KEEP, Rule, Scale
from hsvalidate.framework import Text
from hsvalidate.i18n import Message, has, match_term, t, words_for

GROUPS_DEFAULT = ("government", "civil society", "international", "regional")
"""Stakeholder groups offered when none are configured (Mali: state, CSOs, MINUSMA, ECOWAS)."""

SOURCES = ("terminal", "paper", "import", "email", "cards", "demo", "form", "web")
"""Channels a vote can come from; the source of every vote is recorded.

Each has its words in the catalogue under ``source.<code>`` (``source.paper``: papier,
paper), which is how a facilitator may type it and how documents show it.
"""


def source_code(text: str) -> str | None:
    """The channel a facilitator named, in either language (``papier`` → ``paper``)."""
    return match_term(text, {code: words_for(f"source.{code}") for code in SOURCES})


ANCHORS = ("low", "middle", "high")
"""The points of the scale a criterion may name in its own words: lowest, middle, highest."""


@dataclass(frozen=True)
class Criterion:
    """One criterion each indicator is rated on."""

    code: str
    """Short stable code used in files (``relevance``)."""
    label: Text
    """Name shown to participants."""
    question: Text = Text()
    """The question asked, e.g. 'Is this indicator relevant to the outcome?'."""
    low: Text = Text()
    """Words for the lowest score ("aucune échéance"); empty: the generic "pas du tout"."""
    middle: Text = Text()
    """Words for the middle of the scale; empty: the generic "moyennement"."""
    high: Text = Text()
    """Words for the highest score; empty: the generic "tout à fait"."""

    def anchor(self, point: str, lang: str) -> str:
        """This criterion's words at ``point`` (one of ``ANCHORS``), empty when it has none.

        Why empty rather than the generic words: the ballot screen and the documents
        each know which generic words they show, and say them in their own language.
        """
        text: Text = getattr(self, point)
        return text.get(lang)

    def anchors_text(self, lang: str) -> str:
        """The words at the low, middle and high points, the generic ones where it has none.

        Why in one line: the minutes and the workbook print, beside the question, exactly
        the words participants saw on the ballot screen.
        """
        return t(
            "criteria_set.anchors",
            lang=lang,
            **{
                point: self.anchor(point, lang) or t(f"ballot.{point}", lang=lang)
                for point in ANCHORS
            },
        )

    @property
    def has_anchors(self) -> bool:
        """Whether any point of the scale has this criterion's own words."""
        return any(getattr(self, point).fr or getattr(self, point).en for point in ANCHORS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; anchors only when there are some, so older readers see no change."""
        data: dict[str, Any] = {
            "code": self.code,
            "label": asdict(self.label),
            "question": asdict(self.question),
        }
        if self.has_anchors:
            data["anchors"] = {point: asdict(getattr(self, point)) for point in ANCHORS}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Criterion:
        """Inverse of :meth:`to_dict`; a session stored before anchors reads without them."""
        anchors = data.get("anchors") or {}
        return cls(
            code=data["code"],
            label=Text(**data.get("label", {})),
            question=Text(**data.get("question", {})),
            **{point: Text(**anchors.get(point, {})) for point in ANCHORS},
        )


DEFAULT_CRITERION_CODES = ("relevance", "feasibility", "clarity")
"""Relevance, feasibility, clarity: the default set (docs/method.md, "What participants rate")."""


def _catalogue_text(key: str) -> Text:
    """A catalogue entry in both languages, or an empty text when the catalogue has none."""
    if not has(key, "fr"):
        return Text()
    return Text(t(key, lang="fr"), t(key, lang="en"))


def catalogue_criterion(code: str) -> Criterion:
    """A criterion whose label, question and anchors are the catalogue's.

    Keys: ``criterion.label.<code>``, ``criterion.question.<code>`` and, when the
    criterion has its own words for the scale, ``criterion.anchor.<point>.<code>``.
    Why from the catalogue: its words are reviewed with every other sentence, and the
    command line can offer the criteria without importing this module.
    """
    return Criterion(
        code,
        _catalogue_text(f"criterion.label.{code}"),
        _catalogue_text(f"criterion.question.{code}"),
        **{point: _catalogue_text(f"criterion.anchor.{point}.{code}") for point in ANCHORS},
    )


DEFAULT_CRITERIA = tuple(catalogue_criterion(code) for code in DEFAULT_CRITERION_CODES)
"""The criteria a session rates unless the facilitator chooses others."""


@dataclass(frozen=True)
class CriteriaSet:
    """A named set of criteria a session may rate on; its name is ``criteria_set.name.<code>``.

    Why a registry: ``session new --criteria-set`` offers the sets the catalogue names,
    and the documents name the set a session's criteria come from, so one more set is
    one declaration here and its words in both ``criteria.po``.
    """

    code: str
    """Stable code (``smart``)."""
    criteria: tuple[str, ...]
    """Codes of its criteria, in the order they are asked; a criterion with the same
    meaning in several sets (relevance) has one code."""

    @property
    def name_key(self) -> str:
        """Catalogue key of its name (SMART, RACER, « par défaut »)."""
        return f"criteria_set.name.{self.code}"

    def build(self, only: Iterable[str] = ()) -> tuple[Criterion, ...]:
        """Its criteria with their catalogue words; ``only`` keeps those codes, in set order."""
        wanted = set(only)
        return tuple(
            catalogue_criterion(code) for code in self.criteria if not wanted or code in wanted
        )


DEFAULT_CRITERIA_SET = "default"
"""The set a session rates on when the facilitator names none."""

CRITERIA_SETS: dict[str, CriteriaSet] = {
    kind.code: kind
    for kind in (
        CriteriaSet(DEFAULT_CRITERIA_SET, DEFAULT_CRITERION_CODES),
        CriteriaSet("smart", ("specific", "measurable", "achievable", "relevance", "time_bound")),
        CriteriaSet("racer", ("relevance", "accepted", "credible", "easy", "robust")),
        CriteriaSet("cream", ("clarity", "relevance", "economic", "adequate", "monitorable")),
    )
}
"""The named sets (docs/method.md, "What participants rate"): SMART; RACER (EU Better
Regulation); CREAM (Kusek & Rist 2004); and relevance, feasibility, clarity."""


def criteria_set_of(criteria: Iterable[Criterion]) -> str | None:
    """The named set these criteria were taken from, None for a session's own criteria.

    Why worked out rather than stored: sessions have stored their criteria whole since
    the first version; a criterion whose code and label are those of a set (some of the
    set, as ``--criteria`` picks) comes from it, so older sessions are named too.
    """
    chosen = tuple(criteria)
    for kind in CRITERIA_SETS.values():
        known = {code: catalogue_criterion(code).label for code in kind.criteria}
        if chosen and all(known.get(c.code) == c.label for c in chosen):
            return kind.code
    return None


def criteria_set_name(criteria: Iterable[Criterion], lang: str) -> str:
    """The name of the set these criteria come from (« SMART »), or « critères propres »."""
    code = criteria_set_of(criteria)
    return t(f"criteria_set.name.{code}" if code else "criteria_set.own", lang=lang)


@dataclass(frozen=True)
class Settings:
    """Choices fixed when the session is created, printed in the minutes.

    The scale and the consensus rule are ``consensus`` values, held as they are: the
    rule's thresholds are declared once, in ``consensus.Rule``.
    """

    scale: Scale = Scale()
    """The rating scale (1–9 for RAND/UCLA, 1–5 for Likert)."""
    rule: Rule = Rule()
    """The consensus rule, its thresholds, quorum and group variants."""
    criteria: tuple[Criterion, ...] = DEFAULT_CRITERIA
    """Criteria rated for every indicator."""
    groups: tuple[str, ...] = GROUPS_DEFAULT
    """Stakeholder groups participants belong to."""
    lang: str = "fr"
    """Language of the session: its commands, ballots and documents."""
    min_group_size: int = 3
    """The smallest stakeholder group whose results and comments may be shown as a group.

    Why: a group of one or two is a person or a pair named in the attendance list, and
    its figures are their ratings; smaller groups are shown together or not by group
    (``tally.disclose``).  Sessions stored before this setting read the default."""

    def __post_init__(self) -> None:
        if not self.rule.spec.allows(self.scale):
            from hsvalidate.errors import SessionError

            raise SessionError(
                Message(
                    "session.rule_scale",
                    rule=Message(self.rule.spec.name_key),
                    scales=", ".join(f"--scale {high}" for high in self.rule.spec.scales),
                )
            )

    def criterion_code(self, text: str) -> str | None:
        """The criterion a user named by code or by its label in either language.

        ``pertinence=8`` and ``relevance=8`` both rate relevance: a francophone
        facilitator types the words on the ballot screen, a script the codes.
        """
        return match_term(text, {c.code: (c.label.fr, c.label.en) for c in self.criteria})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, flat as sessions have always stored it."""
        rule = self.rule
        return {
            "scale_min": self.scale.low,
            "scale_max": self.scale.high,
            "rule": rule.kind,
            "agree_pct": rule.agree_pct,
            "veto_pct": rule.veto_pct,
            "quorum": rule.quorum,
            "quorum_share": rule.quorum_share,
            "group_quorum": rule.group_quorum,
            "per_group": rule.per_group,
            "likert_iqr": rule.likert_iqr,
            "stability_pct": rule.stability_pct,
            "criteria": [c.to_dict() for c in self.criteria],
            "groups": list(self.groups),
            "lang": self.lang,
            "min_group_size": self.min_group_size,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Inverse of :meth:`to_dict`; unknown keys from newer minor versions are ignored."""
        rule_fields = {k: data[k] for k in _RULE_FIELDS if k in data}
        criteria = data.get("criteria")
        return cls(
            scale=Scale(int(data.get("scale_min", 1)), int(data.get("scale_max", 9))),
            rule=Rule(kind=str(data.get("rule", "ram")), **rule_fields),
            criteria=tuple(Criterion.from_dict(c) for c in criteria)
            if criteria
            else DEFAULT_CRITERIA,
            groups=tuple(data.get("groups", GROUPS_DEFAULT)),
            lang=str(data.get("lang", "fr")),
            min_group_size=int(data.get("min_group_size", 3)),
        )


_RULE_FIELDS = (
    "quorum_share",
    "agree_pct",
    "veto_pct",
    "quorum",
    "group_quorum",
    "per_group",
    "likert_iqr",
    "stability_pct",
)
"""The rule's settings as sessions store them, beside its kind (``rule``)."""


PRESENCE: dict[str, bool] = {
    "present": True,
    "absent": False,
    "left-early": True,
    "arrived-late": True,
}
"""How a participant attended one round (words: ``presence.status.<code>``), and whether
that counts as present.

Why "left early" and "arrived late" count: the person was in the room for part of the
round, could vote and may have, so they belong to its quorum and to its expected raters;
only "absent" takes someone out of a round's figures.
"""


def presence_code(text: str) -> str | None:
    """The presence a facilitator named, in either language (``parti plus tôt`` → ``left-early``).

    Why the other forms (``presence.forms.<code>``): a facilitator writes the word agreed
    with the person, ``présente`` for a woman, ``partis plus tôt`` in a note for several;
    each is the same presence, and refusing it only makes them retype the masculine.
    """
    return match_term(
        text,
        {code: (*words_for(f"presence.status.{code}"), *_forms(code)) for code in PRESENCE},
    )


def _forms(code: str) -> tuple[str, ...]:
    """The feminine and plural words of a presence, in every language (comma-separated)."""
    return tuple(
        form.strip()
        for forms in words_for(f"presence.forms.{code}")
        for form in forms.split(",")
        if form.strip()
    )


@dataclass(frozen=True)
class Participant:
    """A registered participant; the code, not the name, appears beside ratings."""

    code: str
    """Pseudonymous code such as ``P07``."""
    name: str
    """Full name, accents and Bambara letters kept as typed."""
    organisation: str = ""
    """Organisation represented."""
    group: str = ""
    """Stakeholder group."""
    sex: str = ""
    """``F``, ``M`` or empty when not given."""
    present: bool = True
    """Whether the participant is registered as attending the session (invited but absent
    participants can be registered); a round's own entry in ``presence`` wins over it."""
    presence: dict[int, str] = field(default_factory=dict)
    """Round number → how they attended it (a ``PRESENCE`` code), where the facilitator said."""
    withdrawn_from: int | None = None
    """First round they are no longer expected in, once withdrawn; their ballots still count."""

    @property
    def withdrawn(self) -> bool:
        """Whether the participant has withdrawn from the workshop."""
        return self.withdrawn_from is not None

    def presence_in(self, round_no: int) -> str:
        """How they attended ``round_no``: its entry, else what the ``present`` flag says.

        Why the flag as fallback: sessions written before presence per round still read
        as they did, everyone registered as attending present in every round.
        """
        return self.presence.get(round_no, "present" if self.present else "absent")

    def attends(self, round_no: int) -> bool:
        """Whether they count as present in ``round_no`` (for its quorum and expected raters)."""
        if self.withdrawn_from is not None and round_no >= self.withdrawn_from:
            return False
        return PRESENCE.get(self.presence_in(round_no), True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; rounds become text keys, as JSON objects need."""
        data = asdict(self)
        data["presence"] = {str(k): v for k, v in self.presence.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        """Inverse of :meth:`to_dict`; older sessions without presence per round read as before."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["presence"] = {int(k): str(v) for k, v in dict(known.get("presence") or {}).items()}
        return cls(**known)


@dataclass(frozen=True)
class Round:
    """A rating round over some indicators."""

    number: int
    """1, 2, 3..."""
    indicators: tuple[str, ...]
    """Codes of the indicators rated in this round (round 2 rates only those without consensus)."""
    status: str = "open"
    """``open`` or ``closed``."""
    opened_at: str = ""
    """ISO timestamp."""
    closed_at: str = ""
    """ISO timestamp, empty while open."""
    reopenings: tuple[tuple[str, str, str], ...] = ()
    """Each time the round was reopened: (when, why, when it had been closed)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["indicators"] = list(self.indicators)
        data["reopenings"] = [list(r) for r in self.reopenings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Round:
        """Inverse of :meth:`to_dict`."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["indicators"] = tuple(known.get("indicators", ()))
        known["reopenings"] = tuple(
            (str(r[0]), str(r[1]), str(r[2])) for r in known.get("reopenings", ())
        )
        return cls(**known)


@dataclass(frozen=True)
class Ballot:
    """One participant's ratings of one indicator in one round, on every criterion.

    A ballot is the unit of durability: it is stored whole or not at all.  A later
    ballot by the same participant for the same indicator and round replaces the
    earlier one in the results, while both stay in the journal as an audit trail.
    """

    round: int
    """Round number."""
    participant: str
    """Participant code."""
    indicator: str
    """Indicator code."""
    ratings: dict[str, int | None]
    """Score by criterion code; ``None`` means "cannot judge"."""
    comment: str = ""
    """Optional comment or proposed rewording."""
    version: int = 1
    """Version of the indicator wording that was rated."""
    source: str = "terminal"
    """Channel the vote came from (see ``SOURCES``)."""
    recorded_at: str = ""
    """ISO timestamp of recording."""
    station: str = ""
    """The computer that took the vote (its name): sessions collected on several laptops
    and merged still say where each vote came from."""
    uid: str = ""
    """Random identity given when the vote is first recorded.  Why: a merge must count
    the same ballot arriving twice (from two copies of a session) once, and tell it from
    a different ballot by the same person; empty for ballots recorded before it existed."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ballot:
        """Inverse of :meth:`to_dict`; keys from newer versions are ignored.

        Why the instance is filled through its ``__dict__``: a national session reads
        tens of thousands of ballots for one results table, and the frozen dataclass's
        ``__init__`` (one guarded ``setattr`` per field) was a fifth of that time.  The
        object is exactly what ``__init__`` would make, and stays frozen.
        """
        get = data.get
        ballot = object.__new__(cls)
        ballot.__dict__.update(
            round=data["round"],
            participant=data["participant"],
            indicator=data["indicator"],
            ratings=dict(get("ratings") or {}),
            comment=get("comment", ""),
            version=get("version", 1),
            source=get("source", "terminal"),
            recorded_at=get("recorded_at", ""),
            station=get("station", ""),
            uid=get("uid", ""),
        )
        return ballot


COUNT_SOURCE = "cards"
"""The channel of a count of coloured cards raised in plenary (``source.cards``)."""


@dataclass(frozen=True)
class Count:
    """How many coloured cards the room raised at each point of the scale, for one criterion.

    Why not ballots: cards raised in plenary have no participant behind them, so they
    cannot replace a participant's ballot nor make anyone present; they are anonymous
    ratings added to the whole panel's figures (``tally.results``).  A later count for
    the same round, indicator and criterion replaces the earlier one in the results;
    both stay stored and logged.
    """

    round: int
    """Round number."""
    indicator: str
    """Indicator code."""
    criterion: str
    """Criterion code."""
    counts: dict[int, int]
    """Score → cards raised for it (only scores with a card)."""
    cannot_judge: int = 0
    """Cards saying "cannot judge"."""
    version: int = 1
    """Version of the indicator wording the room rated."""
    source: str = COUNT_SOURCE
    """Channel (``SOURCES``): cards raised in plenary."""
    recorded_at: str = ""
    """ISO timestamp of recording."""
    station: str = ""
    """The computer the count was typed on."""
    uid: str = ""
    """Random identity given when recorded, as a ballot's: a merge of two copies of a
    session counts the same count once (``Ballot.uid``)."""

    @property
    def total(self) -> int:
        """Every card counted, "cannot judge" included."""
        return sum(self.counts.values()) + self.cannot_judge

    def ratings(self) -> list[int | None]:
        """The count as the anonymous ratings it stands for (None: cannot judge).

        Why expanded: every figure must be exactly what the same ratings typed as
        ballots would give, so the statistics see them as ratings, one per card.
        """
        out: list[int | None] = []
        for score in sorted(self.counts):
            out.extend([score] * self.counts[score])
        out.extend([None] * self.cannot_judge)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; scores become text keys, as JSON objects need."""
        data = asdict(self)
        data["counts"] = {str(k): v for k, v in sorted(self.counts.items())}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Count:
        """Inverse of :meth:`to_dict`; keys from newer versions are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["counts"] = {int(k): int(v) for k, v in dict(known.get("counts") or {}).items()}
        return cls(**known)


def latest_counts(counts: Iterable[Count]) -> tuple[Count, ...]:
    """The counts that stand: the latest per round, indicator and criterion, in first-counted order."""
    latest: dict[tuple[int, str, str], Count] = {}
    for count in counts:
        latest[(count.round, count.indicator, count.criterion)] = count
    return tuple(latest.values())


@dataclass(frozen=True)
class DecisionAction:
    """One thing the plenary may decide about an indicator; its words are ``action.<code>``.

    Why a registry: the command line, the ballot-free interactive question, the check of
    the service and the documents' "differs from the computed verdict" all read it, so
    one more action is one declaration here and its words in both ``documents.po``.
    """

    code: str
    """Stable code stored in sessions (``adopt``)."""
    agrees_with: str | None
    """The computed verdict this decision confirms (``consensus.KEEP`` or ``DROP``); None
    for a decision that settles nothing yet (a deferral)."""
    takes_into: bool = False
    """Whether it may name the indicators it goes into (a merge)."""

    def differs_from(self, verdict: str) -> bool:
        """Whether taking this decision departs from the computed ``verdict``.

        Where the rounds settled nothing (no consensus, below quorum, not rated), any
        decision but a deferral is the plenary going beyond the figures.
        """
        if verdict in (KEEP, DROP):
            return self.agrees_with != verdict
        return self.agrees_with is not None


DECISION_ACTIONS: dict[str, DecisionAction] = {
    action.code: action
    for action in (
        DecisionAction("adopt", agrees_with=KEEP),
        DecisionAction("reword", agrees_with=KEEP),
        DecisionAction("merge", agrees_with=KEEP, takes_into=True),
        DecisionAction("drop", agrees_with=DROP),
        DecisionAction("defer", agrees_with=None),
    )
}
"""What the plenary may decide for an indicator: adopted, adopted as reworded, merged,
dropped, deferred."""

LEGACY_ACTIONS = {"keep": "adopt"}
"""Codes older sessions stored, and the action each now reads as."""

VOTE_KEYS = ("for", "against", "abstain")
"""The counts of a show of hands, stored under these fixed keys (words: ``vote.<key>``)."""

LEGACY_VOTE_KEYS = {"pour": "for", "contre": "against", "abstention": "abstain"}
"""French keys older sessions (and the first demo) stored counts under."""


def decision_action_code(text: str) -> str | None:
    """The action a facilitator named: code, older code, or word in either language."""
    wanted = text.strip().lower()
    if wanted in LEGACY_ACTIONS:
        return LEGACY_ACTIONS[wanted]
    return match_term(text, {code: words_for(f"action.{code}") for code in DECISION_ACTIONS})


def decision_gap(action: str, verdict: str) -> Message | None:
    """How a decision departs from the computed verdict, in words; None when it agrees.

    The verdict is computed and the decision recorded; they are kept apart and only
    compared here, for the documents to say where the plenary went its own way
    (« adopté en plénière malgré l'absence de consensus »).
    """
    found = DECISION_ACTIONS.get(LEGACY_ACTIONS.get(action, action))
    if found is None or not found.differs_from(verdict):
        return None
    return Message(f"decision.differs.{verdict}", decision=Message(f"decision.taken.{found.code}"))


def current_decisions(decisions: Iterable[Decision]) -> list[Decision]:
    """The decision that stands for each indicator: the latest, in the order they were taken.

    Every decision stays stored; a later one on the same indicator replaces the earlier
    in the documents.
    """
    latest: dict[str, Decision] = {}
    for decision in decisions:
        latest.pop(decision.indicator, None)
        latest[decision.indicator] = decision
    return list(latest.values())


@dataclass(frozen=True)
class Decision:
    """A plenary decision about an indicator (one of ``DECISION_ACTIONS``).

    It is kept apart from the computed verdict: the rounds compute, the plenary decides.
    """

    indicator: str
    """Indicator code."""
    action: str
    """``adopt``, ``reword``, ``merge``, ``drop`` or ``defer`` (stored ``keep`` reads as ``adopt``)."""
    rationale: str = ""
    """Why, as said in the room."""
    round: int | None = None
    """Round after which it was taken."""
    votes: dict[str, int] = field(default_factory=dict)
    """Counts when the room voted by show of hands, under ``VOTE_KEYS`` (``{"for": 21, ...}``)."""
    recorded_at: str = ""
    """ISO timestamp."""
    into: tuple[str, ...] = ()
    """For a merge: the indicators it is merged into."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["into"] = list(self.into)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        """Inverse of :meth:`to_dict`; older sessions' ``keep`` and French vote keys are read too."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        action = str(known.get("action", ""))
        known["action"] = LEGACY_ACTIONS.get(action, action)
        known["votes"] = {
            LEGACY_VOTE_KEYS.get(str(k), str(k)): v
            for k, v in dict(known.get("votes") or {}).items()
        }
        known["into"] = tuple(known.get("into", ()))
        return cls(**known)


@dataclass(frozen=True)
class WorkshopDetails:
    """What a document of record says about the meeting itself: where, when, who presided.

    Why apart from ``Settings``: settings are fixed before round 1 (they decide the
    figures), while these are often known only on the day — the chair named in the
    opening session, a second day added — so they stay editable (``session details``)
    and every export prints them as they stand.
    """

    title: str = ""
    """The workshop's title (« Atelier national de validation du cadre de S&E »)."""
    place: str = ""
    """Where it is held (« Bamako, Hôtel de l'Amitié »)."""
    dates: tuple[str, ...] = ()
    """ISO dates of the days it is held on (``2026-11-27``), in order."""
    organisers: tuple[str, ...] = ()
    """Organising bodies, in the order the cover lists them."""
    chair: str = ""
    """Who chairs the validation session (signs the minutes)."""
    rapporteur: str = ""
    """Who writes the minutes (signs them too)."""
    logos: tuple[str, ...] = ()
    """Image files in the session folder's ``logos`` sub-folder, for the cover."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the session's meta document."""
        data = asdict(self)
        for key in ("dates", "organisers", "logos"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> WorkshopDetails:
        """Inverse of :meth:`to_dict`; sessions from before details existed read as empty."""
        data = dict(data or {})
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("dates", "organisers", "logos"):
            known[key] = tuple(str(v) for v in known.get(key) or ())
        for key in ("title", "place", "chair", "rapporteur"):
            known[key] = str(known.get(key) or "")
        return cls(**known)

    def __bool__(self) -> bool:
        return any(asdict(self).values())


def parse_day(text: str) -> str | None:
    """An ISO date from what a facilitator types: ``2026-11-27`` or ``27/11/2026`` (also ``27.11.2026``).

    None when it is not a date, for the caller to say so in one sentence.
    """
    import datetime as dt
    import re

    value = text.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None
