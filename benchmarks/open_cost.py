"""What opening a session for writing costs with 100 and with 100,000 ballots stored.

Run from the repository root::

    python benchmarks/open_cost.py            # about 30 s

Why: every command opens its session, and the ballot screen, paper entry and the
facilitator's commands open it all day.  Opening used to check every stored ballot's
checksum, so each command got slower as the workshop went on (0.38 s at 64,000 ballots).
Now an open checks only the last batch of each journal (an interrupted write can leave
damage nowhere else); the whole journal is checked when it is read anyway.

Two sessions on the shipped framework are built, identical but for the ballots stored
(100 and 100,000, in rounds of 150 participants × 33 indicators, the last batch a single
ballot as after a vote at the laptop).  Then, interleaved in shuffled passes, each is
opened for writing and closed, and opened, given one durable ballot and closed (what
one paper ballot typed as its own command costs, minus Python's start-up).  It prints the
medians and the ratio 100,000 / 100; the target is **≤ 1.25**.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGET_RATIO = 1.25


def build(root: Path, name: str, ballots: int) -> None:
    """A session with ``ballots`` ballots stored, appended as imports would (one batch each)."""
    from hsvalidate.framework_io import load_framework
    from hsvalidate.model import Settings
    from hsvalidate.resources import DEMO_FRAMEWORK, template_path
    from hsvalidate.workshop import Workshop

    fw = load_framework(template_path(DEMO_FRAMEWORK))
    with Workshop.create(root=root, name=name, framework=fw, settings=Settings()) as ws:
        ws.add_participants([(f"Participant {i} ɲ", "", "", "") for i in range(150)])
        ws.start_round()
        codes = ws.open_round().indicators  # type: ignore[union-attr]
        crit = [c.code for c in ws.settings.criteria]
        people = [p.code for p in ws.participants()]
        rows = [
            {
                "round": 1,
                "participant": people[n % len(people)],
                "indicator": codes[n % len(codes)],
                "ratings": {c: 1 + n % 9 for c in crit},
                "comment": "",
                "version": 1,
                "source": "paper",
                "recorded_at": "2026-11-27T10:00:00+00:00",
            }
            for n in range(ballots - 1)
        ]
        for start in range(0, len(rows), 5_000):
            ws.store.append_ballots(1, rows[start : start + 5_000])
        ws.record_ballot(participant=people[0], indicator=codes[0], ratings={c: 5 for c in crit})


def open_close(root: Path, name: str) -> float:
    from hsvalidate.workshop import Workshop

    began = time.perf_counter()
    Workshop.open(root=root, name=name, purpose="benchmark").close()
    return time.perf_counter() - began


def open_vote(root: Path, name: str) -> float:
    from hsvalidate.workshop import Workshop

    began = time.perf_counter()
    with Workshop.open(root=root, name=name, purpose="benchmark") as ws:
        indicator = ws.open_round().indicators[0]  # type: ignore[union-attr]
        ws.record_ballot(participant="P02", indicator=indicator, ratings={"relevance": 7})
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=200)
    options = parser.parse_args()
    sizes = (100, 100_000)
    with tempfile.TemporaryDirectory(prefix="hsvalidate open ") as tmp:
        root = Path(tmp) / "sessions"
        began = time.perf_counter()
        for size in sizes:
            build(root, f"atelier {size}", size)
        print(
            f"built sessions of {sizes[0]:,} and {sizes[1]:,} ballots in "
            f"{time.perf_counter() - began:.0f} s"
        )
        times: dict[tuple[str, int], list[float]] = {}
        rng = random.Random(5)
        for _ in range(options.passes):
            order = [(kind, size) for kind in ("open", "vote") for size in sizes]
            rng.shuffle(order)
            for kind, size in order:
                run = open_close if kind == "open" else open_vote
                spent = run(root, f"atelier {size}")
                times.setdefault((kind, size), []).append(spent)
        print(f"{'what':<28}{'ballots stored':>16}{'runs':>7}{'median ms':>12}")
        for (kind, size), values in sorted(times.items()):
            label = "open + close" if kind == "open" else "open + one ballot + close"
            print(f"{label:<28}{size:>16,}{len(values):>7}{statistics.median(values) * 1e3:>12.2f}")
        for kind in ("open", "vote"):
            small, large = (statistics.median(times[(kind, s)]) for s in sizes)
            ok = "OK" if large / small <= TARGET_RATIO else "over target"
            print(
                f"{kind}: median @{sizes[1]:,} / @{sizes[0]:,} = {large / small:.2f}  "
                f"(target <= {TARGET_RATIO}) {ok}"
            )


if __name__ == "__main__":
    main()
