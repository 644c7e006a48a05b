"""Live reload: the folder watcher (both backends) and apply_changes."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reader.core.session.library import Library
from reader.core.session.watch import (
    Backend,
    ChangeSet,
    FolderWatcher,
    apply_changes,
    candidates_for,
    diff_states,
    scan,
    watchfiles_available,
)

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


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_modify_remove_rename(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path / "a.md", "# A\n\nFirst.\n")
    _write(tmp_path / "sub" / "b.txt", "B\n\nSecond.\n")
    watcher, seen = watch(backend)
    assert watcher.backend == backend
    root = str(tmp_path)
    a, b = os.path.join(root, "a.md"), os.path.join(root, "sub", "b.txt")
    c, d = os.path.join(root, "c.md"), os.path.join(root, "sub", "d.md")

    # Ignored: hidden files and folders, other suffixes.
    _write(tmp_path / ".hidden.md", "x")
    _write(tmp_path / ".git" / "x.md", "x")
    _write(tmp_path / "picture.png", "x")
    _write(tmp_path / "c.md", "# C\n\nThird.\n")
    seen.wait(lambda added, _m, _r: c in added)

    mark = seen.mark()
    _write(tmp_path / "a.md", "# A\n\nFirst, now longer.\n")
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
        _write(outside / "deep" / f"n{index}.md", f"note {index}")
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
    _write(one, "one")
    _write(other, "two")
    _, seen = watch(backend, [str(one), str(tmp_path / "folder")])
    _write(one, "one, longer")
    seen.wait(lambda _a, modified, _r: str(one) in modified)
    os.remove(one)
    seen.wait(lambda _a, _m, removed: str(one) in removed)
    # A sibling of the file root is not watched.
    _write(tmp_path / "sibling.md", "nope")
    _write(other, "two, longer")
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


def test_scan_matches_the_loader(tmp_path: Path) -> None:
    from reader.core.articles.loader import Candidate, discover

    _write(tmp_path / "a.md", "a")
    _write(tmp_path / "sub" / "b.YAML", "title: b\nbody: b")
    _write(tmp_path / ".hidden" / "c.md", "c")
    _write(tmp_path / "d.png", "d")
    os.symlink(tmp_path / "sub", tmp_path / "link")
    files, _ = scan([str(tmp_path)])
    found = {c.path for c in discover([str(tmp_path)]) if isinstance(c, Candidate)}
    assert set(files) == found


# apply_changes -------------------------------------------------------------------


def _library_folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    _write(
        root / "paris.md",
        "---\ntitle: Paris\nlang: fr\n---\nEmmanuel Macron a reçu Olaf Scholz à Paris.\n",
    )
    _write(
        root / "berlin.txt",
        "Berlin\n\nOlaf Scholz spoke in Berlin about the budget.\n",
    )
    _write(root / "sub" / "rome.md", "# Rome\n\nGiorgia Meloni met Pope Francis in Rome.\n")
    return root


def _ids(library: Library) -> set[str]:
    return {article.id for article in library.articles}


def _hit_ids(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query).hits}


def test_apply_changes_updates_the_library(tmp_path: Path) -> None:
    root = _library_folder(tmp_path)
    roots = (str(root),)
    library = Library.load(roots)
    library.analyse()
    assert _ids(library) == {"paris.md", "berlin.txt", "sub/rome.md"}
    before, _ = scan(roots)

    _write(root / "madrid.md", "# Madrid\n\nPedro Sánchez a parlé du xylophone à Madrid.\n")
    _write(
        root / "paris.md", "---\ntitle: Paris\nlang: fr\n---\nAnne Hidalgo a reçu le trombone.\n"
    )
    os.remove(root / "berlin.txt")
    os.rename(root / "sub" / "rome.md", root / "sub" / "roma.md")
    _write(root / "empty.md", "   \n")
    after, _ = scan(roots)
    changes = diff_states(before, after, roots)

    applied = apply_changes(library, changes)

    assert set(applied.added) == {"madrid.md", "sub/roma.md"}
    assert applied.updated == ("paris.md",)
    assert set(applied.removed) == {"berlin.txt", "sub/rome.md"}
    assert [problem.message for problem in applied.problems] == ["empty file"]
    assert _ids(library) == {"paris.md", "madrid.md", "sub/roma.md"}
    assert library.get("berlin.txt") is None
    # Search sees the new text and forgets the old.
    assert _hit_ids(library, "xylophone") == {"madrid.md"}
    assert _hit_ids(library, "trombone") == {"paris.md"}
    assert _hit_ids(library, "budget") == set()
    assert "paris.md" not in _hit_ids(library, "Macron")
    # Entities follow the new text, in the article and the catalogue.
    keys = {mention.key for mention in library.entities_for("paris.md").all()}
    assert any("hidalgo" in key for key in keys)
    assert not any("macron" in key for key in keys)
    assert library.catalogue.entity("per:olaf scholz") is None
    assert [p.message for p in library.problems] == ["empty file"]

    # The library matches a fresh load of the folder.
    fresh = Library.load(roots)
    assert _ids(fresh) == _ids(library)
    for article in fresh.articles:
        assert library.get(article.id) == article

    # A file that stops loading leaves the library; fixing it brings it back.
    before = after
    _write(root / "madrid.md", "")
    (root / "empty.md").unlink()
    after, _ = scan(roots)
    applied = apply_changes(library, diff_states(before, after, roots))
    assert applied.removed == ("madrid.md",)
    assert [p.message for p in library.problems] == ["empty file"]
    assert library.problems[0].path.endswith("madrid.md")
    assert _hit_ids(library, "xylophone") == set()


def test_apply_changes_with_several_roots(tmp_path: Path) -> None:
    first = _library_folder(tmp_path / "one")
    single = tmp_path / "two" / "solo.md"
    _write(single, "# Solo\n\nA solo article.\n")
    roots = (str(first), str(single))
    library = Library.load(roots)
    library.analyse()
    ids = _ids(library)
    assert "articles/paris.md" in ids and "two/solo.md" in ids
    before, _ = scan(roots)
    _write(single, "# Solo\n\nA solo article about the saxophone.\n")
    _write(first / "new.md", "# New\n\nNew text.\n")
    after, _ = scan(roots)
    applied = apply_changes(library, diff_states(before, after, roots))
    assert applied.updated == ("two/solo.md",)
    assert applied.added == ("articles/new.md",)
    assert _ids(library) == ids | {"articles/new.md"}
    assert _hit_ids(library, "saxophone") == {"two/solo.md"}


def test_candidates_follow_the_loader_spelling() -> None:
    assert [(c.relative, p) for c, p in candidates_for("articles/x/y.md", ("articles",))] == [
        ("x/y.md", "")
    ]
    assert candidates_for("articles/.git/y.md", ("articles",)) == []
    assert candidates_for("articles/y.png", ("articles",)) == []
    assert [p for _, p in candidates_for("./y.md", (".", "other"))] == ["./"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_watcher_and_apply_end_to_end(backend: Backend, tmp_path: Path, watch) -> None:  # type: ignore[no-untyped-def]
    root = _library_folder(tmp_path)
    _, seen = watch(backend, [str(root)])  # started before the load, as the app does
    library = Library.load([str(root)])
    library.analyse()
    _write(root / "lisbon.md", "# Lisbon\n\nA tram in Lisbon, the accordion player.\n")
    seen.wait(lambda added, _m, _r: str(root / "lisbon.md") in added)
    for batch in list(seen.batches):
        apply_changes(library, batch)
    assert "lisbon.md" in _ids(library)
    assert _hit_ids(library, "accordion") == {"lisbon.md"}
