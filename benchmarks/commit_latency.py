"""Latency of one durable ballot commit as a session fills up: our store, TinyDB, SQLite.

Run from the repository root: ``python benchmarks/commit_latency.py``.  See README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run from a checkout without installing

PARTICIPANTS = 40
INDICATORS = 30
CRITERIA = ("relevance", "feasibility", "clarity")
LEVELS = (1_000, 100_000)  # ratings already stored when the measured commits start
SAMPLES = 500  # commits measured per store and level
WARMUP = 20
TINYDB_STRIDE_100K = 10  # TinyDB's default storage rewrites everything on each insert

rng = random.Random(2026)


def make_ballot(round_no: int, participant: int, indicator: int) -> dict[str, Any]:
    """One participant's ratings of one indicator on the three default criteria."""
    return {
        "round": round_no,
        "participant": f"P{participant:02d}",
        "indicator": f"D{indicator % 3 + 1}.O{indicator % 5 + 1}.I{indicator + 1}",
        "ratings": {c: rng.choice([None, *range(1, 10)]) for c in CRITERIA},
        "comment": rng.choice(["", "", "", "Reformuler : « taux de ɲɛgɛn »"]),
        "version": 1,
        "source": "terminal",
        "recorded_at": dt.datetime.now().isoformat(timespec="seconds"),
    }


