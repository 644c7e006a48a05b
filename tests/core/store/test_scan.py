"""The stat walk and the reconcile diff against the store."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import iter_load, load_file
from reader.core.store import folder_changes
from reader.core.store import scan as scan_module
from reader.core.store.archive import ArchiveStore
from reader.core.store.folder_changes import changes_part, join_parts
from reader.core.store.records import FileRecord
from reader.core.store.scan import ArchiveRoots, diff, stat_key
from reader.core.store.stored_files import StoredFiles

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(REPO / "articles", folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "note.md").write_text("# Note\n\nTexte.\n", encoding="utf-8")
    return folder


def age(path: Path, seconds: int = 60) -> None:
    """Make a file look written a while ago (outside the racy window)."""
    past = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))


def store_all(store: ArchiveStore, roots: ArchiveRoots) -> None:
    records = []
    for scanned in roots.scan().files:
        article, problems = load_file(scanned.candidate, id_prefix=scanned.prefix)
        records.append(FileRecord(scanned, article, tuple(problems)))
    store.put_many(records)


def test_reconcile_finds_new_changed_and_removed_files(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "RACY_NS", 0)  # ctime cannot be set back: trust it
    roots = ArchiveRoots([archive])
    store = ArchiveStore.open([archive], cache_dir=tmp_path / "cache", recogniser_id="r")
    store_all(store, roots)
    assert not diff(store.stat_keys(), roots.scan())
    changed = archive / "sub" / "note.md"
    changed.write_text("# Note\n\nAutre texte.\n", encoding="utf-8")
    (archive / "sub" / "new.txt").write_text("Nouveau\n", encoding="utf-8")
    (archive / "en-eu-chips-act.yaml").unlink()
    same_size = archive / "fr-bce-taux-inflation.md"
    info = same_size.stat()
    os.utime(same_size, ns=(info.st_atime_ns, info.st_mtime_ns + 5))  # touched only
    changes = diff(store.stat_keys(), roots.scan())
    assert sorted(f.candidate.relative for f in changes.new) == ["sub/new.txt"]
    assert sorted(f.candidate.relative for f in changes.changed) == [
        "fr-bce-taux-inflation.md",
        "sub/note.md",
    ]
    assert changes.removed == [(str(archive.resolve()), "en-eu-chips-act.yaml")]
    assert changes.unchanged == len(roots.scan().files) - 3
    fused, problems = folder_changes.changes(roots, store.stat_keys())
    assert fused == changes
    assert problems == roots.scan().problems


def test_files_written_just_now_get_no_stat_key(archive: Path) -> None:
    fresh = archive / "sub" / "note.md"
    assert stat_key(str(fresh)) is None
    age(fresh)
    assert stat_key(str(fresh)) is None  # ctime still says now
    info = fresh.stat()
    later = info.st_ctime_ns + scan_module.RACY_NS + 1
    assert stat_key(str(fresh), now_ns=later) == (info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    # an mtime set in the future (an archive unpacked with another clock) is
    # trusted once the ctime is old: any later change moves the ctime
    future = info.st_mtime_ns + 86_400 * 10**9
    os.utime(fresh, ns=(future, future))
    info = fresh.stat()
    later = info.st_ctime_ns + scan_module.RACY_NS + 1
    assert stat_key(str(fresh), now_ns=later) == (info.st_size, future, info.st_ctime_ns)
    assert stat_key(str(fresh), now_ns=later - 2) is None  # its ctime is recent
    assert stat_key(str(archive / "missing.md")) is None
    assert stat_key(str(archive)) is None  # not a regular file
    # an unknown stat key always means "read it again"
    scanned = ArchiveRoots([archive]).scan()
    stored = {f.key: f.stamp for f in scanned.files}
    assert len(diff(stored, scanned).changed) == len(scanned.files)


def test_scan_order_keys_and_prefixes_follow_the_loader(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for root in (first, second):
        (root / "d").mkdir(parents=True)
        (root / "a.md").write_text("# A\n\nx\n", encoding="utf-8")
        (root / "d" / "b.md").write_text("# B\n\ny\n", encoding="utf-8")
    loose = tmp_path / "loose.txt"
    loose.write_text("Loose\n\nz\n", encoding="utf-8")
    (second / "fifo.md").mkdir()  # a folder with an article suffix is walked, not read
    given = [str(second), str(loose), str(first), str(tmp_path / "missing")]
    scan = ArchiveRoots(given).scan()
    loaded = [item for item in iter_load(given) if isinstance(item, Article)]
    ids = []
    for scanned in scan.files:
        article, _ = load_file(scanned.candidate, id_prefix=scanned.prefix)
        assert article is not None
        ids.append(article.id)
    assert ids == [a.id for a in loaded]
    assert [f.rank for f in scan.files] == [0, 0, 1, 2, 2]
    assert scan.files[2].key == (str(tmp_path.resolve()), "loose.txt")
    assert scan.files[0].key == (str(second.resolve()), "a.md")
    assert scan.problems == [
        Problem(str(tmp_path / "missing"), "not found (broken link or removed)")
    ]
    # live reload describes one candidate the same way
    again = ArchiveRoots(given).file(scan.files[3].candidate)
    assert (again.key, again.rank, again.prefix) == (
        scan.files[3].key,
        scan.files[3].rank,
        scan.files[3].prefix,
    )


def test_overlapping_roots_count_a_file_once(archive: Path) -> None:
    scan = ArchiveRoots([archive, archive / "sub"]).scan()
    keys = [f.key for f in scan.files]
    assert len(keys) == len(set(keys))
    scan = ArchiveRoots([archive / "sub", archive]).scan()
    assert scan.files[0].candidate.relative == "note.md"


def _tree(tmp_path: Path) -> None:
    """Roots with every kind of entry the walk meets."""
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        (root / "d" / "e").mkdir(parents=True)
        (root / "a.md").write_text("# A\n\nx\n", encoding="utf-8")
        (root / "d" / "b.md").write_text("# B\n\ny\n", encoding="utf-8")
        (root / "d" / "e" / "c.txt").write_text("C\n\nz\n", encoding="utf-8")
        (root / ".hidden.md").write_text("# H\n", encoding="utf-8")
        (root / "notes.pdf").write_text("not an article", encoding="utf-8")
    os.mkfifo(one / "pipe.md")
    (one / "broken.md").symlink_to(tmp_path / "nowhere.md")
    (two / "link").symlink_to(one / "d")  # the same folder reached twice
    (tmp_path / "loose.txt").write_text("Loose\n\nz\n", encoding="utf-8")


@pytest.mark.parametrize(
    "names",
    [
        ["one"],
        ["one", "two"],
        ["two", "one"],
        ["loose", "one", "missing"],
        ["one", "one"],
        ["two", "loose", "one"],
        ["one", "one/a.md", "one/d/b.md"],
        ["one/d/e/c.txt", "one/d", "one/pipe.md"],
    ],
)
@pytest.mark.parametrize(
    "stored_as", ["same", "empty", "edited", "unknown", "extra", "gone", "racy"]
)
def test_the_fused_changes_equal_the_diff_of_a_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: list[str], stored_as: str
) -> None:
    """:meth:`ArchiveRoots.changes` stats the walk's entries itself: it must
    say what :func:`diff` says of a whole scan, with the same problems."""
    # racy: every file is too recent to trust, else ctime (now) is trusted
    monkeypatch.setattr(scan_module, "RACY_NS", 10**13 if stored_as == "racy" else 0)
    _tree(tmp_path)
    roots = ArchiveRoots([str(tmp_path / name) for name in names])
    scan = roots.scan()
    stored = {f.key: f.stamp for f in scan.files}
    keys = sorted(stored)
    if stored_as == "empty":
        stored = {}
    elif stored_as == "edited":
        size, mtime, ctime = stored[keys[0]] or (0, 0, 0)
        stored[keys[0]] = (size + 1, mtime, ctime)
    elif stored_as == "unknown":
        stored[keys[-1]] = None
    elif stored_as == "gone":  # a file that left a folder still walked
        root, relative = keys[-1]
        stored[(root, os.path.join(os.path.dirname(relative), "zz-gone.md"))] = (1, 2, 3)
    elif stored_as == "extra":
        stored[(str(tmp_path), "gone.md")] = (1, 2, 3)
        del stored[keys[0]]
    found, problems = folder_changes.changes(roots, stored)
    assert found == diff(stored, scan)
    assert problems == scan.problems
    # with the seals the store would keep for what it holds: the same answer
    sealed = StoredFiles.of(stored, sealed=True)
    assert folder_changes.changes(roots, sealed) == (found, problems)
    for shares in ([(0, 1, 2), (1, 2, 2)], [(0, 3, 5), (3, 5, 5)], [(0, 1, 3), (1, 3, 3)]):
        for given in (stored, sealed):
            parts = [changes_part(roots, given, share=share) for share in shares]
            assert join_parts(reversed(parts)) == (found, problems)
    assert bool(found) == (stored_as != "same")
    if stored_as == "racy":
        assert len(found.changed) == len(scan.files)
