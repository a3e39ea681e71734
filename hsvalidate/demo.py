"""A complete simulated workshop on the shipped draft framework, for training and trying the tool.

Why simulate through the service layer: the demo then exercises exactly the code a real
workshop uses (session store, rounds, ballots, statistics, exports), so a facilitator who
has seen the demo work has seen the real thing work on this laptop.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from hsvalidate import consensus
from hsvalidate.exports import write_exports
from hsvalidate.framework import Framework, Text
from hsvalidate.model import Ballot, Participant, Settings
from hsvalidate.workshop import Workshop

DEMO_SESSION = "demo-bamako"
DEMO_MARKER = "demo.marker"
"""File marking a session folder as the demo's own, so a rerun may replace it."""

GROUPS = {
    "gouvernement": (
        "Ministère de la Réconciliation nationale",
        "Ministère de la Sécurité et de la Protection civile",
        "Ministère de la Promotion de la Femme, de l'Enfant et de la Famille",
        "Commissariat à la Sécurité alimentaire",
        "Direction nationale de la Santé",
    ),
    "société civile": (
        "WANEP-Mali",
        "Coalition des femmes leaders du Mali",
        "Réseau des jeunes pour la paix — Mopti",
        "Association des éleveurs du Delta",
        "Radio communautaire Kayira",
    ),
    "partenaires internationaux": (
        "MINUSMA — Division des affaires civiles",
        "MINUSMA — Division des droits de l'homme",
        "PNUD Mali",
        "GPPAC",
        "The Hague Institute for Global Justice",
    ),
    "CEDEAO et régional": (
        "CEDEAO — ECOWARN",
        "Bureau de la CEDEAO à Bamako",
        "Union africaine — MISAHEL",
    ),
}

_FIRST_F = (
    "Awa",
    "Fatoumata",
    "Aminata",
    "Mariam",
    "Kadiatou",
    "Hawa",
    "Ɲɛlɛni",
    "Fanta",
    "Oumou",
    "Djénéba",
    "Assétou",
    "Salimata",
    "Bintou",
    "Kɔrɔtimi",
)
_FIRST_M = (
    "Ousmane",
    "Moussa",
    "Adama",
    "Boubacar",
    "Ibrahim",
    "Sɛkuba",
    "Mamadou",
    "Seydou",
    "Bakary",
    "Drissa",
    "Souleymane",
    "Ŋolo",
    "Lassina",
    "Modibo",
)
_LAST = (
    "Traoré",
    "Diarra",
    "Coulibaly",
    "Keïta",
    "Sangaré",
    "Dembélé",
    "Kɔnɛ",
    "Kanté",
    "Sidibé",
    "Maïga",
    "Touré",
    "Cissé",
    "Ag Mohamed",
    "Dɔnbɛlɛ",
    "Sissoko",
    "Dicko",
)

_COMMENTS = (
    "Préciser la source des données pour les régions du Nord.",
    "Le coût de collecte semble élevé hors des chefs-lieux de région.",
    "Reformuler : « proportion » plutôt que « nombre ».",
    "Désagréger aussi par milieu (urbain / rural).",
    "Indicateur pertinent mais la situation de référence manque.",
    "Attention à la sécurité des enquêteurs à Kidal et Ménaka.",
    "Aligner sur les indicateurs ODD 16 déjà suivis par l'INSTAT.",
    "La définition doit dire qui est compté comme « leader communautaire ».",
    "Les données existent déjà dans les rapports d'alerte précoce de WANEP-Mali.",
    "Fréquence annuelle suffisante ; semestrielle trop lourde.",
)


@dataclass(frozen=True)
class DemoResult:
    """What the demo produced, for the one-screen summary."""

    out_dir: Path
    session_dir: Path
    workbook: Path
    minutes: Path
    participants: int
    groups: dict[str, int]
    rounds: list[tuple[int, int, dict[str, int]]]
    """(round, indicators rated, verdict counts)."""
    decisions: int
    validated: Path
    """The validated framework, in the draft's own layout."""
    revisions: list[str]
    """What the room changed between the rounds, one line each (« D1.O1.I2 reformulé »)."""
    undone: str
    """The facilitator's mistake the demo took back."""


