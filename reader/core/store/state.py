"""Persistent reading state for one archive: read, starred, position,
preferences (sort, grouping), search history, last selection.

One JSON file per archive (:func:`~reader.core.store.identity.state_path`, in
:func:`~reader.core.store.identity.default_state_dir`).
Reads are in memory; :meth:`ReadingState.save` merges with the file on disk
and writes it atomically under a lock. A moved file keeps its marks, an
edited one keeps them but not its position; a damaged file is set aside.
The rules in full (identity, writes, merging, damage) are in
``docs/reading-state.md``; the file format is :mod:`reader.core.store.state_file`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from reader.core.articles.article import Article
from reader.core.articles.files import FileTooLarge, NotRegularFile, read_regular_file
from reader.core.articles.sanitize import sanitize_line
from reader.core.store.atomic import FileLock, LockTimeout, atomic_write_bytes, remove_stale_temps
from reader.core.store.identity import content_key, state_path
from reader.core.store.state_file import (
    MAX_FILE_BYTES,
    MAX_HISTORY,
    MAX_POSITION,
    MAX_QUERY_CHARS,
    PREFERENCES,
    Corrupt,
    Entry,
    Snapshot,
    capped_history,
    merge_entry,
    newest_entries,
    parse,
    serialise,
    valid_id,
)


def _now() -> float:
    """The clock used for ``updated`` (tests replace it)."""
    return time.time()


# --- the store -------------------------------------------------------------


class ReadingState:
    """The reading state of one archive, backed by one JSON file.

    Create it with :meth:`load`. Reads are in memory; :meth:`save` writes
    (merging with other instances). Not thread-safe: use it from one thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, Entry] = {}
        self._by_hash: dict[str, str] = {}
        self._history: dict[str, float] = {}
        self._last: tuple[str | None, float] | None = None
        self._prefs: dict[str, tuple[str, float]] = {}
        # Entries changed since the last sync, with their value at that sync.
        self._base: dict[str, Entry | None] = {}
        self._dirty = False
        self._disabled: str | None = None
        # The file as this instance last read or wrote it, and its stat then:
        # a save finds it unchanged and need not read it again to merge
        # (100k entries: 0.6 s of a 1.1 s save).
        self._synced: tuple[Snapshot, FileStamp] | None = None

    # -- loading ------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> tuple[ReadingState, list[str]]:
        """Read the state at ``path``; a missing file gives an empty state.

        Returns the state and one-line warnings (a damaged file is moved
        aside and the state starts empty; see the module docstring).
        """
        state = cls(path)
        warnings: list[str] = []
        try:
            before = file_stamp(path)
            snapshot = state._read_disk(warnings, locked=False)
            if before is not None and file_stamp(path) == before:  # not replaced meanwhile
                state._synced = (_copied(snapshot), before)
        except Corrupt:
            # Move aside only under the lock, after reading again: another
            # instance may have just replaced the file with a good one.
            try:
                with FileLock(path):
                    snapshot = state._read_disk(warnings, locked=True)
            except OSError as exc:
                state._disabled = f"cannot lock it ({exc.__class__.__name__})"
                warnings.append(state._message(f"{path} is damaged and {state._disabled}"))
                snapshot = Snapshot({}, {}, None)
        state._install(snapshot)
        if snapshot.dropped:
            warnings.append(state._message(f"{path}: ignored {snapshot.dropped} invalid entries"))
        return state, warnings

    def _read_disk(self, warnings: list[str], *, locked: bool) -> Snapshot:
        """The file's content, or an empty snapshot when missing.

        With ``locked`` (the caller holds the lock) a damaged file is moved
        aside and reported; without, :class:`Corrupt` is raised instead.
        """
        try:
            data = self._read_bytes()
            if data is None:
                return Snapshot({}, {}, None)
            return parse(data)
        except Corrupt as exc:
            reason = str(exc)
        except OSError as exc:
            reason = f"cannot be read ({exc.__class__.__name__})"
        if not locked:
            raise Corrupt(reason)
        self._move_aside(reason, warnings)
        return Snapshot({}, {}, None)

    def _read_bytes(self) -> bytes | None:
        # Never blocks: a FIFO in the file's place must not hang the reader.
        try:
            return read_regular_file(self.path, MAX_FILE_BYTES)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except NotRegularFile:
            raise Corrupt("not a regular file") from None
        except FileTooLarge:
            raise Corrupt("too large") from None

    def _move_aside(self, reason: str, warnings: list[str]) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        count = 1
        while target.exists() or target.is_symlink():
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{count}")
            count += 1
        try:
            os.replace(self.path, target)
        except OSError as exc:
            self._disabled = f"could not be moved aside ({exc.__class__.__name__})"
            warnings.append(
                self._message(
                    f"reading state {self.path} {reason} and {self._disabled}; "
                    "changes will not be saved"
                )
            )
            return
        warnings.append(
            self._message(
                f"reading state {self.path} was unusable ({reason}); "
                f"moved it to {target.name} and started afresh"
            )
        )

    def _install(self, snapshot: Snapshot) -> None:
        self._entries = snapshot.entries
        self._history = snapshot.history
        self._last = snapshot.last
        self._prefs = dict(snapshot.prefs)
        self._base = {}
        self._dirty = False
        self._by_hash = {}
        for key, entry in sorted(self._entries.items(), key=lambda item: item[1].updated):
            self._by_hash[entry.hash] = key

    @staticmethod
    def _message(text: str) -> str:
        return sanitize_line(text)

    # -- articles -------------------------------------------------------------

    def _lookup(self, article: Article) -> tuple[Entry | None, str]:
        key = content_key(article)
        entry = self._entries.get(article.id)
        if entry is None:
            other = self._by_hash.get(key)
            if other is not None:
                entry = self._entries.get(other)
        return entry, key

    def _update(
        self,
        article: Article,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        position: int | None = None,
    ) -> None:
        entry, key = self._lookup(article)
        current = self._entries.get(article.id)
        if entry is None:
            entry = Entry(hash=key)
        if entry.hash != key:
            entry = replace(entry, hash=key, position=None)
        new = replace(
            entry,
            read=entry.read if read is None else read,
            starred=entry.starred if starred is None else starred,
            position=entry.position if position is None else position,
        )
        if current is not None and replace(new, updated=current.updated) == current:
            return
        if article.id not in self._base:
            self._base[article.id] = current
        self._entries[article.id] = replace(new, updated=_now())
        self._by_hash[key] = article.id
        self._dirty = True

    def has_marks(self) -> bool:
        """Whether any article has anything remembered."""
        return bool(self._entries)

    def is_read(self, article: Article) -> bool:
        entry, _ = self._lookup(article)
        return entry is not None and entry.read

    def set_read(self, article: Article, read: bool = True) -> None:
        self._update(article, read=bool(read))

    def mark_keys(self) -> tuple[set[str], set[str]]:
        """What :meth:`marked` looks at, for finding the articles a read or
        starred entry can concern without going through them all: every
        article id with an entry, and the content key of each read or
        starred entry (both empty when nothing is read or starred)."""
        hot, hot_hashes = self._hot()
        return (set(self._entries) if hot else set()), hot_hashes

    def _hot(self) -> tuple[set[str], set[str]]:
        """The keys of the read or starred entries, and their content keys."""
        hot = {key for key, entry in self._entries.items() if entry.read or entry.starred}
        if not hot:
            return hot, set()
        return hot, {digest for digest, key in self._by_hash.items() if key in hot}

    def marked(self, articles: Iterable[Article]) -> tuple[set[str], set[str]]:
        """The ids of ``articles`` that are read and that are starred: the
        answers of :meth:`is_read` and :meth:`is_starred`, in one pass that
        looks up only the articles a read or starred entry can concern (a
        second start notes 100k articles against a few marks)."""
        entries = self._entries
        hot, hot_hashes = self._hot()
        read: set[str] = set()
        starred: set[str] = set()
        if not hot:
            return read, starred
        for article in articles:
            entry = entries.get(article.id)
            if entry is None:
                if not hot_hashes:
                    continue
                other = self._by_hash.get(content_key(article))
                if other is None or other not in hot:
                    continue
                entry = entries[other]
            if entry.read:
                read.add(article.id)
            if entry.starred:
                starred.add(article.id)
        return read, starred

    def is_starred(self, article: Article) -> bool:
        entry, _ = self._lookup(article)
        return entry is not None and entry.starred

    def set_starred(self, article: Article, starred: bool = True) -> None:
        self._update(article, starred=bool(starred))

    def position(self, article: Article) -> int | None:
        """The saved position, or None (never saved, or the text changed)."""
        entry, key = self._lookup(article)
        if entry is None or entry.hash != key:
            return None
        return entry.position

    def set_position(self, article: Article, position: int) -> None:
        """Remember a position (an int from 0 to 2**53; others raise ValueError)."""
        if isinstance(position, bool) or not isinstance(position, int):
            raise ValueError("position must be an int")
        if not 0 <= position <= MAX_POSITION:
            raise ValueError("position out of range")
        self._update(article, position=position)

    # -- archive-wide -------------------------------------------------------

    @property
    def history(self) -> list[str]:
        """Search queries, oldest first, most recent last."""
        return list(self._history)

    def remember_query(self, query: str) -> None:
        """Add a query to the history (moved to the end if already there)."""
        cleaned = sanitize_line(query.strip()[:MAX_QUERY_CHARS])
        if not cleaned.strip():
            return
        items = list(self._history)
        if items and items[-1] == cleaned:
            return
        self._history.pop(cleaned, None)
        self._history[cleaned] = max(_now(), max(self._history.values(), default=0.0))
        self._history = capped_history(self._history)
        self._dirty = True

    @property
    def last_selected(self) -> str | None:
        return None if self._last is None else self._last[0]

    def set_last_selected(self, article_id: str | None) -> None:
        if article_id is not None and not valid_id(article_id):
            raise ValueError("invalid article id")
        if self.last_selected == article_id:
            return
        self._last = (article_id, _now())
        self._dirty = True

    def preference(self, name: str) -> str | None:
        """An archive-wide preference (see :data:`PREFERENCES`), or None."""
        found = self._prefs.get(name)
        return None if found is None else found[0]

    def set_preference(self, name: str, value: str) -> None:
        """Remember a preference; a name or value not in :data:`PREFERENCES`
        raises ValueError."""
        if value not in PREFERENCES.get(name, ()):
            raise ValueError(f"no preference {name}={value}")
        if self.preference(name) == value:
            return
        self._prefs[name] = (value, _now())
        self._dirty = True

    # -- saving ---------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when there are changes :meth:`save` has not written yet."""
        return self._dirty

    def save(self) -> list[str]:
        """Merge with the file on disk and write it atomically.

        A no-op when nothing changed. Returns one-line warnings; on failure
        the changes stay in memory (still dirty) for the next attempt.
        """
        if not self._dirty:
            return []
        if self._disabled is not None:
            return [self._message(f"reading state {self.path} not saved: {self._disabled}")]
        warnings: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with FileLock(self.path):
                remove_stale_temps(self.path)
                synced, self._synced = self._synced, None
                if synced is not None and file_stamp(self.path) == synced[1]:
                    disk = synced[0]  # as this instance left it: no other wrote since
                else:
                    disk = self._read_disk(warnings, locked=True)
                if self._disabled is not None:
                    return warnings
                merged = self._merged(disk)
                atomic_write_bytes(self.path, serialise(merged))
                written = file_stamp(self.path)  # under the lock: ours
                if written is not None:
                    self._synced = (_copied(merged), written)
        except LockTimeout:
            warnings.append(self._message(f"reading state {self.path} is busy; not saved yet"))
            return warnings
        except OSError as exc:
            detail = exc.strerror or exc.__class__.__name__
            warnings.append(self._message(f"reading state {self.path} not saved: {detail}"))
            return warnings
        self._install(merged)
        return warnings

    def _merged(self, disk: Snapshot) -> Snapshot:
        # Entries this instance did not change: the disk has them as new or
        # newer; ours only fill in what the disk lost (a damaged file).
        entries = {**self._entries, **disk.entries}
        for key, base in self._base.items():
            ours = self._entries.get(key)
            if ours is not None:
                entries[key] = merge_entry(base, ours, entries.get(key))
        history = dict(disk.history)
        for query, when in self._history.items():
            history[query] = max(when, history.get(query, 0.0))
        last = disk.last
        if self._last is not None and (last is None or self._last[1] >= last[1]):
            last = self._last
        prefs = dict(disk.prefs)
        for name, (value, when) in self._prefs.items():
            if name not in prefs or when >= prefs[name][1]:
                prefs[name] = (value, when)
        return Snapshot(newest_entries(entries), capped_history(history), last, 0, prefs)


FileStamp = tuple[int, int, int, int, int]
"""(device, inode, size, mtime_ns, ctime_ns) of the state file: an atomic
write replaces the file (a new inode), and no program can set a ctime back."""


def file_stamp(path: Path) -> FileStamp | None:
    """The stat of the state file, or None when it cannot be stat-ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _copied(snapshot: Snapshot) -> Snapshot:
    """A snapshot whose dicts this instance will not change (entries are frozen)."""
    return replace(
        snapshot,
        entries=dict(snapshot.entries),
        history=dict(snapshot.history),
        prefs=dict(snapshot.prefs),
    )


def open_state(
    state_dir: Path, roots: Iterable[str | os.PathLike[str]]
) -> tuple[ReadingState, list[str]]:
    """Load the state of the archive made of ``roots`` (convenience)."""
    return ReadingState.load(state_path(state_dir, roots))


__all__ = ["MAX_HISTORY", "ReadingState", "open_state"]
