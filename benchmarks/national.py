"""A national-scale session: how long the secretariat waits for its documents and figures.

Run from the repository root::

    python benchmarks/national.py            # 300 participants × 160 indicators, ~2 min
    python benchmarks/national.py --participants 60 --indicators 33   # a regional one

It builds a session of ``--participants`` × ``--indicators`` × 3 criteria over two rounds
(round 2 re-rates half the indicators), with plenary decisions, in a temporary folder;
then runs each command a secretariat runs, each in its own process, and prints its wall
time and peak memory beside a floor measured in the same run on the same machine:

- ``export`` (all documents), the workbook alone, the minutes alone: against writing the
  same cells with openpyxl's write-only mode (what any workbook of that size costs);
- every ``results`` view: against reading the session into a snapshot (what any view
  must pay before computing anything);
- the stability table: against one pass pairing each participant's two ratings.

Targets (issue 8): export ≤ 10 s and ≤ 500 MB, the minutes ≤ 10 s, every results view
≤ 2 s.  Peak memory is the process's maximum resident set (``ru_maxrss``), so this script
needs a POSIX machine; the tool itself does not.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_MEASURE = r"""
import json, resource, sys, time
sys.argv = ["hsvalidate", *sys.argv[1:]]
from hsvalidate.cli import main
start = time.perf_counter()
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": peak, "exit": code}), file=sys.stderr)
"""


def synthetic_framework(indicators: int):  # type: ignore[no-untyped-def]
    """A French framework of ``indicators`` indicators, five per outcome, four outcomes per dimension."""
    from hsvalidate.framework import Dimension, Framework, Indicator, Outcome, Text

    per_outcome, per_dimension = 5, 4
    dimensions = []
    made = 0
    d = 0
    while made < indicators:
        d += 1
        outcomes = []
        for o in range(1, per_dimension + 1):
            if made >= indicators:
                break
            inds = []
            for i in range(1, per_outcome + 1):
                if made >= indicators:
                    break
                made += 1
                inds.append(
                    Indicator(
                        code=f"D{d}.O{o}.I{i}",
                        text=Text(
                            f"Pourcentage des ménages de la zone {made} ayant accès à un "
                            f"mécanisme communautaire de prévention des conflits (ɛ ɔ ɲ ŋ)",
                            f"Share of households in area {made} with access to a community "
                            "conflict-prevention mechanism",
                        ),
                        definition=Text(f"Définition détaillée de l'indicateur {made}."),
                        source=Text("Enquête ménages annuelle ; rapports des comités de paix"),
                    )
                )
            outcomes.append(Outcome(f"D{d}.O{o}", Text(f"Résultat {d}.{o}"), tuple(inds)))
        dimensions.append(Dimension(f"D{d}", Text(f"Dimension {d}"), tuple(outcomes)))
    return Framework(
        title=Text("Cadre national de S&E (synthétique)"), dimensions=tuple(dimensions)
    )


def build_session(root: Path, *, participants: int = 300, indicators: int = 160, seed: int = 8):  # type: ignore[no-untyped-def]
    """Create the session under ``root`` and return its name: two rounds, decisions, closed."""
    from hsvalidate.consensus import DEFAULT_QUORUM_SHARE
    from hsvalidate.demo import GROUPS, make_panel
    from hsvalidate.model import Ballot, Settings
    from hsvalidate.workshop import Workshop

    rng = random.Random(seed)
    settings = Settings(
        lang="fr",
        groups=tuple(GROUPS),
        rule=replace(Settings().rule, quorum_share=DEFAULT_QUORUM_SHARE),
    )
    name = "national"
    with Workshop.create(
        root=root, name=name, framework=synthetic_framework(indicators), settings=settings
    ) as ws:
        people = ws.add_participants(make_panel(rng, participants))
        codes = [i.code for i in ws.framework.indicators()]
        centre = {code: rng.choice((2.0, 5.0, 7.5, 8.0, 8.5)) for code in codes}
        for number in (1, 2):
            rnd = ws.start_round(codes[: len(codes) // 2] if number == 2 else None)
            for person in people:
                ws.record_ballots(
                    [
                        Ballot(
                            round=number,
                            participant=person.code,
                            indicator=code,
                            ratings={
                                c.code: max(1, min(9, round(rng.gauss(centre[code], 1.8))))
                                for c in settings.criteria
                            },
                            comment="Préciser la source des données."
                            if rng.random() < 0.02
                            else "",
                            source="demo",
                        )
                        for code in rnd.indicators
                    ]
                )
            ws.close_round(confirmed=True)
        for code in codes[:40]:
            ws.record_decision(
                indicator=code,
                action=rng.choice(("adopt", "reword", "defer", "drop")),
                rationale="Décision de la plénière.",
                votes={"for": rng.randint(150, 250), "against": rng.randint(0, 40), "abstain": 5},
            )
    return name


# An installed wheel has its bytecode compiled (pip does it); a checkout gets it on first
# run unless PYTHONDONTWRITEBYTECODE forbids it, which would time the compiler instead.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(args: list[str], env_root: Path) -> dict[str, float]:
    """Run one hsvalidate command in its own process; its wall time and peak memory."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args, "--sessions-dir", str(env_root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=ENV,
        check=False,
    )
    last = result.stderr.strip().splitlines()[-1]
    figures = json.loads(last)
    if figures["exit"]:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr}")
    return figures


