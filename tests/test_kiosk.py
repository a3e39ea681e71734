"""The kiosk (``hsvalidate ballot``), driven with keystrokes through prompt_toolkit's pipe input.

The screens are drawn on an 80×24 terminal whose text the tests read, as a participant
would; what is stored is read back from the session.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from hsvalidate import kiosk_screen, prompts
from hsvalidate.cli import cli
from hsvalidate.framework import Framework, Text
from hsvalidate.i18n import t
from hsvalidate.kiosk_screen import Item, Para, PickerEntry, layout_menu, matching, search_key
from hsvalidate.model import Settings
from hsvalidate.workshop import Workshop

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
LEFT = "\x1b[D"
CTRL_C = "\x03"
YES = "o"  # the French session's key for « Oui, c'est moi »

PEOPLE = [
    ("Aminata Traoré", "WANEP-Mali", "société civile", "F"),
    ("Ɲɛnɛba Kɔnɛ", "CEDEAO", "régional", "F"),
    ("Ŋolo Diarra", "Mairie de Ségou", "collectivités", "M"),
    ("Moussa Keïta", "Ministère de la Sécurité", "gouvernement", "M"),
    ("Aminata Traoré", "Radio Kayira", "médias", "F"),
]
"""P01 and P05 are namesakes; P02 and P03 carry Bambara letters."""


@contextmanager
def screen(keys: str) -> Iterator[list[str]]:
    """Type ``keys`` into the kiosk on an 80×24 terminal; the list collects what it drew.

    Why collect the drawn lines rather than read the terminal stream: prompt_toolkit
    redraws only the characters that changed, so a sentence on the stream may be cut
    by cursor moves.  Every screen is laid out by ``kiosk_screen._formatted``; each
    drawing is kept whole, one string per screen drawn.
    """
    drawings: list[str] = []
    real = kiosk_screen._formatted

    def spy(lines: Sequence[tuple[str, str]]) -> StyleAndTextTuples:
        drawings.append("\n".join(text for _, text in lines).replace("\xa0", " "))
        return real(lines)

    output = Vt100_Output(io.StringIO(), lambda: Size(rows=24, columns=80), term="xterm")
    with (
        pytest.MonkeyPatch.context() as patch,
        create_pipe_input() as inp,
        create_app_session(input=inp, output=output),
    ):
        patch.setattr(kiosk_screen, "_formatted", spy)
        inp.send_text(keys)
        inp.close()
        yield drawings


def shown(drawings: list[str]) -> str:
    """Everything the screens drew, one after the other, lines joined as the words were wrapped."""
    return " ".join(drawings).replace("\n", " ")


def rate(*scores: str, comment: str = "") -> str:
    """Keystrokes for one indicator: a digit and Enter per criterion, then the comment."""
    return "".join(f"{s}{ENTER}" for s in scores) + comment + ENTER


ALL_FIVE = rate("5", "5", "5") * 5
FINISH = ENTER + ENTER  # « Terminer » on the review screen, then « participant suivant »


def pick(search: str) -> str:
    """Find oneself in the list by typing, then say yes to « Vous êtes bien … ? »."""
    return search + ENTER + YES + ENTER


def framework_with_details(framework: Framework) -> Framework:
    """The small framework where D1.O1.I1 has its source, frequency, baseline and target."""
    dims = list(framework.dimensions)
    outcome = dims[0].outcomes[0]
    first = replace(
        outcome.indicators[0],
        source=Text("Registres de la police de Mopti", "Mopti police records"),
        frequency=Text("Trimestrielle", "Quarterly"),
        baseline="42",
        baseline_year=2023,
        target="30",
        target_year=2026,
    )
    outcome = replace(outcome, indicators=(first, *outcome.indicators[1:]))
    dims[0] = replace(dims[0], outcomes=(outcome, *dims[0].outcomes[1:]))
    return replace(framework, dimensions=tuple(dims))


@pytest.fixture
def kiosk(sessions_dir: Path, small_framework: Framework, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    ws = Workshop.create(
        root=sessions_dir,
        name="Atelier",
        framework=framework_with_details(small_framework),
        settings=Settings(),
    )
    with ws:
        ws.add_participants(PEOPLE)
        ws.start_round()
    return sessions_dir


def ballot(*args: str) -> Result:
    return CliRunner().invoke(cli, ["ballot", *args], catch_exceptions=False)


def stored(sessions_dir: Path) -> dict[str, dict[str, dict[str, int | None]]]:
    """participant → indicator → the ratings that count."""
    out: dict[str, dict[str, dict[str, int | None]]] = {}
    with Workshop.open(root=sessions_dir, name="Atelier", writable=False) as ws:
        for b in ws.ballots(1):
            out.setdefault(b.participant, {})[b.indicator] = b.ratings
    return out


def all_ballots(sessions_dir: Path) -> int:
    with Workshop.open(root=sessions_dir, name="Atelier", writable=False) as ws:
        return len(list(ws.store.ballots(1)))


# -- the loop ----------------------------------------------------------------------------


def test_two_participants_vote_one_after_the_other_then_the_facilitator_quits(
    kiosk: Path,
) -> None:
    keys = (
        pick("P04") + ALL_FIVE + FINISH + pick("kone") + rate("9", "8", "7") * 5 + FINISH + CTRL_C
    )
    with screen(keys) as drawn:
        result = ballot()
    assert result.exit_code == 0, result.output
    votes = stored(kiosk)
    assert set(votes) == {"P04", "P02"}
    assert len(votes["P04"]) == 5 and len(votes["P02"]) == 5
    assert votes["P02"]["D2.O1.I2"] == {"relevance": 9, "feasibility": 8, "clarity": 7}
    text = shown(drawn)
    assert text.count("Participant suivant — tour 1") >= 3  # before each, and after the last
    assert t("kiosk.closed", lang="fr") in result.output.replace("\n", " ")


def test_quitter_in_the_list_closes_the_kiosk(kiosk: Path) -> None:
    with screen(UP + ENTER) as drawn:  # up from nowhere: the last entry, « Quitter »
        result = ballot()
    assert result.exit_code == 0, result.output
    assert "Quitter le bureau de vote" in shown(drawn)
    assert "Bureau de vote fermé" in result.output
    assert stored(kiosk) == {}


def test_ctrl_c_during_a_ballot_keeps_what_was_confirmed_and_returns_to_the_list(
    kiosk: Path,
) -> None:
    keys = pick("P04") + rate("8", "8", "8") + "6" + ENTER + CTRL_C + CTRL_C
    with screen(keys) as drawn:
        result = ballot()
    assert result.exit_code == 0, result.output
    assert set(stored(kiosk)["P04"]) == {"D1.O1.I1"}
    text = shown(drawn)
    assert "Vote de P04 interrompu : les votes confirmés sont enregistrés" in text
    with screen(pick("P04") + ENTER) as drawn:  # they come back: the next indicator waits
        ballot()
    assert "indicateur 2 sur 5" in shown(drawn)


# -- the picker --------------------------------------------------------------------------


def test_the_list_shows_organisation_and_group_and_accent_free_search_finds_traore(
    kiosk: Path,
) -> None:
    with screen("traore" + CTRL_C) as drawn:
        ballot()
    text = shown(drawn)
    assert "P01 — Aminata Traoré (WANEP-Mali, société civile)" in text
    assert "P05 — Aminata Traoré (Radio Kayira, médias)" in text


def test_namesakes_are_told_apart_by_organisation(kiosk: Path) -> None:
    with screen(pick("traore radio") + ALL_FIVE + FINISH + CTRL_C) as drawn:
        ballot()
    assert set(stored(kiosk)) == {"P05"}
    assert "Vous êtes bien Aminata Traoré (P05, Radio Kayira) ?" in shown(drawn)


def test_enter_with_several_namesakes_chooses_nobody(kiosk: Path) -> None:
    with screen("aminata" + ENTER + CTRL_C) as drawn:
        ballot()
    assert "2 participants correspondent" in shown(drawn)
    assert stored(kiosk) == {}


def test_search_folds_accents_and_spells_out_bambara_letters() -> None:
    entries = [
        PickerEntry("P01", "P01 — Aminata Traoré (WANEP-Mali, société civile)"),
        PickerEntry("P02", "P02 — Ɲɛnɛba Kɔnɛ (CEDEAO, régional)"),
        PickerEntry("P03", "P03 — Ŋolo Diarra (Mairie de Ségou, collectivités)"),
        PickerEntry("P10", "P10 — Moussa Keïta (Ministère, gouvernement)"),
    ]

    def codes(typed: str) -> list[str]:
        return [e.code for e in matching(entries, typed)]

    assert codes("traore") == ["P01"]
    assert codes("TRAORÉ") == ["P01"]
    assert codes("ɲɛnɛ") == ["P02"] and codes("nyene") == ["P02"]
    assert codes("ŋolo") == ["P03"] and codes("ngolo segou") == ["P03"]
    assert codes("keita") == ["P10"]
    assert codes("p1") == ["P10"]  # found while the code is being typed
    assert codes("") == ["P01", "P02", "P03", "P10"]
    assert search_key("Kɔnɛ") == "kone"


def test_refusing_the_confirmation_votes_nothing(kiosk: Path) -> None:
    # A stray Enter on « Vous êtes bien … ? » is « Non »: back to the list.
    with screen("P01" + ENTER + ENTER + CTRL_C) as drawn:
        result = ballot()
    assert result.exit_code == 0
    text = shown(drawn)
    assert "Vous êtes bien Aminata Traoré (P01, WANEP-Mali) ?" in text
    assert "indicateur 1 sur 5" not in text and "interrompu" not in text  # never started
    assert all_ballots(kiosk) == 0


def test_withdrawn_and_absent_participants_are_not_offered(kiosk: Path) -> None:
    with Workshop.open(root=kiosk, name="Atelier") as ws:
        ws.withdraw_participant("P03")
        ws.set_presence("P04", status="absent")
    with screen("P04" + ENTER + CTRL_C) as drawn:
        ballot()
    text = shown(drawn)
    assert "P01 — Aminata Traoré" in text
    assert "P03 — " not in text and "P04 — " not in text
    assert "Personne ne correspond à « P04 »" in text
    with screen("ngolo" + ENTER + CTRL_C) as drawn:
        ballot()
    assert "Personne ne correspond à « ngolo »" in shown(drawn)
    assert stored(kiosk) == {}


# -- rating ------------------------------------------------------------------------------


def test_a_stray_enter_records_no_rating(kiosk: Path) -> None:
    keys = pick("P04") + ENTER * 4 + CTRL_C + CTRL_C  # as many Enters as questions
    with screen(keys) as drawn:
        ballot()
    assert all_ballots(kiosk) == 0
    assert "Aucune note choisie" in shown(drawn)


def test_the_screen_shows_source_frequency_baseline_and_target(kiosk: Path) -> None:
    with screen(pick("P04") + CTRL_C + CTRL_C) as drawn:
        ballot()
    text = shown(drawn)
    assert "D1.O1.I1 — Nombre d'incidents signalés" in text
    assert "Source de vérification : Registres de la police de Mopti" in text
    assert "Fréquence de collecte : Trimestrielle" in text
    assert "Valeur de référence : 42 (2023) · Cible : 30 (2026)" in text
    assert "Dimension : Sécurité personnelle" in text
    assert "Je ne peux pas juger" in text and "1 — pas du tout" in text


def test_the_english_screen_follows_lang_en(kiosk: Path) -> None:
    with screen(pick("P04").replace(YES, "y") + rate("7", "0", "9") + CTRL_C + CTRL_C) as drawn:
        result = ballot("--lang", "en")
    assert result.exit_code == 0, result.output
    text = shown(drawn)
    assert "Are you Moussa Keïta (P04, Ministère de la Sécurité)?" in text
    assert "Source of verification: Mopti police records" in text
    assert "Baseline: 42 (2023) · Target: 30 (2026)" in text
    assert t("ballot.recorded", lang="en", code="D1.O1.I1") in text
    assert stored(kiosk)["P04"]["D1.O1.I1"] == {"relevance": 7, "feasibility": None, "clarity": 9}
    assert "Voting station closed" in result.output


def test_back_to_the_previous_indicator_and_changing_it_makes_the_later_score_count(
    kiosk: Path,
) -> None:
    keys = (
        pick("P04")
        + rate("2", "2", "2")  # D1.O1.I1
        + LEFT  # on D1.O1.I2: back to D1.O1.I1, its answers under the cursor
        + ENTER
        + ENTER
        + "9"
        + ENTER  # clarity changed from 2 to 9
        + ENTER  # the comment, empty
        + rate("3", "3", "3") * 4  # back where they were: D1.O1.I2 and the rest
        + FINISH
        + CTRL_C
    )
    with screen(keys) as drawn:
        result = ballot()
    assert result.exit_code == 0, result.output
    votes = stored(kiosk)["P04"]
    assert votes["D1.O1.I1"] == {"relevance": 2, "feasibility": 2, "clarity": 9}
    assert votes["D1.O1.I2"] == {"relevance": 3, "feasibility": 3, "clarity": 3}
    assert len(votes) == 5
    assert "Votre vote déjà enregistré : Pertinence 2" in shown(drawn)
    assert all_ballots(kiosk) == 6  # D1.O1.I1 twice: the later one counts


def test_review_screen_lists_scores_and_lets_one_be_changed_before_finishing(
    kiosk: Path,
) -> None:
    keys = (
        pick("P04")
        + rate("4", "0", "6") * 5
        + DOWN * 3  # on the review: past « Terminer » to the third indicator
        + ENTER
        + "8"
        + ENTER
        + ENTER
        + ENTER
        + ENTER  # its comment: back to the review
        + FINISH
        + CTRL_C
    )
    with screen(keys) as drawn:
        result = ballot()
    assert result.exit_code == 0, result.output
    votes = stored(kiosk)["P04"]
    assert votes["D1.O2.I1"] == {"relevance": 8, "feasibility": None, "clarity": 6}
    assert votes["D1.O1.I1"] == {"relevance": 4, "feasibility": None, "clarity": 6}
    text = shown(drawn)
    assert "Moussa Keïta (P04) — récapitulatif de vos votes" in text
    assert "D1.O1.I1  4 · ne peut pas juger · 6" in text
    assert "Merci, Moussa Keïta (P04) !" in text


def test_an_indicator_confirmed_unchanged_is_not_stored_twice(kiosk: Path) -> None:
    keys = pick("P04") + rate("5", "5", "5") + LEFT + ENTER * 4 + CTRL_C + CTRL_C
    with screen(keys) as drawn:
        ballot()
    assert all_ballots(kiosk) == 1
    assert "Vote inchangé (D1.O1.I1)." in shown(drawn)


def test_one_named_participant_then_the_command_ends(kiosk: Path) -> None:
    with screen(ALL_FIVE + FINISH):
        result = ballot("--participant", "P02")
    assert result.exit_code == 0, result.output
    assert len(stored(kiosk)["P02"]) == 5
    assert "P02 a noté tous les indicateurs de ce tour" in result.output.replace("\n", " ")


def test_one_named_participant_interrupted_stops_the_command(kiosk: Path) -> None:
    with screen(rate("8", "8", "8") + "5" + ENTER):  # keys run out mid-indicator
        result = ballot("--participant", "P02")
    assert result.exit_code == 130
    assert t("cli.stopped", lang="fr") in result.output
    assert set(stored(kiosk)["P02"]) == {"D1.O1.I1"}


def test_round_two_shows_the_groups_feedback_and_own_previous_rating(kiosk: Path) -> None:
    with Workshop.open(root=kiosk, name="Atelier") as ws:
        for code in ("P01", "P02"):
            for ind in ws.framework.indicators():
                score = 9 if ind.code != "D1.O1.I1" else (1 if code == "P01" else 9)
                ws.record_ballot(
                    participant=code,
                    indicator=ind.code,
                    ratings={"relevance": score, "feasibility": score, "clarity": score},
                    comment="Trop vague pour Kidal"
                    if code == "P02" and ind.code == "D1.O1.I1"
                    else "",
                )
        ws.close_round(confirmed=True)
        assert ws.start_round().indicators == ("D1.O1.I1",)
    with screen(rate("7", "7", "7") + FINISH) as drawn:
        result = ballot("--participant", "P01")
    assert result.exit_code == 0, result.output
    text = shown(drawn)
    assert "médiane 5, bas 50 %, moyen 0 %, haut 50 % (n = 2) ; votre note : 1" in text
    assert "« Trop vague pour Kidal »" in text


def test_a_comment_with_bambara_letters_is_stored_with_the_terminal_as_channel(
    kiosk: Path,
) -> None:
    with screen(pick("P04") + rate("7", "0", "9", comment="Préciser la source à Gao ; ɛ ɔ ɲ ŋ")):
        ballot()
    with Workshop.open(root=kiosk, name="Atelier", writable=False) as ws:
        (first,) = ws.ballots(1)
    assert first.comment == "Préciser la source à Gao ; ɛ ɔ ɲ ŋ"
    assert first.source == "terminal"
    assert first.ratings == {"relevance": 7, "feasibility": None, "clarity": 9}


def test_when_nobody_is_left_the_kiosk_says_so_and_ends(kiosk: Path) -> None:
    with Workshop.open(root=kiosk, name="Atelier") as ws:
        for code in ("P01", "P02", "P03", "P05"):
            for ind in ws.framework.indicators():
                ws.record_ballot(participant=code, indicator=ind.code, ratings={"relevance": 5})
    with screen(pick("P04") + ALL_FIVE + FINISH):  # no Ctrl-C: the kiosk ends by itself
        result = ballot()
    assert result.exit_code == 0, result.output
    assert t("cli.ballot.everyone_done", lang="fr") in result.output.replace("\n", " ")


QUESTIONARY_ENGLISH = ("Use arrow keys", "Use shortcuts", "arrow keys", "Answered", "Enter to")


def test_the_french_screens_have_no_english_word(kiosk: Path) -> None:
    keys = "ami" + ENTER + pick(" wanep") + rate("7", "0", "9") + ENTER + CTRL_C + CTRL_C
    with screen(keys) as drawn:
        ballot()
    text = shown(drawn)
    assert "Vous êtes bien Aminata Traoré (P01, WANEP-Mali) ?" in text
    assert "Aucune note choisie" in text
    assert [word for word in QUESTIONARY_ENGLISH if word in text] == []


def test_a_long_indicator_leaves_the_question_and_every_choice_on_24_lines() -> None:
    header = [
        Para("P01 — indicateur 3 sur 33", "dim"),
        Para("D1.O1.I1 — " + "Nombre d'incidents de sécurité signalés " * 4, "indicator"),
        Para("Définition : " + "ce que l'indicateur mesure exactement, en mots simples " * 8),
        Para("Source de vérification : registres de la police et de la gendarmerie"),
    ]
    question = [Para("Pertinence (1/3) — Cet indicateur mesure-t-il bien le résultat visé ?")]
    items = [Item(str(n), str(n), shortcut=str(n)) for n in range(1, 10)]
    items += [
        Item("<cannot>", "0 — Je ne peux pas juger"),
        Item("<back>", "← Indicateur précédent"),
    ]
    state = kiosk_screen._MenuState(selected=None)
    lines = layout_menu(
        header, question, items, state, footer="Tapez le chiffre", rows=24, cols=80, lang="fr"
    )
    texts = [text for _, text in lines]
    assert len(texts) <= 24 and max(len(x) for x in texts) <= 79
    assert texts[-13:] == [
        "Pertinence (1/3) — Cet indicateur mesure-t-il bien le résultat visé ?",
        *(f"  {n}" for n in range(1, 10)),
        "  0 — Je ne peux pas juger",
        "  ← Indicateur précédent",
        "Tapez le chiffre",
    ]
    assert texts[0] == "P01 — indicateur 3 sur 33"
    assert t("kiosk.screen.more_below", lang="fr") in texts  # the rest with PgDn
    state.header_top = 100  # scrolled to the end: the last line of the header shows
    scrolled = [
        text
        for _, text in layout_menu(
            header, question, items, state, footer="Tapez le chiffre", rows=24, cols=80, lang="fr"
        )
    ]
    assert any("Source de vérification" in x for x in scrolled)
