"""First-start analysis on every core: reading and entity recognition in worker processes.

:class:`ParallelAnalysis` takes scanned files (:meth:`ArchiveRoots.scan
<reader.core.store.scan.ArchiveRoots.scan>`, or the new and changed files of a
reconcile) and runs two stages in a :class:`~concurrent.futures.ProcessPoolExecutor`:

``read``
    :func:`~reader.core.articles.loader.load_file` per file, plus the store
    encoding (compression) of each record. Read tasks always go first, so the
    whole list (and a plain search index) can be ready long before entities.
``entities``
    :func:`~reader.core.entities.catalogue.recognise_article` per article, as
    soon as its file was read, plus the encoding of the mentions.

:meth:`ParallelAnalysis.run` is a generator meant for a background thread: it
yields :class:`Batch` objects as results arrive, read batches in load order
(ids made unique as :func:`~reader.core.articles.loader.iter_load` does),
entity batches in completion order, each with the progress of both stages.
:meth:`ParallelAnalysis.cancel` (any thread) makes it stop within a moment.
The results equal the serial path's (``load_file`` then ``recognise_article``).

Workers are started with ``spawn`` by default: a fresh interpreter that
imports only ``reader.core``, safe beside the app's threads (``fork`` of a
threaded process can deadlock) and the same on every platform; the cost is
~0.3 s per worker, once. Each worker builds its recogniser once from
``recogniser``, a picklable zero-argument callable (a module-level function
or a :func:`functools.partial` of one), e.g. :func:`default_recogniser_factory`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Any, Literal

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities
from reader.core.search.prepared import Prepared
from reader.core.session.recognisers import (
    RecogniserFactory,
    default_recogniser_factory,
    recogniser_factory,
)
from reader.core.session.tracker import ensure_resource_tracker
from reader.core.session.workers import (
    EntityResult,
    Pending,
    ReadResult,
    init_worker,
    read_chunk,
    recognise_chunk,
)
from reader.core.store.records import (
    EncodedEntities,
    EncodedRecord,
    FileRecord,
    encode_record,
)
from reader.core.store.scan import ScannedFile

__all__ = [
    "AnalysisError",
    "Batch",
    "ParallelAnalysis",
    "RecogniserFactory",
    "batch_progress",
    "default_recogniser_factory",
    "recogniser_factory",
]

Stage = Literal["read", "entities"]
READ_CHUNK = 64
ENTITY_CHUNK = 16
_QUEUED = 64  # batches waiting for the caller at most
_POLL = 0.1  # seconds between looks at the cancel flag


class AnalysisError(Exception):
    """The worker processes could not run (one died, or none could start)."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Results of one stage, with the progress of both.

    ``read`` batches hold ``records`` (files in load order, ``entities``
    None) and the same files ``encoded`` for :meth:`ArchiveStore.put_many
    <reader.core.store.archive.ArchiveStore.put_many>`; ``entities`` batches
    hold ``entities`` (article, its entities) and ``encoded_entities`` for
    :meth:`~reader.core.store.archive.ArchiveStore.put_entities`, and
    ``failures`` for articles whose recognition raised. ``read`` and
    ``recognised`` are ``(done, total)``; the entities total grows as files
    are read.
    """

    stage: Stage
    read: tuple[int, int]
    recognised: tuple[int, int]
    records: tuple[FileRecord, ...] = ()
    encoded: tuple[EncodedRecord, ...] = ()
    entities: tuple[tuple[Article, ArticleEntities], ...] = ()
    encoded_entities: tuple[EncodedEntities, ...] = ()
    failures: tuple[Problem, ...] = ()
    prepared: tuple[Prepared | None, ...] = ()
    """The index fields of ``records`` (read) or ``entities`` (entities),
    analysed in the worker (see :mod:`reader.core.search.prepared`)."""


# --- in the caller --------------------------------------------------------------


class _Inline:
    """Runs each task at once in the calling thread (``workers=0``): the
    same batches as the pool, without processes (small archives, tests)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


