"""One round fed by every channel at once, through the code each channel really uses.

The day the issue describes: participants vote at the laptop kiosk while the secretariat
types paper forms in another window; forms sent before the workshop come back by email
with a spreadsheet of ballots; a second laptop collects in another room and is merged;
the last four participants vote by raising cards in plenary.  The figures must be exactly
those of the same ratings typed one way, and the documents must say where each came from.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from hsvalidate import tally
from hsvalidate.cli import cli
from hsvalidate.framework import Framework
from hsvalidate.model import Ballot, Settings
from hsvalidate.paper import ENTER, PaperEntry
from hsvalidate.workshop import Workshop

CRITERIA = ("relevance", "feasibility", "clarity")
LABELS = ("Pertinence", "Faisabilité", "Clarté")  # a French session, as in Bamako
PEOPLE = [
    ("Awa Kɔnɛ", "WANEP-Mali", "société civile", "F"),
    ("Ŋolo Traoré", "CEDEAO", "régional", "M"),
    ("Sɛkuba Kanté", "MINUSMA", "international", "M"),
    ("Ɲɛlɛni Dembélé", "Ministère", "gouvernement", "F"),
    ("Fatoumata Sidibé", "Gouvernorat", "gouvernement", "F"),
    ("Oumar Maïga", "Plateforme des jeunes", "société civile", "M"),
    ("Hélène Ɛvrard", "PNUD", "international", "F"),
    ("Adjoa Mensah", "CEDEAO", "régional", "F"),
    ("Moussa Kéïta", "Mairie de Ségou", "gouvernement", "M"),
    ("Aminata Ŋɔmi", "Association des femmes", "société civile", "F"),
    ("Ibrahim Ɔuattara", "Garde nationale", "gouvernement", "M"),
    ("Mariam Ɲambele", "Radio Kayira", "société civile", "F"),
]
Ratings = dict[tuple[str, str], dict[str, int | None]]


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def ratings_for(indicators: tuple[str, ...]) -> Ratings:
    """Participant code × indicator → a score per criterion, "cannot judge" among them."""
    rng = random.Random(9)
    return {
        (f"P{i + 1:02d}", code): {
            c: rng.choice([None, 2, 4, 5, 6, 7, 8, 8, 9, 9]) for c in CRITERIA
        }
        for i in range(len(PEOPLE))
        for code in indicators
    }


def create(root: Path, name: str, framework: Framework) -> Workshop:
    ws = Workshop.create(root=root, name=name, framework=framework, settings=Settings())
    ws.add_participants(PEOPLE)
    ws.start_round()
    return ws


def panel(snap: tally.Snapshot) -> dict[tuple[int, str, str], tuple[object, ...]]:
    return {
        (r.round, r.indicator, r.criterion): (r.stats, r.verdict, r.ram_class, r.percent_class)
        for r in tally.results(snap, by_group=False)
    }


def fill_form(path: Path, scores: dict[str, dict[str, int | None]]) -> None:
    """Fill a returned form as a participant does in Excel: by the labels the sheet shows."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    sheet = wb.worksheets[0]
    rows = {str(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1)}
    header = min(rows[code] for code in scores) - 1
    columns = {str(sheet.cell(header, c).value): c for c in range(1, sheet.max_column + 1)}
    for code, by_criterion in scores.items():
        for criterion, label in zip(CRITERIA, LABELS, strict=True):
            score = by_criterion[criterion]
            sheet.cell(rows[code], columns[label]).value = "NSP" if score is None else score
    wb.save(path)


