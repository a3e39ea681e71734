"""Durable, atomic file replacement: the one way hsvalidate writes any file.

Why: power cuts are common where the tool is used.  A file is written to a temporary
file in the same folder, flushed and fsynced, then ``os.replace``d over the target, and
the folder is fsynced where the platform allows it.  A reader therefore sees either the
old file or the new one, never half of each.  ``os.replace`` is retried briefly because on
Windows an antivirus or the search indexer may hold the target for a moment (WinError 5/32).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from hsvalidate.errors import StorageError
from hsvalidate.i18n import Message

TEMP_PREFIX = ".hsv-tmp-"
"""Prefix of temporary files, so leftovers of a killed process can be recognised and removed."""

_REPLACE_ATTEMPTS = 10
_REPLACE_PAUSE_S = 0.05


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_with_retry(src: Path, dst: Path) -> None:
    """``os.replace`` that tolerates a Windows file briefly held by another program."""
    for attempt in range(_REPLACE_ATTEMPTS):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == _REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(_REPLACE_PAUSE_S * (attempt + 1))


def storage_error(exc: OSError, path: Path) -> StorageError:
    """Turn an OS error into one sentence that says what to do; the old file is untouched."""
    if exc.errno == errno.ENOSPC:
        return StorageError(Message("file.disk_full", file=str(path)))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError(Message("file.write_denied", file=str(path)))
    return StorageError(
        Message("file.write_failed", file=str(path), reason=exc.strerror or str(exc))
    )


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it is fsynced and moved over ``target``.

    For libraries that insist on writing to a path themselves (openpyxl, reportlab).
    On any error the temporary file is removed and the old ``target`` is left as it was.
    """
    target = Path(target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=folder)
        os.close(fd)
        # mkstemp makes the file private (0600); a workbook or minutes must be readable
        # like any other file the user creates, so apply the usual permissions.
        os.chmod(name, 0o666 & ~_current_umask())
    except OSError as exc:
        raise storage_error(exc, target) from exc
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        replace_with_retry(tmp, target)
        fsync_dir(folder)
    except OSError as exc:
        _remove_quietly(tmp)
        raise storage_error(exc, target) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` durably: afterwards it survives a power cut."""
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()


def clean_temp_files(folder: Path) -> list[Path]:
    """Remove temporary files left by a killed process; call only while holding the folder's lock."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if path.name.startswith(TEMP_PREFIX) and path.is_file():
            _remove_quietly(path)
            removed.append(path)
    return removed


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
