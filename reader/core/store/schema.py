"""The archive store's SQLite schema, its versions, and opening a file safely.

A store file is ours only when its ``application_id`` is :data:`APPLICATION_ID`,
its ``user_version`` is :data:`SCHEMA_VERSION` and its schema objects are
exactly the ones :data:`SCHEMA` creates (no extra table, index, view or
trigger: a file changed behind our back is not trusted). The ``meta`` table
then says which code, load settings, roots and recogniser wrote it.

Tables:

``roots``
    The resolved root folders (``rid``, ``path`` as file-system bytes).
``files``
    One row per article file: its key (``rid``, ``rel`` as bytes), ``ord``
    (the load order, see :func:`reader.core.store.codec.order_key`), the stat
    key (NULL when unknown), the file's load problems (JSON), and, when it
    loaded, the article's list columns, its id and ``ckey`` (the reading
    state's :func:`~reader.core.store.identity.content_key`). Indexed by key,
    id, order and ``ckey`` (the reading state finds its few marked articles
    by id or by content without a scan, version 3).
``entities``
    Per article: the recognised mentions (packed), absent until recognised.
``walk_problems``
    The walk's own problems (unreadable folders, broken links...).
``folders``
    Every folder holding stored files, with its seal (version 4): a second
    start's walk skips the stored stat keys of every folder whose files
    still match it (:mod:`reader.core.store.folders`).

No texts: an article's body and the rest of its metadata are read from its
file when it is shown, and used only if they still hash to ``ckey`` (see
:meth:`ArchiveStore.article <reader.core.store.archive.ArchiveStore.article>`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import reader
from reader.core.store.atomic import DEFAULT_LOCK_TIMEOUT

#: Bumped whenever the tables or an encoding change.
SCHEMA_VERSION = 4
#: ``PRAGMA application_id`` of a store file ("rdr1").
APPLICATION_ID = 0x72647231

SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE roots(rid INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE);
CREATE TABLE files(
    fid INTEGER PRIMARY KEY,
    rid INTEGER NOT NULL,
    rel BLOB NOT NULL,
    ord BLOB NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    ctime_ns INTEGER,
    problems TEXT,
    id TEXT,
    path TEXT,
    title TEXT,
    date TEXT,
    date_valid INTEGER,
    source TEXT,
    lang TEXT,
    tags TEXT,
    author TEXT,
    asize INTEGER,
    amtime REAL,
    odd INTEGER,
    ckey TEXT
);
CREATE UNIQUE INDEX files_key ON files(rid, rel);
CREATE UNIQUE INDEX files_id ON files(id);
CREATE INDEX files_ord ON files(ord);
CREATE INDEX files_ckey ON files(ckey);
CREATE TABLE entities(fid INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE walk_problems(seq INTEGER PRIMARY KEY, path TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE folders(
    rid INTEGER NOT NULL,
    folder BLOB NOT NULL,
    files INTEGER,
    digest INTEGER,
    PRIMARY KEY(rid, folder)
) WITHOUT ROWID;
"""

#: The list columns, in :func:`reader.core.store.codec.row_values` order.
ROW_SELECT = "id, path, title, date, date_valid, source, lang, tags, author, asize, amtime, odd"

SchemaObjects = list[tuple[str, str, str, str | None]]


@lru_cache(maxsize=1)
def expected_objects() -> tuple[tuple[str, str, str, str | None], ...]:
    """The ``sqlite_schema`` rows :data:`SCHEMA` makes (read from a scratch
    in-memory database, so the comparison is exact)."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        return tuple(schema_objects(db))
    finally:
        db.close()


def schema_objects(db: sqlite3.Connection) -> SchemaObjects:
    rows = db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
    ).fetchall()
    return [(str(a), str(b), str(c), d if d is None else str(d)) for a, b, c, d in rows]


def _tree_digest(digest: hashlib.blake2b, base: Path) -> None:
    files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(path.relative_to(base).as_posix().encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")


@lru_cache(maxsize=1)
def articles_code_version() -> str:
    """What decides the stored articles: the package version, the schema and
    a hash of the article reading code and of this store's codec."""
    digest = hashlib.blake2b(digest_size=16)
    core = Path(__file__).resolve().parent.parent
    try:
        _tree_digest(digest, core / "articles")
        for name in ("codec.py", "schema.py", "scan.py"):
            digest.update((core / "store" / name).read_bytes())
    except OSError:
        digest.update(b"unreadable sources")
    return f"{reader.__version__}+s{SCHEMA_VERSION}+{digest.hexdigest()}"


