"""What changed in an archive's folders since its store last saw them.

:func:`changes_part` walks the roots and stats every article file, comparing
each folder with what the store holds (:class:`~reader.core.store.stored_files.StoredFiles`):
a folder whose files still make its :mod:`seal <reader.core.store.seals>`
is unchanged as a whole; any other is compared file by file with its
stored stat keys, read only then. :func:`changes` is the whole walk;
:func:`folder_changes_part` is what a second start's child process runs
while the parent lists the archive (:class:`reader.core.session.walk.Walk`),
so this module imports only the walk and SQLite: the child starts in a few
hundredths of a second. A parent with nothing else to do takes a share of
the stats itself (two processes stat 100k files in half the time) and
:func:`join_parts` joins the shares.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import zlib
from collections.abc import Iterable, Mapping
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, TypeVar

from reader.core.articles.article import Problem
from reader.core.articles.files import os_error_reason
from reader.core.articles.sanitize import display_path
from reader.core.articles.walk import not_a_file, walk_entries
from reader.core.store import scan
from reader.core.store.scan import (
    ArchiveRoots,
    Changes,
    FileKey,
    RootPlaces,
    ScannedFile,
    StatKey,
    scanned_file,
    stamp_at,
)
from reader.core.store.schema import connect
from reader.core.store.seals import (
    K_CTIME,
    K_MTIME,
    K_NAME,
    K_SIZE,
    MIX_MASK,
    SEAL_MASK,
    FolderKey,
)
from reader.core.store.stored_files import StoredFiles, StoreFolders

_ABSENT = object()
_POSITION = itemgetter(0)
T = TypeVar("T")


def read_stat_keys(db: sqlite3.Connection) -> dict[FileKey, StatKey | None]:
    """Every stored file's key and stat key (None: read it again)."""
    out: dict[FileKey, StatKey | None] = {}
    roots = {rid: os.fsdecode(path) for rid, path in db.execute("SELECT rid, path FROM roots")}
    query = "SELECT rid, rel, size, mtime_ns, ctime_ns FROM files"
    for rid, rel, size, mtime_ns, ctime_ns in db.execute(query):
        key = (roots[rid], os.fsdecode(rel))
        out[key] = None if size is None else (size, mtime_ns, ctime_ns)
    return out


def stored_stat_keys(store_path: str) -> dict[FileKey, StatKey | None]:
    """:func:`read_stat_keys` of the store file at ``store_path`` (only read)."""
    db = connect(Path(store_path))
    try:
        return read_stat_keys(db)
    finally:
        db.close()


class ChangesPart(NamedTuple):
    """The changes one share of a walk found (:func:`changes_part`), each
    new or changed file and each problem with the walk position it was
    found at, so that shares join in walk order."""

    new: list[tuple[int, ScannedFile]]
    changed: list[tuple[int, ScannedFile]]
    removed: list[FileKey]
    unchanged: int
    problems: list[tuple[int, Problem]]


def changes(
    roots: ArchiveRoots,
    stored: StoredFiles | Mapping[FileKey, StatKey | None],
    racy_ns: int | None = None,
) -> tuple[Changes, list[Problem]]:
    """What :func:`~reader.core.store.scan.diff` says of a whole
    :meth:`~ArchiveRoots.scan` against ``stored``, without making a
    :class:`ScannedFile` for the files that did not change."""
    return join_parts([changes_part(roots, stored, racy_ns)])