def make_panel(rng: random.Random, size: int) -> list[tuple[str, str, str, str]]:
    """About ``size`` synthetic participants spread over the four stakeholder groups."""
    weights = {
        "gouvernement": 0.3,
        "société civile": 0.35,
        "partenaires internationaux": 0.2,
        "CEDEAO et régional": 0.15,
    }
    people: list[tuple[str, str, str, str]] = []
    used: set[str] = set()
    for group, weight in weights.items():
        count = max(1, round(size * weight))
        for _ in range(count):
            sex = rng.choice("FM")
            while True:
                first = rng.choice(_FIRST_F if sex == "F" else _FIRST_M)
                name = f"{first} {rng.choice(_LAST)}"
                if name not in used:
                    used.add(name)
                    break
            people.append((name, rng.choice(GROUPS[group]), group, sex))
    return people[:size] if len(people) > size else people


def _latent(
    rng: random.Random, framework: Framework, settings: Settings
) -> dict[tuple[str, str], float]:
    """A hidden 'true' score per indicator and criterion, so ratings look like a real panel."""
    latent: dict[tuple[str, str], float] = {}
    for ind in framework.indicators():
        base = rng.choice((8.2, 7.8, 7.5, 7.0, 6.6, 5.2, 2.4))
        for criterion in settings.criteria:
            latent[(ind.code, criterion.code)] = base + rng.uniform(-0.8, 0.8)
    return latent


def _score(value: float, settings: Settings) -> int:
    low, high = settings.scale.low, settings.scale.high
    scaled = low + (value - 1) * (high - low) / 8
    return int(min(high, max(low, round(scaled))))


