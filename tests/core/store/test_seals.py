"""Folder seals: the mix, the store's ``folders`` table kept by every write,
and a walk that reads the stored stat keys of changed folders only."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.loader import load_file
from reader.core.store import scan as scan_module
from reader.core.store.archive import ArchiveStore
from reader.core.store.folder_changes import changes_part, join_parts
from reader.core.store.folders import folder_rows, read_folders
from reader.core.store.records import FileRecord
from reader.core.store.scan import ArchiveRoots, FileKey, StatKey, diff
from reader.core.store.seals import FolderKey, file_mix, seal_of, split_rel
from reader.core.store.stored_files import FolderKeys, StoreFolders

REPO = Path(__file__).resolve().parents[3]


pytestmark = pytest.mark.usefixtures("no_racy_window")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(REPO / "articles", folder)
    for sub in ("a", "a/deep", "b"):
        (folder / sub).mkdir()
        for n in range(3):
            (folder / sub / f"n{n}.md").write_text(f"# Note {n}\n\nTexte {sub}.\n", "utf-8")
    return folder


BASE = (b"note.md", 120, 1_700_000_000_000_000_000, 1_700_000_000_500_000_000)


@pytest.mark.parametrize(
    "other",
    [
        (b"note2.md", *BASE[1:]),
        (BASE[0], BASE[1] + 1, *BASE[2:]),
        (*BASE[:2], BASE[2] + 1, BASE[3]),
        (*BASE[:3], BASE[3] + 1),
        (*BASE[:2], BASE[3], BASE[2]),  # mtime and ctime swapped
    ],
)
def test_every_part_of_a_stat_key_moves_the_mix(other: tuple[bytes, int, int, int]) -> None:
    assert file_mix(*other) != file_mix(*BASE)
    assert seal_of([BASE, other]) != seal_of([BASE, BASE])


def test_seals_count_files_ignore_order_and_need_every_stat_key() -> None:
    second = (b"other.md", 7, 8, 9)
    assert seal_of([BASE, second]) == seal_of([second, BASE])
    seal = seal_of([BASE, second])
    assert seal is not None and seal[0] == 2 and 0 <= seal[1] < 2**63
    assert seal_of([]) is None
    assert seal_of([BASE, (b"racy.md", None, None, None)]) is None
    # two files that swap their sizes and times still change the seal
    a, b = (b"a.md", 1, 10, 100), (b"b.md", 2, 20, 200)
    assert seal_of([a, b]) != seal_of([(b"a.md", *b[1:]), (b"b.md", *a[1:])])


@pytest.mark.parametrize(
    ("rel", "split"),
    [(b"x.md", (b"", b"x.md")), (b"a/x.md", (b"a", b"x.md")), (b"a/b/x.md", (b"a/b", b"x.md"))],
)
def test_split_rel(rel: bytes, split: tuple[bytes, bytes]) -> None:
    assert split_rel(rel) == split


def records(roots: ArchiveRoots, only: set[str] | None = None) -> list[FileRecord]:
    out = []
    for scanned in roots.scan().files:
        if only is None or scanned.candidate.relative in only:
            article, problems = load_file(scanned.candidate, id_prefix=scanned.prefix)
            out.append(FileRecord(scanned, article, tuple(problems)))
    return out


def table(store: ArchiveStore) -> dict[tuple[int, bytes], tuple[int, int] | None]:
    db = sqlite3.connect(store.path)
    try:
        return read_folders(db)
    finally:
        db.close()


def check_invariant(store: ArchiveStore) -> None:
    """Every folder with stored files has a row; every seal is its rows' seal."""
    db = sqlite3.connect(store.path)
    try:
        folders = read_folders(db)
        holding = {
            (rid, split_rel(rel)[0]) for rid, rel in db.execute("SELECT rid, rel FROM files")
        }
        assert holding <= set(folders)
        for (rid, folder), seal in folders.items():
            if seal is not None:
                rows = folder_rows(db, rid, folder)
                assert seal == seal_of((split_rel(r[0])[1], *r[1:]) for r in rows)
    finally:
        db.close()


