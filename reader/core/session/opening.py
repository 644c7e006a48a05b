"""Opening: the one path that opens, refreshes and saves an archive.

:class:`Opening` is made from the resolved :class:`Settings` and is used by
the CLI and the app alike, so every load — from the files, from the archive
cache, or one changed file during live reload — uses the same size cap,
default language, recogniser and id rules.

* :meth:`Opening.new_library` — an empty library, over the archive store
  (:mod:`reader.core.session.stored`) when the cache is on, else in memory;
* :meth:`Opening.stream` — fill it: a second start lists every stored
  article at once; a first start reads the files (in worker processes for a
  large archive) and hands batches over as they come;
* :meth:`Opening.load` — both at once, brought up to date (the CLI);
* :meth:`Opening.analyse` — what is left, in the background: a rebuilt
  index, the reconcile of a listed archive with its folders, entities;
* :meth:`Opening.apply` — live-reload changes; :meth:`Opening.watch` starts
  the watcher that reports them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import iter_load
from reader.core.articles.sanitize import sanitize_line
from reader.core.entities import Recogniser
from reader.core.session.changes import Applied, ChangeSet, apply_changes
from reader.core.session.collector import collector_paused
from reader.core.session.file_order import FileOrder
from reader.core.session.library import Library, Progress
from reader.core.session.parallel import AnalysisError, ParallelAnalysis, batch_progress
from reader.core.session.parallel import Batch as BatchResult
from reader.core.session.recogniser_choice import RecogniserChoice
from reader.core.session.recognisers import recogniser_factory
from reader.core.session.settings import Settings
from reader.core.session.stored import (
    Walk,
    WalkCancelled,
    fill,
    listed,
    open_index,
    rebuild_index,
    reconcile,
)
from reader.core.session.watch import FolderWatcher
from reader.core.store.archive import ArchiveStore, StoreError
from reader.core.store.identity import default_cache_dir
from reader.core.store.scan import ArchiveRoots, ScannedFile

#: From how many files a load reads and recognises in worker processes.
POOL_FROM = 400

BATCH_SECONDS = 0.5
"""How often :meth:`Opening.stream` hands a batch over, in seconds. Each
batch makes the app lay out and redraw its list: at 0.1 s, a large first
start kept the UI thread busy enough to delay keys by up to a second."""

Batch = Callable[[list[Article], list[Problem], bool], None]
"""``(articles, problems, finished)``: called with each batch of a load."""


class Opening:
    """How one archive is opened, kept up to date and saved."""

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        self.settings = settings
        self.batch = batch
        self._recognisers = RecogniserChoice(settings, batch=batch)
        self.problems: list[Problem] = list(self._recognisers.problems)
        """The recogniser's problems (a user gazetteer's), shown with the
        archive's; the settings file's stay in ``settings.problems``."""
        self.recogniser_id = self._recognisers.id
        self.pool_from = POOL_FROM
        """From how many files to read and recognise in worker processes."""
        self.detail = ""
        """A one-line note on how the archive was loaded (cache reuse)."""
        self._rest: Iterator[BatchResult] | None = None
        self._analysis: ParallelAnalysis | None = None
        self._stale_index = False
        self._listed = False
        self._walk: Walk | None = None

    @property
    def recogniser(self) -> Recogniser:
        """The recogniser the settings ask for (built on first use)."""
        return self._recognisers.recogniser

    def library_recogniser(self) -> Recogniser | None:
        """What a new library recognises with: None while it is the default,
        which the library builds when it first recognises."""
        return self._recognisers.for_library

    # Opening ------------------------------------------------------------------

    def new_library(self) -> Library:
        """An empty library: over the archive store when the cache is on
        and usable, else in memory."""
        settings = self.settings
        order = FileOrder(settings.paths)
        if settings.cache:
            try:
                store = ArchiveStore.open(
                    settings.paths,
                    cache_dir=settings.cache_dir or default_cache_dir(),
                    recogniser_id=self.recogniser_id,
                    settings={
                        "max_bytes": settings.max_bytes,
                        "default_lang": settings.default_lang,
                    },
                )
            except StoreError as exc:
                self.problems.append(Problem("cache", sanitize_line(str(exc))))
            else:
                index, self._stale_index = open_index(store)
                recogniser = self.library_recogniser()
                library = Library(recogniser=recogniser, index=index, store=store, order=order)
                library.roots = ArchiveRoots(settings.paths)
                index.resolve_with(library.get)
                return library
        return Library(recogniser=self.library_recogniser(), order=order)

    def load(
        self, on_batch: Batch | None = None, *, deferred: bool = False, walk: Walk | None = None
    ) -> Library:
        """The whole library (the CLI): from the store, brought up to date
        with the folders, or read from the files (batches to ``on_batch``).
        Not analysed: call :meth:`analyse` (a search does). ``deferred``:
        stored articles are listed only when first asked for
        (:meth:`Library.defer_listing`; ``reader search``). ``walk``: the
        stat walk, started early (taken if it walks this library's store)."""
        library = self.new_library()
        self._walk = walk
        self.stream(library, on_batch, threading.Event(), deferred=deferred)
        if self._listed:
            self._reconcile(library, None, None)
        return library

    def stream(
        self,
        library: Library,
        on_batch: Batch | None,
        cancel: threading.Event,
        *,
        deferred: bool = False,
        staged: bool = False,
    ) -> bool:
        """Fill ``library``, handing batches to ``on_batch`` every
        :data:`BATCH_SECONDS` (the last with ``finished``; the first problems
        are the settings'). From the store: every stored article at once
        (``deferred``: when first asked for, and not to ``on_batch``;
        ``staged``: the first rows in a batch, then the whole list in the
        finished one, see :func:`listed`). False when cancelled."""
        early, self._walk = self._walk, None  # a walk started before the library
        if library.store is None:
            if early is not None:
                early.close()
            return self._stream_files(library, on_batch, cancel)
        try:
            if library.store.report.reused and library.store.count():
                # on the other core, while listing (deferred: nothing to list,
                # so this process takes a share of the walk); a walk started
                # early is taken when it walks this store
                if early is not None and early.walks(library):
                    early, self._walk = None, early
                else:
                    self._walk = Walk.of(library, shared=deferred)
                return self._list_stored(library, on_batch, cancel, deferred, staged)
            return self._first_fill(library, on_batch, cancel)
        except (StoreError, AnalysisError) as exc:
            if cancel.is_set():  # quitting: the store was closed under the load
                return False
            return self._fall_back(library, on_batch, cancel, exc)
        finally:
            if early is not None:  # not this store's, or no second start
                early.close()

    def _list_stored(
        self,
        library: Library,
        on_batch: Batch | None,
        cancel: threading.Event,
        deferred: bool,
        staged: bool,
    ) -> bool:
        """A second start: the stored articles listed (see :func:`listed`)."""
        library.problems[:0] = self.problems
        self._listed = True
        shown: list[Article] = []
        report = on_batch
        if staged and report is not None:  # the first rows, then the whole list

            def first(rows: list[Article]) -> None:
                report(rows, list(library.problems), False)

            done = listed(library, on_first=first, cancel=cancel)
        else:
            done = listed(library, deferred=deferred, cancel=cancel)
            shown = list(library.articles) if done and not deferred else []
        self.detail = f"cache: {len(library):,} articles listed"
        if not done or cancel.is_set():
            return False
        if report is not None:  # staged: the first batch took the problems known then
            report(shown, [] if staged else list(library.problems), True)
        return True

    def _fall_back(
        self, library: Library, on_batch: Batch | None, cancel: threading.Event, exc: Exception
    ) -> bool:
        """The store failed: go on in memory, from the files."""
        self.problems.append(Problem("cache", sanitize_line(str(exc))))
        self.close()
        fresh = Library(recogniser=self.library_recogniser(), order=library.order)
        library.__dict__.update(fresh.__dict__)
        self._listed = False
        return self._stream_files(library, on_batch, cancel)

    def _stream_files(
        self, library: Library, on_batch: Batch | None, cancel: threading.Event
    ) -> bool:
        articles: list[Article] = []
        problems: list[Problem] = list(self.problems)
        last = time.monotonic()
        for item in self._items():
            if cancel.is_set():
                return False
            if isinstance(item, Problem):
                problems.append(item)
            else:
                articles.append(item)
            if time.monotonic() - last > BATCH_SECONDS:
                library.extend(articles, problems)
                if on_batch is not None:
                    on_batch(articles, problems, False)
                articles, problems = [], []
                last = time.monotonic()
        library.extend(articles, problems)
        if on_batch is not None:
            on_batch(articles, problems, True)
        return True

    def _items(self) -> Iterator[Article | Problem]:
        settings = self.settings
        return iter_load(
            settings.paths, max_bytes=settings.max_bytes, default_lang=settings.default_lang
        )

    def _analysis_of(
        self, files: list[ScannedFile], taken: set[str], articles: Sequence[Article] = ()
    ) -> ParallelAnalysis:
        settings = self.settings
        pooled = len(files) + len(articles) >= self.pool_from
        analysis = ParallelAnalysis(
            files,
            articles=articles,
            max_bytes=settings.max_bytes,
            default_lang=settings.default_lang,
            recogniser=recogniser_factory(
                settings.recogniser, settings.gazetteer, batch=self.batch
            ),
            workers=None if pooled else 0,
            taken_ids=taken,
            inline=None if pooled else self.recogniser,
        )
        self._analysis = analysis
        return analysis

    def _first_fill(
        self, library: Library, on_batch: Batch | None, cancel: threading.Event
    ) -> bool:
        """An empty store: read every file (in workers for a large archive),
        storing and indexing as batches come; returns once all are read,
        leaving the entities to :meth:`analyse`."""
        assert library.store is not None and library.roots is not None
        library.index.build([])  # empty, and stamped as this code's index
        self._stale_index = False
        with collector_paused():  # a tuple or three per file: 100k files
            scan = library.roots.scan()
        library.store.put_walk_problems(scan.problems)
        library.problems.extend(self.problems)
        library.problems.extend(scan.problems)
        pending: list[Article] = []
        pending_problems: list[Problem] = [*self.problems, *scan.problems]
        last = time.monotonic()

        def on_read(articles: list[Article], problems: list[Problem], finished: bool) -> None:
            nonlocal pending, pending_problems, last
            pending.extend(articles)
            pending_problems.extend(problems)
            if on_batch is not None and time.monotonic() - last > BATCH_SECONDS:
                on_batch(pending, pending_problems, False)
                pending, pending_problems, last = [], [], time.monotonic()

        batches: Iterator[BatchResult] = self._analysis_of(scan.files, set()).run()
        finished, _ = fill(library, batches, on_read=on_read, cancel=cancel, until_read=True)
        if not finished:
            self.close()
            return False
        library.store.reseal()  # so the second start's walk reads no stat keys
        self._rest = batches
        if on_batch is not None:
            on_batch(pending, pending_problems, True)
        return True

    # Analysis -----------------------------------------------------------------

    def analyse(
        self,
        library: Library,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        on_applied: Callable[[Applied], None] | None = None,
    ) -> tuple[bool, list[str]]:
        """Bring everything up to date: with the store, the index (if it
        must be rebuilt), the folders (a listed archive is reconciled; the
        changes go to ``on_applied``), then entities for every article still
        without; in memory, entities and index for what is not yet done.
        Returns (finished, warnings)."""
        if library.store is None:
            return library.analyse(progress, cancel), []
        try:
            if self._stale_index:
                if not rebuild_index(library, progress, cancel):
                    return False, []
                self._stale_index = False
            if self._listed:
                self._listed = False
                applied = self._reconcile(library, progress, cancel)
                if applied and on_applied is not None:
                    on_applied(applied)
            if self._rest is not None:
                rest, self._rest = self._rest, None
                finished, _ = fill(library, rest, progress=batch_progress(progress), cancel=cancel)
                if not finished:
                    return False, []
            finished = self._recognise_pending(library, progress, cancel)
        except WalkCancelled:  # the app quits
            return False, []
        except (StoreError, AnalysisError) as exc:
            library.warnings.append(f"archive cache: {exc}")
            finished = library.analyse(progress, cancel)
        return finished, list(library.warnings)

    def _reconcile(
        self, library: Library, progress: Progress | None, cancel: threading.Event | None
    ) -> Applied:
        self._listed = False
        if self._walk is None:  # kept meanwhile, so that close() can cancel it
            self._walk = Walk.of(library)
        try:
            applied = reconcile(
                library,
                self._analysis_of,
                walk=self._walk,
                cancel=cancel,
                progress=batch_progress(progress),
                base_problems=self.problems,
            )
        finally:
            self._walk = None
        if applied:
            self.detail = f"cache: {len(library):,} articles; {applied.describe()} since last time"
        return applied

    def _recognise_pending(
        self, library: Library, progress: Progress | None, cancel: threading.Event | None
    ) -> bool:
        """Entities for the stored articles still without (another
        recogniser, or a start that ended before they were done)."""
        store = library.store
        if library.listing_deferred and store is not None and not store.pending_count():
            return True  # nothing to do: the list can stay unmade
        pending = [a for a in library.articles if a.id in library.unrecognised]
        if len(pending) < self.pool_from:
            return library.analyse(progress, cancel)
        # Stored articles as they are: each is read whole only when its chunk
        # is sent to a worker (pickled as the plain article), not all at once.
        analysis = self._analysis_of([], set(), pending)
        batches = analysis.run()
        finished, _ = fill(library, batches, progress=batch_progress(progress), cancel=cancel)
        return finished

    def close(self) -> None:
        """Stop the analysis still running (the app quits, a command ends)."""
        if self._analysis is not None:
            self._analysis.cancel()
        walk, self._walk = self._walk, None
        if walk is not None:  # waited for by a reconcile, maybe: stop it there
            walk.cancel()
        self._rest = None

    # Live reload --------------------------------------------------------------

    def apply(self, library: Library, changes: ChangeSet) -> Applied:
        """Read what changed on disk, with the same settings as the load."""
        return apply_changes(
            library,
            changes,
            max_bytes=self.settings.max_bytes,
            default_lang=self.settings.default_lang,
        )

    def watch(self, on_changes: Callable[[ChangeSet], None]) -> FolderWatcher | Problem:
        """Start watching the archive's folders; a problem when that fails."""
        try:
            return FolderWatcher(list(self.settings.paths), on_changes).start()
        except Exception as exc:
            return Problem("live reload", f"cannot watch the folders: {exc.__class__.__name__}")