def floor_workbook(root: Path, name: str, out: Path) -> dict[str, float]:
    """The workbook's own cells (every sheet hsvalidate writes) through openpyxl's write-only mode.

    Run in a child, timed from the built report to the saved file, so it is the cost of
    writing those cells with the usual library and nothing else.
    """
    code = rf"""
import json, resource, time, sys
sys.path.insert(0, {str(REPO)!r})
from pathlib import Path
from hsvalidate.workshop import Workshop
from hsvalidate.exports.xlsx import build_sheets
from openpyxl import Workbook
with Workshop.open(root=Path({str(root)!r}), name={name!r}, writable=False) as ws:
    report = ws.build_report()
sheets = build_sheets(report)
start = time.perf_counter()
wb = Workbook(write_only=True)
for spec in sheets:
    sheet = wb.create_sheet(spec.title[:31])
    sheet.append(list(spec.header))
    for row in spec.rows:
        sheet.append(list(row))
wb.save({str(out)!r})
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor_snapshot(root: Path, name: str) -> dict[str, float]:
    """Opening the session and reading it into a snapshot: what every results view pays first."""
    code = rf"""
import json, resource, time, sys
sys.path.insert(0, {str(REPO)!r})
from pathlib import Path
start = time.perf_counter()
from hsvalidate.workshop import Workshop
with Workshop.open(root=Path({str(root)!r}), name={name!r}, writable=False) as ws:
    ws.snapshot()
print(json.dumps({{"seconds": time.perf_counter() - start,
                   "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def stability_figures(root: Path, name: str) -> tuple[float, float]:
    """(tally.stability, one bare pass pairing the same participants' ratings), in seconds."""
    from hsvalidate import tally
    from hsvalidate.workshop import Workshop

    with Workshop.open(root=root, name=name, writable=False) as ws:
        snap = ws.snapshot()
    start = time.perf_counter()
    tally.stability(snap)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    first = {(b.participant, b.indicator): b.ratings for b in snap.round_ballots(1)}
    pairs = 0
    for b in snap.round_ballots(2):
        before = first.get((b.participant, b.indicator))
        if before is not None:
            pairs += sum(1 for c in b.ratings if before.get(c) is not None)
    bare = time.perf_counter() - start
    return ours, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=160)
    options = parser.parse_args()
    compileall.compile_dir(REPO / "hsvalidate", quiet=1)  # as pip does for an installed wheel
    with tempfile.TemporaryDirectory(prefix="hsvalidate national ") as tmp:
        root = Path(tmp) / "sessions"
        start = time.perf_counter()
        name = build_session(root, participants=options.participants, indicators=options.indicators)
        print(
            f"session: {options.participants} participants × {options.indicators} indicators × "
            f"3 criteria, 2 rounds (built in {time.perf_counter() - start:.1f} s)"
        )
        out = Path(tmp) / "out"
        workbook_floor = floor_workbook(root, name, Path(tmp) / "floor.xlsx")
        snapshot_floor = floor_snapshot(root, name)
        rows: list[tuple[str, dict[str, float], dict[str, float], str]] = []
        session = ["--session", name]
        for label, args, floor, target in (
            ("export (all documents)", ["export", "--out", str(out), *session], workbook_floor, "≤ 10 s, ≤ 500 MB"),
            ("export --format xlsx", ["export", "--format", "xlsx", "--out", str(out), *session], workbook_floor, ""),
            ("export --format pdf", ["export", "--format", "pdf", "--out", str(out), *session], workbook_floor, "≤ 10 s"),
            ("results", ["results", *session], snapshot_floor, "≤ 2 s"),
            ("results --by-group", ["results", "--by-group", *session], snapshot_floor, "≤ 2 s"),
            ("results --combined", ["results", "--combined", *session], snapshot_floor, "≤ 2 s"),
            ("results --stability", ["results", "--stability", *session], snapshot_floor, "≤ 2 s"),
            ("results --attrition", ["results", "--attrition", *session], snapshot_floor, "≤ 2 s"),
            ("results --format csv", ["results", "--format", "csv", *session], snapshot_floor, "≤ 2 s"),
        ):  # fmt: skip
            rows.append((label, measure(args, root), floor, target))
        ours, bare = stability_figures(root, name)
        print()
        print(f"{'command':<26} {'seconds':>8} {'floor s':>8} {'ratio':>6} {'peak MB':>8}  target")
        for label, got, floor, target in rows:
            ratio = got["seconds"] / floor["seconds"] if floor["seconds"] else float("nan")
            print(
                f"{label:<26} {got['seconds']:8.2f} {floor['seconds']:8.2f} {ratio:6.1f} "
                f"{got['peak_mb']:8.0f}  {target}"
            )
        print(f"{'floor: write-only cells':<26} {workbook_floor['seconds']:8.2f} {'':>8} {'':>6} "
              f"{workbook_floor['peak_mb']:8.0f}")  # fmt: skip
        print(f"{'floor: read snapshot':<26} {snapshot_floor['seconds']:8.2f} {'':>8} {'':>6} "
              f"{snapshot_floor['peak_mb']:8.0f}")  # fmt: skip
        print(
            f"stability in one pass: {ours:.2f} s; a bare pass pairing the ratings: {bare:.2f} s "
            f"(ratio {ours / bare if bare else float('nan'):.1f})"
        )


if __name__ == "__main__":
    main()
