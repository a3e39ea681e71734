"""Atomic file replacement: all of the new file or all of the old one, readable like any file."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from hsvalidate import fileio
from hsvalidate.errors import StorageError


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "procès-verbal.pdf"
    target.write_bytes(b"old minutes")
    with pytest.raises(RuntimeError), fileio.atomic_path(target) as tmp:
        tmp.write_bytes(b"half of the new")
        raise RuntimeError("power cut while building")
    assert target.read_bytes() == b"old minutes"
    assert [p.name for p in tmp_path.iterdir()] == ["procès-verbal.pdf"]


def test_a_full_disk_is_one_sentence_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "session.json"
    target.write_bytes(b"{}")

    def full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full)
    with pytest.raises(StorageError, match="The disk is full"):
        fileio.write_atomic(target, b'{"new": 1}')
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]


def test_replace_is_retried_while_windows_holds_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls: list[int] = []

    def busy_twice(src: str, dst: str) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", busy_twice)
    fileio.write_atomic(tmp_path / "a.txt", b"ok")
    assert (tmp_path / "a.txt").read_bytes() == b"ok"
    assert len(calls) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_written_files_are_readable_like_any_file_the_user_creates(tmp_path: Path) -> None:
    fileio.write_atomic(tmp_path / "a.txt", b"x")
    (tmp_path / "b.txt").write_bytes(b"x")
    assert (tmp_path / "a.txt").stat().st_mode == (tmp_path / "b.txt").stat().st_mode


def test_leftover_temporary_files_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / f"{fileio.TEMP_PREFIX}abc.json").write_bytes(b"partial")
    (tmp_path / "session.json").write_bytes(b"{}")
    removed = fileio.clean_temp_files(tmp_path)
    assert [p.name for p in removed] == [f"{fileio.TEMP_PREFIX}abc.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["session.json"]
