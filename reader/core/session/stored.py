"""The library over the archive store: opened, filled and reconciled.

The archive cache is an :class:`~reader.core.store.archive.ArchiveStore`
(SQLite: list columns, bodies, entities, problems) beside a tantivy index
folder memory-mapped from the same cache folder. This module is what the
:class:`~reader.core.session.opening.Opening` does with them:

* :func:`open_archive` — the store and its index, checked against each
  other (an index that does not hold what the store holds is rebuilt);
* :func:`listed` — a second start: the stored rows as lazy articles, at
  once or in two steps (the first rows, then the rest: the app);
* :func:`fill` / :func:`take` — the analysis batches (read, then entities)
  of a first start or of a reconcile, written to the store and the index as
  they come; reading ends with a commit (plain search ready);
* :func:`reconcile` — after a second start, the stat walk against the
  store: removed files leave, new and changed files are read again, the way
  live reload applies changes.

Design notes: ``docs/archive-store.md``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.articles.article import Article, Problem
from reader.core.search import SearchIndex
from reader.core.session.changes import Applied
from reader.core.session.collector import collector_paused
from reader.core.session.library import Library, Progress
from reader.core.session.marks import Marks
from reader.core.session.parallel import AnalysisError, Batch, ParallelAnalysis
from reader.core.session.walk import Walk, WalkCancelled
from reader.core.store.archive import ArchiveStore, StoreError
from reader.core.store.lazy import stored_article, stored_articles
from reader.core.store.records import ArticleRow
from reader.core.store.scan import ScannedFile

#: A read batch as the list receives it: (articles, problems, finished).
OnRead = Callable[[list[Article], list[Problem], bool], None]


def index_folder(store: ArchiveStore) -> Path:
    """The tantivy index folder beside the store file."""
    return store.path.with_suffix(".index")


def open_index(store: ArchiveStore) -> tuple[SearchIndex, bool]:
    """The store's index, memory-mapped, and whether it must be built again
    from the store (new, damaged, another schema, or out of step with the
    store). When the folder cannot be used (another instance writes it), an
    index in RAM that must be built."""
    try:
        index = SearchIndex(index_folder(store))
        index.writer_ready()
    except Exception:  # another instance holds the writer, or a damaged folder
        return SearchIndex(), True
    if not store.report.reused:
        return index, bool(len(index))
    try:
        stale = index.needs_rebuild or len(index) != store.count()
    except StoreError:
        stale = True
    return index, stale


@dataclass
class Filling:
    """Counts of one run of batches (for the status line and the CLI)."""

    read: int = 0
    recognised: int = 0
    added: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


#: How many stored articles a two-step listing hands over first (a tall
#: screen's worth of rows).
FIRST_ROWS = 200


def listed(
    library: Library,
    *,
    deferred: bool = False,
    on_first: Callable[[list[Article]], None] | None = None,
    cancel: threading.Event | None = None,
) -> bool:
    """Fill ``library`` with the store's rows (lazy articles) and problems.

    ``deferred``: the rows when first asked for (see
    :meth:`Library.defer_listing`). ``on_first``: in two steps (the app),
    the first :data:`FIRST_ROWS` rows listed and handed to ``on_first``,
    then the whole list made (:meth:`Library.list_first`,
    :meth:`Library.list_rest`: meanwhile a search finds every article).
    False when ``cancel`` was set while listing (the app quits): the list
    is left as it was, in a few hundredths of a second."""
    store = library.store
    assert store is not None
    reader = library.reader

    def list_them() -> tuple[list[Article], list[str]] | None:
        with collector_paused():  # a million long-lived objects in a burst
            articles: list[Article] = []
            for rows in store.row_chunks():
                if cancel is not None and cancel.is_set():
                    return None
                articles.extend(stored_articles(rows, reader))
            return articles, store.pending_entities()

    def list_all() -> tuple[list[Article], list[str]]:
        return list_them() or ([], [])

    if deferred:
        library.defer_listing(list_all)
        library.problems.extend(store.problems())
        return True
    if on_first is not None:
        first: list[Article] = list(stored_articles(store.row_values(limit=FIRST_ROWS), reader))
        library.list_first(first)
        on_first(first)
        library.problems.extend(store.problems())  # counted with the whole list
        rest = list_them()
        if rest is not None:
            library.list_rest(*rest)
        return rest is not None
    with collector_paused():
        found = list_them()
        if found is not None:
            library.extend(found[0], store.problems(), unrecognised=found[1])
    return found is not None


#: The most read or starred entries :func:`note_marks` looks up in the store
#: (a row each, ~10 µs): a reader who marked most of a 100k archive read
#: gets the marks with the whole list instead, a second later.
MARKS_LOOKED_UP = 5000


def note_marks(marks: Marks, library: Library) -> bool:
    """Take the marks of every stored article, reading from the store only
    the rows a mark can concern (before a two-step listing's rest). False,
    noting nothing, when there are more than :data:`MARKS_LOOKED_UP` of
    them: note the whole list once it is made."""
    store = library.store
    assert store is not None

    def find(ids: set[str], content_keys: set[str]) -> list[Article]:
        try:
            rows = store.row_values_of(ids, content_keys)
        except StoreError as exc:
            library.warnings.append(f"archive cache: {exc}")
            return []
        return list(stored_articles(rows, library.reader))

    return marks.note_found(find, at_most=MARKS_LOOKED_UP)


def take(
    library: Library,
    batch: Batch,
    filling: Filling,
    on_read: OnRead | None = None,
    *,
    placed: bool = False,
) -> None:
    """Write one analysis batch to the store, the library and the index
    (``placed``: new articles go to their place in the file order, as in a
    reconcile; else at the end, as in a first start)."""
    store = library.store
    assert store is not None
    if batch.stage == "read":
        store.put_many(batch.encoded)
        whole = [r.article for r in batch.records if r.article is not None]
        problems = [p for r in batch.records for p in r.problems]
        lazy = [stored_article(ArticleRow.of(a), library.reader) for a in whole]
        library.extend(lazy, problems, placed=placed)
        ready = batch.prepared or (None,) * len(batch.records)
        for record, prepared in zip(batch.records, ready, strict=True):
            if record.article is not None:
                library.index.add(record.article, prepared=prepared)
        filling.read += len(batch.records)
        filling.added.extend(a.id for a in whole)
        filling.problems.extend(problems)
        if on_read is not None:
            on_read(list(lazy), problems, False)
        return
    store.put_entities(batch.encoded_entities)
    library.entities_known(batch.entities, batch.prepared)
    library.problems.extend(batch.failures)
    filling.recognised += len(batch.entities) + len(batch.failures)


def fill(
    library: Library,
    batches: Iterator[Batch],
    *,
    on_read: OnRead | None = None,
    progress: Callable[[Batch], None] | None = None,
    cancel: threading.Event | None = None,
    until_read: bool = False,
    placed: bool = False,
) -> tuple[bool, Filling]:
    """Take ``batches`` until they end (or, ``until_read``, until every file
    is read); the index is committed when reading ends. (finished, counts).
    Raises :class:`StoreError` or :class:`AnalysisError`."""
    filling = Filling()
    read_done = False
    for batch in batches:
        if cancel is not None and cancel.is_set():
            library.index.commit()
            return False, filling
        take(library, batch, filling, on_read, placed=placed)
        if progress is not None:
            progress(batch)
        if batch.stage == "read" and batch.read[0] >= batch.read[1] and not read_done:
            read_done = True
            library.index.commit()
            if until_read:
                return True, filling
    library.index.commit()
    return True, filling


def rebuild_index(
    library: Library, progress: Progress | None = None, cancel: threading.Event | None = None
) -> bool:
    """Index every stored article again (with its stored entities)."""
    store = library.store
    assert store is not None
    total = store.count()
    done = 0
    library.index.build([])
    for chunk in store.iter_articles():
        if cancel is not None and cancel.is_set():
            library.index.commit()
            return False
        for article, entities in chunk:
            library.index.add(article, entities=entities)
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    library.index.commit()
    return True


def reconcile(
    library: Library,
    analysis: Callable[[list[ScannedFile], set[str]], ParallelAnalysis],
    *,
    walk: Walk,
    cancel: threading.Event | None = None,
    progress: Callable[[Batch], None] | None = None,
    base_problems: Iterable[Problem] = (),
) -> Applied:
    """Bring a listed library up to date with the folders (``walk``: the
    stat walk against the store, started earlier): what changed is read
    again with ``analysis(files, taken ids)``. The result is reported like a
    live-reload change."""
    store = library.store
    assert store is not None
    changes, walk_problems = walk.result()
    store.put_walk_problems(walk_problems)
    if not changes:
        library.problems = [*base_problems, *store.problems()]
        store.reseal()  # folders changed by live reload last time
        return Applied()
    library.list_now()  # before the store forgets the files that left
    stale = [f.key for f in changes.changed]
    gone = store.delete_many([*changes.removed, *stale])
    library.remove_many(gone)
    taken = {a.id for a in library.articles}
    files = [*changes.new, *changes.changed]
    batches = analysis(files, taken).run()
    _, filling = fill(library, batches, cancel=cancel, progress=progress, placed=True)
    library.problems = [*base_problems, *store.problems()]
    store.reseal()  # the next start's walk skips the stat keys of these folders
    again = set(filling.added)
    return Applied(
        tuple(i for i in filling.added if i not in gone),
        tuple(i for i in filling.added if i in set(gone)),
        tuple(i for i in gone if i not in again),
        tuple(filling.problems),
    )


__all__ = [
    "AnalysisError",
    "Filling",
    "Walk",
    "WalkCancelled",
    "fill",
    "index_folder",
    "listed",
    "open_index",
    "rebuild_index",
    "reconcile",
    "take",
]
