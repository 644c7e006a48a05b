"""The stat walk of a second start, in a child process.

A :class:`Walk` starts :func:`~reader.core.store.folder_changes.folder_changes_part`
in a child process at once, so it runs on the other core while the archive
is listed; :meth:`Walk.result` waits for it. This module imports only the
walk and SQLite, so a command can start the walk before it imports the rest
of the core (``reader search`` does, see :mod:`reader.cli.settings`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
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
    from multiprocessing.context import ForkContext, SpawnContext

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


def _walk_share(
    connection: Connection,
    roots: tuple[str, ...],
    store_path: str,
    racy_ns: int,
    share: tuple[int, int, int],
) -> None:
    """The child: walk one share and send its part back (None when it
    failed: the parent then walks that share itself)."""
    try:
        part: ChangesPart | None = folder_changes_part(roots, store_path, racy_ns, share)
    except Exception:
        part = None
    with contextlib.suppress(OSError):
        connection.send(part)
    connection.close()


class WalkCancelled(Exception):
    """The walk was cancelled (:meth:`Walk.cancel`): there is no result."""


class Walk:
    """The stat walk of a reconcile, started at once in a child process so
    it runs on the other core while the archive is listed; :meth:`result`
    waits for it (or walks here if the child could not run). ``shared``
    (this process has nothing else to do meanwhile, as in ``reader
    search``): the child stats three folders in five and :meth:`result`
    stats the other two here, once this process is ready (the child starts
    first), so the two cores share the walk. :meth:`close` stops a child
    still walking (an app that quits at once does not wait for it)."""

    def __init__(self, roots: tuple[str, ...], store_path: str, *, shared: bool = False) -> None:
        self._args = (roots, store_path, scan.RACY_NS)
        # (child's share, this process's): folders by number modulo 5
        self._shares = (CHILD, HERE) if shared else (WHOLE, None)
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._cancelled = False
        try:
            ensure_resource_tracker()  # inside the app, stderr has no descriptor
            if _start_method() == "fork":
                context: ForkContext | SpawnContext = multiprocessing.get_context("fork")
            else:
                context = multiprocessing.get_context("spawn")
            receiving, sending = context.Pipe(duplex=False)
            self._connection = receiving
            self._process = context.Process(
                target=_walk_share,
                args=(sending, *self._args, self._shares[0]),
                name="reader-walk",
                daemon=True,
            )
            self._process.start()
            sending.close()  # the child's end: a child that dies means EOF here
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
        found: ChangesPart | None = None
        try:
            if self._connection is not None and not self._cancelled:
                found = self._connection.recv()
        except (EOFError, OSError):  # the child failed: its share in this process
            found = None
        finally:
            self.close()
        if self._cancelled:
            raise WalkCancelled
        if found is None:
            found = folder_changes_part(*self._args, child)
        return join_parts([found, *parts])

    def cancel(self) -> None:
        """Stop the walk for good (the app quits), from any thread: the child
        is stopped, and :meth:`result` (waiting for it, or called later)
        raises :class:`WalkCancelled` instead of walking here."""
        self._cancelled = True
        process = self._process
        if process is not None:
            with contextlib.suppress(Exception):
                process.terminate()

    def close(self) -> None:
        """Let go of the child, stopping it if it still walks."""
        connection, self._connection = self._connection, None
        process, self._process = self._process, None
        if connection is not None:
            connection.close()
        if process is not None:
            with contextlib.suppress(Exception):
                if process.is_alive():
                    process.terminate()
                process.join(1.0)
