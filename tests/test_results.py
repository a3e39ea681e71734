"""Tidy results from imported ballots, checked figure by figure against an independent computation."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hsvalidate.cli import cli
from hsvalidate.consensus import Rule, Scale
from hsvalidate.exports import rule_text

COLUMNS = [
    "round",
    "indicator",
    "version",
    "criterion",
    "group",
    "n",
    "n_cannot_judge",
    "n_missing",
    "n_counted",
    "median",
    "mean",
    "sd",
    "cv",
    "q1",
    "q3",
    "iqr",
    "p30",
    "p70",
    "ipr",
    "iprcp",
    "ai",
    "ipras",
    "disagreement",
    "n_low",
    "n_mid",
    "n_high",
    "pct_low",
    "pct_mid",
    "pct_high",
    "ram_class",
    "percent_class",
    "verdict",
]
GROUPS = {"gouvernement": 5, "société civile": 6, "partenaires": 4}
CRITERIA = ("relevance", "feasibility", "clarity")
INDICATORS = ("D1.O1.I1", "D1.O1.I2", "D1.O2.I1", "D2.O1.I1", "D2.O1.I2")


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


# -- an independent computation, written from docs/method.md without the package's code -----


def quantile(values: list[int], k: int, n: int) -> float:
    """The k-th n-quantile, R type 7, via the standard library."""
    if len(values) == 1:
        return float(values[0])
    return statistics.quantiles(values, n=n, method="inclusive")[k - 1]


def reference(answers: list[int | None], expected: int, high: int) -> dict[str, object]:
    rated = [a for a in answers if a is not None]
    low_max, high_min, centre, base = (3, 7, 5, 2.35) if high == 9 else (2, 4, 3, 1.175)
    n = len(rated)
    out: dict[str, object] = {
        "n": n,
        "n_cannot_judge": len(answers) - n,
        "n_missing": expected - len(answers),
        "n_counted": 0,  # no cards counted in this session
        "n_low": sum(a <= low_max for a in rated),
        "n_high": sum(a >= high_min for a in rated),
    }
    out["n_mid"] = n - out["n_low"] - out["n_high"]  # type: ignore[operator]
    if not n:
        return out
    p30, p70 = quantile(rated, 3, 10), quantile(rated, 7, 10)
    mean = statistics.fmean(rated)
    sd = statistics.stdev(rated) if n > 1 else None
    ai = abs(centre - (p30 + p70) / 2)
    out.update(
        median=statistics.median(rated),
        mean=mean,
        sd=sd,
        cv=None if sd is None else sd / mean,
        q1=quantile(rated, 1, 4),
        q3=quantile(rated, 3, 4),
        iqr=quantile(rated, 3, 4) - quantile(rated, 1, 4),
        p30=p30,
        p70=p70,
        ipr=p70 - p30,
        iprcp=(p30 + p70) / 2,
        ai=ai,
        ipras=base + 1.5 * ai,
        disagreement=(p70 - p30) > base + 1.5 * ai,
        pct_low=100 * out["n_low"] / n,  # type: ignore[operator]
        pct_mid=100 * out["n_mid"] / n,  # type: ignore[operator]
        pct_high=100 * out["n_high"] / n,  # type: ignore[operator]
    )
    median = out["median"]
    assert isinstance(median, float | int)
    if out["disagreement"]:
        out["ram_class"] = "uncertain"
    elif median >= high_min:
        out["ram_class"] = "appropriate"
    elif median <= low_max:
        out["ram_class"] = "inappropriate"
    else:
        out["ram_class"] = "uncertain"
    pct_low, pct_high = out["pct_low"], out["pct_high"]
    assert isinstance(pct_low, float) and isinstance(pct_high, float)
    if pct_high >= 70 and pct_low < 15:
        out["percent_class"] = "consensus in"
    elif pct_low >= 70 and pct_high < 15:
        out["percent_class"] = "consensus out"
    else:
        out["percent_class"] = "no consensus"
    return out


def parse(text: str) -> object:
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


# -- the workshop -----------------------------------------------------------------------------


@pytest.fixture(params=[9, 5], ids=["scale 1-9", "scale 1-5"])
def imported(
    request: pytest.FixtureRequest, sessions_dir: Path, framework_file: Path, tmp_path: Path
):  # type: ignore[no-untyped-def]
    high: int = request.param
    run("session", "new", "Atelier", "--framework", str(framework_file), "--scale", str(high))
    people = tmp_path / "presence.csv"
    with people.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["nom", "groupe", "sexe"])
        number = 0
        for group, size in GROUPS.items():
            for _ in range(size):
                number += 1
                writer.writerow([f"Participant ɲ{number}", group, "F" if number % 2 else "M"])
    run("participants", "import", str(people))
    run("round", "open")
    rng = random.Random(high)
    given: dict[tuple[str, str, str], int | None] = {}
    rows = [["participant", "indicator", "criterion", "score", "comment"]]
    for p in range(1, number + 1):
        for indicator in INDICATORS:
            centre = rng.choice([2, high // 2 + 1, high - 1])
            for criterion in CRITERIA:
                roll = rng.random()
                if roll < 0.08:
                    continue  # missing: the participant left this rating blank on paper
                score = None if roll < 0.15 else min(high, max(1, round(rng.gauss(centre, 1.5))))
                given[(f"P{p:02d}", indicator, criterion)] = score
                rows.append(
                    [f"P{p:02d}", indicator, criterion, "" if score is None else str(score), ""]
                )
    votes = tmp_path / "votes.csv"
    with votes.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    run("ballots", "import", str(votes), "--source", "paper")
    return high, given


def group_of(code: str) -> str:
    number, start = int(code[1:]), 0
    for group, size in GROUPS.items():
        if number <= start + size:
            return group
        start += size
    raise AssertionError(code)


def test_tidy_csv_matches_an_independent_computation_per_group_and_overall(imported) -> None:  # type: ignore[no-untyped-def]
    high, given = imported
    output = run("results", "--format", "csv", "--tidy", "--by-group").stdout
    reader = csv.DictReader(io.StringIO(output))
    assert reader.fieldnames == COLUMNS
    seen = 0
    for row in reader:
        group = row["group"]
        members = [
            c
            for c in {k[0] for k in given} | {f"P{i:02d}" for i in range(1, 16)}
            if group in ("all", group_of(c))
        ]
        answers = [
            given[(code, row["indicator"], row["criterion"])]
            for code in members
            if (code, row["indicator"], row["criterion"]) in given
        ]
        expected = reference(answers, len(members), high)
        for column in COLUMNS[5:30]:
            got = parse(row[column])
            want = expected.get(column)
            if want is None or isinstance(want, bool | str):
                assert got == want, (row["indicator"], row["criterion"], group, column)
            else:
                assert isinstance(got, float), column
                assert math.isclose(got, float(want), rel_tol=1e-12, abs_tol=1e-12), column
        if group == "all":
            assert row["verdict"] == {
                "appropriate": "keep",
                "inappropriate": "drop",
                "uncertain": "no consensus",
            }.get(str(expected.get("ram_class")), "below quorum")
        seen += 1
    assert seen == len(INDICATORS) * len(CRITERIA) * (1 + len(GROUPS))


def test_json_carries_the_same_rows_as_csv(imported) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run("results", "--format", "json", "--by-group").stdout)
    as_csv = list(
        csv.DictReader(
            io.StringIO(run("results", "--format", "csv", "--tidy", "--by-group").stdout)
        )
    )
    assert len(rows) == len(as_csv)
    assert list(rows[0]) == COLUMNS
    for j, c in zip(rows, as_csv, strict=True):
        for column in COLUMNS:
            value = parse(c[column])
            if isinstance(j[column], int | float) and not isinstance(j[column], bool):
                assert float(j[column]) == value
            else:
                assert j[column] == value or str(j[column]) == c[column]


def test_table_is_rounded_for_display_and_names_the_method(imported) -> None:  # type: ignore[no-untyped-def]
    output = run("results").stdout
    assert "Hyndman" in output and "type 7" in " ".join(output.split())
    assert "RAND/UCLA" in output
    assert "0.4000000" not in output


def test_stability_and_attrition_after_two_rounds(
    sessions_dir: Path, framework_file: Path, tmp_path: Path
) -> None:
    # Groups of two shown as groups (--min-group 1): the figures, not their protection.
    run("session", "new", "Atelier", "--framework", str(framework_file), "--min-group", "1")
    for name in ("Awa", "Ɲɛlɛni", "Sɛkuba", "Ŋolo"):
        run(
            "participants",
            "add",
            "--name",
            name,
            "--group",
            "A" if name in ("Awa", "Ɲɛlɛni") else "B",
        )
    run("round", "open", "--indicators", "D1.O1.I1")
    for code, score in zip(("P01", "P02", "P03", "P04"), (2, 8, 8, 5), strict=True):
        run(
            "ballot",
            "--participant",
            code,
            "--indicator",
            "D1.O1.I1",
            "--rating",
            f"relevance={score}",
        )
    run("round", "close", "--yes")
    run("round", "open", "--indicators", "D1.O1.I1")
    for code, score in zip(("P01", "P02", "P03"), (7, 8, 8), strict=True):
        run(
            "ballot",
            "--participant",
            code,
            "--indicator",
            "D1.O1.I1",
            "--rating",
            f"relevance={score}",
        )
    stability = list(
        csv.DictReader(
            io.StringIO(
                run("results", "--stability", "--format", "csv", "--tidy", "--by-group").stdout
            )
        )
    )
    overall = next(r for r in stability if r["group"] == "all" and r["criterion"] == "relevance")
    assert (overall["n_pairs"], overall["n_moved"], overall["stable"]) == ("3", "1", "false")
    group_b = next(r for r in stability if r["group"] == "B" and r["criterion"] == "relevance")
    assert (group_b["n_pairs"], group_b["n_moved"], group_b["stable"]) == ("1", "0", "true")
    attrition = list(
        csv.DictReader(
            io.StringIO(
                run("results", "--attrition", "--format", "csv", "--tidy", "--by-group").stdout
            )
        )
    )
    assert [(r["round"], r["group"], r["invited"], r["rating"]) for r in attrition] == [
        ("1", "all", "4", "4"),
        ("1", "A", "2", "2"),
        ("1", "B", "2", "2"),
        ("2", "all", "4", "3"),
        ("2", "A", "2", "2"),
        ("2", "B", "2", "1"),
    ]


def test_a_group_typed_as_a_formula_cannot_run_in_a_spreadsheet(
    sessions_dir: Path, framework_file: Path
) -> None:
    run("session", "new", "Atelier", "--framework", str(framework_file), "--min-group", "1")
    run("participants", "add", "--name", "X", "--group", "=HYPERLINK(1)")
    run("round", "open")
    run("ballot", "--participant", "P01", "--indicator", "D1.O1.I1", "--rating", "relevance=7")
    output = run("results", "--format", "csv", "--tidy", "--by-group").stdout
    assert ",'=HYPERLINK(1)," in output
    assert ",=HYPERLINK" not in output


def test_likert_needs_the_five_point_scale(sessions_dir: Path, framework_file: Path) -> None:
    result = CliRunner().invoke(
        cli, ["session", "new", "A", "--framework", str(framework_file), "--rule", "likert"]
    )
    assert result.exit_code == 1
    assert "--scale 5" in result.output and "Traceback" not in result.output
    run(
        "session",
        "new",
        "B",
        "--framework",
        str(framework_file),
        "--rule",
        "likert",
        "--scale",
        "5",
    )
    shown = " ".join(run("session", "show", "--session", "B", "--lang", "en").output.split())
    assert rule_text(Rule(kind="likert", agree_pct=75), Scale(1, 5), "en") in shown
