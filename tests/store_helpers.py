"""Child processes for the session store tests: a second window, a crashing writer.

Run as ``python tests/store_helpers.py MODE FOLDER``; each mode prints one line per
event and flushes it, so the parent test knows exactly what was acknowledged.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hsvalidate.store import open_store

PURPOSE = "hsvalidate ballot"


def hold(folder: Path) -> None:
    """Record a participant, then hold the write lock until stdin closes (or a kill).

    A window holds the lock only while it writes; this one stands for a write that
    takes long (a large import) or a process killed in the middle of one.
    """
    store = open_store(folder, purpose=PURPOSE)
    store.insert("participants", {"code": "P99", "name": "Ɲɛlɛ Kɔnɛ"})
    with store.writing():
        print("ready", flush=True)
        sys.stdin.read()
    store.close()
    print("closed", flush=True)


def append(folder: Path) -> None:
    """Append ballots forever, alone or in batches of three, printing each acknowledgement.

    Each ballot carries its batch number ``n``, its place ``k`` and the batch ``size``, so
    the parent can check that batches survive whole or not at all.
    """
    store = open_store(folder, purpose=PURPOSE)
    print("ready", flush=True)
    for n in range(1_000_000):
        size = 3 if n % 4 == 3 else 1
        batch = [
            {"n": n, "k": k, "size": size, "comment": "ɛ ɔ ɲ ŋ " * (n % 7)} for k in range(size)
        ]
        store.append_ballots(1 + n % 2, batch)
        print(f"ack {n}", flush=True)


def revise(folder: Path) -> None:
    """Open the workshop in ``folder`` and add indicators forever, printing each acknowledgement.

    Each addition is a revision and its log entry, written together; the parent kills
    this process at a random moment and checks that the two never part.
    """
    from hsvalidate.workshop import Workshop

    with Workshop.open(root=folder.parent, name=folder.name, purpose=PURPOSE) as ws:
        print("ready", flush=True)
        outcome = next(ws.framework.outcomes()).code
        for n in range(1_000_000):
            added = ws.add_indicator(outcome, text=f"Indicateur ajouté n° {n} — ɛ ɔ ɲ ŋ")
            print(f"ack {added.code}", flush=True)


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    {"hold": hold, "append": append, "revise": revise}[mode](folder)
