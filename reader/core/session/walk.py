"""The stat walk of a second start, in a child process.

A :class:`Walk` starts :func:`~reader.core.store.folder_changes.folder_changes_part`
in a child process at once, so it runs on the other core while the archive
is listed; :meth:`Walk.result` waits for it. This module imports only the
walk and SQLite, so a command can start the walk before it imports the rest
of the core (``reader search`` does, see :mod:`reader.cli.settings`).
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from reader.core.articles.article import Problem
from reader.core.session.tracker import ensure_resource_tracker
from reader.core.store import scan
from reader.core.store.folder_changes import (
    ChangesPart,
    changes_part,
    folder_changes_part,
    join_parts,
)
from reader.core.store.scan import ArchiveRoots, Changes
from reader.core.store.stored_files import StoreFolders

if TYPE_CHECKING:
    from reader.core.session.library import Library

#: Shares of a walk, ``(start, stop, n)``: the folders whose number modulo n
#: is in ``range(start, stop)`` (see :func:`~reader.core.store.folder_changes.changes_part`).
WHOLE = (0, 1, 1)
CHILD, HERE = (0, 3, 5), (3, 5, 5)


def _start_method() -> str:
    """``fork`` while this process has one thread (the CLI: the child starts
    at once, without importing anything), else ``spawn`` (forking a threaded
    process, such as the app, can deadlock the child)."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


class Walk:
    """The stat walk of a reconcile, started at once in a child process so
    it runs on the other core while the archive is listed; :meth:`result`
    waits for it (or walks here if the child could not run). ``shared``
    (this process has nothing else to do meanwhile, as in ``reader
    search``): the child stats three folders in five and :meth:`result`
    stats the other two here, once this process is ready (the child starts
    first), so the two cores share the walk."""

    def __init__(self, roots: tuple[str, ...], store_path: str, *, shared: bool = False) -> None:
        self._args = (roots, store_path, scan.RACY_NS)
        # (child's share, this process's): folders by number modulo 5
        self._shares = (CHILD, HERE) if shared else (WHOLE, None)
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[ChangesPart] | None = None
        try:
            ensure_resource_tracker()  # inside the app, stderr has no descriptor
            context = multiprocessing.get_context(_start_method())
            self._pool = ProcessPoolExecutor(1, mp_context=context)
            self._future = self._pool.submit(folder_changes_part, *self._args, self._shares[0])
        except Exception:  # no child process here: walk in this one
            self.close()

    @classmethod
    def of(cls, library: Library, *, shared: bool = False) -> Walk:
        """The walk of ``library``'s roots against its store."""
        store, roots = library.store, library.roots
        assert store is not None and roots is not None
        return cls(roots.roots, str(store.path), shared=shared)

    def walks(self, library: Library) -> bool:
        """True when this walk is the one :meth:`of` would start for ``library``
        (a walk started before the library was made)."""
        store, roots = library.store, library.roots
        if store is None or roots is None:
            return False
        return self._args[:2] == (roots.roots, str(store.path))

    def result(self) -> tuple[Changes, list[Problem]]:
        child, here = self._shares
        parts = []
        if here is not None:
            stored = StoreFolders(self._args[1])
            try:
                parts.append(changes_part(ArchiveRoots(self._args[0]), stored, self._args[2], here))
            finally:
                stored.close()
        try:
            if self._future is not None:
                return join_parts([self._future.result(), *parts])
        except Exception:  # the child failed: its share in this process
            pass
        finally:
            self.close()
        return join_parts([folder_changes_part(*self._args, child), *parts])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
