"""Live-reload changes: what changed under the roots, and applying it.

:func:`scan` takes a snapshot of the article files under some roots (a
``(size, mtime_ns, inode)`` :data:`Signature` per file, found by the one
folder walk the loader uses), :func:`diff_states` turns two snapshots into a
:class:`ChangeSet`, and :func:`apply_changes` reloads what a change set names
into a :class:`~reader.core.session.library.Library`, one article at a time.

Paths are spelt as the loader spells them (``os.path.join(root, relative)``
with each root as given), so :func:`candidates_for` rebuilds the same article
ids as :func:`reader.core.articles.loader.iter_load`. The watcher that
produces change sets is :mod:`reader.core.session.watch`.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.articles.article import Problem
from reader.core.articles.loader import (
    DEFAULT_MAX_BYTES,
    Candidate,
    article_id,
    id_prefix,
    load_file,
)
from reader.core.articles.sanitize import display_path
from reader.core.articles.walk import in_hidden, is_article_name, walk_entries
from reader.core.session.library import Library

Signature = tuple[int, int, int]
"""``(size, mtime_ns, inode)`` of a regular file."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Files added, modified and removed since the previous report.

    Paths are ``os.path.join(root, relative)`` for one of ``roots`` (a file
    given as a root is its own path), as :func:`reader.core.articles.loader.discover`
    spells them.
    """

    added: frozenset[str] = frozenset()
    modified: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    roots: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def __len__(self) -> int:
        return len(self.added) + len(self.modified) + len(self.removed)


def diff_states(
    old: dict[str, Signature], new: dict[str, Signature], roots: tuple[str, ...] = ()
) -> ChangeSet:
    """The changes that turn state ``old`` into state ``new``."""
    added = frozenset(path for path in new if path not in old)
    removed = frozenset(path for path in old if path not in new)
    modified = frozenset(path for path, sig in new.items() if path in old and old[path] != sig)
    return ChangeSet(added, modified, removed, roots)


# Scanning ---------------------------------------------------------------------


def _signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def file_signature(path: str) -> Signature | None:
    """The signature of a regular file (symlinks followed), or None."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return _signature(info) if stat.S_ISREG(info.st_mode) else None


def scan(
    roots: Iterable[str], stop: threading.Event | None = None
) -> tuple[dict[str, Signature], set[str]]:
    """The article files under ``roots`` with their signatures, and the
    folders walked (both spelt from the roots as given). The files are those
    :func:`~reader.core.articles.loader.discover` finds: both walk with
    :func:`~reader.core.articles.walk.walk_entries`; its problems are the
    loader's to report, not the watcher's. Once ``stop`` is set, the scan
    ends at the next folder (what it found so far is returned)."""
    files: dict[str, Signature] = {}
    folders: set[str] = set()
    regular = stat.S_ISREG
    # The walk's own form, a folder of entries at a time (no object per
    # file): the live-reload watcher scans the whole archive when it
    # starts, in the app's process, while the archive loads.
    for item in walk_entries(roots, folders):
        if stop is not None and stop.is_set():
            break  # the app is closing: a scan of 100k files takes a second
        if isinstance(item, list):  # a root that is a file, or a problem
            for found in item:
                if not isinstance(found, Problem):
                    files[found[0]] = _signature(found[3])
            continue
        for entry in item[2]:
            try:
                info = entry.stat()
            except OSError:
                continue  # the loader reports it
            if regular(info.st_mode):
                files[entry.path] = _signature(info)
    return files, folders


# Applying changes -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Applied:
    """What :func:`apply_changes` did: article ids added, updated and
    removed, and the problems of the files it read."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def describe(self) -> str:
        """``"2 added, 1 removed"`` ("" when nothing changed)."""
        parts = [
            f"{len(ids):,} {word}"
            for ids, word in (
                (self.added, "added"),
                (self.updated, "changed"),
                (self.removed, "removed"),
            )
            if ids
        ]
        return ", ".join(parts)


def candidates_for(path: str, roots: tuple[str, ...]) -> list[tuple[Candidate, str]]:
    """The loader's candidate(s) and id prefix for a changed ``path`` (one
    per root that holds it, as :func:`reader.core.articles.loader.iter_load` would
    load it)."""
    several = len(roots) > 1
    found: list[tuple[Candidate, str]] = []
    for root in roots:
        if path == root:
            candidate = Candidate(root, os.path.dirname(root) or ".", os.path.basename(root))
        else:
            prefix_dir = os.path.join(root, "")
            if not path.startswith(prefix_dir):
                continue
            relative = path[len(prefix_dir) :]
            if not relative or in_hidden(relative):
                continue
            candidate = Candidate(path, root, relative)
        if not is_article_name(candidate.path):
            continue
        prefix = id_prefix(candidate.root, several)
        found.append((candidate, prefix))
    return found


def apply_changes(
    library: Library,
    changes: ChangeSet,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    default_lang: str | None = None,
) -> Applied:
    """Reload what ``changes`` names into ``library``, one article at a time.

    Removed files leave the library; added and modified files are read again
    with :func:`~reader.core.articles.loader.load_file` and added (analysed and
    indexed at once) or, when they no longer load, removed; a library over
    the archive store writes each file there too. The library's
    problems for these files are replaced by the new ones. Safe to call from
    a worker thread (the library locks each update).
    """
    roots = changes.roots
    added: list[str] = []
    updated: list[str] = []
    removed: list[str] = []
    problems: list[Problem] = []
    touched: set[str] = set()

    def forget(candidate: Candidate, prefix: str) -> None:
        article_key = article_id(candidate, prefix)
        if library.get(article_key) is not None:
            library.remove(article_key)
            removed.append(article_key)

    for path in sorted(changes.removed):
        for candidate, prefix in candidates_for(path, roots):
            touched.add(display_path(candidate.path))
            library.forget_file(candidate)
            forget(candidate, prefix)
    for path in sorted(changes.added | changes.modified):
        for candidate, prefix in candidates_for(path, roots):
            touched.add(display_path(candidate.path))
            article, found = load_file(
                candidate, max_bytes=max_bytes, id_prefix=prefix, default_lang=default_lang
            )
            problems.extend(found)
            library.record_file(candidate, article, found)
            if article is None:
                forget(candidate, prefix)
                continue
            existed = library.get(article.id) is not None
            library.add(article)
            (updated if existed else added).append(article.id)
    if touched:
        kept = [problem for problem in library.problems if problem.path not in touched]
        library.problems = kept + problems
    return Applied(tuple(added), tuple(updated), tuple(removed), tuple(problems))
