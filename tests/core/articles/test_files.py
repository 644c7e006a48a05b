"""reader.core.articles.files: the one capped, non-blocking read of a regular
file, and how paths, file types and OS errors are named in problems."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from reader.core.articles.files import (
    FileTooLarge,
    NotRegularFile,
    file_kind,
    os_error_reason,
    read_capped,
    read_regular_file,
)


def _fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "pipe.md"
    os.mkfifo(path)  # nobody writes: a blocking open would hang the test
    return path


@pytest.mark.parametrize(
    ("content", "max_bytes", "expected"),
    [
        (b"", 10, b""),
        (b"hello", 5, b"hello"),
        (b"hello", 100, b"hello"),
        (b"x" * 3_000_000, 3_000_000, b"x" * 3_000_000),  # several read chunks
    ],
    ids=["empty", "exactly-the-cap", "under-the-cap", "many-chunks"],
)
def test_read_regular_file_returns_the_content(
    tmp_path: Path, content: bytes, max_bytes: int, expected: bytes
) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    assert read_regular_file(path, max_bytes) == expected
    assert read_regular_file(str(path), max_bytes) == expected


def test_read_regular_file_refuses_a_larger_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2049)
    with pytest.raises(FileTooLarge) as caught:
        read_regular_file(path, 2048)
    assert str(caught.value) == "larger than 2 KB"
    assert caught.value.max_bytes == 2048
    assert isinstance(caught.value, ValueError)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path)
    with pytest.raises(NotRegularFile) as caught:
        read_regular_file(fifo, 100)
    assert (caught.value.kind, str(caught.value)) == ("a FIFO", "skipped: a FIFO")
    with pytest.raises(NotRegularFile):
        read_capped(fifo, 100)


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/dev/null", "a device"), (".", "a directory")],
    ids=["device", "directory"],
)
def test_other_non_regular_files_are_refused(path: str, kind: str) -> None:
    if not os.path.exists(path):
        pytest.skip(f"{path} does not exist here")
    with pytest.raises(NotRegularFile) as caught:
        read_regular_file(path, 100)
    assert caught.value.kind == kind


def test_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing", 10)
    with pytest.raises(FileNotFoundError):
        read_capped(tmp_path / "missing", 10)


@pytest.mark.parametrize(
    ("content", "max_bytes", "data", "truncated"),
    [
        (b"hello", 10, b"hello", False),
        (b"hello", 5, b"hello", False),
        (b"hello", 4, b"hell", True),
        (b"", 4, b"", False),
    ],
)
def test_read_capped_cuts_a_larger_file(
    tmp_path: Path, content: bytes, max_bytes: int, data: bytes, truncated: bool
) -> None:
    path = tmp_path / "f.md"
    path.write_bytes(content)
    read = read_capped(path, max_bytes)
    assert (read.data, read.truncated, read.size) == (data, truncated, len(content))
    assert read.mtime == path.stat().st_mtime


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        (stat.S_IFIFO, "a FIFO"),
        (stat.S_IFCHR, "a device"),
        (stat.S_IFBLK, "a device"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFDIR, "a directory"),
        (stat.S_IFLNK, "not a regular file"),
    ],
)
def test_file_kind(mode: int, kind: str) -> None:
    assert file_kind(mode) == kind


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (OSError(errno.ELOOP, "Too many levels"), "symlink loop"),
        (OSError(errno.EACCES, "Permission denied"), "cannot read: permission denied"),
        (OSError(errno.EPERM, "Not permitted"), "cannot read: permission denied"),
        (OSError(errno.ENOENT, "No such file"), "not found (broken link or removed)"),
        (OSError(errno.EIO, "I/O error"), "cannot read: I/O error"),
        (OSError(), "cannot read: OSError"),
    ],
)
def test_os_error_reason(exc: OSError, reason: str) -> None:
    assert os_error_reason(exc) == reason
