"""Start-up time of the installed ``hsvalidate`` CLI, against ``python -c "import click"``.

Why: paper ballots are typed in one command at a time and facilitators run many short
commands during a workshop, so a slow start is felt all day.  The heavy libraries
(questionary, openpyxl, reportlab, tinydb) are imported inside the commands that use
them; this script shows whether ``--help`` of every command still costs about what
click itself costs.  It prints figures and never fails (exit status 0): see
benchmarks/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TARGET_RATIO = 1.5
"""A command's median may be at most this many times the baseline's median."""

SUBCOMMANDS: tuple[tuple[str, ...], ...] = (
    ("demo",),
    ("framework", "check"),
    ("session", "new"),
    ("session", "list"),
    ("session", "use"),
    ("session", "show"),
    ("participants", "add"),
    ("participants", "import"),
    ("participants", "list"),
    ("round", "open"),
    ("round", "close"),
    ("round", "status"),
    ("ballot",),
    ("ballots", "import"),
    ("ballots", "forms"),
    ("ballots", "print"),
    ("ballots", "enter"),
    ("tally",),
    ("merge",),
    ("room", "open"),
    ("room", "slips"),
    ("room", "token"),
    ("results",),
    ("decision", "record"),
    ("decision", "list"),
    ("indicator", "reword"),
    ("indicator", "list"),
    ("export",),
    ("log",),
    ("undo",),
)
"""Every command and subcommand, written out: parsing ``--help`` output would be fragile."""


@dataclass(frozen=True)
class Timing:
    """Paired wall-clock samples of one command and of the baseline run between them."""

    label: str
    """The command as a user would type it."""
    command_ms: list[float]
    """One sample per run, in milliseconds."""
    baseline_ms: list[float]
    """The baseline sample taken just before each command sample."""
    exit_codes: frozenset[int]
    """Exit statuses seen; anything but {0} means the figure timed an error."""

    @property
    def median_ms(self) -> float:
        """Median of the command's samples."""
        return statistics.median(self.command_ms)

    @property
    def baseline_median_ms(self) -> float:
        """Median of the baseline samples interleaved with this command."""
        return statistics.median(self.baseline_ms)

    @property
    def ratio(self) -> float:
        """Command median / baseline median."""
        return self.median_ms / self.baseline_median_ms


def find_hsvalidate(explicit: str | None) -> str | None:
    """The ``hsvalidate`` launcher to time.

    The one installed beside ``sys.executable`` comes first, so that the baseline and
    ``python -m hsvalidate`` use the same interpreter; then ``shutil.which``.  A launcher
    that is a version-manager shim (pyenv, asdf) would add its own start-up to every
    sample, which is why the one beside the interpreter is preferred.
    """
    if explicit:
        return explicit
    folder = Path(sys.executable).parent
    for name in ("hsvalidate", "hsvalidate.exe"):
        candidate = folder / name
        if candidate.is_file():
            return str(candidate)
    return shutil.which("hsvalidate")


def time_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (ms) of one whole process, from start to exit, and its exit status."""
    start = time.perf_counter()
    done = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return (time.perf_counter() - start) * 1000.0, done.returncode


def measure(
    label: str,
    argv: Sequence[str],
    baseline: Sequence[str],
    *,
    runs: int,
    env: dict[str, str],
) -> Timing:
    """Run baseline, command, baseline, command… so that drift hits both alike."""
    time_once(baseline, env)  # warm-up: file cache and bytecode, not counted
    time_once(argv, env)
    command_ms: list[float] = []
    baseline_ms: list[float] = []
    codes: set[int] = set()
    for _ in range(runs):
        base, _code = time_once(baseline, env)
        took, code = time_once(argv, env)
        baseline_ms.append(base)
        command_ms.append(took)
        codes.add(code)
    return Timing(label, command_ms, baseline_ms, frozenset(codes))


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every command and print one line each; always exit 0."""
    parser = argparse.ArgumentParser(
        description="Start-up time of every hsvalidate command's --help, "
        'paired with python -c "import click".'
    )
    parser.add_argument("--runs", type=int, default=15, help="samples per command (default 15)")
    parser.add_argument(
        "--hsvalidate", default=None, help="the launcher to time (default: found automatically)"
    )
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    launcher = find_hsvalidate(args.hsvalidate)
    if launcher is None:
        print(
            "hsvalidate is not installed for this Python; run 'pip install .' first, "
            "or give the launcher with --hsvalidate PATH."
        )
        return 0

    # An installed wheel has its bytecode compiled (pip does it); a checkout gets it on first
    # run unless PYTHONDONTWRITEBYTECODE forbids it, which would time the compiler instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["HSVALIDATE_LANG"] = "fr"
    baseline = [sys.executable, "-c", "import click"]
    commands: list[tuple[str, list[str]]] = [("hsvalidate --help", [launcher, "--help"])]
    commands += [
        (f"hsvalidate {' '.join(words)} --help", [launcher, *words, "--help"])
        for words in SUBCOMMANDS
    ]
    commands.append(("python -m hsvalidate --help", [sys.executable, "-m", "hsvalidate", "--help"]))

    print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
    print(f"launcher:    {launcher}")
    print(f'baseline:    python -c "import click"; {runs} paired runs per command, medians')
    print()
    width = max(len(label) for label, _ in commands)
    print(f"{'command':<{width}}  {'median ms':>9}  {'baseline ms':>11}  {'ratio':>5}  target")
    started = time.perf_counter()
    timings: list[Timing] = []
    for label, command in commands:
        timing = measure(label, command, baseline, runs=runs, env=env)
        timings.append(timing)
        verdict = "PASS" if timing.ratio <= TARGET_RATIO else "FAIL"
        note = "" if timing.exit_codes == {0} else f"  (exit {sorted(timing.exit_codes)})"
        print(
            f"{label:<{width}}  {timing.median_ms:9.1f}  {timing.baseline_median_ms:11.1f}  "
            f"{timing.ratio:5.2f}  <= {TARGET_RATIO:g}x {verdict}{note}",
            flush=True,
        )
    passed = sum(1 for t in timings if t.ratio <= TARGET_RATIO)
    all_baseline = statistics.median(ms for t in timings for ms in t.baseline_ms)
    print()
    print(f"{passed} of {len(timings)} commands within {TARGET_RATIO:g}x the baseline.")
    print(
        f"Baseline median over the whole run: {all_baseline:.1f} ms; "
        f"total time {time.perf_counter() - started:.0f} s.  "
        "Compare ratios between machines, not milliseconds."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
