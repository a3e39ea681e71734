"""A realistic session snapshot built by hand, tallied into a ``Report`` without any store.

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
from dataclasses import replace

from hsvalidate import tally
from hsvalidate.consensus import Rule, Scale
from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text
from hsvalidate.model import DEFAULT_CRITERIA, Ballot, Decision, Participant, Round, Settings
from hsvalidate.report import Report
from hsvalidate.tally import Snapshot

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
    ballots: dict[int, list[Ballot]] = {}
    rounds: list[Round] = []
    nasty = iter(NASTY_COMMENTS)
    n_comments = 0
    earlier: dict[tuple[str, str, str], int | None] = {}
    for round_no, codes, profile, opened, closed in rounds_spec:
        round_ballots = ballots.setdefault(round_no, [])
        for code in codes:
            spread = profile[code][1]
            version = _VERSION_R2.get(code, 1) if round_no == 2 else 1
            if round_no == 2 and code == "D2.O1.I2":
                raters = present[:2]
            elif round_no == 2:
                raters = [p for p in present if p.code != _LEFT_AFTER_ROUND_1]
            else:
                raters = present
            for i, p in enumerate(raters):
                centre = _GROUP_CENTRE.get((code, p.group), profile[code][0])
                ratings: dict[str, int | None] = {}
                for criterion in DEFAULT_CRITERIA:
                    before = earlier.get((p.code, code, criterion.code))
                    # A reworded indicator is a new question: fresh ratings.
                    ratings[criterion.code] = (
                        _rescore(rng, before, scale)
                        if round_no == 2 and code not in _VERSION_R2 and before is not None
                        else _score(rng, centre, spread, scale)
                    )
                comment = ""
                if rng.random() < 0.3:
                    comment = next(nasty, ORDINARY_COMMENTS[n_comments % len(ORDINARY_COMMENTS)])
                    n_comments += 1
                round_ballots.append(
                    Ballot(
                        round=round_no,
                        participant=p.code,
                        indicator=code,
                        ratings=ratings,
                        comment=comment,
                        version=version,
                        source="paper" if i % 4 == 0 else "terminal",
                        recorded_at=f"{opened[:11]}10:{i:02d}:00",
                    )
                )
            earlier.update(
                ((b.participant, code, c), score)
                for b in round_ballots
                if b.indicator == code
                for c, score in b.ratings.items()
            )
        rounds.append(Round(round_no, tuple(codes), "closed", opened, closed))
    # Every nasty comment must be in the report whatever the random draw gave: the ones
    # left go to round-1 ballots that carry no comment yet.
    silent = (b for b in ballots[1] if not b.comment)
    for text in nasty:
        target = next(silent)
        index = ballots[1].index(target)
        ballots[1][index] = replace(target, comment=text)
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
    settings = Settings(scale=scale, rule=rule, criteria=DEFAULT_CRITERIA, lang=lang)
    snapshot = Snapshot(
        name="atelier-bamako-2026",
        settings=settings,
        framework=FRAMEWORK,
        participants=PARTICIPANTS,
        rounds=tuple(rounds),
        ballots={n: tuple(b) for n, b in ballots.items()},
        decisions=decisions,
        created_at="2026-11-20T08:00:00",
    )
    return tally.build_report(
        snapshot, lang=lang, show_names=show_names, generated_at="2026-11-27T12:00:00"
    )
