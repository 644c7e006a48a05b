"""The archive cache's file: the per-user key that signs it, the restricted
pickling of its payload, and the atomic write of its parts (see
:mod:`reader.core.store.cache` for what it holds and when it is valid)."""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import gc
import hashlib
import hmac
import io
import json
import os
import pickle
import secrets
import stat
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

import reader
from reader.core.articles.article import Article, EntityAnnotation, Problem
from reader.core.articles.loader import read_regular_file
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities
from reader.core.entities.model import Mention
from reader.core.store.atomic import fsync_dir, temp_prefix
from reader.core.store.state import archive_key

APP_NAME = "reader"
CACHE_DIR_ENV = "READER_CACHE_DIR"
FORMAT_VERSION = 1
MAGIC = b"reader-cache\n\x00"
_MAC_BYTES = 32
_LEN = struct.Struct("<Q")
_MAX_HEADER = 1 << 20


class Unusable(Exception):
    """The cache file cannot be used; the message is a short reason."""


@dataclass(frozen=True, slots=True)
class CacheReport:
    """What :meth:`reader.core.store.cache.ArchiveCache.load_library` did with the cache.

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


KEY_NAME = "key"
KEY_BYTES = 32


def reduce_dataclass(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """Pickle a frozen slotted dataclass as ``cls(*fields)`` (its
    ``__init__`` restores it faster than the generated ``__setstate__``)."""
    return type(obj), tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def reduce_lock(_lock: Any) -> tuple[Any, tuple[()]]:
    return threading.RLock, ()


DISPATCH: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
DISPATCH[type(threading.RLock())] = reduce_lock
for _cls in (Article, Mention, ArticleEntities, EntityAnnotation, Problem):
    DISPATCH[_cls] = reduce_dataclass


SAFE_GLOBALS = {
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


class RestrictedUnpickler(pickle.Unpickler):
    """Resolves only ``reader`` classes and a few standard containers."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_GLOBALS or (
            (module == "reader" or module.startswith("reader.")) and not name.startswith("__")
        ):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused global {module}.{name}")


def dumps(payload: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = DISPATCH
    pickler.dump(payload)
    return buffer.getvalue()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC passes while millions of objects are created (they are
    all alive; each pass would walk them for nothing)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def loads(data: memoryview) -> object:
    with gc_paused():
        return RestrictedUnpickler(io.BytesIO(data)).load()


# --- the secret key ------------------------------------------------------------


def read_key(path: Path) -> bytes | None:
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


def user_key(cache_dir: Path, *, create: bool) -> bytes | None:
    """The per-user secret, created (or replaced when unusable) if asked."""
    path = cache_dir / KEY_NAME
    key = read_key(path)
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
            key = read_key(path)
            if key is not None:
                return key
            os.replace(temp, path)  # the existing one is unusable: replace it
        fsync_dir(cache_dir)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return read_key(path)


# --- the cache -------------------------------------------------------------------


def atomic_write_parts(path: Path, parts: Iterable[bytes]) -> None:
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


def read_signed(
    path: Path, cache_dir: Path, expected: dict[str, Any]
) -> tuple[dict[str, Any], memoryview]:
    """The header and payload bytes of an authentic cache file whose format,
    code and settings are ``expected``'s, or :class:`Unusable`. Mostly I/O and
    hashing, which release the GIL: it runs during the stat walk."""
    key = user_key(cache_dir, create=False)
    try:
        fd = os.open(
            path,
            os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0),
        )
    except FileNotFoundError:
        raise Unusable("no cache yet") from None
    except OSError as exc:
        raise Unusable(f"cannot open: {exc.strerror or exc.__class__.__name__}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unusable("not a regular file")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Unusable(f"cannot read: {exc.strerror or exc.__class__.__name__}") from None
    finally:
        os.close(fd)
    if key is None:
        raise Unusable("no usable key")
    view = memoryview(data)
    start = len(MAGIC) + _MAC_BYTES + _LEN.size
    if len(data) < start or not data.startswith(MAGIC):
        raise Unusable("not a reader cache file")
    mac = view[len(MAGIC) : len(MAGIC) + _MAC_BYTES]
    if not hmac.compare_digest(hmac.digest(key, view[len(MAGIC) + _MAC_BYTES :], "sha256"), mac):
        raise Unusable("bad checksum")
    (header_len,) = _LEN.unpack_from(view, len(MAGIC) + _MAC_BYTES)
    if header_len > min(_MAX_HEADER, len(data) - start):
        raise Unusable("bad header")
    try:
        header = json.loads(bytes(view[start : start + header_len]))
    except ValueError:
        raise Unusable("bad header") from None
    if not isinstance(header, dict):
        raise Unusable("bad header")
    for name in ("format", "code", "settings"):
        if header.get(name) != expected[name]:
            raise Unusable(f"written by another {name}")
    return header, view[start + header_len :]


def signed_parts(key: bytes, header: bytes, payload: bytes) -> tuple[bytes, ...]:
    """The parts of a cache file: magic, HMAC of the rest, header length,
    header, payload."""
    length = _LEN.pack(len(header))
    mac = hmac.new(key, length, "sha256")
    mac.update(header)
    mac.update(payload)
    return (MAGIC, mac.digest(), length, header, payload)