def test_every_channel_at_once_gives_the_figures_of_one_channel(
    sessions_dir: Path, small_framework: Framework, tmp_path: Path
) -> None:
    with create(sessions_dir, "Une seule voie", small_framework) as one_way:
        indicators = one_way.open_round().indicators  # type: ignore[union-attr]
        ratings = ratings_for(indicators)
        one_way.record_ballots(
            [
                Ballot(round=1, participant=p, indicator=i, ratings=r)
                for (p, i), r in ratings.items()
            ]
        )
        expected = one_way.snapshot()

    name = "Tous les canaux"
    create(sessions_dir, name, small_framework).close()
    other_room = tmp_path / "clé USB" / "Tous les canaux (salle B)"
    shutil.copytree(sessions_dir / name, other_room)  # the second laptop takes a copy
    run("session", "use", name)

    def of(code: str) -> dict[str, dict[str, int | None]]:
        return {i: ratings[(code, i)] for i in indicators}

    with (
        Workshop.open(root=sessions_dir, name=name, purpose="hsvalidate ballot") as kiosk,
        Workshop.open(root=sessions_dir, name=name, purpose="hsvalidate ballots enter") as paper,
    ):
        typist = PaperEntry(paper)
        for code in ("P01", "P02", "P03", "P04"):
            if code in ("P01", "P02"):  # at the kiosk, one indicator at a time
                for indicator, scores in of(code).items():
                    kiosk.record_ballot(participant=code, indicator=indicator, ratings=scores)
            else:  # typed from paper in the other window, one key per box
                form = typist.start(code)
                for indicator in typist.indicators:
                    scores = ratings[(code, indicator)]
                    form.keys(["0" if scores[c] is None else str(scores[c]) for c in CRITERIA])
                    form.key(ENTER)
                typist.save(form)

    # Forms sent before the workshop and a spreadsheet of ballots, imported together.
    forms = tmp_path / "formulaires reçus"
    run("ballots", "forms", "--participant", "P05", "--folder", str(forms))
    [form_file] = forms.glob("*.xlsx")
    fill_form(form_file, of("P05"))
    sheet = tmp_path / "votes par courriel.csv"
    with sheet.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["participant", "indicator", "criterion", "score"])
        for indicator, scores in of("P06").items():
            for criterion, score in scores.items():
                writer.writerow(["P06", indicator, criterion, "" if score is None else score])
    run("ballots", "import", str(form_file), str(sheet))

    # The second laptop, in another room, then merged back.
    with Workshop.open(root=other_room.parent, name=other_room.name) as laptop_b:
        laptop_b.record_ballots(
            [
                Ballot(round=0, participant=p, indicator=i, ratings=r, station="PORTABLE-B")
                for (p, i), r in ratings.items()
                if p in ("P07", "P08")
            ]
        )
    run("merge", str(other_room), "--prefer", "latest")

    # Cards raised in plenary for the last four.
    for indicator in indicators:
        for criterion in CRITERIA:
            counted: dict[int, int] = {}
            judged = 0
            for code in ("P09", "P10", "P11", "P12"):
                score = ratings[(code, indicator)][criterion]
                if score is None:
                    judged += 1
                else:
                    counted[score] = counted.get(score, 0) + 1
            values = [f"{score}={n}" for score, n in sorted(counted.items())]
            run("tally", indicator, "--criterion", criterion, *values, f"nsp={judged}")

    with Workshop.open(root=sessions_dir, name=name, writable=False) as mixed:
        every_way = mixed.snapshot()
    station_here = next(b.station for b in every_way.ballots[1] if b.participant == "P01")
    assert panel(every_way) == panel(expected)
    assert tally.indicator_verdicts(every_way, 1) == tally.indicator_verdicts(expected, 1)
    assert tally.carried_forward(every_way, 1) == tally.carried_forward(expected, 1)
    ballots = every_way.ballots[1]
    assert {(b.participant, b.source) for b in ballots} == {
        ("P01", "terminal"),
        ("P02", "terminal"),
        ("P03", "paper"),
        ("P04", "paper"),
        ("P05", "form"),
        ("P06", "import"),
        ("P07", "terminal"),
        ("P08", "terminal"),
    }
    assert {b.station for b in ballots if b.participant in ("P07", "P08")} == {"PORTABLE-B"}
    assert len(ballots) == 8 * len(indicators)  # each counted once

    # The workbook says where every vote came from.
    out = tmp_path / "documents"
    run("export", "--format", "xlsx", "--out", str(out))
    from openpyxl import load_workbook

    [book] = out.glob("*.xlsx")
    wb = load_workbook(book, read_only=True)
    votes = list(wb["Votes"].iter_rows(values_only=True))
    head = votes[0]
    where = {(row[head.index("Participant")], row[head.index("Canal")], row[head.index("Poste")])
             for row in votes[1:]}  # fmt: skip
    assert ("P05", "formulaire", station_here) in where
    assert ("P07", "ordinateur", "PORTABLE-B") in where
    assert ("P06", "fichier", station_here) in where
    sources = [str(row[0]) for row in wb["Sources des votes"].iter_rows(values_only=True) if row[0]]
    assert any(
        "40 votes — 20 à l'ordinateur, 10 sur papier, 5 par formulaire, 5 par fichier" in line
        and "5 indicateurs complétés par un comptage de cartons" in line
        for line in sources
    ), sources
