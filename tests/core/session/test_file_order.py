"""The file order: a file found later (live reload, a second start's
reconcile) takes the place a fresh start gives it, never the list's end."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.articles.walk import Found, walk_articles
from reader.core.session.changes import apply_changes, diff_states, scan
from reader.core.session.file_order import FileOrder
from reader.core.session.library import Library
from reader.core.session.session import Session
from reader.core.session.settings import resolve_settings

TREE = [
    "b.md",
    "a.md",
    "Z.md",
    "é.md",
    "a/z.md",
    "a/b/c.md",
    "a/a.txt",
    "ab.md",
    "a b/x.md",
    "a.b/y.md",
    "sub/deep/er/one.md",
    "sub/two.md",
    "émile/x.md",
]


def write(path: Path, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {title}\n\nSome text about {title}.\n", encoding="utf-8")


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        write(root / name, name)


def walk_paths(roots: list[str]) -> list[str]:
    return [item.candidate.path for item in walk_articles(roots) if isinstance(item, Found)]


def test_the_key_sorts_paths_as_the_walk_finds_them(tmp_path: Path) -> None:
    make_tree(tmp_path / "one", TREE)
    make_tree(tmp_path / "two", ["m.md", "k/l.md"])
    single = tmp_path / "three" / "alone.md"
    write(single, "alone")
    roots = [str(tmp_path / "two"), str(single), str(tmp_path / "one")]
    walked = walk_paths(roots)
    assert len(walked) == len(TREE) + 3
    order = FileOrder(roots)
    shuffled = walked[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(shuffled, key=order.key) == walked
    assert order.key("/elsewhere/x.md") > order.key(walked[-1])


def test_relative_roots_are_spelt_like_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path / "arch", TREE)
    monkeypatch.chdir(tmp_path)
    for root in ("arch", "./arch/", "arch//"):
        walked = walk_paths([root])
        assert sorted(reversed(walked), key=FileOrder([root]).key) == walked


def _article(path: str) -> Article:
    return Article(id=path, path=path, format="markdown", title=path, body="text")


def test_a_library_places_new_articles_and_appends_without_an_order() -> None:
    order = FileOrder(["r"])
    paths = ["r/a.md", "r/c.md", "r/sub/a.md"]
    library = Library([_article(p) for p in paths], order=order)
    library.extend([_article("r/b.md"), _article("r/sub/0.md")], placed=True)
    library.add(_article("r/d.md"))
    expected = ["r/a.md", "r/b.md", "r/c.md", "r/d.md", "r/sub/0.md", "r/sub/a.md"]
    assert [a.id for a in library.articles] == expected
    plain = Library([_article(p) for p in paths])
    plain.add(_article("r/b.md"))
    assert [a.id for a in plain.articles][-1] == "r/b.md"


def test_live_reload_puts_a_new_file_where_a_fresh_load_does(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    make_tree(root, ["a.md", "c.md", "sub/x.md"])
    roots = (str(root),)
    library = Library.load(roots)
    library.order = FileOrder(roots)
    before, _ = scan(roots)
    write(root / "b.md", "b")
    write(root / "sub" / "a.md", "sub a")
    write(root / "0.md", "zero")
    after, _ = scan(roots)
    apply_changes(library, diff_states(before, after, roots))
    fresh = Library.load(roots)
    assert [a.id for a in library.articles] == [a.id for a in fresh.articles]
    assert [a.id for a in library.articles] == [
        "0.md",
        "a.md",
        "b.md",
        "c.md",
        "sub/a.md",
        "sub/x.md",
    ]


def test_a_second_start_reconciles_new_files_into_their_place(tmp_path: Path) -> None:
    root = tmp_path / "arch"
    make_tree(root, ["a.md", "c.md", "sub/x.md"])
    hour_ago = time.time() - 3600
    for path in root.rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    settings = resolve_settings(
        [str(root)], cache=True, cache_dir=tmp_path / "cache", state_dir=tmp_path / "state"
    )

    def start() -> Session:
        session = Session(settings)
        assert session.stream(lambda articles, problems, finished: None, threading.Event())
        return session

    first = start()
    first.close()
    write(root / "b.md", "b")
    write(root / "sub" / "a.md", "sub a")
    second = start()
    assert second.analyse()[0]
    listed = [a.id for a in second.library.articles]
    assert listed == ["a.md", "b.md", "c.md", "sub/a.md", "sub/x.md"]
    second.close()
    shutil.rmtree(tmp_path / "cache")
    third = start()
    assert [a.id for a in third.library.articles] == listed
    third.close()


def _live_reload(roots: list[str], folder: Path, new: list[str]) -> tuple[list[str], list[str]]:
    """(the library's paths after live reload of ``new``, a fresh load's)."""
    library = Library.load(roots)
    library.order = FileOrder(roots)
    before, _ = scan(roots)
    for name in new:
        write(folder / name, name)
    after, _ = scan(roots)
    apply_changes(library, diff_states(before, after, roots))
    return [a.path for a in library.articles], [a.path for a in Library.load(roots).articles]


@pytest.mark.parametrize(
    ("roots", "tree", "new"),
    [
        pytest.param(["."], ["a.md", "c.md", "sub/x.md"], ["b.md", "sub/a.md"], id="dot-root"),
        pytest.param(["./"], ["a.md", "c.md"], ["b.md"], id="dot-slash-root"),
        pytest.param(
            ["dir", "dir/.hidden"],
            ["dir/a.md", "dir/sub/b.md", "dir/.hidden/x.md"],
            ["dir/.hidden/y.md", "dir/0.md"],
            id="root-inside-a-hidden-folder",
        ),
        pytest.param(
            ["."],
            [f"f{n:03d}.md" for n in range(0, 200, 2)],
            [f"f{n:03d}.md" for n in range(1, 200, 2)],
            id="many-new-files-merged",
        ),
    ],
)
def test_live_reload_places_files_under_any_spelling_of_the_roots(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    roots: list[str],
    tree: list[str],
    new: list[str],
) -> None:
    make_tree(tmp_path, tree)
    monkeypatch.chdir(tmp_path)
    placed, fresh = _live_reload(roots, tmp_path, new)
    assert placed == fresh


def test_a_second_start_under_the_current_folder_keeps_the_file_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "arch"
    make_tree(root, ["a.md", "c.md", "sub/x.md"])
    hour_ago = time.time() - 3600
    for path in root.rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    monkeypatch.chdir(root)
    settings = resolve_settings(
        ["."], cache=True, cache_dir=tmp_path / "cache", state_dir=tmp_path / "state"
    )
    first = Session(settings)
    assert first.stream(lambda articles, problems, finished: None, threading.Event())
    first.close()
    write(root / "b.md", "b")
    write(root / "a.md", "a, edited")
    os.utime(root / "a.md", (hour_ago + 60, hour_ago + 60))
    second = Session(settings)
    assert second.stream(lambda articles, problems, finished: None, threading.Event())
    assert second.analyse()[0]
    assert [a.id for a in second.library.articles] == ["a.md", "b.md", "c.md", "sub/x.md"]
    second.close()
