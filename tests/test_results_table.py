"""The results tables on an 80-column screen, in French and in English."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from hsvalidate.cli import cli
from hsvalidate.cli.tables import Screen, combined_rows, render_results
from hsvalidate.consensus import BELOW_QUORUM, DROP, KEEP, NO_CONSENSUS, Stats
from hsvalidate.framework import Framework
from hsvalidate.i18n import t
from hsvalidate.i18n.documents import group_label, status_label, verdict_label
from hsvalidate.model import Settings
from hsvalidate.report import ALL_GROUPS, ResultRow
from hsvalidate.workshop import Workshop

LONG_GROUP = "organisations de la société civile malienne et réseaux de femmes"
GROUPS = (LONG_GROUP, "gouvernement", "partenaires techniques")
VIEWS = (
    [],
    ["--by-group"],
    ["--combined"],
    ["--stability"],
    ["--stability", "--by-group"],
    ["--attrition"],
    ["--attrition", "--by-group"],
)


def all_criteria(score: int | None) -> dict[str, int | None]:
    return {"relevance": score, "feasibility": score, "clarity": score}


@pytest.fixture(params=["fr", "en"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def day(sessions_dir: Path, small_framework: Framework, lang: str) -> Path:
    """Two rounds: a 7,5 median kept, a split that one group alone keeps, then round 2."""
    # Groups of two, shown as groups: this is about the layout (tests/test_small_groups.py
    # is about hiding small groups).
    settings = Settings(lang=lang, min_group_size=1)
    ws = Workshop.create(
        root=sessions_dir, name="Atelier", framework=small_framework, settings=settings
    )
    with ws:
        people = ws.add_participants(
            [(f"Personne {i}", "Org", GROUPS[i % 3], "F") for i in range(6)]
        )
        ws.start_round()
        for i, person in enumerate(people):
            group = GROUPS[i % 3]
            ws.record_ballot(
                participant=person.code, indicator="D1.O1.I1", ratings=all_criteria(7 + i % 2)
            )
            split = {LONG_GROUP: 9, "gouvernement": 1}.get(group, 5)
            ws.record_ballot(
                participant=person.code, indicator="D1.O1.I2", ratings=all_criteria(split)
            )
            ws.record_ballot(participant=person.code, indicator="D1.O2.I1", ratings=all_criteria(2))
        ws.close_round(confirmed=True)  # two indicators of five were rated
        ws.start_round(["D1.O1.I2"])
        for i, person in enumerate(people[:4]):
            ws.record_ballot(
                participant=person.code, indicator="D1.O1.I2", ratings=all_criteria(3 + i)
            )
    return sessions_dir


def show(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, ["results", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: " ".join(v) or "results")
def test_every_line_fits_80_columns(day: Path, view: list[str]) -> None:
    output = show(*view)
    too_long = [line for line in output.splitlines() if len(line) > 80]
    assert too_long == []


def test_one_line_per_indicator_and_criterion_with_verdicts_in_words(day: Path, lang: str) -> None:
    output = show("--round", "1")
    assert t("cli.col.criterion", lang=lang) in output
    lines = output.splitlines()
    for code in ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1"):
        start = next(i for i, line in enumerate(lines) if line.startswith(code))
        # the code once, then its other criteria on the lines below, one line each
        assert [line.startswith(" ") for line in lines[start + 1 : start + 3]] == [True, True]
    for verdict in (KEEP, DROP, NO_CONSENSUS, BELOW_QUORUM):
        assert verdict_label(verdict, lang) in output
    decimal = "7,5" if lang == "fr" else "7.5"
    kept = next(line for line in lines if line.startswith("D1.O1.I1"))
    assert decimal in kept.split() and kept.endswith(verdict_label(KEEP, lang))
    # Rounds are headings, not a column.
    closed = status_label("closed", lang)
    assert t("cli.results.round", lang=lang, round=1, status=closed) in output.splitlines()


def test_important_to_one_group_is_marked_and_named(day: Path, lang: str) -> None:
    output = show("--round", "1")
    line = next(li for li in output.splitlines() if li.startswith("D1.O1.I2"))
    assert line.endswith(verdict_label(NO_CONSENSUS, lang) + " *")
    legend = " ".join(output.split())  # the legend may wrap
    assert " ".join(group_label(LONG_GROUP, lang).split()) in legend


def test_by_group_indents_groups_and_wraps_long_names_without_cutting(day: Path, lang: str) -> None:
    output = show("--round", "1", "--by-group")
    lines = output.splitlines()
    relevance = "Pertinence" if lang == "fr" else "Relevance"
    assert any(line.startswith("  " + relevance + " ") for line in lines)
    assert any(line.startswith("    gouvernement ") for line in lines)
    # Every word of a long group name is there, on indented lines: wrapped, never cut.
    indented = [w for line in lines if line.startswith("    ") for w in line.split()]
    for group in GROUPS:
        assert all(word in indented for word in group.split())
    assert all(len(line) <= 80 for line in lines)


def decimal_point(lang: str) -> str:
    return "," if lang == "fr" else "."


def test_figures_use_the_language_decimal_sign(day: Path, lang: str) -> None:
    output = show("--round", "1")
    other = "7.5" if lang == "fr" else "7,5"
    assert f"7{decimal_point(lang)}5" in output and other not in output


def test_the_footer_states_the_rule_and_the_percentile_method(day: Path, lang: str) -> None:
    output = " ".join(show().split())
    method = t("percentile.method", lang=lang)
    assert " ".join(t("cli.results.percentiles", lang=lang, method=method).split()) in output
    assert " ".join(t("cli.results.rule", lang=lang, rule="").split()).rstrip(".") in output


def test_combined_gives_one_line_per_indicator(day: Path, lang: str) -> None:
    output = show("--combined", "--round", "1")
    lines = [li for li in output.splitlines() if li.startswith(("D1.", "D2."))]
    assert [li.split()[0] for li in lines] == [
        "D1.O1.I1",
        "D1.O1.I2",
        "D1.O2.I1",
        "D2.O1.I1",
        "D2.O1.I2",
    ]
    assert lines[0].split()[1] == "6"  # ballots
    assert verdict_label(KEEP, lang) in lines[0]
    assert group_label(LONG_GROUP, lang).split()[0] in lines[1]


def test_stability_and_attrition_speak_the_language(day: Path, lang: str) -> None:
    stability = show("--stability")
    assert t("cli.col.pairs", lang=lang) in stability
    assert t("yes", lang=lang) in stability.split() or t("no", lang=lang) in stability.split()
    attrition = show("--attrition", "--by-group")
    assert t("cli.col.invited", lang=lang) in attrition
    assert any(line.startswith("  " + GROUPS[1]) for line in attrition.splitlines())


def test_csv_and_json_stay_tidy_and_unrounded(day: Path) -> None:
    csv_out = show("--format", "csv", "--tidy", "--round", "1")
    assert csv_out.splitlines()[0].startswith("round,indicator,version,criterion,group,n,")
    assert ",7.5," in csv_out
    assert '"median": 7.5' in show("--format", "json", "--round", "1")
    combined = show("--combined", "--format", "csv", "--tidy", "--round", "1").splitlines()
    assert combined[0] == "round,indicator,verdict,n_ballots,important_to"


def test_a_wider_screen_shows_quartiles_and_the_mean(day: Path, lang: str) -> None:
    result = CliRunner(env={"COLUMNS": "120"}).invoke(
        cli, ["results", "--round", "1"], catch_exceptions=False
    )
    assert t("cli.col.mean", lang=lang) in result.output and "Q1" in result.output


def _row(
    indicator: str, criterion: str, group: str, verdict: str, important: str = ""
) -> ResultRow:
    stats = Stats(
        n=4, n_cannot_judge=0, n_missing=0, median=7.5, mean=7.5, sd=None, cv=None,
        q1=7.0, q3=8.0, iqr=1.0, p30=None, p70=None, ipr=None, iprcp=None, ai=None,
        ipras=None, disagreement=False, n_low=0, n_mid=0, n_high=4,
    )  # fmt: skip
    return ResultRow(
        round=1,
        indicator=indicator,
        version=1,
        criterion=criterion,
        group=group,
        stats=stats,
        verdict=verdict,
        important_to=important,
    )


def test_combined_rows_fold_the_panel_rows_of_each_indicator() -> None:
    rows = [
        _row("A", "relevance", ALL_GROUPS, KEEP),
        _row("A", "clarity", ALL_GROUPS, NO_CONSENSUS, important="gouvernement"),
        _row("A", "clarity", "gouvernement", KEEP),
        _row("B", "relevance", ALL_GROUPS, KEEP),
    ]
    combined = combined_rows(rows, {1: Counter({"A": 5, "B": 3})})
    assert [(c.indicator, c.verdict, c.n_ballots, c.important_to) for c in combined] == [
        ("A", NO_CONSENSUS, 5, ("gouvernement",)),
        ("B", KEEP, 3, ()),
    ]


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_render_results_keeps_within_any_width(width: int) -> None:
    rows = [_row("D1.O1.I1", "relevance", ALL_GROUPS, BELOW_QUORUM, important=LONG_GROUP)]
    rows += [_row("D1.O1.I1", "relevance", g, BELOW_QUORUM) for g in GROUPS]
    screen = Screen(lang="fr", width=width, criteria={"relevance": "Pertinence"}, statuses={})
    lines = render_results(rows, screen, by_group=True)
    import re

    visible = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert max(len(line) for line in visible) <= width