def test_every_write_unseals_its_folders_and_reseal_seals_them(
    archive: Path, tmp_path: Path
) -> None:
    roots = ArchiveRoots([archive])
    store = ArchiveStore.open([archive], cache_dir=tmp_path / "cache", recogniser_id="r")
    store.put_many(records(roots))
    folders = table(store)
    assert {folder for _, folder in folders} == {b"", b"a", b"a/deep", b"b"}
    assert set(folders.values()) == {None}
    check_invariant(store)
    assert store.reseal() == 4 and store.reseal() == 0
    assert None not in table(store).values()
    check_invariant(store)
    # a file stored again unseals its folder only
    store.put_many(records(roots, {"a/n1.md"}))
    assert [f for (_, f), seal in table(store).items() if seal is None] == [b"a"]
    check_invariant(store)
    store.reseal()
    # a file forgotten: its folder; the last file of a folder: the folder goes
    rid = next(iter(table(store)))[0]
    root = str(archive.resolve())
    store.delete_many([(root, "b/n0.md")])
    assert [f for (_, f), seal in table(store).items() if seal is None] == [b"b"]
    store.delete_many([(root, f"a/deep/n{n}.md") for n in range(3)])
    store.reseal()
    assert set(table(store)) == {(rid, b""), (rid, b"a"), (rid, b"b")}
    check_invariant(store)
    # an article id taken over by a file of another folder unseals both
    (record,) = records(roots, {"b/n1.md"})
    assert record.article is not None
    store.put_many([replace(record, article=replace(record.article, id="a/n1.md"))])
    assert {f for (_, f), seal in table(store).items() if seal is None} == {b"a", b"b"}
    check_invariant(store)
    store.close()


class Counted(StoreFolders):
    """A store's files that note which folders' stat keys were read."""

    def __init__(self, path: Path, read: list[FolderKey]) -> None:
        super().__init__(path)
        self.read = read

    def _read(self, folder: FolderKey) -> FolderKeys:
        self.read.append(folder)
        return super()._read(folder)


@pytest.fixture
def sealed(archive: Path, tmp_path: Path) -> Iterator[tuple[ArchiveRoots, ArchiveStore]]:
    roots = ArchiveRoots([archive])
    store = ArchiveStore.open([archive], cache_dir=tmp_path / "cache", recogniser_id="r")
    store.put_many(records(roots))
    store.reseal()
    yield roots, store
    store.close()


def walk(
    roots: ArchiveRoots, store: ArchiveStore, shares: list[tuple[int, int, int]]
) -> tuple[list[str], object]:
    """The walk against the store file in ``shares``, and the folders whose
    keys it read (as paths under the root)."""
    read: list[FolderKey] = []
    parts = []
    for share in shares:
        stored = Counted(store.path, read)
        try:
            parts.append(changes_part(roots, stored, share=share))
        finally:
            stored.close()
    return sorted(folder for _, folder in read), join_parts(parts)


WHOLE, HALVES = [(0, 1, 1)], [(0, 1, 2), (1, 2, 2)]


@pytest.mark.parametrize("shares", [WHOLE, HALVES])
def test_a_walk_reads_the_keys_of_changed_folders_only(
    sealed: tuple[ArchiveRoots, ArchiveStore], archive: Path, shares: list[tuple[int, int, int]]
) -> None:
    roots, store = sealed
    stored: dict[FileKey, StatKey | None] = store.stat_keys()
    read, found = walk(roots, store, shares)
    assert read == [] and found == (diff(stored, roots.scan()), [])
    (archive / "a" / "n0.md").write_text("# Autre\n\nTexte changé, plus long.\n", "utf-8")
    (archive / "b" / "n9.md").write_text("# New\n\nNouveau.\n", "utf-8")
    read, found = walk(roots, store, shares)
    assert read == ["a", "b"] and found == (diff(stored, roots.scan()), [])
    assert [f.candidate.relative for f in found[0].changed] == ["a/n0.md"]  # type: ignore[index]
    # a touch alone (same size, same content) is a change
    deep = archive / "a" / "deep" / "n1.md"
    info = deep.stat()
    os.utime(deep, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    read, found = walk(roots, store, shares)
    assert read == ["a", "a/deep", "b"] and found == (diff(stored, roots.scan()), [])


@pytest.mark.parametrize("shares", [WHOLE, HALVES])
def test_files_and_folders_gone_are_removed(
    sealed: tuple[ArchiveRoots, ArchiveStore], archive: Path, shares: list[tuple[int, int, int]]
) -> None:
    roots, store = sealed
    stored = store.stat_keys()
    (archive / "a" / "n1.md").unlink()
    shutil.rmtree(archive / "b")
    os.rename(archive / "a" / "deep" / "n0.md", archive / "a" / "deep" / "n7.md")
    read, found = walk(roots, store, shares)
    assert read == ["a", "a/deep", "b"]
    changes = diff(stored, roots.scan())
    assert found == (changes, [])
    root = str(archive.resolve())
    assert changes.removed == sorted(
        [(root, "a/n1.md"), (root, "a/deep/n0.md"), *((root, f"b/n{n}.md") for n in range(3))]
    )


def test_a_racy_folder_is_compared_file_by_file(
    sealed: tuple[ArchiveRoots, ArchiveStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    roots, store = sealed
    monkeypatch.setattr(scan_module, "RACY_NS", 10**13)  # every file written "just now"
    read, found = walk(roots, store, WHOLE)
    assert read == ["", "a", "a/deep", "b"]
    assert not found[0].new and len(found[0].changed) == len(roots.scan().files)  # type: ignore[attr-defined]
