"""Folder seals: one number that says a folder's files are as the store saw them.

A second start must learn which of 100k files changed, and statting them is
unavoidable (a file written in place moves only its own mtime). Comparing
each stat with the stored one is not: that needs every stored stat key read
from SQLite and a lookup per file. The store keeps, per folder, a *seal*:
the number of its files and the sum of a mix of each file's name and stat
key (:func:`file_mix`). A walk that computes the same sum from its stats
and finds it equal knows the whole folder is unchanged without reading a
single stored key; any difference (a file added, gone, renamed, written,
touched) sends that folder to the file-by-file comparison.

The mix is plain integer arithmetic (no ``hash()``, whose value for a
string changes from one process to the next), so a seal written by one
process is checked by another. A folder with a file of unknown stat key
(read while it was being written) has no seal. Seals are written by
:mod:`reader.core.store.folders`; design notes in ``docs/archive-store.md``.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable

FolderKey = tuple[str, str]
"""(resolved root folder, folder under it: ``""`` for the root itself)."""
Seal = tuple[int, int]
"""(number of files, sum of their :func:`file_mix`) of one folder."""

#: Odd 64-bit multipliers (from the golden ratio and xxHash's primes).
K_NAME, K_SIZE, K_MTIME, K_CTIME = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0x27D4EB2F165667C5,
)
#: Mixes keep 64 bits; seals 63, so SQLite stores them as INTEGER.
MIX_MASK = (1 << 64) - 1
SEAL_MASK = (1 << 63) - 1


def file_mix(name: bytes, size: int, mtime_ns: int, ctime_ns: int) -> int:
    """One file's part of its folder's seal: ``name`` is its file name as
    file-system bytes. The walk inlines this expression (a call per file
    costs a 100k walk a few hundredths of a second)."""
    return (
        zlib.crc32(name) * K_NAME ^ size * K_SIZE ^ mtime_ns * K_MTIME ^ ctime_ns * K_CTIME
    ) & MIX_MASK


def seal_of(files: Iterable[tuple[bytes, int | None, int | None, int | None]]) -> Seal | None:
    """The seal of a folder's stored files, ``(name, size, mtime_ns,
    ctime_ns)`` each; None when one has no stat key (it is read again next
    time, so its folder must be compared file by file) or there are none."""
    count = total = 0
    for name, size, mtime, ctime in files:
        if size is None or mtime is None or ctime is None:
            return None
        count += 1
        total += file_mix(name, size, mtime, ctime)
    return (count, total & SEAL_MASK) if count else None


#: The path separator, as stored paths spell it (file-system bytes).
SEP = os.fsencode(os.sep)


def split_rel(rel: bytes) -> tuple[bytes, bytes]:
    """A stored path under its root as (folder, file name), in bytes."""
    cut = rel.rfind(SEP)
    return (rel[:cut], rel[cut + 1 :]) if cut >= 0 else (b"", rel)


def folder_key(root: str, relative: str) -> FolderKey:
    """The folder of a file key ``(root, relative)``."""
    return (root, os.path.dirname(relative))
