"""French and English strings of the documents the secretariat takes home (workbook and minutes).

Why a separate catalogue: the minutes are signed and archived, so their wording is
reviewed by people who do not read code; keeping every sentence here lets a
translator correct the French of the procès-verbal without touching the layout.
"""

from __future__ import annotations

import re
from datetime import datetime

from hsvalidate.i18n import Catalogue, translate

DOCUMENTS: Catalogue = {
    # Workbook sheets
    "sheet.summary": {"fr": "Synthèse", "en": "Summary"},
    "sheet.framework": {"fr": "Cadre", "en": "Framework"},
    "sheet.results": {"fr": "Résultats", "en": "Results"},
    "sheet.comments": {"fr": "Commentaires", "en": "Comments"},
    "sheet.ballots": {"fr": "Votes", "en": "Ballots"},
    "sheet.participants": {"fr": "Participants", "en": "Participants"},
    "sheet.rounds": {"fr": "Tours", "en": "Rounds"},
    "sheet.stability": {"fr": "Stabilité", "en": "Stability"},
    "sheet.attrition": {"fr": "Participation", "en": "Attrition"},
    "sheet.decisions": {"fr": "Décisions", "en": "Decisions"},
    "wb.title": {"fr": "Classeur de consensus", "en": "Consensus workbook"},
    "wb.session": {"fr": "Session : {session}", "en": "Session: {session}"},
    "wb.dates": {"fr": "Dates : {dates}", "en": "Dates: {dates}"},
    "wb.generated": {"fr": "Document produit le {when}", "en": "Generated on {when}"},
    "wb.framework": {"fr": "Cadre : {title}", "en": "Framework: {title}"},
    "wb.scale": {"fr": "Échelle : {scale}", "en": "Scale: {scale}"},
    "wb.rule": {"fr": "Règle de consensus : {rule}", "en": "Consensus rule: {rule}"},
    "wb.rule.kind": {"fr": "Type de règle : {kind} ({name})", "en": "Rule kind: {kind} ({name})"},
    "wb.rule.shares": {
        "fr": "X (part requise dans une bande) : {agree}\u00a0% ; Y (part de veto dans la bande "
        "opposée, règle du pourcentage) : {veto}\u00a0%",
        "en": "X (share needed in a band): {agree}%; Y (veto share in the opposite band, "
        "percent rule): {veto}%",
    },
    "wb.rule.quorum": {
        "fr": "Quorum (nombre minimal de notes) : {quorum} pour l'ensemble du panel ; par "
        "groupe : {group_quorum}",
        "en": "Quorum (fewest ratings): {quorum} for the whole panel; per group: {group_quorum}",
    },
    "wb.rule.no_group_quorum": {"fr": "aucun", "en": "none"},
    "wb.rule.per_group": {
        "fr": "Règle exigée dans chaque groupe d'acteurs : {flag}",
        "en": "Rule required within every stakeholder group: {flag}",
    },
    "wb.rule.likert_iqr": {
        "fr": "IQR maximal (règle Likert) : {iqr}",
        "en": "Largest IQR (Likert rule): {iqr}",
    },
    "wb.rule.stability": {
        "fr": "Seuil de stabilité : stable quand moins de {pct}\u00a0% des participants changent "
        "de bande entre deux tours",
        "en": "Stability threshold: stable when fewer than {pct}% of participants change band "
        "between two rounds",
    },
    "wb.ipras": {
        "fr": "IPRAS = {base} + {slope} × AI, centre {centre}",
        "en": "IPRAS = {base} + {slope} × AI, centre {centre}",
    },
    "wb.percentiles": {
        "fr": "Méthode des percentiles : {method}",
        "en": "Percentile method: {method}",
    },
    "wb.counts": {
        "fr": "Participants inscrits : {invited} ; présents : {present} ; tours : {rounds} ; "
        "indicateurs évalués : {rated} ; votes : {ballots} ; commentaires : {comments} ; "
        "décisions : {decisions}",
        "en": "Participants registered: {invited}; present: {present}; rounds: {rounds}; "
        "indicators rated: {rated}; ballots: {ballots}; comments: {comments}; "
        "decisions: {decisions}",
    },
    "wb.verdict_counts": {"fr": "Derniers verdicts : {counts}", "en": "Latest verdicts: {counts}"},
    "wb.anonymous": {
        "fr": "Les participants sont désignés par un code ; les noms figurent seulement sur la "
        "liste de présence du procès-verbal.",
        "en": "Participants appear by code only; names appear only on the attendance list "
        "of the minutes.",
    },
    "wb.names_shown": {
        "fr": "Attention : ce classeur contient les noms des participants à côté de leurs codes.",
        "en": "Warning: this workbook shows participants' names beside their codes.",
    },
    "col.code": {"fr": "Code", "en": "Code"},
    "col.indicator": {"fr": "Indicateur", "en": "Indicator"},
    "col.text": {"fr": "Libellé", "en": "Wording"},
    "col.round": {"fr": "Tour", "en": "Round"},
    "col.latest_round": {"fr": "Dernier tour", "en": "Latest round"},
    "col.verdict": {"fr": "Verdict", "en": "Verdict"},
    "col.combined": {"fr": "Verdict combiné", "en": "Combined verdict"},
    "col.ballots": {"fr": "Votes", "en": "Ballots"},
    "col.decision": {"fr": "Décision", "en": "Decision"},
    "col.participant": {"fr": "Participant", "en": "Participant"},
    "col.group": {"fr": "Groupe", "en": "Group"},
    "col.comment": {"fr": "Commentaire", "en": "Comment"},
    "col.version": {"fr": "Version", "en": "Version"},
    "col.criterion": {"fr": "Critère", "en": "Criterion"},
    "col.score": {"fr": "Note", "en": "Score"},
    "col.source": {"fr": "Canal", "en": "Source"},
    "col.recorded_at": {"fr": "Enregistré le", "en": "Recorded at"},
    "col.name": {"fr": "Nom", "en": "Name"},
    "col.organisation": {"fr": "Organisation", "en": "Organisation"},
    "col.sex": {"fr": "Sexe", "en": "Sex"},
    "col.present": {"fr": "Présent", "en": "Present"},
    "col.n_present": {"fr": "Présents", "en": "Present"},
    "col.status": {"fr": "Statut", "en": "Status"},
    "col.opened_at": {"fr": "Ouvert le", "en": "Opened at"},
    "col.closed_at": {"fr": "Clos le", "en": "Closed at"},
    "col.indicators": {"fr": "Indicateurs", "en": "Indicators"},
    "col.invited": {"fr": "Inscrits", "en": "Invited"},
    "col.rating": {"fr": "Votants", "en": "Rating"},
    "col.action": {"fr": "Action", "en": "Action"},
    "col.rationale": {"fr": "Justification", "en": "Rationale"},
    "col.votes": {"fr": "Vote", "en": "Vote"},
    "col.other_votes": {"fr": "Autres votes", "en": "Other votes"},
    "col.dimension": {"fr": "Dimension", "en": "Dimension"},
    "col.dimension_title": {"fr": "Intitulé de la dimension", "en": "Dimension title"},
    "col.outcome": {"fr": "Résultat attendu", "en": "Outcome"},
    "col.outcome_title": {"fr": "Intitulé du résultat", "en": "Outcome statement"},
    "col.definition": {"fr": "Définition", "en": "Definition"},
    "col.unit": {"fr": "Unité", "en": "Unit"},
    "col.calculation": {"fr": "Mode de calcul", "en": "Calculation"},
    "col.disaggregation": {"fr": "Désagrégation", "en": "Disaggregation"},
    "col.baseline": {"fr": "Situation de référence", "en": "Baseline"},
    "col.baseline_year": {"fr": "Année de référence", "en": "Baseline year"},
    "col.target": {"fr": "Cible", "en": "Target"},
    "col.target_year": {"fr": "Année cible", "en": "Target year"},
    "col.data_source": {"fr": "Source de vérification", "en": "Data source"},
    "col.method": {"fr": "Méthode de collecte", "en": "Collection method"},
    "col.frequency": {"fr": "Fréquence", "en": "Frequency"},
    "col.responsible": {"fr": "Responsable", "en": "Responsible"},
    "col.assumptions": {"fr": "Hypothèses et risques", "en": "Assumptions and risks"},
    "col.notes": {"fr": "Notes", "en": "Notes"},
    "col.median": {"fr": "méd.", "en": "med."},
    "col.pct_high": {"fr": "% élevé", "en": "% high"},
    "col.label": {"fr": "Libellé", "en": "Label"},
    "col.question": {"fr": "Question posée", "en": "Question asked"},
    "col.important_to": {"fr": "Important pour un seul groupe", "en": "Important to one group"},
    "col.group_rating": {"fr": "Groupe d'acteurs", "en": "Stakeholder group"},
    # Labels of our own vocabulary
    "verdict.keep": {"fr": "retenu", "en": "keep"},
    "verdict.drop": {"fr": "écarté", "en": "drop"},
    "verdict.no consensus": {"fr": "pas de consensus", "en": "no consensus"},
    "verdict.below quorum": {"fr": "quorum non atteint", "en": "below quorum"},
    "verdict.not rated": {"fr": "non évalué", "en": "not rated"},
    "class.appropriate": {"fr": "approprié", "en": "appropriate"},
    "class.uncertain": {"fr": "incertain", "en": "uncertain"},
    "class.inappropriate": {"fr": "inapproprié", "en": "inappropriate"},
    "class.consensus in": {"fr": "consensus pour", "en": "consensus in"},
    "class.consensus out": {"fr": "consensus contre", "en": "consensus out"},
    "class.no consensus": {"fr": "pas de consensus", "en": "no consensus"},
    "class.below quorum": {"fr": "quorum non atteint", "en": "below quorum"},
    "rule.name.ram": {"fr": "RAND/UCLA", "en": "RAND/UCLA"},
    "rule.name.percent": {"fr": "pourcentage d'accord", "en": "percent agreement"},
    "rule.name.likert": {"fr": "Likert", "en": "Likert"},
    "action.keep": {"fr": "retenir", "en": "keep"},
    "action.reword": {"fr": "reformuler", "en": "reword"},
    "action.merge": {"fr": "fusionner", "en": "merge"},
    "action.drop": {"fr": "écarter", "en": "drop"},
    "action.defer": {"fr": "reporter", "en": "defer"},
    "vote.for": {"fr": "pour", "en": "for"},
    "vote.against": {"fr": "contre", "en": "against"},
    "vote.abstain": {"fr": "abstention", "en": "abstain"},
    "group.all": {"fr": "ensemble", "en": "all"},
    "group.government": {"fr": "gouvernement", "en": "government"},
    "group.civil society": {"fr": "société civile", "en": "civil society"},
    "group.international": {"fr": "partenaires internationaux", "en": "international"},
    "group.regional": {"fr": "organisations régionales", "en": "regional"},
    "group.none": {"fr": "sans groupe", "en": "no group"},
    "status.open": {"fr": "ouvert", "en": "open"},
    "status.closed": {"fr": "clos", "en": "closed"},
    "band.low": {"fr": "faible", "en": "low"},
    "band.mid9": {"fr": "incertain", "en": "uncertain"},
    "band.mid5": {"fr": "neutre", "en": "neutral"},
    "band.high": {"fr": "élevé", "en": "high"},
    "cannot_judge": {"fr": "ne peut pas juger", "en": "cannot judge"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "scale": {
        "fr": "de {low} à {high} ({bands})",
        "en": "{low} to {high} ({bands})",
    },
    "rule.ram": {
        "fr": "RAND/UCLA : retenu quand la médiane est élevée ({high}) sans désaccord, écarté "
        "quand elle est faible ({low}) sans désaccord, sinon pas de consensus",
        "en": "RAND/UCLA: keep when the median is high ({high}) without disagreement, drop when "
        "it is low ({low}) without disagreement, otherwise no consensus",
    },
    "rule.percent": {
        "fr": "pourcentage d'accord : retenu quand au moins {agree}\u00a0% des notes sont "
        "élevées ({high}) et moins de {veto}\u00a0% faibles ({low}) ; écarté dans le cas "
        "inverse ; sinon pas de consensus",
        "en": "percent agreement: keep when at least {agree}% of ratings are high ({high}) and "
        "fewer than {veto}% low ({low}); drop in the opposite case; otherwise no consensus",
    },
    "rule.likert": {
        "fr": "Likert : retenu quand ≥ {agree}\u00a0% des notes sont dans la bande élevée "
        "({high}) et IQR ≤ {iqr} ; écarté quand ≥ {agree}\u00a0% des notes sont dans la bande "
        "faible ({low}) et IQR ≤ {iqr} ; sinon pas de consensus",
        "en": "Likert: keep when ≥ {agree}% of ratings are in the high band ({high}) and "
        "IQR ≤ {iqr}; drop when ≥ {agree}% of ratings are in the low band ({low}) and "
        "IQR ≤ {iqr}; otherwise no consensus",
    },
    "rule.quorum": {
        "fr": "Quorum : {quorum}, le nombre minimal de notes pour qu'un résultat soit classé ; "
        "en dessous, il est marqué « quorum non atteint ».",
        "en": "Quorum: {quorum}, the fewest ratings for a result to be classified; below it, "
        "the result is marked “below quorum”.",
    },
    "rule.group_quorum": {
        "fr": "Quorum par groupe : {n}, le nombre minimal de notes dans chaque groupe "
        "d'acteurs ; en dessous, le résultat de l'ensemble du panel n'est pas classé non plus.",
        "en": "Quorum per group: {n}, the fewest ratings in every stakeholder group; below "
        "it, the whole panel's result is not classified either.",
    },
    "rule.no_group_quorum": {
        "fr": "Pas de quorum par groupe d'acteurs.",
        "en": "No quorum per stakeholder group.",
    },
    "rule.per_group": {
        "fr": "Variante par groupe : la règle doit aussi être atteinte dans chaque groupe "
        "d'acteurs ; un résultat n'est retenu (ou écarté) que si chaque groupe le retient (ou "
        "l'écarte), sinon pas de consensus.",
        "en": "Group variant: the rule must also be met within every stakeholder group; a "
        "result is kept (or dropped) only when every group keeps (or drops) it, otherwise no "
        "consensus.",
    },
    "rule.whole_panel": {
        "fr": "La règle s'applique à l'ensemble du panel ; les résultats par groupe d'acteurs "
        "sont donnés à titre d'information.",
        "en": "The rule applies to the whole panel; results by stakeholder group are given for "
        "information.",
    },
    "rule.important": {
        "fr": "Un indicateur est signalé « important pour un seul groupe » lorsqu'un seul "
        "groupe d'acteurs, à lui seul, atteint le consensus pour le retenir sur un critère.",
        "en": "An indicator is flagged “important to one group” when a single stakeholder "
        "group, on its own, reaches consensus to keep it on a criterion.",
    },
    "rule.stability": {
        "fr": "Stabilité entre deux tours : parmi les participants qui ont noté un indicateur "
        "aux deux tours, un résultat est stable lorsque moins de {pct}\u00a0% d'entre eux ont "
        "changé de bande de notation. Aucun test de significativité (Wilcoxon) n'est calculé.",
        "en": "Stability between rounds: among the participants who rated an indicator in both "
        "rounds, a result is stable when fewer than {pct}% of them changed rating band. No "
        "significance test (Wilcoxon) is computed.",
    },
    "rule.ipras5": {
        "fr": "Sur l'échelle de 1 à 5, l'IPRAS est adapté : centré sur 3, constante de base "
        "divisée par deux, soit {base}, pente {slope} (l'échelle de 1 à 9 ramenée "
        "linéairement sur 1 à 5).",
        "en": "On the 1–5 scale, IPRAS is adapted: centred on 3, base constant halved to "
        "{base}, slope {slope} (the 1–9 scale mapped linearly onto 1–5).",
    },
    # Stability and attrition sheets
    "wb.stability.intro": {
        "fr": "Stabilité entre deux tours consécutifs, pour les participants ayant noté "
        "l'indicateur aux deux tours (réponses « ne peut pas juger » exclues).",
        "en": "Stability between consecutive rounds, for the participants who rated the "
        "indicator in both rounds (“cannot judge” answers excluded).",
    },
    "wb.stability.stable": {
        "fr": "stable = oui lorsque moins de {pct}\u00a0% des participants (pct_moved) ont "
        "changé de bande de notation ; vide lorsqu'aucun participant n'a noté aux deux tours.",
        "en": "stable = yes when fewer than {pct}% of participants (pct_moved) changed rating "
        "band; empty when nobody rated in both rounds.",
    },
    "wb.stability.no_test": {
        "fr": "Aucun test de significativité n'est calculé (pas de test des rangs signés de "
        "Wilcoxon : scipy n'est pas une dépendance de hsvalidate).",
        "en": "No significance test is computed (no Wilcoxon signed-rank test: scipy is not a "
        "dependency of hsvalidate).",
    },
    "wb.attrition.intro": {
        "fr": "Participation par tour et par groupe d'acteurs : inscrits (enregistrés), "
        "présents (marqués présents), votants (au moins un vote dans le tour).",
        "en": "Turnout per round and stakeholder group: invited (registered), present (marked "
        "present), rating (at least one ballot in the round).",
    },
    # Minutes
    "pdf.title": {"fr": "Procès-verbal de validation", "en": "Validation minutes"},
    "pdf.subject": {
        "fr": "Atelier de validation du cadre de suivi-évaluation",
        "en": "Validation workshop of the monitoring and evaluation framework",
    },
    "pdf.session": {"fr": "Session : {session}", "en": "Session: {session}"},
    "pdf.dates": {"fr": "Dates : {dates}", "en": "Dates: {dates}"},
    "pdf.generated": {"fr": "Document produit le {when}.", "en": "Generated on {when}."},
    "pdf.illustrative": {"fr": "Note : {note}", "en": "Note: {note}"},
    "pdf.footer": {
        "fr": "{session} — page {page} / {pages}",
        "en": "{session} — page {page} / {pages}",
    },
    "pdf.h.attendance": {"fr": "1. Liste de présence", "en": "1. Attendance"},
    "pdf.h.method": {"fr": "2. Méthode", "en": "2. Method"},
    "pdf.h.results": {"fr": "3. Résultats", "en": "3. Results"},
    "pdf.h.decisions": {"fr": "4. Décisions", "en": "4. Decisions"},
    "pdf.h.comments": {"fr": "5. Commentaires", "en": "5. Comments"},
    "pdf.h.next": {"fr": "6. Prochaines étapes", "en": "6. Next steps"},
    "pdf.h.signatures": {"fr": "7. Signatures", "en": "7. Signatures"},
    "pdf.attendance.summary": {
        "fr": "{present} participants présents sur {invited} inscrits : {by_group}.",
        "en": "{present} participants present out of {invited} registered: {by_group}.",
    },
    "pdf.attendance.absent": {
        "fr": "Les participants marqués « non » étaient inscrits mais absents.",
        "en": "Participants marked “no” were registered but absent.",
    },
    "pdf.method.intro": {
        "fr": "Les participants ont noté chaque indicateur selon une méthode Delphi modifiée "
        "(RAND/UCLA), en un ou plusieurs tours ; seuls les indicateurs sans consensus sont "
        "soumis de nouveau au tour suivant.",
        "en": "Participants rated each indicator in a modified Delphi (RAND/UCLA) process, in "
        "one or more rounds; only the indicators without consensus are rated again in the "
        "next round.",
    },
    "pdf.method.scale": {
        "fr": "Échelle de notation : {scale}. Les réponses « ne peut pas juger » sont comptées "
        "à part et exclues des statistiques.",
        "en": "Rating scale: {scale}. Answers of “cannot judge” are counted apart and excluded "
        "from the statistics.",
    },
    "pdf.method.criteria": {
        "fr": "Critères de notation :",
        "en": "Rating criteria:",
    },
    "pdf.method.rule": {
        "fr": "Règle de consensus, fixée avant le premier tour : {rule}.",
        "en": "Consensus rule, set before the first round: {rule}.",
    },
    "pdf.method.combined": {
        "fr": "Verdict combiné d'un indicateur sur l'ensemble des critères : retenu seulement "
        "si tous les critères sont retenus ; écarté dès qu'un critère est écarté ; sinon, "
        "quorum non atteint si un critère n'atteint pas le quorum ; sinon pas de consensus.",
        "en": "Combined verdict of an indicator across criteria: keep only when every "
        "criterion says keep; drop when any criterion says drop; otherwise below quorum when "
        "any criterion is below quorum; otherwise no consensus.",
    },
    "pdf.method.percentiles": {
        "fr": "Percentiles (quartiles, P30, P70) : interpolation linéaire entre les statistiques "
        "d'ordre, méthode « {method} ».",
        "en": "Percentiles (quartiles, P30, P70): {method}.",
    },
    "pdf.method.percentiles_other": {
        "fr": "Percentiles (quartiles, P30, P70) : {method}.",
        "en": "Percentiles (quartiles, P30, P70): {method}.",
    },
    "pdf.method.ipras": {
        "fr": "Désaccord (manuel RAND/UCLA, Fitch et al. 2001) : IPR = P70 − P30 ; "
        "IPRCP = (P30 + P70) / 2 ; AI = |{centre} − IPRCP| ; IPRAS = {base} + {slope} × AI ; "
        "il y a désaccord lorsque IPR > IPRAS.",
        "en": "Disagreement (RAND/UCLA manual, Fitch et al. 2001): IPR = P70 − P30; "
        "IPRCP = (P30 + P70) / 2; AI = |{centre} − IPRCP|; IPRAS = {base} + {slope} × AI; "
        "there is disagreement when IPR > IPRAS.",
    },
    "pdf.results.turnout": {
        "fr": "Participation : {present} présents sur {invited} inscrits, {rating} votants, "
        "{ballots} votes, {n} indicateurs soumis.",
        "en": "Turnout: {present} present out of {invited} registered, {rating} rating, "
        "{ballots} ballots, {n} indicators rated.",
    },
    "pdf.results.legend": {
        "fr": "Pour chaque critère : médiane · part des notes élevées ({high}) · verdict, pour "
        "l'ensemble du panel. Les résultats par groupe d'acteurs figurent dans le classeur "
        "de consensus.",
        "en": "For each criterion: median · share of high ratings ({high}) · verdict, for the "
        "whole panel. Results by stakeholder group are in the consensus workbook.",
    },
    "pdf.round_heading": {"fr": "Tour {round}", "en": "Round {round}"},
    "pdf.results.stability": {
        "fr": "Stabilité depuis le tour {previous}, pour l'ensemble du panel : résultats stables "
        "{stable} sur {total} ({pct}), un résultat étant stable quand moins de "
        "{threshold}\u00a0% des participants ont changé de bande.",
        "en": "Stability since round {previous}, whole panel: stable results {stable} of "
        "{total} ({pct}), a result being stable when fewer than {threshold}% of participants "
        "changed band.",
    },
    "pdf.results.stability_none": {
        "fr": "Stabilité depuis le tour {previous} : aucun participant n'a noté les mêmes "
        "indicateurs aux deux tours.",
        "en": "Stability since round {previous}: nobody rated the same indicators in both rounds.",
    },
    "pdf.results.important_legend": {
        "fr": "{mark} : important pour un seul groupe d'acteurs, qui à lui seul atteint le "
        "consensus pour retenir l'indicateur sur au moins un critère ; son nom figure sous le "
        "libellé.",
        "en": "{mark}: important to one stakeholder group, which alone reaches consensus to "
        "keep the indicator on at least one criterion; its name is given under the wording.",
    },
    "pdf.results.important_to": {
        "fr": "{mark} important pour un seul groupe : {groups}",
        "en": "{mark} important to one group: {groups}",
    },
    "pdf.participation.total": {"fr": "Ensemble", "en": "All"},
    "pdf.version": {"fr": "version {version}", "en": "version {version}"},
    "pdf.decisions.none": {
        "fr": "Aucune décision n'a été enregistrée.",
        "en": "No decision was recorded.",
    },
    "pdf.decisions.after_round": {"fr": "après le tour {round}", "en": "after round {round}"},
    "pdf.comments.intro": {
        "fr": "Commentaires anonymes, attribués au seul groupe d'acteurs.",
        "en": "Anonymous comments, attributed to the stakeholder group only.",
    },
    "pdf.comments.intro_named": {
        "fr": "Commentaires attribués au code du participant et à son groupe.",
        "en": "Comments attributed to the participant's code and group.",
    },
    "pdf.comments.none": {
        "fr": "Aucun commentaire n'a été formulé.",
        "en": "No comment was made.",
    },
    "pdf.comments.heading": {
        "fr": "{indicator} — tour {round}",
        "en": "{indicator} — round {round}",
    },
    "pdf.next.intro": {
        "fr": "À compléter en séance : actions, responsables et échéances.",
        "en": "To be completed in the room: actions, responsible persons and deadlines.",
    },
    "pdf.next.action": {"fr": "Action", "en": "Action"},
    "pdf.next.responsible": {"fr": "Responsable", "en": "Responsible"},
    "pdf.next.deadline": {"fr": "Échéance", "en": "Deadline"},
    "pdf.sign.rapporteur": {"fr": "Rapporteur", "en": "Rapporteur"},
    "pdf.sign.chair": {"fr": "Président de séance", "en": "Chair"},
    "pdf.sign.name": {"fr": "Nom :", "en": "Name:"},
    "pdf.sign.date": {"fr": "Date :", "en": "Date:"},
    "pdf.sign.signature": {"fr": "Signature :", "en": "Signature:"},
}
"""Every document string, ``{key: {"fr": ..., "en": ...}}``, for ``i18n.translate``."""

_FRENCH_SPACES = re.compile(r"(?<=«) | (?=[:;?!»])")

_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def doc_text(key: str, lang: str, **values: object) -> str:
    """A document string in ``lang``, with French spacing that never breaks a line badly.

    Why: in French a space precedes « : ; ? ! » and follows « ; a line break there
    leaves a lone colon or guillemet at the start of a line in the signed minutes.
    Only the template is changed, never the values a user typed.
    """
    template = translate(DOCUMENTS, key, lang)
    if lang == "fr":
        template = _FRENCH_SPACES.sub("\u00a0", template)
    return template.format(**values) if values else template


def _label(prefix: str, value: str, lang: str) -> str:
    """Our own vocabulary translated; anything a user typed is shown as typed."""
    key = f"{prefix}.{value}"
    return doc_text(key, lang) if key in DOCUMENTS else value


def verdict_label(verdict: str, lang: str) -> str:
    """``keep`` → ``retenu``: readers of the minutes never see the internal codes."""
    return _label("verdict", verdict, lang)


def class_label(value: str, lang: str) -> str:
    """A RAND/UCLA or percent-agreement class in words (``consensus in`` → ``consensus pour``)."""
    return _label("class", value, lang)


def rule_name(kind: str, lang: str) -> str:
    """The name of a consensus rule kind (``percent`` → ``pourcentage d'accord``)."""
    return _label("rule.name", kind, lang)


def action_label(action: str, lang: str) -> str:
    """A decision's action in words (``reword`` → ``reformuler``)."""
    return _label("action", action, lang)


def group_label(group: str, lang: str) -> str:
    """A stakeholder group: the default groups are translated, configured ones kept as typed."""
    if not group:
        return doc_text("group.none", lang)
    return _label("group", group, lang)


def vote_label(choice: str, lang: str) -> str:
    """A vote choice (``for`` → ``pour``); other choices are kept as recorded."""
    return _label("vote", choice, lang)


def status_label(status: str, lang: str) -> str:
    """A round status (``closed`` → ``clos``)."""
    return _label("status", status, lang)


def yes_no(flag: bool, lang: str) -> str:
    """A boolean a reader understands, rather than TRUE/FALSE."""
    return doc_text("yes" if flag else "no", lang)


def format_date(iso: str, lang: str) -> str:
    """An ISO timestamp as a signed document writes it (``27 novembre 2026``).

    Unparseable text is returned as is rather than failing the whole export.
    """
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    months = _MONTHS_FR if lang == "fr" else _MONTHS_EN
    day = "1er" if lang == "fr" and when.day == 1 else str(when.day)
    return f"{day} {months[when.month - 1]} {when.year}"


def format_date_range(first: str, last: str, lang: str) -> str:
    """Workshop dates: one date when it fitted in a day, otherwise first – last."""
    start, end = format_date(first, lang), format_date(last, lang)
    if not start or not end or start == end:
        return start or end
    return f"{start} – {end}"


def format_number(value: float | None, lang: str, *, digits: int = 1) -> str:
    """A figure for reading (not for computing): ``7`` or ``7,5`` in French; a dash when absent."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", ",") if lang == "fr" else text


def format_percent(value: float | None, lang: str) -> str:
    """A share as ``83 %`` (French, non-breaking space) or ``83%``."""
    if value is None:
        return "–"
    number = format_number(value, lang, digits=0)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"
