"""A real full disk: a small tmpfs, filled until almost nothing is left (root only, else skipped).

What a user meets when a USB stick or a laptop's disk is full: one sentence, nothing
half-made, and the same command works once space is freed.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "clé USB pleine"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, leave: int) -> Path:
    """Fill the disk holding ``folder`` until about ``leave`` bytes are free."""
    ballast = folder / "ballast.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with ballast.open("wb") as handle, contextlib.suppress(OSError):
        handle.write(b"\0" * max(0, free - leave))
    return ballast


def hsvalidate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hsvalidate", *args, "--lang", "fr"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "HSVALIDATE_SESSIONS": ""},
        check=False,
    )


@pytest.mark.parametrize("leave", [k * 1024 for k in (4, 16, 24, 32, 40, 48)])
def test_session_new_on_a_full_disk_leaves_nothing_and_can_be_retried(
    small_disk: Path, framework_file: Path, leave: int
) -> None:
    sessions = small_disk / "sessions"
    ballast = fill(small_disk, leave)
    args = ("session", "new", "Atelier", "--framework", str(framework_file))
    result = hsvalidate(*args, "--sessions-dir", str(sessions), cwd=small_disk)
    if result.returncode == 0:
        pytest.skip(f"the session fitted in {leave} bytes")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert not (sessions / "Atelier" / "session.json").exists()
    ballast.unlink()
    again = hsvalidate(*args, "--sessions-dir", str(sessions), cwd=small_disk)
    assert again.returncode == 0, again.stderr
    shown = hsvalidate("session", "show", "--sessions-dir", str(sessions), cwd=small_disk)
    assert shown.returncode == 0
    assert "interruption" not in shown.stderr  # nothing crashed: no recovery reported


def test_export_on_a_full_disk_is_one_sentence_without_traceback(
    small_disk: Path, framework_file: Path, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    made = hsvalidate(
        "session", "new", "Atelier", "--framework", str(framework_file),
        "--sessions-dir", str(sessions), cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    fill(small_disk, 8 * 1024)
    result = hsvalidate(
        "export", "--out", str(small_disk / "documents"), "--sessions-dir", str(sessions),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert not list((small_disk / "documents").glob("*.tmp*"))
