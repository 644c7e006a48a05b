"""Live reload: watching the article folders in a background thread.

:class:`FolderWatcher` uses ``watchfiles`` (inotify, FSEvents...) when it is
installed and falls back to polling: a walk comparing ``(size, mtime_ns,
inode)`` per file (:func:`~reader.core.session.changes.scan`). Either way it
reports *states*, not events: at the end of a burst the files touched are
compared with what was there after the previous report, so a file created and
deleted within a burst is not reported, an editor's save-by-rename is one
modification, and a rename is ``removed`` + ``added``. Bursts are coalesced:
a report waits until nothing changed for ``debounce`` seconds (or
``max_delay`` passed), so thousands of files copied at once arrive as one
:class:`~reader.core.session.changes.ChangeSet`, which
:func:`~reader.core.session.changes.apply_changes` applies to a library.

The watcher sees the files the loader sees: both walk with
:mod:`reader.core.articles.walk` (hidden entries skipped, only article
suffixes, symlinked folders followed once).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from reader.core.articles.walk import in_hidden, is_article_name, is_hidden
from reader.core.session.changes import (
    ChangeSet,
    Signature,
    diff_states,
    file_signature,
    scan,
)

log = logging.getLogger(__name__)

Backend = Literal["auto", "watchfiles", "poll"]


def watchfiles_available() -> bool:
    """True when the ``watchfiles`` package can be imported."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class _Root:
    given: str
    absolute: str
    real: str


@dataclass
class _Pending:
    """Changes seen but not yet reported."""

    dirty: set[str] = field(default_factory=set)
    rescan: bool = False
    first: float | None = None
    last: float = 0.0

    def touch(self, now: float) -> None:
        if self.first is None:
            self.first = now
        self.last = now


