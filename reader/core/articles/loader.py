"""Loading article files, safely.

* The files are those the walk finds (:mod:`reader.core.articles.walk`: names
  sorted, hidden entries skipped, symlink loops walked once).
* Only regular files are read, through the one capped, non-blocking read
  (:mod:`reader.core.articles.files`), so a FIFO or device swapped in after
  the directory scan cannot block the loader.
* Each file costs at most one :class:`Problem`, a one-line reason naming it;
  a problem never stops the other files.

``Candidate`` and ``read_regular_file`` are re-exported here for the
callers that import them from the loader.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from reader.core.articles.article import Article, Problem
from reader.core.articles.decode import decode_bytes
from reader.core.articles.files import NotRegularFile, os_error_reason, read_capped
from reader.core.articles.files import read_regular_file as read_regular_file
from reader.core.articles.parse import SUFFIX_FORMATS, FileInfo, ParseError, parse_article
from reader.core.articles.sanitize import display_path, normalise_newlines, sanitize_line
from reader.core.articles.walk import Candidate as Candidate
from reader.core.articles.walk import walk_articles

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
_BINARY_SNIFF = 8192


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Candidate | Problem]:
    """Yield every article file under ``paths`` (and a Problem for each
    entry that cannot be used), in the walk's deterministic order (see
    :mod:`reader.core.articles.walk`)."""
    for item in walk_articles(paths):
        yield item if isinstance(item, Problem) else item.candidate


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
        read = read_capped(candidate.path, max_bytes)
    except NotRegularFile as exc:
        return None, [Problem(shown, str(exc))]
    except OSError as exc:
        return None, [Problem(shown, os_error_reason(exc))]
    data, size, mtime, truncated = read.data, read.size, read.mtime, read.truncated
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