def changes_part(
    roots: ArchiveRoots,
    stored: StoredFiles | Mapping[FileKey, StatKey | None],
    racy_ns: int | None = None,
    share: tuple[int, int, int] = (0, 1, 1),
) -> ChangesPart:
    """The changes of one share of the folders: with ``share`` (start,
    stop, n), every folder is listed but only those whose number modulo n
    is in ``range(start, stop)`` are stat-ed and compared, so that processes
    can split the stats (the cost of a walk) and :func:`join_parts` joins
    their parts. Roots that are files, and the walk's own problems, belong
    to the share that starts at 0. Several shares need every root to be a
    folder (else that share does it all); so do seals (a file given as a
    root is also a file of its folder)."""
    if not isinstance(stored, StoredFiles):
        stored = StoredFiles.of(stored)
    start, stop, count = share
    folders_only = roots.folders_only
    if count > 1 and not folders_only:
        if start:
            return ChangesPart([], [], [], 0, [])
        start, stop, count = 0, 1, 1
    first = start == 0
    problems: list[tuple[int, Problem]] = []
    new: list[tuple[int, ScannedFile]] = []
    changed: list[tuple[int, ScannedFile]] = []
    present: set[FileKey] = set()
    compared: set[FolderKey] = set()  # folders compared file by file
    walked: set[FolderKey] = set()
    limit = time.time_ns() - (scan.RACY_NS if racy_ns is None else racy_ns)
    place = RootPlaces(roots)
    is_regular, crc32, fsencode = stat.S_ISREG, zlib.crc32, os.fsencode
    sealed = 0  # files of folders whose seal matched
    folders = -1

    def compare(
        position: int, key: FileKey, info: os.stat_result, path: str, root: str, old: object
    ) -> None:
        """One file against its stored stat key ``old`` (``_ABSENT``: none)."""
        ctime = info.st_ctime_ns  # racy: see reader.core.store.scan
        if old is not _ABSENT and ctime <= limit and old == (info.st_size, info.st_mtime_ns, ctime):
            return
        rank, _, prefix = place(root, path)
        stamp = stamp_at(info, limit)
        scanned = scanned_file((path, root, key[1], key, stamp, rank, prefix))
        (new if old is _ABSENT else changed).append((position, scanned))

    for position, item in enumerate(walk_entries(roots.roots)):
        if isinstance(item, list):  # a root that is a file, or a problem
            for found in item:
                if not first:
                    break
                if isinstance(found, Problem):
                    problems.append((position, found))
                    continue
                path, root, relative, info = found
                key = (place(root, path)[1], relative)
                if key not in present:
                    present.add(key)
                    folder = (key[0], os.path.dirname(relative))
                    compared.add(folder)
                    old = stored.keys_in(folder).get(key, _ABSENT)
                    compare(position, key, info, path, root, old)
            continue
        root, cut, entries = item
        resolved = place(root, root)[1]
        folder = (resolved, os.path.dirname(entries[0].path[cut:]))
        walked.add(folder)
        folders += 1
        if not start <= folders % count < stop:
            continue
        seal = stored.seal(folder) if folders_only else None
        stats: list[tuple[os.DirEntry[str], os.stat_result]] = []
        total = newest_ctime = 0
        for entry in entries:
            try:
                info = entry.stat()
            except OSError as exc:
                problems.append((position, Problem(display_path(entry.path), os_error_reason(exc))))
                continue
            if not is_regular(info.st_mode):
                problems.append((position, not_a_file(entry.path, info)))
                continue
            stats.append((entry, info))
            if seal is not None:  # seals.file_mix, inlined
                size, mtime, ctime = info.st_size, info.st_mtime_ns, info.st_ctime_ns
                total += (
                    crc32(fsencode(entry.name)) * K_NAME
                    ^ size * K_SIZE
                    ^ mtime * K_MTIME
                    ^ ctime * K_CTIME
                ) & MIX_MASK
                if ctime > newest_ctime:
                    newest_ctime = ctime
        if seal is not None and newest_ctime <= limit and seal == (len(stats), total & SEAL_MASK):
            sealed += len(stats)
            continue
        compared.add(folder)
        remembered = stored.keys_in(folder).get
        for entry, info in stats:
            path = entry.path
            key = (resolved, path[cut:])
            if key not in present:
                present.add(key)
                compare(position, key, info, path, root, remembered(key, _ABSENT))
    removed: list[FileKey] = []
    for folder in stored.folders():
        if folder in compared:  # its files not seen again are gone
            removed.extend(key for key in stored.keys_in(folder) if key not in present)
        elif first and folder not in walked:  # a folder gone: the first share's
            removed.extend(stored.keys_in(folder))
    unchanged = len(present) - len(new) - len(changed) + sealed
    return ChangesPart(new, changed, removed, unchanged, problems)


def join_parts(parts: Iterable[ChangesPart]) -> tuple[Changes, list[Problem]]:
    """The changes and problems of a whole walk from its shares' parts (the
    files and problems in walk order, the removed files sorted)."""
    parts = list(parts)

    def in_order(lists: Iterable[list[tuple[int, T]]]) -> list[T]:
        return [item for _, item in sorted(chain.from_iterable(lists), key=_POSITION)]

    changes = Changes(
        in_order(p.new for p in parts),
        in_order(p.changed for p in parts),
        sorted(key for part in parts for key in part.removed),
        sum(p.unchanged for p in parts),
    )
    return changes, in_order(p.problems for p in parts)


def folder_changes_part(
    roots: tuple[str, ...], store_path: str, racy_ns: int, share: tuple[int, int, int]
) -> ChangesPart:
    """The stat walk of ``roots`` against the store file at ``store_path``
    (only read), with the caller's racy window: one ``share`` of its folders
    (see :func:`changes_part`)."""
    stored = StoreFolders(store_path)
    try:
        return changes_part(ArchiveRoots(roots), stored, racy_ns, share)
    finally:
        stored.close()
