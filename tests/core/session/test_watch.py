"""reader.core.session.watch: the folder watcher (both backends), and its
change sets applied end to end."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.session.changes import ChangeSet, apply_changes
from reader.core.session.library import Library
from reader.core.session.watch import Backend, FolderWatcher, watchfiles_available
from tests.core.session.folders import hit_ids, ids, library_folder, write

TIMEOUT = 20.0  # generous: only reached when something is broken

BACKENDS = [
    pytest.param("poll", id="poll"),
    pytest.param(
        "watchfiles",
        id="watchfiles",
        marks=pytest.mark.skipif(not watchfiles_available(), reason="watchfiles not installed"),
    ),
]


class Collector:
    """Receives the watcher's batches and lets a test wait for them."""

    def __init__(self) -> None:
        self.batches: list[ChangeSet] = []
        self._cond = threading.Condition()

    def __call__(self, changes: ChangeSet) -> None:
        with self._cond:
            self.batches.append(changes)
            self._cond.notify_all()

    def union(self, since: int = 0) -> tuple[set[str], set[str], set[str]]:
        added: set[str] = set()
        modified: set[str] = set()
        removed: set[str] = set()
        with self._cond:
            for batch in self.batches[since:]:
                added |= batch.added
                modified |= batch.modified
                removed |= batch.removed
        return added, modified, removed

    def wait(self, done: Callable[[set[str], set[str], set[str]], bool], since: int = 0) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: done(*self.union(since)), timeout=TIMEOUT)
        assert ok, f"no such change within {TIMEOUT}s; got {self.batches[since:]}"

    def mark(self) -> int:
        with self._cond:
            return len(self.batches)


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[Callable[..., tuple[FolderWatcher, Collector]]]:
    watchers: list[FolderWatcher] = []

    def start(
        backend: Backend, roots: list[str] | None = None, **options: float
    ) -> tuple[FolderWatcher, Collector]:
        collector = Collector()
        options.setdefault("poll_interval", 0.05)
        options.setdefault("debounce", 0.1)
        watcher = FolderWatcher(
            roots or [str(tmp_path)],
            collector,
            backend=backend,
            **options,  # type: ignore[arg-type]
        )
        watchers.append(watcher)
        watcher.start()
        assert watcher.wait_ready(TIMEOUT)
        return watcher, collector

    yield start
    for watcher in watchers:
        watcher.stop()
        assert not watcher.running


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_modify_remove_rename(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path / "a.md", "# A\n\nFirst.\n")
    write(tmp_path / "sub" / "b.txt", "B\n\nSecond.\n")
    watcher, seen = watch(backend)
    assert watcher.backend == backend
    root = str(tmp_path)
    a, b = os.path.join(root, "a.md"), os.path.join(root, "sub", "b.txt")
    c, d = os.path.join(root, "c.md"), os.path.join(root, "sub", "d.md")

    # Ignored: hidden files and folders, other suffixes.
    write(tmp_path / ".hidden.md", "x")
    write(tmp_path / ".git" / "x.md", "x")
    write(tmp_path / "picture.png", "x")
    write(tmp_path / "c.md", "# C\n\nThird.\n")
    seen.wait(lambda added, _m, _r: c in added)

    mark = seen.mark()
    write(tmp_path / "a.md", "# A\n\nFirst, now longer.\n")
    seen.wait(lambda _a, modified, _r: a in modified, mark)

    mark = seen.mark()
    os.remove(b)
    seen.wait(lambda _a, _m, removed: b in removed, mark)

    mark = seen.mark()
    os.rename(c, d)
    seen.wait(lambda added, _m, removed: c in removed and d in added, mark)

    added, modified, removed = seen.union()
    assert added == {c, d}
    assert modified == {a}
    assert removed == {b, c}
    assert all(batch.roots == (root,) for batch in seen.batches)


@pytest.mark.parametrize("backend", BACKENDS)
def test_folder_moved_in_and_out(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    for index in range(5):
        write(outside / "deep" / f"n{index}.md", f"note {index}")
    root.mkdir()
    _, seen = watch(backend, [str(root)])
    expected = {os.path.join(str(root), "moved", "deep", f"n{i}.md") for i in range(5)}

    os.rename(outside, root / "moved")
    seen.wait(lambda added, _m, _r: added >= expected)
    mark = seen.mark()
    os.rename(root / "moved", tmp_path / "back")
    seen.wait(lambda _a, _m, removed: removed >= expected, mark)
    mark = seen.mark()
    shutil.copytree(tmp_path / "back", root / "copy")
    copied = {p.replace(os.sep + "moved" + os.sep, os.sep + "copy" + os.sep) for p in expected}
    seen.wait(lambda added, _m, _r: added >= copied, mark)
    mark = seen.mark()
    shutil.rmtree(root / "copy")
    seen.wait(lambda _a, _m, removed: removed >= copied, mark)


@pytest.mark.parametrize("backend", BACKENDS)
def test_burst_is_one_batch(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    _, seen = watch(backend, debounce=0.5)
    folder = tmp_path / "burst"
    folder.mkdir()
    expected = set()
    for index in range(2000):
        path = folder / f"article-{index:04d}.md"
        path.write_text(f"# Article {index}\n\nBody {index}.\n", encoding="utf-8")
        expected.add(str(path))
    seen.wait(lambda added, _m, _r: added >= expected)
    added, modified, removed = seen.union()
    assert added == expected
    assert not modified and not removed
    # The folder was created just before its files: a quiet half second
    # between them would be needed to split the burst.
    assert len(seen.batches) <= 3, [len(batch) for batch in seen.batches]

    mark = seen.mark()
    shutil.rmtree(folder)
    seen.wait(lambda _a, _m, removed: removed >= expected, mark)
    assert len(seen.batches) - mark <= 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_file_roots(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    one = tmp_path / "one.md"
    other = tmp_path / "folder" / "two.txt"
    write(one, "one")
    write(other, "two")
    _, seen = watch(backend, [str(one), str(tmp_path / "folder")])
    write(one, "one, longer")
    seen.wait(lambda _a, modified, _r: str(one) in modified)
    os.remove(one)
    seen.wait(lambda _a, _m, removed: str(one) in removed)
    # A sibling of the file root is not watched.
    write(tmp_path / "sibling.md", "nope")
    write(other, "two, longer")
    seen.wait(lambda _a, modified, _r: str(other) in modified)
    added, _, _ = seen.union()
    assert str(tmp_path / "sibling.md") not in added


@pytest.mark.parametrize("backend", BACKENDS)
def test_stop_is_prompt(backend: Backend, tmp_path: Path) -> None:
    watcher = FolderWatcher([str(tmp_path)], lambda _c: None, backend=backend, poll_interval=60)
    watcher.start()
    assert watcher.wait_ready(TIMEOUT)
    assert watcher.running
    watcher.stop(timeout=TIMEOUT)
    assert not watcher.running


@pytest.mark.parametrize("backend", BACKENDS)
def test_watcher_and_apply_end_to_end(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    root = library_folder(tmp_path)
    _, seen = watch(backend, [str(root)])  # started before the load, as the app does
    library = Library.load([str(root)])
    library.analyse()
    write(root / "lisbon.md", "# Lisbon\n\nA tram in Lisbon, the accordion player.\n")
    seen.wait(lambda added, _m, _r: str(root / "lisbon.md") in added)
    for batch in list(seen.batches):
        apply_changes(library, batch)
    assert "lisbon.md" in ids(library)
    assert hit_ids(library, "accordion") == {"lisbon.md"}
