"""The stat walk of an archive, and what changed since the store last saw it.

:meth:`ArchiveRoots.scan` walks the roots like the loader
(:func:`reader.core.articles.loader.discover`) and stats every article file:
each :class:`ScannedFile` carries the loader's :class:`Candidate`, the
store's key for it (resolved root, path under it), its stat key
``(size, mtime_ns, ctime_ns)``, the position of its root among those given
and the article id prefix the loader would use. :func:`diff` compares a scan
with :meth:`ArchiveStore.stat_keys <reader.core.store.archive.ArchiveStore.stat_keys>`:
new, changed and removed files. A second start's reconcile compares its
walk with the store folder by folder instead, without a
:class:`ScannedFile` per unchanged file (:mod:`reader.core.store.folder_changes`).

The stat is taken *before* a file is read, so a file changed while it is
read is seen as changed next time. A file whose ctime is less than
:data:`RACY_NS` before the stat gets no stat key (``None``): changed again
within the same clock tick, its times might not move, so it is always read
again. Only the ctime counts: every change to a file (its content, its
times, its mode) sets the ctime to now, and no program can set it back, so
a file whose mtime was set in the future (unpacked from an archive made
with another clock) is trusted once its ctime is old: any later change
moves its ctime. (On POSIX systems; Windows' ``st_ctime`` is the creation
time.)
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from reader.core.articles.article import Problem
from reader.core.articles.loader import Candidate
from reader.core.articles.walk import walk_batches

FileKey = tuple[str, str]
"""(resolved root folder, path under it as found) of one file."""
StatKey = tuple[int, int, int]
"""(size, mtime_ns, ctime_ns) of one file: ctime also catches a ``chmod`` and
tools that put an old mtime back."""

#: Files modified this recently before their stat get no stat key.
RACY_NS = 2_000_000_000


class ScannedFile(NamedTuple):
    """One article file found by a walk (or named by live reload); a tuple,
    made once per file at every start."""

    candidate: Candidate
    key: FileKey
    stamp: StatKey | None
    """None when it could not be stat-ed or was changed just now (its ctime)."""
    rank: int
    """Position of its root among the roots given (orders the roots)."""
    prefix: str
    """The article id prefix (``"<root name>/"`` when there are several roots)."""


_Found = tuple[str, str, str, FileKey, StatKey | None, int, str]


def scanned_file(found: _Found) -> ScannedFile:
    path, root, relative, key, stamp, rank, prefix = found
    return ScannedFile(Candidate(path, root, relative), key, stamp, rank, prefix)


@dataclass(frozen=True, slots=True)
class Scan:
    """A walk's files in load order and its own problems (unreadable
    folders, broken links, skipped special files)."""

    files: list[ScannedFile]
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class Changes:
    """How a scan differs from what the store holds."""

    new: list[ScannedFile]
    changed: list[ScannedFile]
    removed: list[FileKey]
    unchanged: int

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.removed)


def stat_key(path: str, *, now_ns: int | None = None) -> StatKey | None:
    """``path``'s stat key, or None when it cannot be stat-ed or its ctime
    is less than :data:`RACY_NS` before ``now_ns`` (default now)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return _stamp(info, time.time_ns() if now_ns is None else now_ns)


