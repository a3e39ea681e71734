"""Runs one reader on one file at a time, in a process of bounded memory, for tests/test_hostile_files.py.

Why a process of its own: a file that makes a reader hang or fill the memory must fail
its test, not freeze the test run.  The parent sends one JSON line per case and kills
this process when a case takes longer than allowed; ``RLIMIT_AS`` makes a case that
asks for too much memory fail here with ``MemoryError``.  Each answer says how the
reader ended (``ok``, ``refused`` with the sentence and its problems, or ``bug`` with
the traceback), how long it took and the highest resident memory while it ran.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hsvalidate.errors import HsValidateError, InputFileError
from hsvalidate.framework_io import check_framework
from hsvalidate.i18n import set_language
from hsvalidate.readers import (
    BallotContext,
    read_attendance,
    read_ballots,
    read_criteria,
)

PARTICIPANTS = {f"P{n:02d}": f"P{n:02d}" for n in range(1, 6)}
CONTEXT = BallotContext(
    round=1,
    indicators=("I1", "I2", "I3"),
    participant_code=lambda text: PARTICIPANTS.get(text.strip().upper()),
    criterion_code=lambda text: (
        text.strip().lower() if text.strip().lower() in ("pertinence", "faisabilite") else None
    ),
    criteria_hint="pertinence, faisabilite",
)


def _read(reader: str, path: Path) -> Any:
    if reader == "framework":
        return check_framework(path)
    if reader == "attendance":
        return read_attendance(path)
    if reader == "ballots":
        return read_ballots(path, CONTEXT, source="import")
    if reader == "criteria":
        return read_criteria(path)
    raise ValueError(reader)


def _reset_peak() -> bool:
    """Start counting the peak resident memory again (Linux); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(reader: str, path: Path) -> dict[str, Any]:
    _reset_peak()
    start = time.perf_counter()
    answer: dict[str, Any]
    try:
        _read(reader, path)
        answer = {"outcome": "ok"}
    except HsValidateError as exc:
        problems = exc.problems if isinstance(exc, InputFileError) else ()
        answer = {
            "outcome": "refused",
            "message": str(exc),
            "problems": [
                {"file": p.file, "text": str(p), "sheet": p.sheet, "row": p.row} for p in problems
            ],
        }
    except MemoryError:
        answer = {"outcome": "memory"}
    except BaseException as exc:
        answer = {"outcome": "bug", "kind": type(exc).__name__, "traceback": traceback.format_exc()}
    answer["seconds"] = time.perf_counter() - start
    answer["peak_mb"] = _peak_mb()
    return answer


def main() -> None:
    limit = int(sys.argv[1]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    set_language("en")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    for line in sys.stdin:
        case = json.loads(line)
        answer = run(case["reader"], Path(case["path"]))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
