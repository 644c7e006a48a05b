"""The store's ``folders`` table: every folder holding stored files, with its seal.

Each row is ``(rid, folder, files, digest)``: a folder (file-system bytes,
``b""`` for the root itself) that holds at least one row of ``files``, and
its :mod:`seal <reader.core.store.seals>`, NULL until computed. The
invariant every write keeps: a row exists for each folder with stored files,
and a non-NULL seal is the seal of that folder's rows as they are now.

* :func:`unseal` — called by every write of ``files``, in its transaction,
  with the folders it touched (the rows it added, replaced or removed).
* :func:`reseal` — seals the unsealed folders from their rows (after a
  first start and a reconcile; a folder live reload wrote, or one left
  unsealed by a start that stopped early, only costs the next walk its
  file-by-file comparison, and that reconcile seals it).
* :func:`read_folders`, :func:`folder_rows` — what a walk reads: every
  folder's seal at once, a folder's stat keys only when its seal did not match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from reader.core.store.seals import SEP, Seal, seal_of, split_rel

StatRow = tuple[bytes, int | None, int | None, int | None]
"""(path under the root, size, mtime_ns, ctime_ns) of a stored file."""


def folder_rows(db: sqlite3.Connection, rid: int, folder: bytes) -> list[StatRow]:
    """The stat rows of the files stored directly in ``folder``: a range of
    the ``(rid, rel)`` index (``folder/`` up to ``folder0``, ``0`` being the
    byte after ``/``)."""
    if folder:
        low, high = folder + SEP, folder + bytes([SEP[0] + 1])
        rows = db.execute(
            "SELECT rel, size, mtime_ns, ctime_ns FROM files WHERE rid = ? AND rel >= ? AND rel < ?",
            (rid, low, high),
        ).fetchall()
        start = len(low)
        return [row for row in rows if SEP not in row[0][start:]]
    rows = db.execute(
        "SELECT rel, size, mtime_ns, ctime_ns FROM files WHERE rid = ?", (rid,)
    ).fetchall()
    return [row for row in rows if SEP not in row[0]]


def read_folders(db: sqlite3.Connection) -> dict[tuple[int, bytes], Seal | None]:
    """Every folder with stored files and its seal (None: unsealed)."""
    out: dict[tuple[int, bytes], Seal | None] = {}
    for rid, folder, files, digest in db.execute("SELECT rid, folder, files, digest FROM folders"):
        sealed = isinstance(files, int) and isinstance(digest, int)
        out[(int(rid), bytes(folder))] = (files, digest) if sealed else None
    return out


def unseal(db: sqlite3.Connection, touched: Iterable[tuple[int, bytes]]) -> None:
    """Note that the stored files of these ``(rid, path under the root)``
    changed: their folders lose their seal (and are listed, if new)."""
    folders = {(rid, split_rel(rel)[0]) for rid, rel in touched}
    db.executemany(
        "INSERT INTO folders(rid, folder) VALUES (?, ?)"
        " ON CONFLICT(rid, folder) DO UPDATE SET files = NULL, digest = NULL",
        sorted(folders),
    )


def reseal(db: sqlite3.Connection) -> int:
    """Seal every unsealed folder from its rows, in the caller's write
    transaction; a folder left with no files is forgotten. Returns how many
    folders were sealed."""
    sealed = 0
    unsealed = db.execute("SELECT rid, folder FROM folders WHERE digest IS NULL").fetchall()
    for rid, folder in unsealed:
        rows = folder_rows(db, rid, bytes(folder))
        if not rows:
            db.execute("DELETE FROM folders WHERE rid = ? AND folder = ?", (rid, folder))
            continue
        seal = seal_of((split_rel(rel)[1], size, mtime, ctime) for rel, size, mtime, ctime in rows)
        if seal is not None:
            db.execute(
                "UPDATE folders SET files = ?, digest = ? WHERE rid = ? AND folder = ?",
                (*seal, rid, folder),
            )
            sealed += 1
    return sealed


def has_unsealed(db: sqlite3.Connection) -> bool:
    """True when some folder has no seal (a cheap check before :func:`reseal`)."""
    return db.execute("SELECT 1 FROM folders WHERE digest IS NULL LIMIT 1").fetchone() is not None
