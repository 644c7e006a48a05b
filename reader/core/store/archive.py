"""The archive store: an archive's articles, entities and problems in SQLite, read lazily.

One SQLite file per archive in the cache folder
(:func:`reader.core.store.identity.default_cache_dir`), named from the archive's
resolved roots like the reading state (:func:`store_path`). A second start
lists the articles from :meth:`ArchiveStore.rows` (list columns only, in
file order; the store keeps no texts), reads an article from its file
(:meth:`~ArchiveStore.article`, :mod:`reader.core.store.from_file`) and its
entities (:meth:`~ArchiveStore.entities`) when it is shown, and
reconciles with the folder in the background: a stat walk compared with
the store folder by folder (:mod:`reader.core.store.folder_changes`, by each
folder's seal, :mod:`reader.core.store.folders`) gives the new, changed and
removed files, applied with :meth:`~ArchiveStore.put_many` and
:meth:`~ArchiveStore.delete_many`, then :meth:`~ArchiveStore.reseal`. Tables
and encodings: :mod:`reader.core.store.schema`, :mod:`reader.core.store.codec`.

Trust (a store is reused only when it is provably ours and current), why
there is no HMAC, and concurrency: ``docs/archive-store.md``, "Rules".
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES
from reader.core.entities.catalogue import ArticleEntities
from reader.core.store import codec, folders
from reader.core.store.atomic import FileLock, LockTimeout
from reader.core.store.connections import Connections, StoreError
from reader.core.store.folder_changes import read_stat_keys
from reader.core.store.from_file import check_bounds, read_stored
from reader.core.store.identity import content_key, store_path
from reader.core.store.records import (
    ArticleRow,
    EncodedEntities,
    EncodedRecord,
    FileRecord,
    encode_entities,
    encode_record,
)
from reader.core.store.scan import FileKey, StatKey
from reader.core.store.schema import ROW_SELECT, OpenReport, open_checked, store_meta

_NO_DETAIL = '{"format":"text"}'
_BATCH = 512


class ArchiveStore(Connections):
    """One archive's store; use :meth:`open`. Safe to share between threads."""

    def __init__(
        self,
        path: Path,
        db: sqlite3.Connection,
        report: OpenReport,
        load: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(path, db)
        self.report = report
        load = load or {}
        self._max_bytes = int(load.get("max_bytes") or DEFAULT_MAX_BYTES)
        self._default_lang: str | None = load.get("default_lang")
        self._rids: dict[bytes, int] = {}

    @classmethod
    def open(
        cls,
        roots: Iterable[str | os.PathLike[str]],
        *,
        cache_dir: str | os.PathLike[str],
        recogniser_id: str,
        settings: Mapping[str, Any] | None = None,
        fresh: bool = False,
    ) -> ArchiveStore:
        """Open (or create) the store of the archive made of ``roots``.

        ``recogniser_id`` names what recognises entities
        (:func:`reader.core.store.identity.recogniser_id`); ``settings`` are the
        load settings that change articles (size cap, default language), as
        JSON-able values. A store written by other code, settings or roots
        (in another order) starts empty; ``fresh=True`` always does. Raises
        :class:`StoreError` when the folder or file cannot be used at all.
        """
        given = [os.fspath(root) for root in roots]
        folder = Path(cache_dir)
        path = store_path(folder, given)
        meta = store_meta(given, recogniser_id, settings or {})
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with FileLock(path):
                db, report = open_checked(path, meta, fresh=fresh)
        except LockTimeout:
            raise StoreError(f"{path}: another instance is opening the store") from None
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the store: {exc}") from None
        return cls(path, db, report, settings)

    # -- reading --------------------------------------------------------------

    def rows(self) -> list[ArticleRow]:
        """Every stored article's list columns, in file order (no bodies)."""
        make = ArticleRow._make
        return [make(values[:11] + values[12:]) for values in self.row_values()]

    def row_values(
        self, article_id: str | None = None, *, limit: int | None = None
    ) -> list[tuple[Any, ...]]:
        """Every stored article's list columns as plain tuples, in file
        order (only ``article_id``'s when given; the first ``limit``): the
        :class:`ArticleRow` fields, with the content key last (for
        :func:`reader.core.store.lazy.stored_articles`, which makes 100k
        articles from them without a tuple each in between)."""
        if article_id is not None:
            return self._row_values("id = ?", (article_id,))
        if limit is not None:
            return self._row_values("id IS NOT NULL ORDER BY ord LIMIT ?", (max(0, limit),))
        return self._row_values("id IS NOT NULL ORDER BY ord", ())

    def row_chunks(self, size: int = 8192) -> Iterator[list[tuple[Any, ...]]]:
        """:meth:`row_values` of every stored article, ``size`` rows at a
        time, so that a caller can stop between chunks (an app that quits
        while it lists 100k rows)."""
        with self._guard("list the articles") as db:
            cursor = db.execute(
                f"SELECT {ROW_SELECT}, ckey FROM files WHERE id IS NOT NULL ORDER BY ord"
            )
            while chunk := cursor.fetchmany(size):
                yield [codec.plain_row(r) if r[11] else r for r in chunk]

    def row_values_of(
        self, ids: Iterable[str], content_keys: Iterable[str]
    ) -> list[tuple[Any, ...]]:
        """:meth:`row_values` of the stored articles whose id is one of
        ``ids`` or whose content key is one of ``content_keys``, in file
        order (the few rows a reading state's marks can concern)."""
        wanted = (json.dumps(sorted(ids)), json.dumps(sorted(content_keys)))
        return self._row_values(  # each IN through its index (an OR would scan)
            "fid IN (SELECT fid FROM files WHERE id IN (SELECT value FROM json_each(?))"
            " UNION SELECT fid FROM files WHERE ckey IN (SELECT value FROM json_each(?)))"
            " ORDER BY ord",
            wanted,
        )

    def _row_values(self, where: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._guard("list the articles") as db:
            cursor = db.execute(f"SELECT {ROW_SELECT}, ckey FROM files WHERE {where}", parameters)
            return [codec.plain_row(r) if r[11] else r for r in cursor]

    def count(self) -> int:
        """How many articles are stored."""
        with self._guard("count the articles") as db:
            return int(db.execute("SELECT count(id) FROM files").fetchone()[0])

    def article(self, article_id: str) -> Article | None:
        """The whole article with this id, read from its file; None when it
        is not stored, or its file is gone or no longer holds the stored
        title and body (the reconcile or live reload then reads it again)."""
        with self._guard("read an article") as db:
            found = db.execute(
                f"SELECT {ROW_SELECT}, (SELECT path FROM roots WHERE roots.rid = files.rid),"
                " rel, ckey FROM files WHERE id = ?",
                (article_id,),
            ).fetchone()
        if found is None:
            return None
        return self._load_file(found[:12], *found[12:15])

    def _load_file(
        self, row: tuple[Any, ...], root: bytes, rel: bytes, ckey: str
    ) -> Article | None:
        return read_stored(
            row, root, rel, ckey, max_bytes=self._max_bytes, default_lang=self._default_lang
        )

    def entities(self, article: Article) -> ArticleEntities | None:
        """The stored entities of ``article`` (read whole), or None when not
        (yet) stored for this title and body."""
        with self._guard("read entities") as db:
            found = db.execute(
                "SELECT data FROM files JOIN entities USING (fid) WHERE id = ? AND ckey = ?",
                (article.id, content_key(article)),
            ).fetchone()
            if found is None:
                return None
            return check_bounds(codec.entities_from_blob(found[0]), article)

    def all_entities(self, batch: int = _BATCH) -> Iterator[list[tuple[str, ArticleEntities]]]:
        """Every stored article's entities by id, in file order, ``batch`` at
        a time, without reading any file (the archive's entity catalogue)."""
        with self._guard("read the entities") as db:
            cursor = db.execute("SELECT id, data FROM files JOIN entities USING (fid) ORDER BY ord")
            while chunk := cursor.fetchmany(batch):
                yield [(str(i), codec.entities_from_blob(data)) for i, data in chunk]

    def pending_entities(self) -> list[str]:
        """Ids of the stored articles without entities, in file order."""
        with self._guard("list articles without entities") as db:
            query = (
                "SELECT id FROM files WHERE id IS NOT NULL AND NOT EXISTS"
                " (SELECT 1 FROM entities WHERE entities.fid = files.fid) ORDER BY ord"
            )
            return [str(row[0]) for row in db.execute(query)]

    def pending_count(self) -> int:
        """How many stored articles are without entities (without listing them)."""
        with self._guard("count articles without entities") as db:
            query = (
                "SELECT count(id) - (SELECT count(*) FROM files JOIN entities USING (fid)"
                " WHERE id IS NOT NULL) FROM files"
            )
            return int(db.execute(query).fetchone()[0])

    def iter_articles(
        self, batch: int = _BATCH
    ) -> Iterator[list[tuple[Article, ArticleEntities | None]]]:
        """Every article read from its file with its entities (None if not
        stored), in file order, ``batch`` at a time (to rebuild a search
        index). An article whose file no longer holds it comes as its list
        columns with an empty body."""
        with self._guard("read the articles") as db:
            cursor = db.execute(
                f"SELECT {ROW_SELECT}, (SELECT path FROM roots WHERE roots.rid = files.rid),"
                " rel, ckey, data FROM files LEFT JOIN entities USING (fid)"
                " WHERE id IS NOT NULL ORDER BY ord"
            )
            while chunk := cursor.fetchmany(batch):
                out: list[tuple[Article, ArticleEntities | None]] = []
                for r in chunk:
                    article = self._load_file(r[:12], r[12], r[13], r[14])
                    entities = None
                    if article is None:
                        article = codec.build_article(r[:12], _NO_DETAIL, "")
                    elif r[15] is not None:
                        entities = codec.entities_from_blob(r[15])
                    out.append((article, entities))
                yield out

    def stat_keys(self) -> dict[FileKey, StatKey | None]:
        """Every stored file's key and stat key (None: read it again)."""
        with self._guard("list the files") as db:
            return read_stat_keys(db)

    def problems(self) -> list[Problem]:
        """The files' load problems in file order, then the walk's problems."""
        out: list[Problem] = []
        with self._guard("read the problems") as db:
            query = "SELECT problems FROM files WHERE problems IS NOT NULL ORDER BY ord"
            for (text,) in db.execute(query):
                out.extend(codec.problems_from_text(text))
            for path, message in db.execute("SELECT path, message FROM walk_problems ORDER BY seq"):
                out.append(Problem(str(path), str(message)))
        return out

    # -- writing --------------------------------------------------------------

    def _rid(self, db: sqlite3.Connection, root: bytes) -> int:
        rid = self._rids.get(root)
        if rid is None:
            db.execute("INSERT OR IGNORE INTO roots(path) VALUES (?)", (root,))
            rid = int(db.execute("SELECT rid FROM roots WHERE path = ?", (root,)).fetchone()[0])
            self._rids[root] = rid
        return rid

    @staticmethod
    def _drop(db: sqlite3.Connection, fids: list[tuple[int]]) -> None:
        for table in ("files", "entities"):
            db.executemany(f"DELETE FROM {table} WHERE fid = ?", fids)

    def put_many(self, records: Iterable[FileRecord | EncodedRecord]) -> None:
        """Store files (with their article, problems and entities, if any) in
        one transaction, each replacing what was stored for the same file or
        under the same article id (the later of two in one call wins)."""
        encoded: dict[tuple[bytes, bytes], EncodedRecord] = {}
        by_id: dict[str, tuple[bytes, bytes]] = {}
        for record in records:
            item = record if isinstance(record, EncodedRecord) else encode_record(record)
            key = (item.root, item.rel)
            encoded.pop(key, None)
            if item.row is not None:
                earlier = by_id.pop(item.row[0], None)
                if earlier is not None:
                    encoded.pop(earlier, None)
                by_id[item.row[0]] = key
            encoded[key] = item
        if not encoded:
            return
        with self._write("store articles") as db:
            fid = int(db.execute("SELECT coalesce(max(fid), 0) FROM files").fetchone()[0])
            old: list[tuple[int]] = []
            touched: list[tuple[int, bytes]] = []
            files, entities = [], []
            for item in encoded.values():
                rid = self._rid(db, item.root)
                touched.append((rid, item.rel))
                old += db.execute(
                    "SELECT fid FROM files WHERE rid = ? AND rel = ?", (rid, item.rel)
                ).fetchall()
                if item.row is not None:
                    for other, other_rid, other_rel in db.execute(
                        "SELECT fid, rid, rel FROM files WHERE id = ?", (item.row[0],)
                    ):
                        old.append((other,))
                        touched.append((other_rid, bytes(other_rel)))
                fid += 1
                row = item.row if item.row is not None else (None,) * 12
                files.append(
                    (fid, rid, item.rel, item.ord, *item.stamp, item.problems, *row, item.ckey)
                )
                if item.entities is not None:
                    entities.append((fid, item.entities))
            self._drop(db, old)
            db.executemany(f"INSERT INTO files VALUES ({', '.join('?' * 21)})", files)
            db.executemany("INSERT INTO entities VALUES (?, ?)", entities)
            folders.unseal(db, touched)

    def put_entities(
        self, items: Iterable[tuple[Article, ArticleEntities] | EncodedEntities]
    ) -> int:
        """Store recognised entities of stored articles; an article changed
        since (other title or body) is skipped. Returns how many were stored."""
        values = [
            item if isinstance(item, EncodedEntities) else encode_entities(*item) for item in items
        ]
        with self._write("store entities") as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR REPLACE INTO entities(fid, data)"
                " SELECT fid, :data FROM files WHERE id = :article_id AND ckey = :content_key",
                [item._asdict() for item in values],
            )
            return db.total_changes - before

    def delete_many(self, keys: Iterable[FileKey]) -> list[str]:
        """Forget these files; returns the ids of the articles removed."""
        removed: list[str] = []
        with self._write("remove files") as db:
            roots = {
                os.fsdecode(path): rid for rid, path in db.execute("SELECT rid, path FROM roots")
            }
            fids: list[tuple[int]] = []
            touched: list[tuple[int, bytes]] = []
            for root, relative in keys:
                rid = roots.get(root)
                if rid is None:
                    continue
                rel = os.fsencode(relative)
                found = db.execute(
                    "SELECT fid, id FROM files WHERE rid = ? AND rel = ?", (rid, rel)
                ).fetchone()
                if found is not None:
                    fids.append((found[0],))
                    touched.append((rid, rel))
                    if found[1] is not None:
                        removed.append(str(found[1]))
            self._drop(db, fids)
            folders.unseal(db, touched)
        return removed

    def reseal(self) -> int:
        """Seal the folders whose files changed since they were last sealed
        (see :mod:`reader.core.store.folders`), so the next start's walk
        skips their stored stat keys; returns how many were sealed."""
        with self._guard("check the folders") as db:
            if not folders.has_unsealed(db):
                return 0
        with self._write("seal the folders") as db:
            return folders.reseal(db)

    def put_walk_problems(self, problems: Iterable[Problem]) -> None:
        """Replace the walk's own problems (those not about one article file)."""
        values = [(p.path, p.message) for p in problems]
        with self._write("store problems") as db:
            db.execute("DELETE FROM walk_problems")
            db.executemany("INSERT INTO walk_problems(path, message) VALUES (?, ?)", values)


__all__ = ["ArchiveStore", "StoreError"]
