"""What changed in an archive's folders since its store last saw them.

:func:`folder_changes_part` walks the roots (:meth:`ArchiveRoots.changes_part
<reader.core.store.scan.ArchiveRoots.changes_part>`) against the stat keys
read from the store file (:func:`read_stat_keys`). It is what a second
start's child process runs while the parent lists the archive
(:class:`reader.core.session.stored.Walk`), so this module imports only the
walk and SQLite: the child starts in a few hundredths of a second. A parent
with nothing else to do takes a share of the stats itself: two processes
stat 100k files in half the time.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from reader.core.store.scan import ArchiveRoots, ChangesPart, FileKey, StatKey
from reader.core.store.schema import connect


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


def folder_changes_part(
    roots: tuple[str, ...], store_path: str, racy_ns: int, share: tuple[int, int, int]
) -> ChangesPart:
    """The stat walk of ``roots`` against the store file at ``store_path``
    (only read), with the caller's racy window: one ``share`` of its folders
    (see :meth:`ArchiveRoots.changes_part
    <reader.core.store.scan.ArchiveRoots.changes_part>`)."""
    stored = stored_stat_keys(store_path)
    return ArchiveRoots(roots).changes_part(stored, racy_ns, share)