@lru_cache(maxsize=1)
def entities_code_version() -> str:
    """A hash of the entity recognition code and data (stored entities are
    dropped when it changes, the articles kept)."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        _tree_digest(digest, Path(__file__).resolve().parent.parent / "entities")
    except OSError:
        digest.update(b"unreadable sources")
    return digest.hexdigest()


# --- opening ------------------------------------------------------------------


#: Page size of new files: bodies of 1-2 KB waste a quarter of 4 KB pages.
PAGE_SIZE = 16384


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode that trusts nothing in the file's schema."""
    db = sqlite3.connect(
        path, timeout=DEFAULT_LOCK_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA cell_size_check = ON")
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only a new, empty file takes it
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        db.close()
        raise
    return db


def unsafe_reason(path: Path) -> str:
    """Why ``path`` must not be opened ("" when it is missing or fine)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot stat: {exc.strerror or exc.__class__.__name__}"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_uid != os.getuid():
        return "owned by another user"
    if info.st_mode & 0o022:
        return "writable by others"
    return ""


def discard(path: Path) -> None:
    """Remove a store file that cannot be used (a folder is moved aside)."""
    if path.is_dir() and not path.is_symlink():
        os.replace(path, path.with_name(f"{path.name}.broken-{time.time_ns()}"))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path.with_name(name))


def reset(db: sqlite3.Connection, meta: Mapping[str, str]) -> None:
    """Empty the file in place and create the schema, in one transaction."""
    db.execute("BEGIN EXCLUSIVE")
    try:
        old = db.execute(
            "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view', 'trigger')"
            " AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for kind, name in old:
            quoted = '"' + str(name).replace('"', '""') + '"'
            db.execute(f"DROP {kind.upper()} IF EXISTS {quoted}")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.executemany("INSERT INTO meta(name, value) VALUES (?, ?)", sorted(meta.items()))
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    if old:
        with contextlib.suppress(sqlite3.Error):
            db.execute("VACUUM")


def verdict(db: sqlite3.Connection, meta: Mapping[str, str]) -> str:
    """``"ok"``, ``"new"``, ``"recogniser"`` or why the content is not ours."""
    app = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    objects = schema_objects(db)
    if not objects and app == 0 and version == 0:
        return "new"
    if app != APPLICATION_ID:
        return "not a reader store"
    if version != SCHEMA_VERSION:
        return "written by another schema version"
    if tuple(objects) != expected_objects():
        return "unexpected schema"
    stored = dict(db.execute("SELECT name, value FROM meta").fetchall())
    for name in ("code", "settings", "roots"):
        if stored.get(name) != meta[name]:
            return f"written by another {name}"
    return "ok" if stored.get("recogniser") == meta["recogniser"] else "recogniser"


@dataclass(frozen=True, slots=True)
class OpenReport:
    """What :meth:`ArchiveStore.open` found: ``reused`` when the stored
    articles are kept, else ``reason`` says why the store starts empty;
    ``entities_dropped`` when only the entities were discarded."""

    path: Path
    reused: bool
    reason: str
    entities_dropped: bool = False


def store_meta(roots: list[str], recogniser_id: str, settings: Mapping[str, Any]) -> dict[str, str]:
    """What a store must have been written with to be reused."""
    resolved = [str(Path(root).expanduser().resolve()) for root in roots]
    return {
        "code": articles_code_version(),
        "settings": json.dumps(dict(settings), sort_keys=True),
        "roots": json.dumps(resolved),
        "recogniser": f"{recogniser_id}|{entities_code_version()}",
    }


def open_checked(
    path: Path, meta: dict[str, str], *, fresh: bool
) -> tuple[sqlite3.Connection, OpenReport]:
    """Open the store file, starting it over unless it is ours with ``meta``
    (see :meth:`ArchiveStore.open <reader.core.store.archive.ArchiveStore.open>`).
    Call it holding the file's lock."""
    reason = "asked for a fresh store" if fresh else unsafe_reason(path)
    if reason:
        discard(path)
    db: sqlite3.Connection | None = None
    try:
        db = connect(path)
        found = verdict(db, meta)
    except sqlite3.DatabaseError as exc:
        if db is not None:
            db.close()
        reason = f"damaged ({exc})"
        discard(path)
        db = connect(path)
        found = "new"
    try:
        os.chmod(path, 0o600)
        dropped = False
        if found == "recogniser":
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM entities")
            db.execute("UPDATE meta SET value = ? WHERE name = 'recogniser'", (meta["recogniser"],))
            db.execute("COMMIT")
            dropped = True
        elif found != "ok":
            reason = reason or ("no store yet" if found == "new" else found)
            reset(db, meta)
    except BaseException:
        db.close()
        raise
    reused = found in ("ok", "recogniser")
    return db, OpenReport(path, reused, "" if reused else reason, dropped)