class FolderWatcher:
    """Watch article files under ``roots`` in a background thread and call
    ``on_changes(ChangeSet)`` after each burst of changes.

    ``on_changes`` runs in the watcher's thread (a UI must hand it over to
    its own thread). ``backend`` is ``"auto"`` (watchfiles when importable,
    else polling), ``"watchfiles"`` or ``"poll"``. ``poll_interval`` is the
    polling period (stretched to ten times a walk's duration for big trees;
    with watchfiles, how often roots that are files are checked);
    ``debounce`` the quiet time that ends a burst; ``max_delay`` the longest
    a change waits while changes keep coming.

    Start the watcher *before* loading the articles: what changes in between
    is then reported (and applying it again is harmless) instead of missed.
    """

    def __init__(
        self,
        roots: Iterable[str | os.PathLike[str]],
        on_changes: Callable[[ChangeSet], Any],
        *,
        poll_interval: float = 1.0,
        debounce: float = 0.3,
        max_delay: float = 5.0,
        backend: Backend = "auto",
        on_error: Callable[[BaseException], Any] | None = None,
    ) -> None:
        self.roots: tuple[str, ...] = tuple(os.fspath(root) for root in roots)
        self.on_changes = on_changes
        self.on_error = on_error
        self.poll_interval = max(0.01, poll_interval)
        self.debounce = max(0.0, debounce)
        self.max_delay = max(self.debounce, max_delay)
        if backend == "auto":
            backend = "watchfiles" if watchfiles_available() else "poll"
        elif backend == "watchfiles" and not watchfiles_available():
            raise RuntimeError("watchfiles is not installed")
        self.backend: Backend = backend
        self.ready = threading.Event()
        """Set once the watcher is watching and knows the current files."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._known: dict[str, Signature] = {}
        self._folders: set[str] = set()
        self._roots = [
            _Root(root, os.path.abspath(root), os.path.realpath(root)) for root in self.roots
        ]

    # Lifecycle ------------------------------------------------------------

    def start(self) -> FolderWatcher:
        """Start watching (once); returns the watcher."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="reader-watch", daemon=True)
            self._thread.start()
        return self

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait until the watcher is watching; False on timeout."""
        return self.ready.wait(timeout)

    def stop(self, timeout: float | None = 5.0) -> None:
        """Stop watching and wait (up to ``timeout``) for the thread to end.
        A pending burst is dropped."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> FolderWatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Shared ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self.backend == "watchfiles":
                try:
                    self._run_watchfiles()
                    return
                except Exception as exc:  # e.g. the OS limit on watches
                    if self._stop.is_set():
                        return
                    log.warning("watchfiles failed (%s); polling instead", exc)
                    self.backend = "poll"
            self._run_poll()
        except Exception as exc:
            self._report_error(exc)
        finally:
            self.ready.set()

    def _report_error(self, exc: BaseException) -> None:
        if self.on_error is not None:
            try:
                self.on_error(exc)
                return
            except Exception:
                pass
        log.exception("live reload failed", exc_info=exc)

    def _deliver(self, changes: ChangeSet) -> None:
        if not changes or self._stop.is_set():
            return
        try:
            self.on_changes(changes)
        except Exception as exc:
            self._report_error(exc)

    def _due(self, pending: _Pending, now: float) -> bool:
        if pending.first is None:
            return False
        quiet = now - pending.last >= self.debounce * 0.9
        return quiet or now - pending.first >= self.max_delay

    # Polling --------------------------------------------------------------

    def _run_poll(self) -> None:
        self._known, self._folders = scan(self.roots, self._stop)
        self.ready.set()
        current = self._known
        pending = _Pending()
        wait = self.poll_interval
        while not self._stop.wait(wait):
            began = time.monotonic()
            files, self._folders = scan(self.roots, self._stop)
            now = time.monotonic()
            # A big tree is not walked more than a tenth of the time.
            interval = max(self.poll_interval, (now - began) * 10)
            if files != current:
                current = files
                pending.touch(now)
            if self._due(pending, now):
                changes = diff_states(self._known, current, self.roots)
                self._known = current
                pending = _Pending()
                self._deliver(changes)
            wait = self.debounce if pending.first is not None else interval
            wait = max(wait, 0.01)

    # watchfiles -----------------------------------------------------------

    def _keys_for(self, path: str) -> Iterator[str]:
        """The loader spellings of a path reported by watchfiles (several
        when roots overlap); nothing for hidden entries or other places."""
        for root in self._roots:
            for base in (root.absolute, root.real):
                if path == base:
                    yield root.given
                    break
                prefix = os.path.join(base, "")
                if path.startswith(prefix):
                    relative = path[len(prefix) :]
                    if not in_hidden(relative):
                        yield os.path.join(root.given, relative)
                    break

    def _filter(self, _change: object, path: str) -> bool:
        return not is_hidden(os.path.basename(path))

    def _note(self, path: str, pending: _Pending) -> bool:
        """Record one reported path; True when it matters."""
        noted = False
        for key in self._keys_for(path):
            if key in self.roots:
                pending.rescan = True
            elif is_article_name(key):
                pending.dirty.add(key)
            elif key in self._folders or os.path.isdir(key):
                # A folder created, moved or deleted: its files may not
                # have events of their own.
                pending.rescan = True
            else:
                continue
            noted = True
        return noted

    def _flush_dirty(self, pending: _Pending) -> ChangeSet:
        if pending.rescan:
            files, self._folders = scan(self.roots, self._stop)
            changes = diff_states(self._known, files, self.roots)
            self._known = files
            return changes
        added: set[str] = set()
        modified: set[str] = set()
        removed: set[str] = set()
        for key in pending.dirty:
            old = self._known.get(key)
            new = file_signature(key)
            if new is None:
                if old is not None:
                    removed.add(key)
                    del self._known[key]
            elif old is None:
                added.add(key)
                self._known[key] = new
            elif old != new:
                modified.add(key)
                self._known[key] = new
        return ChangeSet(frozenset(added), frozenset(modified), frozenset(removed), self.roots)

    def _run_watchfiles(self) -> None:
        import watchfiles

        folders = [root for root in self._roots if os.path.isdir(root.given)]
        others = [root.given for root in self._roots if root not in folders]
        self._known, self._folders = scan(self.roots, self._stop)
        if not folders:
            # Only files (or missing paths): nothing for watchfiles to do.
            self.backend = "poll"
            self._run_poll()
            return
        polled = {key: self._known.get(key) for key in others}
        pending = _Pending()
        timeout_ms = max(50, int(self.debounce * 1000))
        last_poll = time.monotonic()
        first = True
        for events in watchfiles.watch(
            *[root.absolute for root in folders],
            watch_filter=self._filter,
            debounce=1_600,
            step=50,
            stop_event=self._stop,
            rust_timeout=timeout_ms,
            yield_on_timeout=True,
            raise_interrupt=False,
            recursive=True,
        ):
            now = time.monotonic()
            if first:
                # The watch is live now; anything that changed while it was
                # being set up is found by one more scan.
                first = False
                files, self._folders = scan(self.roots, self._stop)
                if files != self._known:
                    pending.rescan = True
                    pending.touch(now)
                self.ready.set()
            for _change, path in events:
                if self._note(path, pending):
                    pending.touch(now)
            if others and now - last_poll >= self.poll_interval:
                last_poll = now
                for key in others:
                    signature = file_signature(key)
                    if signature != polled.get(key):
                        polled[key] = signature
                        pending.dirty.add(key)
                        pending.touch(now)
            if self._due(pending, now):
                changes = self._flush_dirty(pending)
                pending = _Pending()
                self._deliver(changes)
            if self._stop.is_set():
                break
