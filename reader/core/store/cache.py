"""A persistent cache of an archive's parsed articles, entities and search index.

A second start of a large archive skips reading, parsing, entity recognition
and indexing for every file that did not change.

Where
    One file per archive in :func:`default_cache_dir` (the platform's user
    cache directory for ``reader``, or ``$READER_CACHE_DIR``), named from a
    hash of the archive's resolved root folders
    (:func:`reader.core.store.state.archive_key`): ``archive-<hash>.cache``. The
    directory also holds ``key``, a random 32-byte secret (mode 0600, owned by
    the user) used to authenticate cache files.

Validity
    Every entry is keyed by (resolved root, path relative to it) and checked
    against the file's current (size, mtime_ns, ctime_ns) from a stat walk
    (:func:`reader.core.articles.loader.discover` plus ``os.stat``): ctime also
    catches a ``chmod`` and tools that put an old mtime back. Unchanged files
    reuse their cached article and load problems; changed and new files are
    read again; removed ones are dropped. A file modified less than
    :data:`RACY_NS` before the walk is never cached (its mtime may not tick
    again if it changes within the same clock step).

    The header records the cache format, the code version (the package
    version plus a hash of the ``reader.core`` sources, so a changed parser
    or index layout never meets data written by other code), the load
    settings (size cap, default language) and the recogniser id. Another
    code version or other settings discard everything; another recogniser
    keeps the articles but recognises and indexes again. The saved entities
    and search index are reused as they are only when every file is
    unchanged; otherwise the saved ones are updated in place (removed and
    changed articles dropped, new ones analysed), which equals a rebuild.

Format and safety
    ``MAGIC | HMAC-SHA256 (32 bytes) | header length (8 bytes) | header
    (JSON) | payload (pickle)``; the HMAC, keyed by the per-user secret,
    covers everything after it. Pickle is used because it is the only format
    that restores the object graph (articles shared by the article list, the
    catalogue and the index) fast enough: building 100k articles, their
    entities and the index from marshal/json data costs several seconds of
    Python-level work per start. Pickle runs code on load, so a file is
    unpickled only after its HMAC verifies, which only this user's reader can
    produce (the key never leaves the 0600 file); on top of that, the
    unpickler only resolves classes from ``reader`` and a short list of
    standard containers. A truncated, damaged, foreign or unreadable file,
    or a directory in its place, fails these checks: it is ignored (the
    report says why), never trusted in part, and replaced by the next
    :meth:`ArchiveCache.save`.

Writes
    :meth:`ArchiveCache.save` takes ``<file>.lock`` without waiting (the
    loser of two instances simply does not write), writes a temporary file,
    fsyncs it and renames it over the old one (the conventions of
    :mod:`reader.core.store.atomic`), so readers see the old or the new complete
    file. A save after a load that reused everything is a no-op.

The search index is pickled as an object: :class:`~reader.core.search.SearchIndex`
may define ``__getstate__``/``__setstate__`` to control what is stored
(dropping transient caches); its lock is recreated by the pickler otherwise.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import hashlib
import hmac
import io
import json
import operator
import os
import pickle
import secrets
import stat
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

import reader
from reader.core.articles.article import Article, EntityAnnotation, Problem
from reader.core.articles.loader import (
    DEFAULT_MAX_BYTES,
    Candidate,
    article_id,
    discover,
    id_prefix,
    load_file,
    read_regular_file,
)
from reader.core.articles.sanitize import display_path
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities, Catalogue
from reader.core.entities.model import Mention
from reader.core.search import SearchIndex
from reader.core.search import index as search_index_module
from reader.core.session.library import Library, Progress
from reader.core.store.atomic import (
    FileLock,
    LockTimeout,
    fsync_dir,
    remove_stale_temps,
    temp_prefix,
)
from reader.core.store.state import archive_key

APP_NAME = "reader"
CACHE_DIR_ENV = "READER_CACHE_DIR"
FORMAT_VERSION = 1
MAGIC = b"reader-cache\n\x00"
KEY_NAME = "key"
KEY_BYTES = 32
#: Files modified this recently before the stat walk are not cached.
RACY_NS = 2_000_000_000
_MAC_BYTES = 32
_LEN = struct.Struct("<Q")
_MAX_HEADER = 1 << 20

StatKey = tuple[int, int, int]
EntryKey = tuple[str, str]
#: (size, mtime_ns, ctime_ns, article or None, the file's load problems,
#: id prefix, the article's id before de-duplication)
Entry = tuple[int, int, int, Article | None, tuple[Problem, ...], str, str]


def default_cache_dir() -> Path:
    """``$READER_CACHE_DIR`` when set, else the user cache directory."""
    override = os.environ.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def cache_path(cache_dir: Path, roots: Iterable[str | os.PathLike[str]]) -> Path:
    """The cache file of the archive made of ``roots``, inside ``cache_dir``."""
    return cache_dir / f"archive-{archive_key(roots)}.cache"


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version and a hash of every file of ``reader.core``."""
    digest = hashlib.blake2b(digest_size=16)
    base = Path(__file__).resolve().parent.parent  # all of reader.core
    try:
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(path.relative_to(base).as_posix().encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    except OSError:
        digest.update(b"unreadable sources")
    return f"{reader.__version__}+{digest.hexdigest()}"


def recogniser_id(
    recogniser: Recogniser | None,
    *,
    gazetteer: str | os.PathLike[str] | None = None,
    options: str = "",
) -> str:
    """An id for the entity results a recogniser produces.

    ``recogniser`` None means the library default. ``gazetteer`` (the user
    gazetteer file, if any) is hashed by content; ``options`` carries any
    other setting that changes the results (e.g. ``"demonyms=False"``).
    """
    name = "default" if recogniser is None else f"{recogniser.name}:{recogniser.version}"
    parts = [name, options]
    if gazetteer is not None:
        try:
            data = read_regular_file(gazetteer, 4 * 1024 * 1024)
            parts.append(hashlib.blake2b(data, digest_size=16).hexdigest())
        except (OSError, ValueError):
            parts.append("unreadable-gazetteer")
    return "|".join(parts)


@dataclass(frozen=True, slots=True)
class CacheReport:
    """What :meth:`ArchiveCache.load_library` did with the cache.

    ``reason`` says why the cache was not (fully) used: ``""`` when it was,
    else e.g. ``"no cache yet"`` or ``"ignored: bad checksum"``.
    """

    path: Path
    used: bool
    reason: str
    reused: int = 0
    reread: int = 0
    dropped: int = 0
    entities_reused: bool = False
    index_reused: bool = False
    warnings: tuple[str, ...] = ()


# --- serialisation -----------------------------------------------------------


def _reduce_dataclass(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """Pickle a frozen slotted dataclass as ``cls(*fields)`` (its
    ``__init__`` restores it faster than the generated ``__setstate__``)."""
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def _reduce_lock(_lock: Any) -> tuple[Any, tuple[()]]:
    return threading.RLock, ()


_DISPATCH: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
_DISPATCH[type(threading.RLock())] = _reduce_lock
for _cls in (Article, Mention, ArticleEntities, EntityAnnotation, Problem):
    _DISPATCH[_cls] = _reduce_dataclass


def _reduce_keymap(keymap: Any) -> tuple[Any, tuple[str, bool]]:
    """The index's raw token → term id maps are transient caches (the index
    clears them itself after a build): saved empty."""
    return type(keymap), (keymap.lang, keymap.names)


_KEYMAP = getattr(search_index_module, "_KeyMap", None)
if isinstance(_KEYMAP, type) and {"lang", "names"} <= set(getattr(_KEYMAP, "__slots__", ())):
    _DISPATCH[_KEYMAP] = _reduce_keymap

_SAFE_GLOBALS = {
    ("builtins", name)
    for name in ("set", "frozenset", "dict", "list", "tuple", "bytes", "bytearray", "str")
    + ("int", "float", "complex", "bool", "object", "slice", "range")
} | {
    ("array", "array"),
    ("array", "_array_reconstructor"),
    ("collections", "Counter"),
    ("collections", "OrderedDict"),
    ("collections", "deque"),
    ("collections", "defaultdict"),
    ("copyreg", "_reconstructor"),
    ("threading", "RLock"),
}


class _Unpickler(pickle.Unpickler):
    """Resolves only ``reader`` classes and a few standard containers."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS or (
            (module == "reader" or module.startswith("reader.")) and not name.startswith("__")
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def _dumps(payload: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(payload)
    return buffer.getvalue()


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic GC passes while millions of objects are created (they are
    all alive; each pass would walk them for nothing)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _loads(data: memoryview) -> object:
    with _gc_paused():
        return _Unpickler(io.BytesIO(data)).load()


# --- the secret key ------------------------------------------------------------


def _read_key(path: Path) -> bytes | None:
    """The key if the file is a private regular file of this user."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o077
            or info.st_size != KEY_BYTES
        ):
            return None
        data = os.read(fd, KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == KEY_BYTES else None


def _user_key(cache_dir: Path, *, create: bool) -> bytes | None:
    """The per-user secret, created (or replaced when unusable) if asked."""
    path = cache_dir / KEY_NAME
    key = _read_key(path)
    if key is not None or not create:
        return key
    cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # atomic, and never replaces a key another instance made
        except FileExistsError:
            key = _read_key(path)
            if key is not None:
                return key
            os.replace(temp, path)  # the existing one is unusable: replace it
        fsync_dir(cache_dir)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return _read_key(path)


# --- the cache -------------------------------------------------------------------


@dataclass(slots=True)
class _Snapshot:
    header: dict[str, Any]
    entries: dict[EntryKey, Entry]
    ids: list[str]
    catalogue: Catalogue | None
    index: SearchIndex | None


class _Unusable(Exception):
    """The cache file cannot be used; the message says why."""


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
        by this code with these settings, or :class:`_Unusable`. Mostly I/O
        and hashing, which release the GIL: it runs during the stat walk."""
        key = _user_key(self.cache_dir, create=False)
        try:
            fd = os.open(
                self.path,
                os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
            )
        except FileNotFoundError:
            raise _Unusable("no cache yet") from None
        except OSError as exc:
            raise _Unusable(f"cannot open: {exc.strerror or exc.__class__.__name__}") from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _Unusable("not a regular file")
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise _Unusable(f"cannot read: {exc.strerror or exc.__class__.__name__}") from None
        finally:
            os.close(fd)
        if key is None:
            raise _Unusable("no usable key")
        view = memoryview(data)
        start = len(MAGIC) + _MAC_BYTES + _LEN.size
        if len(data) < start or not data.startswith(MAGIC):
            raise _Unusable("not a reader cache file")
        mac = view[len(MAGIC) : len(MAGIC) + _MAC_BYTES]
        if not hmac.compare_digest(
            hmac.digest(key, view[len(MAGIC) + _MAC_BYTES :], "sha256"), mac
        ):
            raise _Unusable("bad checksum")
        (header_len,) = _LEN.unpack_from(view, len(MAGIC) + _MAC_BYTES)
        if header_len > min(_MAX_HEADER, len(data) - start):
            raise _Unusable("bad header")
        try:
            header = json.loads(bytes(view[start : start + header_len]))
        except ValueError:
            raise _Unusable("bad header") from None
        if not isinstance(header, dict):
            raise _Unusable("bad header")
        expected = self._header_base(settings)
        for name in ("format", "code", "settings"):
            if header.get(name) != expected[name]:
                raise _Unusable(f"written by another {name}")
        return header, view[start + header_len :]

    @staticmethod
    def _decode(header: dict[str, Any], payload_bytes: memoryview) -> _Snapshot:
        """Unpickle a verified payload, or :class:`_Unusable`."""
        try:
            payload = _loads(payload_bytes)
        except Exception as exc:  # an authenticated file that still fails: never trust it
            raise _Unusable(f"cannot decode ({exc.__class__.__name__})") from None
        finally:
            payload_bytes.release()
        if not isinstance(payload, dict):
            raise _Unusable("bad payload")
        entries, ids = payload.get("entries"), payload.get("ids")
        catalogue, index = payload.get("catalogue"), payload.get("index")
        if (
            not isinstance(entries, dict)
            or not isinstance(ids, list)
            or not isinstance(catalogue, Catalogue | None)
            or not isinstance(index, SearchIndex | None)
        ):
            raise _Unusable("bad payload")
        return _Snapshot(header, entries, ids, catalogue, index)

    def _read(self, settings: dict[str, Any]) -> _Snapshot:
        """The verified, decoded snapshot, or :class:`_Unusable`."""
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
        with _gc_paused():  # millions of objects are made, none is garbage
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
        verified: list[tuple[dict[str, Any], memoryview] | _Unusable] = []

        def verify() -> None:
            try:
                verified.append(self._verified(settings))
            except _Unusable as exc:
                verified.append(exc)
            except Exception as exc:  # never let the cache break a start
                verified.append(_Unusable(f"cannot read ({exc.__class__.__name__})"))

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
            if isinstance(outcome, _Unusable):
                raise outcome
            snapshot = self._decode(*outcome)
        except _Unusable as exc:
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
        index = snapshot.index if snapshot is not None and same_recogniser else None
        entities_reused = index_reused = False
        if snapshot is not None and catalogue is not None and index is not None:
            entities_reused = True
            if (
                not reread
                and not moved
                and not dropped
                and len(unchanged) == len(articles) == len(index)
                and snapshot.ids == [a.id for a in articles]
            ):
                index_reused = True
            else:
                self._update(catalogue, index, snapshot.ids, unchanged, moved)
            library.catalogue = catalogue
            library.index = index
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
        index: SearchIndex,
        old_ids: list[str],
        unchanged: set[str],
        moved: list[tuple[Article, str]],
    ) -> None:
        """Bring the saved catalogue and index to the current articles: drop
        every article not unchanged, then re-add the moved ones with their
        saved entities (the rest is left to :meth:`Library.analyse`)."""
        saved = {old: catalogue.get(old) for _article, old in moved}
        for old in old_ids:
            if old not in unchanged:
                catalogue.remove(old)
                if old in index:
                    index.remove(old)
        for article, old in moved:
            entities = saved.get(old)
            if entities is not None:
                catalogue.add(article.id, entities)
                index.add(article, entities=entities.search_fields())

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
        are read again next time. The entities and index are saved only when
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
                "index": library.index if analysed else None,
            }
            try:
                data = _dumps(payload)
            except Exception as exc:  # an unpicklable index is a bug, not a crash
                return [f"cache: cannot serialise ({exc.__class__.__name__}: {exc})"]
        header = self._header_base(loaded.settings)
        header["written"] = time.time()
        header["entries"] = len(entries)
        header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
        return self._write(header_bytes, data)

    def _write(self, header: bytes, payload: bytes) -> list[str]:
        try:
            key = _user_key(self.cache_dir, create=True)
        except OSError as exc:
            return [f"cache: cannot create the key in {self.cache_dir}: {exc.strerror or exc}"]
        if key is None:
            return [f"cache: no usable key in {self.cache_dir}; not saved"]
        length = _LEN.pack(len(header))
        mac = hmac.new(key, length, "sha256")
        mac.update(header)
        mac.update(payload)
        try:
            with FileLock(self.path, timeout=0.0):
                remove_stale_temps(self.path)
                if self.path.is_dir() and not self.path.is_symlink():
                    os.replace(
                        self.path, self.path.with_name(f"{self.path.name}.broken-{time.time_ns()}")
                    )
                _atomic_write_parts(self.path, (MAGIC, mac.digest(), length, header, payload))
        except LockTimeout:
            return ["cache: another instance is writing the cache; not saved"]
        except OSError as exc:
            return [f"cache: cannot write {self.path}: {exc.strerror or exc}"]
        return []


def _atomic_write_parts(path: Path, parts: Iterable[bytes]) -> None:
    """:func:`reader.core.store.atomic.atomic_write_bytes` for data in several
    parts (no copy of a large payload into one buffer)."""
    directory = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    fsync_dir(directory)
