"""A realistic ``Report`` built by hand, so the exports can be tested without the service layer.

Twelve participants in four stakeholder groups (accented and Bambara names, one absent,
one who leaves after round 1), two rounds over six indicators and three criteria,
"cannot judge" answers, a reworded indicator rated in two versions, an indicator that
only civil society wants to keep ("important to one group"), stability between the
rounds and turnout per group, comments that break naive spreadsheet and PDF code, and
decisions with vote counts.  The rule and the scale can be chosen, so the minutes can
be checked for every rule kind on both scales.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from hsvalidate.consensus import (
    PERCENTILE_METHOD,
    Rule,
    Scale,
    classify,
    combine_verdicts,
    compute_stability,
    compute_stats,
    decide,
    percent_class,
    ram_class,
)
from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text
from hsvalidate.model import DEFAULT_CRITERIA, Decision, Participant, Round
from hsvalidate.report import (
    AttritionRow,
    BallotRow,
    CommentRow,
    IndicatorResult,
    Report,
    ResultRow,
    RoundSummary,
    StabilityRow,
)

PARTICIPANTS = (
    Participant(
        "P01", "Ɲɛlɛni Coulibaly", "Ministère de la Réconciliation nationale", "government", "F"
    ),
    Participant(
        "P02", "Amadou Tɔgɔla", "Commissariat à la sécurité alimentaire", "government", "M"
    ),
    Participant("P03", "Fatoumata Sidibé", "Gouvernorat de Mopti", "government", "F"),
    Participant("P04", "Oumar Ŋɔmi Maïga", "WANEP-Mali, antenne de Mopti", "civil society", "M"),
    Participant("P05", "Awa Kɔnɛ", "Association des femmes de Ségou", "civil society", "F"),
    Participant("P06", "Sɛkuba Dembélé", "Plateforme des jeunes de Gao", "civil society", "M"),
    Participant(
        "P07", "Hélène Ɛvrard", "MINUSMA, Division des affaires civiles", "international", "F"
    ),
    Participant("P08", "Jean-Baptiste Müller", "The Hague Institute", "international", "M"),
    Participant("P09", "Ŋaara Cissé", "GPPAC", "international", "F", present=False),
    Participant("P10", "Ɔkɔn Adeyemi", "Commission de la CEDEAO", "regional", "M"),
    Participant("P11", "Adjoa Mensah", "Système d'alerte précoce de la CEDEAO", "regional", "F"),
    Participant("P12", "Ɲamakɔrɔ Keïta", "Bureau régional de l'UA à Bamako", "regional", "M"),
)

NASTY_COMMENTS = (
    "Mettre en <b>gras</b> la cible",
    "a < b & c : le dénominateur est flou",
    "Données détenues par AT&T et Orange Mali",
    "=SUM(A1)",
    "+33 6 12 34 56 78 pour joindre le point focal",
    "@x voir la fiche",
    "Alerte\x07 sonore : collecte trop coûteuse",
    "Ka ɲɛ : bɛɛ ka sɔn, ŋaniya ; ŊƆ ƐƝ à vérifier",
)

ORDINARY_COMMENTS = (
    "Préciser la source de vérification : registres des mairies ou enquête ?",
    "La cible de +20 % paraît ambitieuse dans les zones d'accès difficile.",
    "Désagréger aussi par milieu (urbain / rural).",
    "Indicator is clear but the baseline year should match the survey cycle.",
    "Les comités de médiation ne couvrent pas tous les cercles du Nord.",
    "Risque de double comptage avec le système d'alerte de la CEDEAO.",
)


def _indicator(code: str, fr: str, en: str, *, unit: str = "%", baseline: str = "n/d") -> Indicator:
    return Indicator(
        code=code,
        text=Text(fr, en),
        definition=Text(
            f"Définition de travail : {fr.lower()}", f"Working definition: {en.lower()}"
        ),
        unit=Text(unit, unit),
        calculation=Text("Numérateur / dénominateur × 100", "Numerator / denominator × 100"),
        disaggregation=Text("Sexe, âge, région", "Sex, age, region"),
        baseline=baseline,
        baseline_year=2024,
        target="+20 %",
        target_year=2028,
        source=Text("Enquête de perception WANEP-Mali", "WANEP-Mali perception survey"),
        method=Text("Enquête auprès des ménages", "Household survey"),
        frequency=Text("Annuelle", "Yearly"),
        responsible=Text("Unité S&E de WANEP-Mali", "WANEP-Mali M&E unit"),
        assumptions=Text("Accès sécurisé aux zones d'enquête", "Safe access to survey areas"),
        notes=Text("", ""),
        extra=(("Cercle pilote", "Bandiagara"),),
    )


FRAMEWORK = Framework(
    title=Text(
        "Stratégie de sécurité humaine portée par la société civile au Mali — cadre de S&E",
        "Civil-society-led human security strategy for Mali — M&E framework",
    ),
    source="cadre-se-mali.xlsx",
    notes=Text(
        "Cadre illustratif, préparé pour l'atelier ; les valeurs ne sont pas des données réelles.",
        "Illustrative framework prepared for the workshop; the values are not real data.",
    ),
    dimensions=(
        Dimension(
            "D1",
            Text("Sécurité personnelle et communautaire", "Personal and community security"),
            (
                Outcome(
                    "D1.O1",
                    Text(
                        "Les conflits locaux sont prévenus et gérés pacifiquement",
                        "Local conflicts are prevented and managed peacefully",
                    ),
                    (
                        _indicator(
                            "D1.O1.I1",
                            "Proportion de conflits fonciers réglés par les comités de médiation "
                            "locaux dans les cercles de Mopti, Ségou et Tombouctou, y compris les "
                            "conflits entre agriculteurs et éleveurs transhumants",
                            "Share of land conflicts settled by local mediation committees in the "
                            "Mopti, Ségou and Timbuktu districts, including conflicts between "
                            "farmers and transhumant herders",
                        ),
                        _indicator(
                            "D1.O1.I2",
                            "Nombre de réunions du comité",
                            "Number of committee meetings",
                            unit="nombre",
                            baseline="12",
                        ),
                    ),
                ),
                Outcome(
                    "D1.O2",
                    Text(
                        "Les alertes précoces déclenchent une réponse rapide",
                        "Early warnings trigger a rapid response",
                    ),
                    (
                        _indicator(
                            "D1.O2.I1",
                            "Délai moyen entre une alerte et la réponse des autorités",
                            "Average time between an alert and the authorities' response",
                            unit="jours",
                        ),
                        _indicator(
                            "D1.O2.I2",
                            "Part des alertes émises par des femmes ou des jeunes",
                            "Share of alerts issued by women or young people",
                        ),
                    ),
                ),
            ),
        ),
        Dimension(
            "D2",
            Text("Sécurité alimentaire", "Food security"),
            (
                Outcome(
                    "D2.O1",
                    Text(
                        "Les ménages vulnérables résistent mieux aux chocs",
                        "Vulnerable households withstand shocks better",
                    ),
                    (
                        _indicator(
                            "D2.O1.I1",
                            "Score de consommation alimentaire des ménages déplacés",
                            "Food consumption score of displaced households",
                            unit="score",
                        ),
                        _indicator(
                            "D2.O1.I2",
                            "Perception de la sécurité sur les marchés hebdomadaires",
                            "Perceived safety at weekly markets",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CODES = tuple(ind.code for ind in FRAMEWORK.indicators())

# Centre and spread of the ratings per indicator in round 1, chosen to produce every verdict.
_PROFILE_R1 = {
    "D1.O1.I1": (8, 1),  # keep
    "D1.O1.I2": (2, 1),  # drop
    "D1.O2.I1": (6, 4),  # wide spread: no consensus, reworded for round 2
    "D1.O2.I2": (5, 1),  # uncertain
    "D2.O1.I1": (8, 1),  # keep
    "D2.O1.I2": (5, 2),  # uncertain; in round 2 only two people rate it: below quorum
}
_PROFILE_R2 = {"D1.O2.I1": (8, 1), "D1.O2.I2": (5, 3), "D2.O1.I2": (6, 2)}
_VERSION_R2 = {"D1.O2.I1": 2}
# Civil society alone wants D1.O2.I2 ("important to one group") in both rounds.
_GROUP_CENTRE = {("D1.O2.I2", "civil society"): 8}
_LEFT_AFTER_ROUND_1 = "P08"
"""Present on day one, gone on day two: attrition in the international group."""


def _score(rng: random.Random, centre: int, spread: int, scale: Scale) -> int | None:
    if rng.random() < 0.06:
        return None  # cannot judge
    if scale.high == 5:  # the 1–9 profile mapped onto 1–5
        centre, spread = round(1 + (centre - 1) / 2), (spread + 1) // 2
    return max(scale.low, min(scale.high, centre + rng.randint(-spread, spread)))


def _rescore(rng: random.Random, before: int, scale: Scale) -> int | None:
    """A round-2 rating after feedback on the same wording: most people keep their score."""
    if rng.random() < 0.06:
        return None
    step = 2 if scale.high == 9 else 1
    after = before if rng.random() < 0.8 else before + rng.choice((-step, step))
    return max(scale.low, min(scale.high, after))


def _results_for(
    *,
    round_no: int,
    code: str,
    version: int,
    ballots: Sequence[BallotRow],
    present: Sequence[Participant],
    scale: Scale,
    rule: Rule,
) -> tuple[list[ResultRow], IndicatorResult]:
    """Figures and verdicts as the service layer computes them (``consensus.decide``)."""
    rows: list[ResultRow] = []
    overall: list[str] = []
    important: list[str] = []
    groups = sorted({p.group for p in present})
    group_rule = rule.for_groups()
    for criterion in DEFAULT_CRITERIA:
        stats = {}
        for group in ["all", *groups]:
            members = [p for p in present if group in ("all", p.group)]
            scores = [
                b.score
                for b in ballots
                if b.criterion == criterion.code and group in ("all", b.group)
            ]
            stats[group] = compute_stats(scores, scale=scale, expected=len(members))
        panel = decide(stats["all"], {g: stats[g] for g in groups}, rule=rule, scale=scale)
        for group, st in stats.items():
            applied = rule if group == "all" else group_rule
            rows.append(
                ResultRow(
                    round_no,
                    code,
                    version,
                    criterion.code,
                    group,
                    st,
                    panel.verdict if group == "all" else classify(st, rule=applied, scale=scale),
                    ram_class=ram_class(st, scale=scale, quorum=applied.quorum),
                    percent_class=percent_class(
                        st, agree_pct=rule.agree_pct, veto_pct=rule.veto_pct, quorum=applied.quorum
                    ),
                    important_to=panel.important_to if group == "all" else "",
                )
            )
        overall.append(panel.verdict)
        if panel.important_to and panel.important_to not in important:
            important.append(panel.important_to)
    voters = {b.participant for b in ballots}
    return rows, IndicatorResult(
        round_no, code, combine_verdicts(overall), len(voters), ", ".join(important)
    )


def _stability(
    ballots: Sequence[BallotRow], *, scale: Scale, rule: Rule, groups: Sequence[str]
) -> list[StabilityRow]:
    """Round 2 against round 1, per indicator × criterion × group, same participants only."""
    first = {(b.participant, b.indicator, b.criterion): b.score for b in ballots if b.round == 1}
    rows: list[StabilityRow] = []
    for code in _PROFILE_R2:
        for criterion in DEFAULT_CRITERIA:
            later = [
                b
                for b in ballots
                if b.round == 2 and b.indicator == code and b.criterion == criterion.code
            ]
            for group in ["all", *groups]:
                pairs = [
                    (before, b.score)
                    for b in later
                    if group in ("all", b.group)
                    and b.score is not None
                    and (before := first.get((b.participant, code, criterion.code))) is not None
                ]
                rows.append(
                    StabilityRow(
                        2,
                        1,
                        code,
                        criterion.code,
                        group,
                        compute_stability(pairs, scale=scale, threshold_pct=rule.stability_pct),
                    )
                )
    return rows


def _attrition(ballots: Sequence[BallotRow], groups: Sequence[str]) -> list[AttritionRow]:
    """Invited, present and rating per round, whole panel first, then each group."""
    rows: list[AttritionRow] = []
    for round_no in (1, 2):
        raters = {b.participant for b in ballots if b.round == round_no}
        for group in ["all", *groups]:
            members = [p for p in PARTICIPANTS if group in ("all", p.group)]
            rows.append(
                AttritionRow(
                    round_no,
                    group,
                    len(members),
                    sum(1 for p in members if p.present),
                    sum(1 for p in members if p.code in raters),
                )
            )
    return rows


def build_report(
    *,
    lang: str = "fr",
    show_names: bool = False,
    rule: Rule | None = None,
    scale: Scale | None = None,
) -> Report:
    """A complete two-round session report; deterministic (seeded) so tests can pin figures.

    By default RAND/UCLA on 1–9 with a quorum of 3; pass another rule or the 1–5 scale
    to check how the documents describe them.
    """
    rng = random.Random(2026)
    scale = scale or Scale()
    rule = rule or Rule(kind="ram", quorum=3)
    present = [p for p in PARTICIPANTS if p.present]
    rounds_spec = (
        (1, CODES, _PROFILE_R1, "2026-11-26T09:30:00", "2026-11-26T12:45:00"),
        (2, tuple(_PROFILE_R2), _PROFILE_R2, "2026-11-27T09:15:00", "2026-11-27T11:00:00"),
    )
    ballots: list[BallotRow] = []
    comments: list[CommentRow] = []
    results: list[ResultRow] = []
    indicator_results: list[IndicatorResult] = []
    summaries: list[RoundSummary] = []
    nasty = iter(NASTY_COMMENTS)
    earlier: dict[tuple[str, str, str], int | None] = {}
    for round_no, codes, profile, opened, closed in rounds_spec:
        round_ballots: list[BallotRow] = []
        for code in codes:
            spread = profile[code][1]
            version = _VERSION_R2.get(code, 1) if round_no == 2 else 1
            if round_no == 2 and code == "D2.O1.I2":
                raters = present[:2]
            elif round_no == 2:
                raters = [p for p in present if p.code != _LEFT_AFTER_ROUND_1]
            else:
                raters = present
            code_ballots: list[BallotRow] = []
            for i, p in enumerate(raters):
                at = f"{opened[:11]}10:{i:02d}:00"
                centre = _GROUP_CENTRE.get((code, p.group), profile[code][0])
                for criterion in DEFAULT_CRITERIA:
                    code_ballots.append(
                        BallotRow(
                            round=round_no,
                            indicator=code,
                            version=version,
                            participant=p.code,
                            group=p.group,
                            criterion=criterion.code,
                            # A reworded indicator is a new question: fresh ratings.
                            score=_rescore(rng, before, scale)
                            if round_no == 2
                            and code not in _VERSION_R2
                            and (before := earlier.get((p.code, code, criterion.code))) is not None
                            else _score(rng, centre, spread, scale),
                            source="paper" if i % 4 == 0 else "terminal",
                            recorded_at=at,
                        )
                    )
                if rng.random() < 0.3:
                    text = next(nasty, ORDINARY_COMMENTS[len(comments) % len(ORDINARY_COMMENTS)])
                    comments.append(CommentRow(round_no, code, p.code, p.group, text))
            rows, verdict = _results_for(
                round_no=round_no,
                code=code,
                version=version,
                ballots=code_ballots,
                present=present,
                scale=scale,
                rule=rule,
            )
            earlier.update(((b.participant, code, b.criterion), b.score) for b in code_ballots)
            results.extend(rows)
            indicator_results.append(verdict)
            round_ballots.extend(code_ballots)
        summaries.append(
            RoundSummary(
                round=Round(round_no, tuple(codes), "closed", opened, closed),
                n_invited=len(PARTICIPANTS),
                n_present=len(present),
                n_rating=len({b.participant for b in round_ballots}),
                n_ballots=len({(b.participant, b.indicator) for b in round_ballots}),
            )
        )
        ballots.extend(round_ballots)
    # Every nasty comment must be in the report whatever the random draw gave.
    for text in nasty:
        comments.append(CommentRow(1, "D1.O1.I1", "P05", "civil society", text))
    groups = sorted({p.group for p in PARTICIPANTS})
    decisions = (
        Decision(
            "D1.O1.I2",
            "drop",
            "Indicateur d'activité, pas de résultat ; « réunions » ≠ <i>effets</i> & impact.",
            1,
            {"for": 9, "against": 1, "abstain": 1},
            "2026-11-26T16:00:00",
        ),
        Decision(
            "D1.O2.I1",
            "reword",
            "Préciser « autorités » : préfet, maire ou chef de village.",
            1,
            {},
            "2026-11-26T16:10:00",
        ),
        Decision(
            "D1.O2.I2",
            "defer",
            "Pas de consensus après deux tours ; à revoir avec les associations de jeunes.",
            2,
            {"for": 6, "against": 3, "abstain": 2},
            "2026-11-27T11:30:00",
        ),
        Decision("D2.O1.I2", "merge", "Fusionner avec D2.O1.I1.", 2, {}, "2026-11-27T11:40:00"),
    )
    return Report(
        session="atelier-bamako-2026",
        lang=lang,
        framework=FRAMEWORK,
        criteria=DEFAULT_CRITERIA,
        scale=scale,
        rule=rule,
        percentile_method=PERCENTILE_METHOD,
        participants=PARTICIPANTS,
        rounds=tuple(summaries),
        results=tuple(results),
        indicator_results=tuple(indicator_results),
        comments=tuple(comments),
        ballots=tuple(ballots),
        decisions=decisions,
        created_at="2026-11-20T08:00:00",
        generated_at="2026-11-27T12:00:00",
        show_names=show_names,
        stability=tuple(_stability(ballots, scale=scale, rule=rule, groups=groups)),
        attrition=tuple(_attrition(ballots, groups)),
    )
