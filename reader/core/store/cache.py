"""A persistent cache of an archive's parsed articles and entities: a second
start skips reading, parsing and entity recognition for every file that did
not change (the search index is built again from them, on tantivy's threads).

Entries are keyed by each file's path, size, mtime_ns and ctime_ns, under the
code version, the load settings and the recogniser id; the file is signed
with a per-user key (:mod:`reader.core.store.cache_file`) and never trusted
otherwise. Validity, format, safety and writes in full: ``docs/archive-cache.md``.
"""

from __future__ import annotations

import json
import operator
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import (
    DEFAULT_MAX_BYTES,
    Candidate,
    article_id,
    discover,
    id_prefix,
    load_file,
)
from reader.core.articles.sanitize import display_path
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import Catalogue
from reader.core.search import SearchIndex
from reader.core.session.library import Library, Progress
from reader.core.store.atomic import (
    FileLock,
    LockTimeout,
    remove_stale_temps,
)
from reader.core.store.cache_file import (
    FORMAT_VERSION,
    CacheReport,
    Unusable,
    atomic_write_parts,
    cache_path,
    code_version,
    default_cache_dir,
    dumps,
    gc_paused,
    loads,
    read_signed,
    signed_parts,
    user_key,
)

#: Files modified this recently before the stat walk are not cached.
RACY_NS = 2_000_000_000

StatKey = tuple[int, int, int]
EntryKey = tuple[str, str]
#: (size, mtime_ns, ctime_ns, article or None, the file's load problems,
#: id prefix, the article's id before de-duplication)
Entry = tuple[int, int, int, Article | None, tuple[Problem, ...], str, str]


@dataclass(slots=True)
class _Snapshot:
    header: dict[str, Any]
    entries: dict[EntryKey, Entry]
    ids: list[str]
    catalogue: Catalogue | None


@dataclass(slots=True)
class _Loaded:
    """What the last :meth:`ArchiveCache.load_library` saw, for :meth:`save`."""

    settings: dict[str, Any]
    records: list[tuple[EntryKey, Entry]]
    articles: list[Article]
    index: SearchIndex | None = None
    clean: bool = False


