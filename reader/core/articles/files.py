"""Reading files safely, and naming them in messages.

The one capped, non-blocking read of a regular file: opened with
``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor, so a FIFO
or a device put in a file's place (even after a directory scan) can neither
hang the reader nor exhaust memory. Articles, settings, the reading state and
gazetteers are all read through it. Also how a file type or an ``OSError``
is spelt in a one-line problem (paths go through
:func:`reader.core.articles.sanitize.display_path`).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

_CHUNK = 1 << 20


class NotRegularFile(ValueError):
    """The path is a FIFO, a device, a socket or a directory.

    ``kind`` says which (``"a FIFO"``); the message is ``"skipped: a FIFO"``.
    """

    def __init__(self, kind: str) -> None:
        super().__init__(f"skipped: {kind}")
        self.kind = kind


class FileTooLarge(ValueError):
    """The file holds more than ``max_bytes``; the message is
    ``"larger than N KB"``."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"larger than {max_bytes // 1024} KB")
        self.max_bytes = max_bytes


@dataclass(frozen=True, slots=True)
class CappedRead:
    """At most ``max_bytes`` of a file, with its size and mtime as opened."""

    data: bytes
    size: int
    mtime: float
    truncated: bool
    """True when the file held more than the bytes read."""


def file_kind(mode: int) -> str:
    """What a non-regular file is, for a message (``"a FIFO"``)."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def os_error_reason(exc: OSError) -> str:
    """Why a file could not be used, in a few words (``"symlink loop"``)."""
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    if exc.errno == errno.ENOENT:
        return "not found (broken link or removed)"
    return f"cannot read: {exc.strerror or exc.__class__.__name__}"


def read_capped(path: str | os.PathLike[str], max_bytes: int) -> CappedRead:
    """Read at most ``max_bytes`` of a regular file without ever blocking;
    a larger file is cut (``truncated``). Raises OSError, or
    :class:`NotRegularFile`."""
    fd, info = _open_regular(path)
    try:
        data = _read_fd(fd, max_bytes + 1)
    finally:
        os.close(fd)
    truncated = len(data) > max_bytes
    return CappedRead(data[:max_bytes], info.st_size, info.st_mtime, truncated)


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The whole content of a regular file of at most ``max_bytes``, read
    without ever blocking on a FIFO or a device. Raises OSError (missing,
    unreadable), :class:`NotRegularFile` or :class:`FileTooLarge` (both
    ValueError)."""
    fd, info = _open_regular(path)
    try:
        if info.st_size > max_bytes:
            raise FileTooLarge(max_bytes)
        data = _read_fd(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # it grew since the fstat
        raise FileTooLarge(max_bytes)
    return data


def _open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A descriptor open on a regular file, and its ``fstat``. Opening never
    blocks (``O_NONBLOCK``); the type is checked on the descriptor itself, so
    a file swapped after a directory scan is caught."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise NotRegularFile(file_kind(info.st_mode))
    return fd, info


def _read_fd(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes from ``fd``."""
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
