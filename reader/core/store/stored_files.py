"""The stored files as a stat walk compares with them: by folder, read lazily.

:class:`StoredFiles` answers the three questions of
:func:`reader.core.store.folder_changes.changes_part`: which folders hold
stored files, each folder's :mod:`seal <reader.core.store.seals>`, and, only
for a folder whose seal did not match, its files' stat keys. Made from a
mapping (tests, callers that hold every stat key) or read from a store
file (:class:`StoreFolders`: the seals at once, a folder's keys by one range
query when asked), so a second start whose folders are unchanged reads a
few hundred rows instead of 100k.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from reader.core.store.folders import folder_rows, read_folders
from reader.core.store.scan import FileKey, StatKey
from reader.core.store.schema import connect
from reader.core.store.seals import FolderKey, Seal, folder_key, seal_of

FolderKeys = dict[FileKey, StatKey | None]


class StoredFiles:
    """Stored files by folder: ``seals`` for every folder holding some (None:
    unsealed), and each folder's stat keys from :meth:`_read` when asked."""

    def __init__(
        self, seals: Mapping[FolderKey, Seal | None], keys: Mapping[FolderKey, FolderKeys]
    ) -> None:
        self._seals = dict(seals)
        self._keys = dict(keys)

    @classmethod
    def of(cls, stored: Mapping[FileKey, StatKey | None], *, sealed: bool = False) -> StoredFiles:
        """From every stored file's stat key; ``sealed``: with the seals the
        store would keep for them (else none, so every folder is compared
        file by file)."""
        keys: dict[FolderKey, FolderKeys] = {}
        for key, stamp in stored.items():
            keys.setdefault(folder_key(*key), {})[key] = stamp
        seals: dict[FolderKey, Seal | None] = dict.fromkeys(keys)
        if sealed:
            for folder, found in keys.items():
                seals[folder] = seal_of(
                    (os.fsencode(os.path.basename(key[1])), *(stamp or (None, None, None)))
                    for key, stamp in found.items()
                )
        return cls(seals, keys)

    def folders(self) -> Iterable[FolderKey]:
        """Every folder holding stored files."""
        return self._seals.keys()

    def seal(self, folder: FolderKey) -> Seal | None:
        return self._seals.get(folder)

    def keys_in(self, folder: FolderKey) -> FolderKeys:
        """The stat keys of the files stored directly in ``folder``."""
        found = self._keys.get(folder)
        if found is None:
            found = self._keys[folder] = self._read(folder)
        return found

    def _read(self, folder: FolderKey) -> FolderKeys:
        return {}

    def close(self) -> None:
        """Let go of what reads the keys (nothing, for a mapping)."""


class StoreFolders(StoredFiles):
    """The stored files of the store file at ``path`` (only read): the
    folders and seals read at once, each folder's keys when asked."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._db: sqlite3.Connection | None = connect(Path(path))
        try:
            self._db.execute("BEGIN")  # one snapshot for the seals and the keys
            roots = {
                rid: os.fsdecode(p) for rid, p in self._db.execute("SELECT rid, path FROM roots")
            }
            self._rids = {root: rid for rid, root in roots.items()}
            seals = {
                (roots[rid], os.fsdecode(folder)): seal
                for (rid, folder), seal in read_folders(self._db).items()
            }
        except BaseException:
            self.close()
            raise
        super().__init__(seals, {})

    def _read(self, folder: FolderKey) -> FolderKeys:
        root, under = folder
        rid = self._rids.get(root)
        if rid is None or self._db is None:
            return {}
        out: FolderKeys = {}
        for rel, size, mtime, ctime in folder_rows(self._db, rid, os.fsencode(under)):
            key = (root, os.fsdecode(rel))
            out[key] = (
                None if size is None or mtime is None or ctime is None else (size, mtime, ctime)
            )
        return out

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
