"""Finding and loading article files, safely.

* Paths are walked recursively in a deterministic order (names sorted at
  each level, directories after files); hidden entries are skipped; a
  directory reached twice (symlink cycles) is walked once.
* Only regular files are read. Every file is opened non-blocking and checked
  with ``fstat`` on the open descriptor, so a FIFO or device swapped in after
  the directory scan cannot block the loader.
* Each file costs at most one :class:`Problem`, a one-line reason naming it;
  a problem never stops the other files.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reader.core.articles.article import Article, Problem
from reader.core.articles.decode import decode_bytes
from reader.core.articles.parse import SUFFIX_FORMATS, FileInfo, ParseError, parse_article
from reader.core.articles.sanitize import display_path, normalise_newlines, sanitize_line

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_SUFFIXES = ", ".join(sorted(SUFFIX_FORMATS))
_BINARY_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file found under a root, not yet read."""

    path: str
    root: str
    relative: str


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    if exc.errno == errno.ENOENT:
        return "not found (broken link or removed)"
    return f"cannot read: {exc.strerror or exc.__class__.__name__}"


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Candidate | Problem]:
    """Yield every article file under ``paths`` (and a Problem for each
    entry that cannot be used), in a deterministic order."""
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        root = os.fspath(given)
        try:
            info = os.stat(root)
        except OSError as exc:
            yield Problem(display_path(root), _reason(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(root, seen_dirs)
        elif stat.S_ISREG(info.st_mode):
            if os.path.splitext(root)[1].lower() not in SUFFIX_FORMATS:
                yield Problem(display_path(root), f"skipped: not an article file ({_SUFFIXES})")
                continue
            parent = os.path.dirname(root) or "."
            yield Candidate(root, parent, os.path.basename(root))
        else:
            yield Problem(display_path(root), f"skipped: {_kind(info.st_mode)}")


def _walk(root: str, seen: set[tuple[int, int]]) -> Iterator[Candidate | Problem]:
    # Paths under root all start with it (scandir joins names onto it), so
    # the relative path is a slice; os.path.relpath costs ~6 µs a file.
    prefix = len(os.path.join(root, ""))
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            yield Problem(display_path(directory), _reason(exc))
            continue
        subdirs: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(entry.path)
                continue
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix not in SUFFIX_FORMATS:
                continue
            try:
                mode = os.stat(entry.path).st_mode
            except OSError as exc:
                yield Problem(display_path(entry.path), _reason(exc))
                continue
            if not stat.S_ISREG(mode):
                yield Problem(display_path(entry.path), f"skipped: {_kind(mode)}")
                continue
            yield Candidate(entry.path, root, entry.path[prefix:])
        stack.extend(reversed(subdirs))


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` of a regular file, never blocking on a FIFO
    or a device (for settings and gazetteer files). Raises OSError, or
    ValueError when the path is not a regular file or is larger."""
    data, _, _, truncated = _read_capped(os.fspath(path), max_bytes)
    if truncated:
        raise ValueError(f"larger than {max_bytes // 1024} KB")
    return data


def _read_capped(path: str, max_bytes: int) -> tuple[bytes, int, float, bool]:
    """Read at most ``max_bytes`` from a regular file without ever blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(f"skipped: {_kind(info.st_mode)}")  # ParseError is a ValueError
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    truncated = len(data) > max_bytes
    return data[:max_bytes], info.st_size, info.st_mtime, truncated


def _trim_partial_utf8(data: bytes) -> bytes:
    """Drop an incomplete UTF-8 sequence left at the end by truncation."""
    for cut in range(1, 4):
        if len(data) < cut:
            break
        byte = data[-cut]
        if byte & 0xC0 == 0x80:
            continue
        if byte >= 0xC0:
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if need > cut:
                return data[:-cut]
        break
    return data


def _looks_binary(head: bytes) -> bool:
    """Many NUL bytes (outside a UTF-16/32 file) mean binary data; a stray
    NUL in text is shown as a placeholder instead."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False
    return head.count(0) > max(8, len(head) // 100)


def id_prefix(root: str, several: bool) -> str:
    """The prefix of the ids of a root's articles: none for a single root,
    else the root folder's name and ``/`` (``articles/x.md``)."""
    if not several:
        return ""
    return (os.path.basename(os.path.normpath(root)) or "root") + "/"


def article_id(candidate: Candidate, prefix: str = "") -> str:
    """The stable id of an article: its path relative to its root, with
    ``/`` separators, made printable (and prefixed when several roots)."""
    relative = Path(candidate.relative).as_posix()
    return display_path(prefix + relative)


def load_file(
    candidate: Candidate,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    id_prefix: str = "",
    default_lang: str | None = None,
) -> tuple[Article | None, list[Problem]]:
    """Load one file: the article (or None) and its problems."""
    shown = display_path(candidate.path)
    fmt = SUFFIX_FORMATS[os.path.splitext(candidate.path)[1].lower()]
    try:
        data, size, mtime, truncated = _read_capped(candidate.path, max_bytes)
    except ParseError as exc:
        return None, [Problem(shown, str(exc))]
    except OSError as exc:
        return None, [Problem(shown, _reason(exc))]
    if truncated:
        data = _trim_partial_utf8(data)
    if not data.strip():
        return None, [Problem(shown, "empty file")]
    head = data[:_BINARY_SNIFF]
    if _looks_binary(head):
        return None, [Problem(shown, "binary file (NUL bytes); skipped")]
    decoded = decode_bytes(data)
    info = FileInfo(
        id=article_id(candidate, id_prefix),
        path=shown,
        name=display_path(os.path.basename(candidate.path)),
        size=size,
        mtime=mtime,
        truncated=truncated,
        default_lang=default_lang,
    )
    try:
        article = parse_article(normalise_newlines(decoded.text), fmt, info)
    except ParseError as exc:
        return None, [Problem(shown, sanitize_line(str(exc)))]
    except RecursionError:
        return None, [Problem(shown, "structure nested too deeply")]
    except Exception as exc:
        return None, [Problem(shown, f"could not parse: {exc.__class__.__name__}")]
    problems = [Problem(shown, sanitize_line(message)) for message in info.warnings]
    if decoded.replaced:
        problems.append(Problem(shown, f"some bytes were not valid {decoded.encoding}"))
    if truncated:
        problems.append(Problem(shown, f"larger than {max_bytes // 1024} KB; truncated"))
    return article, problems


def iter_load(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    default_lang: str | None = None,
) -> Iterator[Article | Problem]:
    """Yield articles and problems as files are read (for progressive UIs)."""
    path_list = [os.fspath(path) for path in paths]
    several = len(path_list) > 1
    seen: dict[str, int] = {}
    for item in discover(path_list):
        if isinstance(item, Problem):
            yield item
            continue
        prefix = id_prefix(item.root, several)
        article, problems = load_file(
            item, max_bytes=max_bytes, id_prefix=prefix, default_lang=default_lang
        )
        yield from problems
        if article is not None:
            # Two files never share an id: a later one gets "#2", "#3"...
            count = seen.get(article.id, 0) + 1
            seen[article.id] = count
            if count > 1:
                article = replace(article, id=f"{article.id}#{count}")
            yield article


def load_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    default_lang: str | None = None,
) -> tuple[list[Article], list[Problem]]:
    """Load every article under ``paths``: the articles and the problems.

    Two articles never share an id (see :func:`iter_load`).
    """
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in iter_load(paths, max_bytes=max_bytes, default_lang=default_lang):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            articles.append(item)
    return articles, problems