class ParallelAnalysis:
    """Read and recognise ``files`` in worker processes (see the module doc).

    ``recogniser`` None skips the entities stage. ``articles`` are already
    read articles to recognise too (e.g. from :meth:`ArchiveStore.iter_articles
    <reader.core.store.archive.ArchiveStore.iter_articles>` after the
    recogniser changed); they come back in entity batches only. ``taken_ids`` are article
    ids already in use (unchanged articles, on a reconcile): a new article
    whose id is taken gets ``#2``, ``#3``... like a duplicate in one load.
    """

    def __init__(
        self,
        files: Sequence[ScannedFile],
        *,
        articles: Sequence[Article] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        default_lang: str | None = None,
        recogniser: RecogniserFactory | None = default_recogniser_factory,
        workers: int | None = None,
        taken_ids: Collection[str] = (),
        start_method: str = "spawn",
        read_chunk: int = READ_CHUNK,
        entity_chunk: int = ENTITY_CHUNK,
        inline: Recogniser | None = None,
    ) -> None:
        self.files = list(files)
        self.articles = list(articles)
        self.max_bytes = max_bytes
        self.default_lang = default_lang
        self.recogniser = recogniser
        self.workers = max(0, workers if workers is not None else os.cpu_count() or 1)
        self.inline = inline
        if self.workers == 0 and recogniser is not None and inline is None:
            self.inline = recogniser()
        self.start_method = start_method
        self.read_chunk = max(1, read_chunk)
        self.entity_chunk = max(1, entity_chunk)
        self._seen: dict[str, int] = {}
        self._fields: dict[str, bytes] = {}  # index fields waiting for entities
        self._taken = set(taken_ids)
        self._cancel = threading.Event()
        self._read = 0
        self._articles = len(self.articles) if recogniser is not None else 0
        self._recognised = 0

    def cancel(self) -> None:
        """Stop soon: :meth:`run` returns after at most one wait (~0.1 s)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """``((read, files), (recognised, articles read))`` so far."""
        return (self._read, len(self.files)), (self._recognised, self._articles)

    def _unique(self, article: Article) -> Article:
        """The article under an id no earlier article took."""
        base = article.id
        count = self._seen.get(base, 0)
        wanted = base
        while wanted in self._taken:
            count += 1
            wanted = base if count == 1 else f"{base}#{count}"
        self._seen[base] = count
        self._taken.add(wanted)
        return article if wanted == base else replace(article, id=wanted)

    def _read_batch(self, files: list[ScannedFile], results: list[ReadResult]) -> Batch:
        records: list[FileRecord] = []
        encoded: list[EncodedRecord] = []
        ready: list[Prepared | None] = []
        for scanned, (article, problems, packed, prepared) in zip(files, results, strict=True):
            if article is not None:
                unique = self._unique(article)
                if unique is not article:
                    article = unique
                    packed = encode_record(FileRecord(scanned, article, problems))
                    prepared = replace(prepared, id=article.id) if prepared else None
                self._articles += 1
            records.append(FileRecord(scanned, article, problems))
            encoded.append(packed)
            ready.append(prepared)
            if article is not None and prepared is not None and self.recogniser is not None:
                self._fields[article.id] = prepared.pack()
        self._read += len(files)
        return Batch(
            "read",
            *self.progress(),
            records=tuple(records),
            encoded=tuple(encoded),
            prepared=tuple(ready),
        )

    def _entity_batch(self, results: list[EntityResult]) -> Batch:
        pairs: list[tuple[Article, ArticleEntities]] = []
        packed: list[EncodedEntities] = []
        ready: list[Prepared | None] = []
        failures: list[Problem] = []
        for result in results:
            if len(result) == 2:
                self._fields.pop(result[0].id, None)
                failures.append(Problem(result[0].path, result[1]))
            else:
                pairs.append((result[0], result[1]))
                packed.append(result[2])
                kept = self._fields.pop(result[0].id, None)
                ready.append(result[3] or (Prepared.unpack(kept) if kept else None))
        self._recognised += len(results)
        return Batch(
            "entities",
            *self.progress(),
            entities=tuple(pairs),
            encoded_entities=tuple(packed),
            failures=tuple(failures),
            prepared=tuple(ready),
        )

    def run(self) -> Iterator[Batch]:
        """Yield result batches until everything is done or :meth:`cancel`
        is called. Raises :class:`AnalysisError` if the workers fail.

        The pool is driven from a thread of its own, so workers get new tasks
        while the caller stores and indexes a batch; leaving the loop early
        cancels the rest."""
        if not self.files and not (self.articles and self.recogniser is not None):
            return
        results: queue.Queue[Batch | AnalysisError | None] = queue.Queue(maxsize=_QUEUED)
        driver = threading.Thread(
            target=self._feed, args=(results,), name="reader-analysis", daemon=True
        )
        driver.start()
        try:
            while True:
                try:
                    item = results.get(timeout=_POLL)
                except queue.Empty:
                    if self._cancel.is_set():
                        return
                    continue
                if item is None:
                    return
                if isinstance(item, AnalysisError):
                    raise item
                yield item
        finally:
            if driver.is_alive():
                self._cancel.set()
                driver.join()

    def _feed(self, results: queue.Queue[Batch | AnalysisError | None]) -> None:
        """The driver thread: run the pool, hand batches to :meth:`run`."""
        outcome: AnalysisError | None = None
        pool: ProcessPoolExecutor | _Inline | None = None
        try:
            if self.workers == 0:
                pool = _Inline()
            else:
                ensure_resource_tracker()
                pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context(self.start_method),
                    initializer=init_worker,
                    initargs=(self.recogniser,),
                )
            for batch in self._drive(pool):
                while not self._cancel.is_set():
                    try:
                        results.put(batch, timeout=_POLL)
                        break
                    except queue.Full:
                        continue
        except BrokenProcessPool as exc:
            outcome = AnalysisError(f"a worker process died: {exc}")
        except OSError as exc:
            outcome = AnalysisError(f"cannot run worker processes: {exc}")
        except Exception as exc:  # reported to the caller, never lost in a thread
            outcome = AnalysisError(f"analysis failed: {exc.__class__.__name__}: {exc}")
        finally:
            if pool is not None:
                pool.shutdown(wait=not self._cancel.is_set(), cancel_futures=True)
        if not self._cancel.is_set():
            results.put(outcome)

    def _drive(self, pool: ProcessPoolExecutor | _Inline) -> Iterator[Batch]:
        step = self.read_chunk
        reads = deque(
            (index, self.files[start : start + step])
            for index, start in enumerate(range(0, len(self.files), step))
        )
        recognitions: deque[list[Pending]] = deque()
        if self.recogniser is not None:
            given = self.articles
            recognitions.extend(
                list(given[start : start + self.entity_chunk])
                for start in range(0, len(given), self.entity_chunk)
            )
        pending_entities: list[Pending] = []
        done_reads: dict[int, tuple[list[ScannedFile], list[ReadResult]]] = {}
        next_read = 0
        running: dict[Future[Any], tuple[Stage, Any]] = {}
        limit = max(1, 3 * self.workers)
        inline = (self.inline,) if self.workers == 0 else ()
        while not self._cancel.is_set():
            while len(running) < limit and (reads or recognitions):
                if reads:
                    index, chunk = reads.popleft()
                    submitted = pool.submit(read_chunk, chunk, self.max_bytes, self.default_lang)
                    running[submitted] = ("read", (index, chunk))
                else:
                    items = recognitions.popleft()
                    running[pool.submit(recognise_chunk, items, *inline)] = ("entities", None)
            if not running:
                break
            finished, _ = wait(list(running), timeout=_POLL, return_when=FIRST_COMPLETED)
            for future in finished:
                stage, payload = running.pop(future)
                if stage == "entities":
                    yield self._entity_batch(future.result())
                    continue
                index, chunk = payload
                done_reads[index] = (chunk, future.result())
            while next_read in done_reads:
                chunk, results = done_reads.pop(next_read)
                next_read += 1
                batch = self._read_batch(chunk, results)
                if self.recogniser is not None:
                    pending_entities.extend(
                        packed if packed.row is not None else record.article
                        for record, packed in zip(batch.records, batch.encoded, strict=True)
                        if record.article is not None
                    )
                    while len(pending_entities) >= self.entity_chunk or (
                        pending_entities and not reads and not done_reads
                    ):
                        recognitions.append(pending_entities[: self.entity_chunk])
                        del pending_entities[: self.entity_chunk]
                yield batch


def batch_progress(
    progress: Callable[[int, int], None] | None,
) -> Callable[[Batch], None] | None:
    """``progress(done, total)`` of the analysis stage a batch belongs to."""
    if progress is None:
        return None

    def report(batch: Batch) -> None:
        done, total = batch.read if batch.stage == "read" else batch.recognised
        progress(done, total)

    return report