def run_demo(
    out_dir: Path, *, framework: Framework, size: int = 40, seed: int = 2016, lang: str = "fr"
) -> DemoResult:
    """Run a two-round workshop with decisions and write the workbook and the minutes."""
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    root = out_dir / "sessions"
    existing = root / DEMO_SESSION
    if existing.exists() and (existing / DEMO_MARKER).exists():
        shutil.rmtree(existing)
    # The defaults of ``hsvalidate session new``: a result needs half of those present.
    settings = Settings(
        lang=lang,
        groups=tuple(GROUPS),
        rule=replace(Settings().rule, quorum_share=consensus.DEFAULT_QUORUM_SHARE),
    )
    ws = Workshop.create(
        root=root,
        name=DEMO_SESSION,
        framework=framework,
        settings=settings,
        purpose="hsvalidate demo",
    )
    with ws:
        (existing / DEMO_MARKER).write_text(
            "Created by 'hsvalidate demo'; safe to delete.\n", encoding="utf-8"
        )
        people = ws.add_participants(make_panel(rng, size))
        _details(ws, people, lang)
        latent = _latent(rng, framework, settings)
        bias = {
            (p.group, ind.code): rng.gauss(0, 0.7) for p in people for ind in framework.indicators()
        }
        rounds: list[tuple[int, int, dict[str, int]]] = []
        previous: dict[tuple[str, str, str], int] = {}
        medians: dict[tuple[str, str], float] = {}
        # As in a real workshop, a few participants leave before the second round.
        leavers = {p.code for p in rng.sample(people, k=max(1, len(people) // 12))}
        changes: list[str] = []
        for number in (1, 2):
            if number == 2:
                # Between the rounds the room rewords, merges and adds, as in Bamako.
                changes = _revise(ws, latent, settings)
                fresh = {code for code, _ in latent if ws.history.last_change(code) is not None}
                medians = {k: v for k, v in medians.items() if k[0] not in fresh}
                previous = {k: v for k, v in previous.items() if k[1] not in fresh}
            rnd = ws.start_round()
            for person in people:
                if number > 1 and person.code in leavers:
                    continue
                batch: list[Ballot] = []
                for code in rnd.indicators:
                    ratings: dict[str, int | None] = {}
                    for criterion in settings.criteria:
                        key = (code, criterion.code)
                        if rng.random() < 0.03:
                            ratings[criterion.code] = None
                            continue
                        if number == 1:
                            value = latent[key] + bias[(person.group, code)] + rng.gauss(0, 1.4)
                        else:
                            before = previous.get((person.code, code, criterion.code))
                            anchor = medians.get(key, latent[key])
                            start = before if before is not None else anchor
                            value = 0.3 * start + 0.7 * anchor + rng.gauss(0, 0.5)
                        ratings[criterion.code] = _score(value, settings)
                    comment = rng.choice(_COMMENTS) if rng.random() < 0.06 else ""
                    batch.append(
                        Ballot(
                            round=number,
                            participant=person.code,
                            indicator=code,
                            ratings=ratings,
                            comment=comment,
                            source="demo",
                        )
                    )
                ws.record_ballots(batch)
            ws.close_round(confirmed=True)  # those who left were not expected to vote
            previous = {
                (b.participant, b.indicator, c): s
                for b in ws.ballots(number)
                for c, s in b.ratings.items()
                if s is not None
            }
            medians = {
                (r.indicator, r.criterion): r.stats.median
                for r in ws.results(number, by_group=False)
                if r.stats.median is not None
            }
            verdicts = ws.indicator_verdicts(number)
            rounds.append((number, len(rnd.indicators), dict(Counter(verdicts.values()))))
        decisions = _plenary(ws, rng)
        undone = _mistake_undone(ws)
        report = ws.build_report(lang=lang)
        (_, workbook), (_, minutes), (_, validated) = write_exports(
            report, out_dir, ["xlsx", "pdf", "framework-xlsx"]
        )
        ws.log_export([workbook, minutes, validated])
        groups = dict(Counter(p.group for p in people))
        return DemoResult(
            out_dir=out_dir,
            session_dir=root / DEMO_SESSION,
            workbook=workbook,
            minutes=minutes,
            participants=len(people),
            groups=groups,
            rounds=rounds,
            decisions=decisions,
            validated=validated,
            revisions=changes,
            undone=undone,
        )


_ROOM: dict[str, dict[str, str]] = {
    "disaggregated": {
        "fr": ", désagrégé par sexe, âge et région",
        "en": ", disaggregated by sex, age and region",
    },
    "why_disaggregated": {
        "fr": "La plénière demande la désagrégation par sexe, âge et région.",
        "en": "The plenary asks for disaggregation by sex, age and region.",
    },
    "source": {
        "fr": "Rapports d'alerte précoce de WANEP-Mali et système ECOWARN",
        "en": "WANEP-Mali early-warning reports and the ECOWARN system",
    },
    "why_source": {
        "fr": "Source de vérification précisée par la CEDEAO.",
        "en": "Means of verification specified by ECOWAS.",
    },
    "why_merged": {
        "fr": "Les deux indicateurs mesurent le même changement.",
        "en": "Both indicators measure the same change.",
    },
    "added": {
        "fr": "Pourcentage des comités locaux de paix comptant au moins 30 % de femmes",
        "en": "Percentage of local peace committees with at least 30% women",
    },
    "why_added": {
        "fr": "Proposé par la Coalition des femmes leaders du Mali.",
        "en": "Proposed by the Coalition of women leaders of Mali.",
    },
}
"""What the simulated room says and writes, in both languages: the framework gets both
wordings (partners read the English), the reasons are said in the session's language."""


def _revise(ws: Workshop, latent: dict[tuple[str, str], float], settings: Settings) -> list[str]:
    """Reword two indicators, merge two, add one, through the calls ``hsvalidate indicator`` makes.

    The new wordings get a better hidden score (the room reworded them to be clearer),
    so round 2 shows them converging as a real panel does.
    """
    verdicts = ws.indicator_verdicts(1)
    unsettled = [
        i.code
        for i in ws.framework.indicators()
        if verdicts.get(i.code) in (consensus.NO_CONSENSUS, consensus.BELOW_QUORUM)
    ]
    codes = [i.code for i in ws.framework.indicators()]
    first, second = (unsettled + [c for c in codes if c not in unsettled])[:2]
    said = settings.lang

    def both(key: str, before: Text | None = None) -> dict[str, str]:
        """The field values of a wording in both languages (``text`` and ``text_en``…)."""
        out = {}
        for lang in ("fr", "en"):
            name = "text" if lang == ws.framework.lang else f"text_{lang}"
            start = before.get(lang).rstrip(". ") if before is not None else ""
            out[name] = f"{start}{_ROOM[key][lang]}"
        return out

    done: list[str] = []
    ws.reword_indicator(
        first,
        fields=both("disaggregated", ws.framework.indicator(first).text),  # type: ignore[union-attr]
        reason=_ROOM["why_disaggregated"][said],
    )
    ws.reword_indicator(
        second,
        fields={
            ("source" if lang == ws.framework.lang else f"source_{lang}"): _ROOM["source"][lang]
            for lang in ("fr", "en")
        },
        reason=_ROOM["why_source"][said],
    )
    done += [first, second]
    outcome = next(
        o
        for o in ws.framework.outcomes()
        if len([i for i in o.indicators if i.code not in done]) >= 2
    )
    a, b = [i for i in outcome.indicators if i.code not in done][:2]
    joined = {
        lang: f"{a.text.get(lang).rstrip('. ')} ; {b.text.get(lang)[:1].lower()}"
        f"{b.text.get(lang)[1:]}"
        for lang in ("fr", "en")
    }
    other = "en" if ws.framework.lang == "fr" else "fr"
    merged = ws.merge_indicators(
        [a.code, b.code],
        text=joined[ws.framework.lang],
        fields={f"text_{other}": joined[other].replace(" ; ", "; ")},
        reason=_ROOM["why_merged"][said],
    )
    last_outcome = list(ws.framework.outcomes())[-1]
    added_text = both("added")
    added = ws.add_indicator(
        last_outcome.code,
        text=added_text.pop("text"),
        fields=added_text,
        reason=_ROOM["why_added"][said],
    )
    for code in (first, second, merged.code, added.code):
        base = 7.9 if code == added.code else 7.6
        for criterion in settings.criteria:
            earlier = latent.get((code, criterion.code), base)
            latent[(code, criterion.code)] = max(base, earlier + 1.0)
    return [str(entry.message()) for entry in ws.log_entries()[-4:]]


_SECTIONS: dict[str, dict[str, str]] = {
    "ouverture": {
        "fr": "L'atelier est ouvert par le représentant du ministère de la Réconciliation "
        "nationale, qui rappelle que le cadre de suivi-évaluation doit permettre à la société "
        "civile de **rendre compte** de la stratégie de sécurité humaine.\n\n"
        "WANEP-Mali présente la méthode : deux tours de notation, puis une plénière.\n",
        "en": "The workshop is opened by the representative of the Ministry of National "
        "Reconciliation, who recalls that the monitoring and evaluation framework must let civil "
        "society **report** on the human security strategy.\n\n"
        "WANEP-Mali presents the method: two rating rounds, then a plenary.\n",
    },
    "recommandations": {
        "fr": "- Compléter les situations de référence avec l'INSTAT avant la prochaine revue.\n"
        "- Tester la collecte à Mopti et à Gao avant de l'étendre.\n"
        "- Partager le cadre validé avec la CEDEAO pour une adaptation régionale.\n",
        "en": "- Complete the baselines with INSTAT before the next review.\n"
        "- Pilot the data collection in Mopti and Gao before extending it.\n"
        "- Share the validated framework with ECOWAS for regional adaptation.\n",
    },
}
"""What the secretariat writes itself, as Markdown files in the session's ``minutes`` folder,
so the demo's minutes show those sections as a real workshop's would."""


def _details(ws: Workshop, people: list[Participant], lang: str) -> None:
    """Set the meeting's details and write the secretariat's sections, as a facilitator would."""
    from hsvalidate.sessions import now_iso

    chair = next((p for p in people if p.group == "gouvernement"), people[0])
    rapporteur = next((p for p in people if p.organisation == "WANEP-Mali"), people[-1])
    title = {
        "fr": "Atelier national de validation du cadre de suivi-évaluation",
        "en": "National validation workshop of the monitoring and evaluation framework",
    }
    ws.set_details(
        title=title.get(lang, title["fr"]),
        place="Bamako, Hôtel de l'Amitié",
        dates=[now_iso()[:10]],
        organisers=["WANEP-Mali", "GPPAC", "The Hague Institute for Global Justice"],
        chair=chair.name,
        rapporteur=rapporteur.name,
    )
    folder = ws.store.folder
    if folder is None:
        return
    minutes = Path(folder) / "minutes"
    minutes.mkdir(exist_ok=True)
    for stem, texts in _SECTIONS.items():
        (minutes / f"{stem}.md").write_text(texts["fr"], encoding="utf-8")
        (minutes / f"{stem}.en.md").write_text(texts["en"], encoding="utf-8")


def _mistake_undone(ws: Workshop) -> str:
    """Record a decision on the wrong indicator and take it back, as a facilitator would with undo."""
    last = ws.rounds()[-1]
    code = last.indicators[-1]
    ws.record_decision(
        indicator=code,
        action="drop",
        round_no=last.number,
        rationale=_SAID["mistake"][ws.settings.lang],
    )
    return str(ws.undo().message())


_SAID: dict[str, dict[str, str]] = {
    "drop": {
        "fr": "Écarté par consensus : données non disponibles.",
        "en": "Dropped by consensus: no data available.",
    },
    "reword": {
        "fr": "Reformuler pour préciser la population et la source ; revoir lors du prochain cycle.",
        "en": "Reword to specify the population and the source; review in the next cycle.",
    },
    "defer": {
        "fr": "Reporté : consulter l'INSTAT sur la disponibilité des données.",
        "en": "Deferred: consult INSTAT on the availability of the data.",
    },
    "adopt": {
        "fr": "Retenu en plénière malgré l'absence de consensus au vote.",
        "en": "Kept by the plenary although the vote reached no consensus.",
    },
    "mistake": {
        "fr": "Saisie sur le mauvais indicateur.",
        "en": "Entered on the wrong indicator.",
    },
}
"""The plenary's reasons as the room says them, in the session's language."""


def _plenary(ws: Workshop, rng: random.Random) -> int:
    """Record the plenary's decisions on what the rounds left open, as a facilitator would.

    Through ``Workshop.record_decision``, the call ``hsvalidate decision`` makes, so the
    demo's documents show decisions exactly as a real session's do, counts included.
    """
    last = ws.rounds()[-1].number
    verdicts = ws.indicator_verdicts(last)
    said = ws.settings.lang
    count = 0
    for code, verdict in verdicts.items():
        if verdict == consensus.DROP:
            ws.record_decision(
                indicator=code,
                action="drop",
                round_no=last,
                rationale=_SAID["drop"][said],
            )
        elif verdict in (consensus.NO_CONSENSUS, consensus.BELOW_QUORUM):
            action = rng.choice(("reword", "defer", "adopt"))
            votes = {
                "for": rng.randint(18, 30),
                "against": rng.randint(2, 9),
                "abstain": rng.randint(0, 4),
            }
            rationale = _SAID[action][said]
            ws.record_decision(
                indicator=code, action=action, round_no=last, rationale=rationale, votes=votes
            )
        else:
            continue
        count += 1
    return count
