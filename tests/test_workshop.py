"""The service layer's rules of the room, on the in-memory store and on the real files alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hsvalidate import consensus
from hsvalidate.errors import BallotError, InputFileError, RoundError
from hsvalidate.framework import Framework, framework_to_dict
from hsvalidate.model import Ballot, Settings
from hsvalidate.store import MemorySessionStore
from hsvalidate.workshop import Workshop

PANEL = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Fanta Dɔnbɛlɛ", "Réseau des jeunes", "société civile", "F"),
    ("Ɲɛlɛni Dembélé", "Ministère", "gouvernement", "F"),
    ("Ŋolo Traoré", "Ministère", "gouvernement", "M"),
]


@pytest.fixture(params=["memory", "file"])
def workshop(
    request: pytest.FixtureRequest, small_framework: Framework, tmp_path: Path
) -> Iterator[Workshop]:
    settings = Settings(min_group_size=1)  # two groups of two, shown as groups
    if request.param == "memory":
        store = MemorySessionStore(
            meta={"name": "m", "created_at": "", "settings": settings.to_dict()}
        )
        store.insert("framework", {"framework": framework_to_dict(small_framework)})
        ws = Workshop(store, name="m")
    else:
        ws = Workshop.create(
            root=tmp_path / "s", name="atelier", framework=small_framework, settings=settings
        )
    with ws:
        ws.add_participants(PANEL)
        yield ws


def rate_all(ws: Workshop, scores: dict[str, list[int | None]]) -> None:
    """scores[indicator] = one score per participant (P01..P04), used on every criterion."""
    for indicator, per_person in scores.items():
        for i, score in enumerate(per_person, start=1):
            ws.record_ballot(
                participant=f"P{i:02d}",
                indicator=indicator,
                ratings={c.code: score for c in ws.settings.criteria},
            )


def test_codes_follow_registration_order(workshop: Workshop) -> None:
    assert [p.code for p in workshop.participants()] == ["P01", "P02", "P03", "P04"]
    assert workshop.add_participant(name="  Kɔrɔtimi   Sissoko ", sex="femme").code == "P05"
    assert workshop.participant("p05").name == "Kɔrɔtimi Sissoko"


def test_an_unknown_sex_is_refused(workshop: Workshop) -> None:
    with pytest.raises(BallotError, match="use F, M or leave it empty"):
        workshop.add_participant(name="X", sex="inconnu")


def test_no_ballot_before_a_round_is_open(workshop: Workshop) -> None:
    with pytest.raises(RoundError, match="round open"):
        workshop.record_ballot(participant="P01", indicator="D1.O1.I1", ratings={"relevance": 5})


def test_one_open_round_at_a_time(workshop: Workshop) -> None:
    workshop.start_round()
    with pytest.raises(RoundError, match="still open"):
        workshop.start_round()


def test_a_batch_with_one_bad_ballot_records_nothing(workshop: Workshop) -> None:
    workshop.start_round()
    good = Ballot(round=0, participant="P01", indicator="D1.O1.I1", ratings={"relevance": 5})
    bad = Ballot(round=0, participant="P02", indicator="D1.O1.I1", ratings={"relevance": 0})
    with pytest.raises(BallotError, match="outside the scale 1–9"):
        workshop.record_ballots([good, bad])
    assert workshop.ballots(1) == []


@pytest.mark.parametrize("score", [0, 10, 7.5, True, "7"])
def test_scores_must_be_whole_numbers_on_the_scale(workshop: Workshop, score: object) -> None:
    workshop.start_round()
    with pytest.raises(BallotError):
        workshop.record_ballot(
            participant="P01", indicator="D1.O1.I1", ratings={"relevance": score}
        )  # type: ignore[dict-item]


def test_the_latest_ballot_counts_and_the_earlier_one_is_kept_for_audit(workshop: Workshop) -> None:
    workshop.start_round()
    workshop.record_ballot(participant="P01", indicator="D1.O1.I1", ratings={"relevance": 2})
    workshop.record_ballot(participant="P01", indicator="D1.O1.I1", ratings={"relevance": 8})
    assert [b.ratings for b in workshop.ballots(1)] == [{"relevance": 8}]
    assert len(workshop.store.ballots(1)) == 2


def test_results_count_cannot_judge_and_missing_per_group(workshop: Workshop) -> None:
    workshop.start_round()
    rate_all(workshop, {"D1.O1.I1": [9, None, 8]})  # P04 did not answer
    rows = {
        (r.group, r.criterion): r.stats for r in workshop.results(1) if r.indicator == "D1.O1.I1"
    }
    overall = rows[("all", "relevance")]
    assert (overall.n, overall.n_cannot_judge, overall.n_missing) == (2, 1, 1)
    assert overall.median == 8.5
    gov = rows[("gouvernement", "relevance")]
    assert (gov.n, gov.n_cannot_judge, gov.n_missing, gov.median) == (1, 0, 1, 8)
    civil = rows[("société civile", "relevance")]
    assert (civil.n, civil.n_cannot_judge) == (1, 1)


def test_round_two_rates_only_what_round_one_left_open(workshop: Workshop) -> None:
    workshop.start_round()
    rate_all(
        workshop,
        {
            "D1.O1.I1": [9, 9, 8, 8],  # keep
            "D1.O1.I2": [1, 2, 1, 2],  # drop
            "D1.O2.I1": [1, 1, 9, 9],  # disagreement
            "D2.O1.I1": [5, 5, 5, 5],  # uncertain
            "D2.O1.I2": [8, 8, 8, 7],  # keep
        },
    )
    workshop.close_round()
    verdicts = workshop.indicator_verdicts(1)
    assert verdicts == {
        "D1.O1.I1": consensus.KEEP,
        "D1.O1.I2": consensus.DROP,
        "D1.O2.I1": consensus.NO_CONSENSUS,
        "D2.O1.I1": consensus.NO_CONSENSUS,
        "D2.O1.I2": consensus.KEEP,
    }
    assert workshop.start_round().indicators == ("D1.O2.I1", "D2.O1.I1")
    with pytest.raises(BallotError, match="not rated in round 2"):
        workshop.record_ballot(participant="P01", indicator="D1.O1.I1", ratings={"relevance": 5})


def test_pending_is_what_a_participant_has_not_rated_yet(workshop: Workshop) -> None:
    workshop.start_round()
    workshop.record_ballot(participant="P01", indicator="D1.O1.I2", ratings={"relevance": 5})
    assert [i.code for i in workshop.pending("P01")] == [
        "D1.O1.I1",
        "D1.O2.I1",
        "D2.O1.I1",
        "D2.O1.I2",
    ]


def test_report_keeps_codes_beside_ratings_and_counts_turnout(workshop: Workshop) -> None:
    workshop.start_round()
    rate_all(workshop, {"D1.O1.I1": [9, 8, 7, None]})
    workshop.record_decision(indicator="D1.O1.I1", action="adopt", rationale="Consensus.")
    report = workshop.build_report()
    assert {b.participant for b in report.ballots} == {"P01", "P02", "P03", "P04"}
    assert report.rounds[0].n_rating == 4 and report.rounds[0].n_invited == 4
    assert report.decisions[0].action == "adopt"
    assert report.show_names is False


def test_attendance_sheet_problems_are_all_reported_and_nobody_is_added(
    workshop: Workshop, tmp_path: Path
) -> None:
    sheet = tmp_path / "liste.csv"
    sheet.write_text("Nom,Sexe\n,F\nMoussa Keïta,Z\nAdama Sidibé,H\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        workshop.import_participants(sheet)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Nom"), (3, "Sexe")]
    assert len(workshop.participants()) == 4


def test_attendance_sheet_in_excel_cp1252_with_semicolons(
    workshop: Workshop, tmp_path: Path
) -> None:
    sheet = tmp_path / "liste.csv"
    sheet.write_bytes(
        "NOM ET PRÉNOM;Organisation;Catégorie;Genre\r\nMoussa Keïta;Mairie de Gao;gouvernement;Homme\r\n".encode(
            "cp1252"
        )
    )
    added, summary = workshop.import_participants(sheet)
    assert summary.added == 1
    assert (added[0].name, added[0].organisation, added[0].group, added[0].sex) == (
        "Moussa Keïta",
        "Mairie de Gao",
        "gouvernement",
        "M",
    )


def test_a_result_rated_by_fewer_than_the_share_of_the_panel_is_below_quorum(
    tmp_path: Path, small_framework: Framework
) -> None:
    from hsvalidate.consensus import Rule

    settings = Settings(rule=Rule(quorum_share=50.0))
    with Workshop.create(
        root=tmp_path, name="Q", framework=small_framework, settings=settings
    ) as ws:
        ws.add_participants([(f"Personne {i}", "", "", "") for i in range(6)])
        ws.start_round()
        for code in ("P01", "P02"):  # two of six: below half the panel
            ws.record_ballot(participant=code, indicator="D1.O1.I1", ratings={"relevance": 9})
        row = next(r for r in ws.results(1, by_group=False) if r.indicator == "D1.O1.I1")
        assert row.criterion == "relevance" and row.verdict == "below quorum"
        ws.record_ballot(participant="P03", indicator="D1.O1.I1", ratings={"relevance": 9})
        row = next(r for r in ws.results(1, by_group=False) if r.indicator == "D1.O1.I1")
        assert row.verdict == "keep"
        assert Settings.from_dict(settings.to_dict()).rule.quorum_share == 50.0
        assert (
            Settings.from_dict(
                {k: v for k, v in settings.to_dict().items() if k != "quorum_share"}
            ).rule.quorum_share
            == 0.0
        )


def test_a_ballot_read_back_is_the_ballot_stored() -> None:
    """from_dict fills the object directly for speed: it must miss no field, now or later."""
    from dataclasses import fields

    stored = Ballot(
        round=2,
        participant="P07",
        indicator="D1.O1.I2",
        ratings={"relevance": 8, "clarity": None},
        comment="« leader communautaire » ɛ ɔ",
        version=3,
        source="paper",
        recorded_at="2026-11-27T10:42:00+00:00",
    )
    again = Ballot.from_dict({**stored.to_dict(), "from_a_newer_version": 1})
    assert again == stored
    assert {f.name for f in fields(Ballot)} == set(again.__dict__)
    assert again.ratings is not stored.ratings