def _stamp(info: os.stat_result, now: int) -> StatKey | None:
    if info.st_ctime_ns > now - RACY_NS:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class ArchiveRoots:
    """The roots of one archive, as given: walks them and describes files."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]]) -> None:
        self.roots: tuple[str, ...] = tuple(os.fspath(root) for root in roots)
        self._several = len(self.roots) > 1
        self._dir_rank: dict[str, int] = {}
        self._file_rank: dict[str, int] = {}
        for rank, root in enumerate(self.roots):
            if os.path.isdir(root):
                self._dir_rank.setdefault(root, rank)
            else:
                self._file_rank.setdefault(root, rank)
        self._resolved: dict[str, str] = {}

    @property
    def folders_only(self) -> bool:
        """True when every root is a folder (a walk can then be shared out
        by folder, and folder seals hold; see
        :func:`reader.core.store.folder_changes.changes_part`)."""
        return all(root in self._dir_rank for root in self.roots)

    def resolved(self, root: str) -> str:
        """``root`` resolved (symlinks, ``..``), remembered."""
        found = self._resolved.get(root)
        if found is None:
            found = self._resolved[root] = str(Path(root).resolve())
        return found

    def prefix(self, candidate: Candidate) -> str:
        """The id prefix the loader gives ``candidate``'s article."""
        return self._prefix(candidate.root)

    def _prefix(self, root: str) -> str:
        if not self._several:
            return ""
        return (os.path.basename(os.path.normpath(root)) or "root") + "/"

    def rank(self, candidate: Candidate) -> int:
        rank = self._dir_rank.get(candidate.root)
        if rank is None:
            rank = self._file_rank.get(candidate.path, len(self.roots))
        return rank

    def file(
        self, candidate: Candidate, *, rank: int | None = None, now_ns: int | None = None
    ) -> ScannedFile:
        """Describe one candidate (stat-ed now), e.g. for live reload."""
        return ScannedFile(
            candidate,
            (self.resolved(candidate.root), candidate.relative),
            stat_key(candidate.path, now_ns=now_ns),
            self.rank(candidate) if rank is None else rank,
            self.prefix(candidate),
        )

    def scan(self, racy_ns: int | None = None) -> Scan:
        """Walk every root: the article files in load order (a file reached
        twice through overlapping roots counts once) and the walk's problems.
        ``racy_ns``: :data:`RACY_NS` unless given (another process's value)."""
        problems: list[Problem] = []
        files = [scanned_file(f) for batch in self._files(racy_ns, problems) for f in batch]
        return Scan(files, problems)

    def _files(self, racy_ns: int | None, problems: list[Problem]) -> Iterator[list[_Found]]:
        """The walk, a folder at a time: (path, root, relative, key, stamp,
        rank, prefix) of each file, in load order, once each; the walk's
        problems go to ``problems``."""
        limit = time.time_ns() - (RACY_NS if racy_ns is None else racy_ns)
        seen: set[FileKey] = set()
        place = RootPlaces(self)
        for batch in walk_batches(self.roots):
            out: list[_Found] = []
            for found in batch:
                if isinstance(found, Problem):
                    problems.append(found)
                    continue
                path, root, relative, info = found
                rank, resolved, prefix = place(root, path)
                key = (resolved, relative)
                if key in seen:
                    continue
                seen.add(key)
                out.append((path, root, relative, key, stamp_at(info, limit), rank, prefix))
            yield out


def stamp_at(info: os.stat_result, limit: int) -> StatKey | None:
    ctime = info.st_ctime_ns
    return None if ctime > limit else (info.st_size, info.st_mtime_ns, ctime)


class RootPlaces:
    """Where the files of a walk's root belong: (rank of the root among
    those given, its resolved path, the id prefix), worked out once per root
    (the walk yields the roots in order)."""

    def __init__(self, roots: ArchiveRoots) -> None:
        self._roots = roots
        self._current = 0
        self._last: str | None = None  # a folder root: the same for all its files
        self._place = (0, "", "")

    def __call__(self, root: str, path: str) -> tuple[int, str, str]:
        if root is self._last:
            return self._place
        given = self._roots.roots
        rank = self._current
        while rank < len(given) and given[rank] not in (root, path):
            rank += 1
        if rank < len(given):
            self._current = rank
        roots = self._roots
        self._place = (rank, roots.resolved(root), roots._prefix(root))
        self._last = root if root in roots._dir_rank else None
        return self._place


def diff(stored: Mapping[FileKey, StatKey | None], scan: Scan) -> Changes:
    """New, changed (stat key differs, or either is unknown) and removed
    files of ``scan`` against the store's :meth:`stat_keys`."""
    new: list[ScannedFile] = []
    changed: list[ScannedFile] = []
    unchanged = 0
    for scanned in scan.files:
        if scanned.key not in stored:
            new.append(scanned)
        elif scanned.stamp is None or stored[scanned.key] != scanned.stamp:
            changed.append(scanned)
        else:
            unchanged += 1
    present = {scanned.key for scanned in scan.files}
    removed = sorted(key for key in stored if key not in present)
    return Changes(new, changed, removed, unchanged)
