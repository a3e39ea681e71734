"""A few kills of the writer loop of benchmarks/kill_test.py (run it for 300)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from kill_test import run


def test_kills_lose_no_acknowledged_ballot_and_no_import_is_partial() -> None:
    tally = run(kills=4, seed=3)
    assert tally.kills == 4 and tally.acknowledged > 0, tally.errors
    assert (tally.unusable, tally.lost, tally.partial) == (0, 0, 0), tally.errors
