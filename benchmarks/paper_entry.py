"""Typing 12,000 paper ballots through ``ballots enter``'s code path, against bare durable writes.

Run from the repository root::

    python benchmarks/paper_entry.py                      # 150 participants × 80 indicators
    python benchmarks/paper_entry.py --participants 40 --indicators 30

It builds, in a temporary folder, a session of ``--participants`` × ``--indicators`` × 3
criteria with round 1 open, then types every participant's form through
``hsvalidate.paper`` exactly as the typing screen does — one keystroke per box, Enter
after each indicator, one comment in fifty, the form saved with one ``record_ballots``
call — and prints the total and the time per ballot (one participant × one indicator).

Baselines, measured in the same run on the same disk, each in a session of its own:

- the same writes with nothing around them: one bare ``store.append_ballots`` call per
  form, with the same ballots (what any durable store must pay for these forms);
- one bare ``append_ballots`` per ballot, 12,000 calls: the durable writes of the old way,
  one process per ballot, without the processes.

The issue measured 0.16–0.19 s per ballot for one process per ballot (36 minutes for
12,000), against 45 s for the durable writes themselves.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def build(root: Path, name: str, participants: int, indicators: int):  # type: ignore[no-untyped-def]
    """A session with round 1 open; returns it opened (the caller closes it)."""
    import random

    from national import synthetic_framework

    from hsvalidate.demo import make_panel
    from hsvalidate.model import Settings
    from hsvalidate.workshop import Workshop

    ws = Workshop.create(
        root=root, name=name, framework=synthetic_framework(indicators), settings=Settings()
    )
    ws.add_participants(make_panel(random.Random(8), participants))
    ws.start_round()
    return ws


def keystrokes(indicators: int, seed: int) -> list[tuple[str, str]]:
    """One form's keystrokes: ("key", k) for a box or Enter, ("comment", text) now and then."""
    import random

    from hsvalidate.paper import ENTER

    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for _ in range(indicators):
        for _ in range(3):
            out.append(("key", rng.choice("123456789123456789n-")))
        if rng.random() < 0.02:
            out.append(("comment", "Préciser la source des données à Ségou (ɛ ɔ ɲ ŋ)."))
        else:
            out.append(("key", ENTER))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=150)
    parser.add_argument("--indicators", type=int, default=80)
    options = parser.parse_args()
    from hsvalidate.paper import PaperEntry

    people, count = options.participants, options.indicators
    with tempfile.TemporaryDirectory(prefix="hsvalidate paper ") as tmp:
        root = Path(tmp) / "sessions"
        ws = build(root, "typed", people, count)
        codes = [p.code for p in ws.participants()][:people]  # the panel may be a few larger
        forms = [keystrokes(count, seed) for seed in range(len(codes))]
        start = time.perf_counter()
        entry = PaperEntry(ws)
        ballots = 0
        for code, keys in zip(codes, forms, strict=True):
            form = entry.start(code)
            for kind, value in keys:
                if kind == "key":
                    form.key(value)
                else:
                    form.comment(value)
            ballots += len(entry.save(form, blanks_confirmed=True))
        ours = time.perf_counter() - start
        typed = [b.to_dict() for b in ws.ballots(1)]
        ws.close()

        by_form: dict[str, list[dict[str, object]]] = {}
        for doc in typed:
            by_form.setdefault(str(doc["participant"]), []).append(doc)
        bare = build(root, "bare", people, count)
        start = time.perf_counter()
        for docs in by_form.values():
            bare.store.append_ballots(1, docs)
        batched = time.perf_counter() - start
        bare.close()

        single = build(root, "single", people, count)
        start = time.perf_counter()
        for doc in typed:
            single.store.append_ballots(1, [doc])
        one_by_one = time.perf_counter() - start
        single.close()

    print(
        f"{ballots:,} paper ballots ({people} participants × {count} indicators × 3 criteria), "
        f"{people} forms"
    )
    print(f"{'':<44} {'total s':>8} {'ms/ballot':>10} {'ratio':>6}")
    rows = (
        ("ballots enter's code path (PaperEntry)", ours),
        ("bare append_ballots, one call per form", batched),
        ("bare append_ballots, one call per ballot", one_by_one),
    )
    for label, seconds in rows:
        print(
            f"{label:<44} {seconds:8.2f} {1000 * seconds / ballots:10.3f} "
            f"{seconds / batched if batched else float('nan'):6.1f}"
        )
    print(
        "ratio: against the same durable writes with nothing around them (one call per form). "
        "The issue measured 160–190 ms per ballot for one process per ballot."
    )


if __name__ == "__main__":
    main()
