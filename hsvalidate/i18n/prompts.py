"""Strings participants see on the ballot screen, in French and English."""

from __future__ import annotations

PROMPTS: dict[str, dict[str, str]] = {
    "cannot_judge": {"fr": "Je ne peux pas juger", "en": "I cannot judge"},
    "low": {"fr": "pas du tout", "en": "not at all"},
    "high": {"fr": "tout à fait", "en": "completely"},
    "middle": {"fr": "moyennement", "en": "moderately"},
    "how_to_rate": {
        "fr": "(tapez le chiffre ou utilisez les flèches, puis Entrée)",
        "en": "(type the number or use the arrow keys, then Enter)",
    },
    "comment": {
        "fr": "Commentaire ou reformulation proposée (facultatif, Entrée pour passer) :",
        "en": "Comment or proposed rewording (optional, Enter to skip):",
    },
    "position": {"fr": "Indicateur {i} sur {n}", "en": "Indicator {i} of {n}"},
    "definition": {"fr": "Définition :", "en": "Definition:"},
    "outcome": {"fr": "Résultat :", "en": "Outcome:"},
    "dimension": {"fr": "Dimension :", "en": "Dimension:"},
    "feedback": {
        "fr": "Tour précédent — médiane {median}, bas {low} %, moyen {mid} %, haut {high} % "
        "(n = {n}) ; votre note : {own}",
        "en": "Previous round — median {median}, low {low}%, middle {mid}%, high {high}% "
        "(n = {n}); your rating: {own}",
    },
    "comments_seen": {
        "fr": "Commentaires anonymes du tour précédent :",
        "en": "Anonymous comments from the previous round:",
    },
    "none": {"fr": "aucune", "en": "none"},
    "recorded": {"fr": "✓ Vote enregistré ({code}).", "en": "✓ Ballot recorded ({code})."},
    "who": {"fr": "Qui vote ?", "en": "Who is voting?"},
    "done": {
        "fr": "Merci ! Vous avez noté tous les indicateurs de ce tour.",
        "en": "Thank you! You have rated every indicator of this round.",
    },
    "name": {"fr": "Nom complet :", "en": "Full name:"},
    "organisation": {"fr": "Organisation :", "en": "Organisation:"},
    "group": {"fr": "Groupe d'acteurs :", "en": "Stakeholder group:"},
    "sex": {"fr": "Sexe :", "en": "Sex:"},
    "sex_f": {"fr": "Femme", "en": "Female"},
    "sex_m": {"fr": "Homme", "en": "Male"},
    "sex_none": {"fr": "Non précisé", "en": "Not given"},
}