@dataclass
class ArchiveCache:
    """The cache of one archive (its ``roots``) for one recogniser.

    Call :meth:`load_library` to get an analysed :class:`Library`, then
    :meth:`save` once it is analysed. Thread use: one thread at a time.
    """

    cache_dir: Path
    roots: list[str]
    recogniser_id: str
    path: Path = field(init=False)
    _loaded: _Loaded | None = field(default=None, init=False, repr=False)

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] | None,
        roots: Iterable[str | os.PathLike[str]],
        *,
        recogniser_id: str,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.roots = [os.fspath(root) for root in roots]
        self.recogniser_id = recogniser_id
        self.path = cache_path(self.cache_dir, self.roots)
        self._loaded = None

    # -- reading --------------------------------------------------------------

    def _header_base(self, settings: dict[str, Any]) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "code": code_version(),
            "settings": settings,
            "recogniser": self.recogniser_id,
        }

    def _verified(self, settings: dict[str, Any]) -> tuple[dict[str, Any], memoryview]:
        """The header and the payload bytes of an authentic cache file written
        by this code with these settings, or :class:`Unusable`."""
        return read_signed(self.path, self.cache_dir, self._header_base(settings))

    @staticmethod
    def _decode(header: dict[str, Any], payload_bytes: memoryview) -> _Snapshot:
        """Unpickle a verified payload, or :class:`Unusable`."""
        try:
            payload = loads(payload_bytes)
        except Exception as exc:  # an authenticated file that still fails: never trust it
            raise Unusable(f"cannot decode ({exc.__class__.__name__})") from None
        finally:
            payload_bytes.release()
        if not isinstance(payload, dict):
            raise Unusable("bad payload")
        entries, ids = payload.get("entries"), payload.get("ids")
        catalogue = payload.get("catalogue")
        if (
            not isinstance(entries, dict)
            or not isinstance(ids, list)
            or not isinstance(catalogue, Catalogue | None)
        ):
            raise Unusable("bad payload")
        return _Snapshot(header, entries, ids, catalogue)

    def _read(self, settings: dict[str, Any]) -> _Snapshot:
        """The verified, decoded snapshot, or :class:`Unusable`."""
        return self._decode(*self._verified(settings))

    def _scan(self) -> Iterator[Problem | tuple[Candidate, EntryKey, StatKey]]:
        """The archive's files in load order, each with its key and stat."""
        resolved: dict[str, str] = {}
        for item in discover(self.roots):
            if isinstance(item, Problem):
                yield item
                continue
            root = resolved.get(item.root)
            if root is None:
                root = resolved[item.root] = str(Path(item.root).resolve())
            try:
                info = os.stat(item.path)
                stamp: StatKey = (info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            except OSError:
                stamp = (-1, -1, -1)  # never matches: load_file reports the problem
            yield item, (root, item.relative), stamp

    def load_library(
        self,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        default_lang: str | None = None,
        recogniser: Recogniser | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        analyse: bool = True,
        reading: Progress | None = None,
    ) -> tuple[Library, CacheReport]:
        """The archive's library, analysed (entities and index), using the
        cache where it is valid: equal to ``Library.load(...)`` followed by
        ``analyse()``.

        ``progress``/``cancel`` are passed to :meth:`Library.analyse` (only
        new or changed articles are analysed); when cancelled the library is
        returned partly analysed. With ``analyse=False`` the caller runs
        ``library.analyse()`` itself (a no-op when the index was reused)
        before :meth:`save`. ``reading(done, total)`` is called every 256
        files read again and at the end of the walk."""
        with gc_paused():  # millions of objects are made, none is garbage
            library, report = self._assemble(max_bytes, default_lang, recogniser, reading)
        if not analyse:
            pass
        elif not report.index_reused:
            library.analyse(progress, cancel)
        elif progress is not None:
            progress(len(library), len(library))
        return library, report

    def _assemble(
        self,
        max_bytes: int,
        default_lang: str | None,
        recogniser: Recogniser | None,
        reading: Progress | None,
    ) -> tuple[Library, CacheReport]:
        """The library from the cache and the files read again, not analysed
        beyond what the cache gave."""
        settings = {"max_bytes": max_bytes, "default_lang": default_lang}
        warnings: list[str] = []
        verified: list[tuple[dict[str, Any], memoryview] | Unusable] = []

        def verify() -> None:
            try:
                verified.append(self._verified(settings))
            except Unusable as exc:
                verified.append(exc)
            except Exception as exc:  # never let the cache break a start
                verified.append(Unusable(f"cannot read ({exc.__class__.__name__})"))

        worker = threading.Thread(target=verify, name="reader-cache-verify", daemon=True)
        worker.start()
        try:
            scanned = list(self._scan())
        finally:
            worker.join()
        snapshot: _Snapshot | None = None
        reason = ""
        try:
            outcome = verified[0]
            if isinstance(outcome, Unusable):
                raise outcome
            snapshot = self._decode(*outcome)
        except Unusable as exc:
            reason = str(exc)
        verified.clear()  # the file's bytes can go as soon as decoded
        entries = snapshot.entries if snapshot is not None else {}
        same_recogniser = (
            snapshot is not None and snapshot.header.get("recogniser") == self.recogniser_id
        )
        if snapshot is not None and not same_recogniser:
            reason = "recogniser changed"

        several = len(self.roots) > 1
        articles: list[Article] = []
        problems: list[Problem] = []
        records: list[tuple[EntryKey, Entry]] = []
        seen: dict[str, int] = {}
        unchanged: set[str] = set()  # ids whose cached article, id and path all hold
        moved: list[tuple[Article, str]] = []  # (article under a new id/path, old id)
        reused = reread = 0
        matched = 0
        racy_after = time.time_ns() - RACY_NS
        for item in scanned:
            if isinstance(item, Problem):
                problems.append(item)
                continue
            candidate, key, stamp = item
            prefix = id_prefix(candidate.root, several)
            cached = entries.get(key)
            article: Article | None
            if (
                cached is not None
                and isinstance(cached, tuple)
                and len(cached) == 7
                and cached[:3] == stamp
                and (cached[3] is None or isinstance(cached[3], Article))
            ):
                matched += 1
                reused += 1
                article, file_problems = cached[3], cached[4]
                fresh = False
            else:
                if cached is not None:
                    matched += 1
                reread += 1
                if reading is not None and reread % 256 == 0:
                    reading(reread, len(scanned))
                article, found = load_file(
                    candidate, max_bytes=max_bytes, id_prefix=prefix, default_lang=default_lang
                )
                file_problems = tuple(found)
                fresh = True
            shown = display_path(candidate.path)
            if not fresh and file_problems and file_problems[0].path != shown:
                file_problems = tuple(Problem(shown, p.message) for p in file_problems)
            problems.extend(file_problems)
            base = ""
            if article is not None:
                if fresh:
                    base = article.id
                elif cached is not None and cached[5] == prefix:
                    base = cached[6]  # article_id() is slow: keep what it gave
                else:
                    base = article_id(candidate, prefix)
                count = seen.get(base, 0) + 1
                seen[base] = count
                wanted = base if count == 1 else f"{base}#{count}"
                if fresh:
                    if wanted != article.id:
                        article = replace(article, id=wanted)
                else:
                    if article.id != wanted or article.path != shown:
                        old_id = article.id
                        article = replace(article, id=wanted, path=shown)
                        moved.append((article, old_id))
                    else:
                        unchanged.add(article.id)
                articles.append(article)
            if stamp[0] >= 0 and stamp[1] < racy_after:
                records.append((key, (*stamp, article, file_problems, prefix, base)))
        dropped = len(entries) - matched

        library = Library(articles, problems, recogniser)
        catalogue = snapshot.catalogue if snapshot is not None and same_recogniser else None
        entities_reused = index_reused = False
        if snapshot is not None and catalogue is not None:
            entities_reused = True
            if (
                not reread
                and not moved
                and not dropped
                and len(unchanged) == len(articles)
                and snapshot.ids == [a.id for a in articles]
            ):
                index_reused = True
            else:
                self._update(catalogue, snapshot.ids, unchanged, moved)
            library.catalogue = catalogue
            library.index = self._index(articles, catalogue)
        clean = index_reused and not warnings
        if reading is not None:
            reading(reread, reread)
        self._loaded = _Loaded(settings, records, list(articles), library.index, clean)
        report = CacheReport(
            self.path,
            used=snapshot is not None,
            reason=reason,
            reused=reused,
            reread=reread,
            dropped=dropped,
            entities_reused=entities_reused,
            index_reused=index_reused,
            warnings=tuple(warnings),
        )
        return library, report

    @staticmethod
    def _update(
        catalogue: Catalogue,
        old_ids: list[str],
        unchanged: set[str],
        moved: list[tuple[Article, str]],
    ) -> None:
        """Bring the saved catalogue to the current articles: drop every
        article not unchanged, then re-add the moved ones with their saved
        entities (the rest is left to :meth:`Library.analyse`)."""
        saved = {old: catalogue.get(old) for _article, old in moved}
        for old in old_ids:
            if old not in unchanged:
                catalogue.remove(old)
        for article, old in moved:
            entities = saved.get(old)
            if entities is not None:
                catalogue.add(article.id, entities)

    @staticmethod
    def _index(articles: list[Article], catalogue: Catalogue) -> SearchIndex:
        """The search index of the articles whose entities are known (the
        others are indexed when :meth:`Library.analyse` recognises them)."""
        index = SearchIndex()
        known = [a for a in articles if catalogue.get(a.id) is not None]
        index.build(known, entities=lambda article: catalogue.get(article.id))
        return index

    # -- writing --------------------------------------------------------------

    def remember(
        self,
        library: Library,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        default_lang: str | None = None,
    ) -> None:
        """Prepare :meth:`save` for a library that was loaded without the
        cache (the app's first start, which fills its list progressively).

        Each file is stat-ed again; an article is recorded only when that
        stat still matches the size and mtime it was read with, so a file
        changed in between is simply read again next time.
        """
        settings = {"max_bytes": max_bytes, "default_lang": default_lang}
        with library._lock:
            by_path = {article.path: article for article in library.articles}
            problems: dict[str, list[Problem]] = {}
            for problem in library.problems:
                problems.setdefault(problem.path, []).append(problem)
            articles = list(library.articles)
            index = library.index
        several = len(self.roots) > 1
        racy_after = time.time_ns() - RACY_NS
        records: list[tuple[EntryKey, Entry]] = []
        for item in self._scan():
            if isinstance(item, Problem):
                continue
            candidate, key, stamp = item
            if stamp[0] < 0 or stamp[1] >= racy_after:
                continue
            shown = display_path(candidate.path)
            article = by_path.get(shown)
            file_problems = tuple(problems.get(shown, ()))
            if article is None and not file_problems:
                continue  # read after the library was made: leave it to the next start
            if article is not None and (
                article.size != stamp[0] or abs(article.mtime * 1e9 - stamp[1]) > 1_000
            ):
                continue  # changed since it was read
            prefix = id_prefix(candidate.root, several)
            base = article_id(candidate, prefix) if article is not None else ""
            records.append((key, (*stamp, article, file_problems, prefix, base)))
        self._loaded = _Loaded(settings, records, articles, index, False)

    def save(self, library: Library) -> list[str]:
        """Write the cache for ``library`` (as returned by :meth:`load_library`
        on this object); returns one-line warnings, never raises ``OSError``.

        Articles changed since the load (live reload) are left out, so they
        are read again next time. The entities are saved only when
        every article is analysed. Nothing is written after a load that reused
        everything, nor when another instance is writing."""
        loaded = self._loaded
        if loaded is None:
            return ["cache: nothing loaded through the cache; not saved"]
        with library._lock:
            same = (
                loaded.clean
                and library.index is loaded.index
                and len(library.articles) == len(loaded.articles)
                and all(map(operator.is_, library.articles, loaded.articles))
            )
            if same:
                return []
            entries = {
                key: entry
                for key, entry in loaded.records
                if entry[3] is None or library.get(entry[3].id) is entry[3]
            }
            analysed = all(library.is_analysed(a.id) for a in library.articles)
            payload = {
                "entries": entries,
                "ids": [a.id for a in library.articles],
                "catalogue": library.catalogue if analysed else None,
            }
            try:
                data = dumps(payload)
            except Exception as exc:  # an unpicklable payload is a bug, not a crash
                return [f"cache: cannot serialise ({exc.__class__.__name__}: {exc})"]
        header = self._header_base(loaded.settings)
        header["written"] = time.time()
        header["entries"] = len(entries)
        header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
        return self._write(header_bytes, data)

    def _write(self, header: bytes, payload: bytes) -> list[str]:
        try:
            key = user_key(self.cache_dir, create=True)
        except OSError as exc:
            return [f"cache: cannot create the key in {self.cache_dir}: {exc.strerror or exc}"]
        if key is None:
            return [f"cache: no usable key in {self.cache_dir}; not saved"]
        try:
            with FileLock(self.path, timeout=0.0):
                remove_stale_temps(self.path)
                if self.path.is_dir() and not self.path.is_symlink():
                    os.replace(
                        self.path, self.path.with_name(f"{self.path.name}.broken-{time.time_ns()}")
                    )
                atomic_write_parts(self.path, signed_parts(key, header, payload))
        except LockTimeout:
            return ["cache: another instance is writing the cache; not saved"]
        except OSError as exc:
            return [f"cache: cannot write {self.path}: {exc.strerror or exc}"]
        return []
