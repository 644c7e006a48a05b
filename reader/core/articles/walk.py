"""The folder walk: which files under the given roots are articles.

One walk, with one set of rules, for the loader
(:func:`~reader.core.articles.loader.discover`) and for live reload
(:func:`~reader.core.session.changes.scan`):

* names are sorted at each level; a folder's files come before its
  subfolders, which are walked depth first in name order;
* hidden entries (a name starting with ``.``) are skipped, at any depth;
* only article suffixes count (:data:`ARTICLE_SUFFIXES`, any case);
* symlinks are followed, and a folder reached twice (a symlink loop,
  overlapping roots) is walked once: the first spelling wins;
* a root may itself be a file.

Whatever cannot be used (a missing root, an unreadable folder, a broken link,
a FIFO with an article's name) is a :class:`Problem`; the walk goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import NamedTuple

from reader.core.articles.article import Problem
from reader.core.articles.files import file_kind, os_error_reason
from reader.core.articles.parse import SUFFIX_FORMATS
from reader.core.articles.sanitize import display_path

#: File suffixes of articles (lower case, with the dot).
ARTICLE_SUFFIXES = frozenset(SUFFIX_FORMATS)

_SUFFIXES = ", ".join(sorted(SUFFIX_FORMATS))


class Candidate(NamedTuple):
    """A file found under a root, not yet read (a tuple: a walk makes one
    per file, 100k at a start)."""

    path: str
    root: str
    relative: str


class Found(NamedTuple):
    """An article file the walk found, with its ``stat`` (links followed)."""

    candidate: Candidate
    info: os.stat_result


def is_hidden(name: str) -> bool:
    """True for a hidden entry's name."""
    return name.startswith(".")


def in_hidden(relative: str) -> bool:
    """True when a path relative to a root goes through a hidden entry."""
    return any(is_hidden(part) for part in relative.split(os.sep))


def is_article_name(name: str) -> bool:
    """True when a file name (or path) has an article suffix (as
    ``os.path.splitext`` sees it: leading dots are not a suffix)."""
    base = name[name.rfind(os.sep) + 1 :]
    dot = base.rfind(".")
    if dot <= 0 or not base[:dot].strip("."):
        return False
    return base[dot:].lower() in ARTICLE_SUFFIXES


def walk_articles(
    roots: Iterable[str | os.PathLike[str]], folders: set[str] | None = None
) -> Iterator[Found | Problem]:
    """Every article file under ``roots``, and a Problem for each entry that
    cannot be used, in a deterministic order. Paths are spelt
    ``os.path.join(root, relative)`` with each root as given. The folders
    walked are added to ``folders`` when it is given."""
    for batch in walk_batches(roots, folders):
        for item in batch:
            if isinstance(item, Problem):
                yield item
            else:
                yield Found(Candidate(item[0], item[1], item[2]), item[3])


FoundFile = tuple[str, str, str, os.stat_result]
"""(path, root, path relative to the root, stat) of one article file."""

Entries = tuple[str, int, list[os.DirEntry[str]]]
"""One folder's article entries, not yet stat-ed: (root, length of the root
prefix of their paths, the entries in name order)."""


def walk_batches(
    roots: Iterable[str | os.PathLike[str]], folders: set[str] | None = None
) -> Iterator[list[FoundFile | Problem]]:
    """:func:`walk_articles` a folder at a time, as plain tuples (no object
    per file but the tuple and its stat): the form of a stat walk of 100k
    files, whose cost is the Python work per file."""
    for item in walk_entries(roots, folders):
        if isinstance(item, list):
            yield item
            continue
        root, prefix, entries = item
        batch: list[FoundFile | Problem] = []
        add = batch.append
        for entry in entries:
            path = entry.path
            try:
                found = entry.stat()
            except OSError as exc:
                add(Problem(display_path(path), os_error_reason(exc)))
                continue
            if stat.S_ISREG(found.st_mode):
                add((path, root, path[prefix:], found))
            else:
                add(not_a_file(path, found))
        if batch:
            yield batch


def not_a_file(path: str, info: os.stat_result) -> Problem:
    """The problem of an article name that is not a regular file."""
    return Problem(display_path(path), f"skipped: {file_kind(info.st_mode)}")


def walk_entries(
    roots: Iterable[str | os.PathLike[str]], folders: set[str] | None = None
) -> Iterator[Entries | list[FoundFile | Problem]]:
    """The walk before its stats: each folder's article entries
    (:data:`Entries`, a tuple), and a root that is a file or a problem as a
    batch of one (a list). A stat walk that compares the stats with
    remembered ones (:meth:`reader.core.store.scan.ArchiveRoots.changes`)
    takes the entries and stats them itself."""
    seen: set[tuple[int, int]] = set()
    walked: set[str] = set() if folders is None else folders
    for given in roots:
        root = os.fspath(given)
        try:
            info = os.stat(root)
        except OSError as exc:
            yield [Problem(display_path(root), os_error_reason(exc))]
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(root, seen, walked)
        elif stat.S_ISREG(info.st_mode):
            if not is_article_name(root):
                reason = f"skipped: not an article file ({_SUFFIXES})"
                yield [Problem(display_path(root), reason)]
                continue
            yield [(root, os.path.dirname(root) or ".", os.path.basename(root), info)]
        else:
            yield [not_a_file(root, info)]


_BY_NAME = attrgetter("name")


def _walk_folder(
    root: str, seen: set[tuple[int, int]], folders: set[str]
) -> Iterator[Entries | list[FoundFile | Problem]]:
    # Paths under root all start with it (scandir joins names onto it), so
    # the relative path is a slice; os.path.relpath costs ~6 µs a file.
    # The name tests are inlined (a call each costs a walk of 100k files
    # ~0.1 s): a name that is not hidden starts with something other than a
    # dot, so is_article_name reduces to its suffix test here.
    prefix = len(os.path.join(root, ""))
    suffixes = ARTICLE_SUFFIXES
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            folders.add(directory)
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=_BY_NAME)
        except OSError as exc:
            yield [Problem(display_path(directory), os_error_reason(exc))]
            continue
        subfolders: list[str] = []
        files: list[os.DirEntry[str]] = []
        add = files.append
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry.path)
                continue
            dot = name.rfind(".")
            if dot <= 0 or name[dot:].lower() not in suffixes:
                continue
            add(entry)
        if files:
            yield (root, prefix, files)
        # Depth first in name order: when a folder is reached twice, the
        # same spelling wins every time.
        stack.extend(reversed(subfolders))
