"""A store file's connections: one per thread, errors as one line, write transactions.

:class:`Connections` is the base of :class:`~reader.core.store.archive.ArchiveStore`:
every thread gets its own SQLite connection to the file (WAL: readers never
wait for the writer); :meth:`Connections._guard` turns whatever SQLite or
the codec raise into a :class:`StoreError` naming the file and the action;
:meth:`Connections._write` runs a block as one ``BEGIN IMMEDIATE``
transaction, one writing thread of this process at a time.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from reader.core.store.schema import connect

_ERRORS = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, AttributeError, zlib.error)


class StoreError(Exception):
    """The store cannot be used (damaged, unwritable, closed); one line."""


class Connections:
    """The connections to one store file (``db``: the one that opened it)."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._local.db = db
        self._connections = [db]
        self._closed = False

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if self._closed:
            raise StoreError("the store is closed")
        if db is None:
            try:
                db = connect(self.path)
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
            with self._lock:
                self._connections.append(db)
            self._local.db = db
        return db

    @contextlib.contextmanager
    def _guard(self, what: str) -> Iterator[sqlite3.Connection]:
        try:
            yield self._db()
        except StoreError:
            raise
        except _ERRORS as exc:
            raise StoreError(
                f"{self.path}: cannot {what}: {exc.__class__.__name__}: {exc}"
            ) from None

    @contextlib.contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._guard(what) as db, self._write_lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close every thread's connection (later calls raise :class:`StoreError`)."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for db in connections:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
