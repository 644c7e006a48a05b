"""Crash-safe file replacement and a simple inter-process lock (POSIX).

:func:`atomic_write_bytes` writes a temporary file in the target's directory,
flushes and fsyncs it, renames it over the target with :func:`os.replace` and
fsyncs the directory. A crash (even ``kill -9`` or a power cut, given a file
system that honours fsync) at any moment leaves either the previous complete
file or the new complete file, never a mix. A crash can leave a stray
temporary file (``.<name>.*.tmp``); :func:`remove_stale_temps` deletes them
and must only be called while holding the target's :class:`FileLock`.

:class:`FileLock` is an exclusive ``fcntl.flock`` on a sidecar file
``<name>.lock``. The sidecar is never deleted (deleting a lock file lets two
processes lock two different files). The kernel drops the lock when the
process dies, so a killed instance never leaves the store locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from pathlib import Path
from types import TracebackType

#: How long :class:`FileLock` waits for another process by default (seconds).
DEFAULT_LOCK_TIMEOUT = 5.0


class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (ignored where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    """The name prefix of the temporary files written for ``path``."""
    return f".{path.name}."


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically and durably.

    The new file gets permission bits ``mode``. Raises :class:`OSError` when
    the file cannot be written; the previous file is then untouched.
    """
    directory = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_dir(directory)


def remove_stale_temps(path: Path) -> int:
    """Delete temporary files a crashed writer left next to ``path``.

    Only call this while holding ``FileLock(path)``: every writer holds the
    lock while its temporary file exists, so any one found then is stale.
    Returns how many were removed.
    """
    prefix = temp_prefix(path)
    removed = 0
    try:
        names = os.listdir(path.parent)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)
                removed += 1
    return removed


class FileLock:
    """An exclusive lock on ``<path>.lock``, used as a context manager.

    Raises :class:`LockTimeout` when another process keeps the lock for more
    than ``timeout`` seconds, or :class:`OSError` when the lock file cannot
    be created.
    """

    def __init__(self, path: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.lock_path = path.with_name(path.name + ".lock")
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(f"{self.lock_path} is held by another process") from None
                time.sleep(0.01)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