def existing_ballots(ratings: int) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Ballots worth ``ratings`` ratings, a round at a time: 40 participants x 30 indicators."""
    remaining = -(-ratings // len(CRITERIA))
    round_no = 0
    while remaining:
        round_no += 1
        batch = []
        for indicator in range(INDICATORS):
            for participant in range(1, PARTICIPANTS + 1):
                if len(batch) < remaining:
                    batch.append(make_ballot(round_no, participant, indicator))
        remaining -= len(batch)
        yield round_no, batch


def new_ballots(round_no: int) -> Iterator[dict[str, Any]]:
    """The ballots committed one by one while we measure."""
    n = 0
    while True:
        yield make_ballot(round_no, n % PARTICIPANTS + 1, n // PARTICIPANTS % INDICATORS)
        n += 1


@dataclass
class Bench:
    """One store at one fill level, ready to commit single ballots."""

    store: str
    level: int
    commit: Callable[[dict[str, Any]], None]
    ballots: Iterator[dict[str, Any]]
    close: Callable[[], None]
    stride: int = 1  # commit on every stride-th pass only (TinyDB at 100k is slow)
    samples: list[float] = field(default_factory=list)  # milliseconds

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98]


def open_ours(tmp: Path, level: int, *, one_round: bool = False) -> Bench:
    from hsvalidate.store import create_store

    store = create_store(tmp / f"ours-{level}-{one_round}", meta={"name": "bench"})
    store.insert_many("participants", [{"code": f"P{p:02d}"} for p in range(1, PARTICIPANTS + 1)])
    last = 1
    for round_no, batch in existing_ballots(level):
        last = 1 if one_round else round_no
        store.append_ballots(last, batch)
    name = "hsvalidate store, all in 1 journal" if one_round else "hsvalidate store"
    return Bench(
        name, level, lambda b: store.append_ballots(last, [b]), new_ballots(last), store.close
    )


def open_tinydb(tmp: Path, level: int) -> Bench:
    from tinydb import TinyDB

    db = TinyDB(tmp / f"tinydb-{level}.json", encoding="utf-8", ensure_ascii=False)
    table = db.table("ballots")
    last = 1
    rows: list[dict[str, Any]] = []
    for round_no, batch in existing_ballots(level):
        rows += batch
        last = round_no
    table.insert_multiple(rows)
    stride = 1 if level <= 1_000 else TINYDB_STRIDE_100K
    return Bench(
        "TinyDB default JSONStorage", level, table.insert, new_ballots(last), db.close, stride
    )


def open_sqlite(tmp: Path, level: int) -> Bench:
    db = sqlite3.connect(tmp / f"bench-{level}.sqlite")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(
        "CREATE TABLE ballots (id INTEGER PRIMARY KEY, round INT, participant TEXT,"
        " indicator TEXT, ballot TEXT)"
    )
    db.execute("CREATE INDEX by_round ON ballots (round, indicator, participant)")
    insert = "INSERT INTO ballots (round, participant, indicator, ballot) VALUES (?,?,?,?)"
    last = 1
    with db:
        for round_no, batch in existing_ballots(level):
            last = round_no
            db.executemany(
                insert,
                [(b["round"], b["participant"], b["indicator"], json.dumps(b)) for b in batch],
            )

    def commit(b: dict[str, Any]) -> None:
        with db:  # one transaction, one commit per ballot
            db.execute(
                insert,
                (b["round"], b["participant"], b["indicator"], json.dumps(b, ensure_ascii=False)),
            )

    return Bench("SQLite WAL, synchronous=FULL", level, commit, new_ballots(last), db.close)


def run(benches: list[Bench]) -> None:
    """Commit in interleaved, shuffled passes, so disk noise hits every store alike."""
    for bench in benches:
        for _ in range(WARMUP):
            bench.commit(next(bench.ballots))
    order = list(benches)
    for n in range(SAMPLES):
        rng.shuffle(order)
        for bench in order:
            if n % bench.stride:
                continue
            ballot = next(bench.ballots)
            t0 = time.perf_counter_ns()
            bench.commit(ballot)
            bench.samples.append((time.perf_counter_ns() - t0) / 1e6)


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hsv-bench-") as name:
        tmp = Path(name)
        benches = []
        for level in LEVELS:
            benches += [
                open_ours(tmp, level),
                open_tinydb(tmp, level),
                open_sqlite(tmp, level),
                open_ours(tmp, level, one_round=True),
            ]
        try:
            run(benches)
        finally:
            for bench in benches:
                bench.close()

    print("Durable commit of one ballot (1 participant x 1 indicator x 3 criteria)")
    print(f"{'store':36} {'ratings stored':>14} {'samples':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for b in sorted(benches, key=lambda b: b.level):
        note = f"  (1 pass in {b.stride}: too slow)" if b.stride > 1 else ""
        print(f"{b.store:36} {b.level:>14,} {len(b.samples):>8} {b.p50:>8.3f} {b.p99:>8.3f}{note}")

    def get(store: str, level: int) -> Bench:
        return next(b for b in benches if b.store == store and b.level == level)

    low, high = LEVELS
    ours = {level: get("hsvalidate store", level) for level in LEVELS}
    sqlite = {level: get("SQLite WAL, synchronous=FULL", level) for level in LEVELS}
    tiny = {level: get("TinyDB default JSONStorage", level) for level in LEVELS}
    growth = ours[high].p50 / ours[low].p50
    verdict = "OK" if growth <= 1.25 else "MISSED"
    print()
    print(f"our p50 @{high:,} / @{low:,}:        {growth:6.2f}  (target <= 1.25) {verdict}")
    for level in LEVELS:
        ratio = ours[level].p50 / sqlite[level].p50
        verdict = "OK" if ratio <= 3 else "MISSED"
        print(f"our p50 / SQLite p50 @{level:>7,}:  {ratio:6.2f}  (target <= 3)    {verdict}")
    for level in LEVELS:
        print(f"TinyDB default p50 / ours @{level:>7,}: {tiny[level].p50 / ours[level].p50:6.1f}")
    print()
    print(
        f"TinyDB's default storage at {high:,} commits only on 1 pass in {TINYDB_STRIDE_100K} "
        "(each insert re-reads and rewrites the whole file), so its sample is small and its "
        "p99 is close to its maximum."
    )
    print(
        f"Stores are measured interleaved in {SAMPLES} shuffled passes; total run time "
        f"{time.perf_counter() - started:.0f} s. fsync speed depends on the disk: compare "
        "ratios, not milliseconds."
    )


if __name__ == "__main__":
    main()
