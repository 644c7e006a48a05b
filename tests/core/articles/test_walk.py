"""reader.core.articles.walk: the one folder walk (order, hidden entries,
suffixes, symlink loops, roots that are files, problems)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.articles.article import Problem
from reader.core.articles.walk import (
    Candidate,
    Found,
    in_hidden,
    is_article_name,
    is_hidden,
    walk_articles,
)


def _touch(root: Path, relative: str, data: bytes = b"x") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _relatives(root: Path) -> list[str]:
    out: list[str] = []
    for item in walk_articles([root]):
        assert isinstance(item, Found), item
        out.append(item.candidate.relative)
    return out


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([], []),
        (["a.md", "b.txt", "c.yaml", "d.yml"], ["a.md", "b.txt", "c.yaml", "d.yml"]),
        (["UPPER.MD", "Mixed.Txt"], ["Mixed.Txt", "UPPER.MD"]),
        (["img.png", "notes", "a.md.bak", "x.md"], ["x.md"]),
        ([".hidden.md", ".git/x.md", "sub/.h/y.md", "ok.md"], ["ok.md"]),
        (["b/z.md", "a/y.md", "c.txt"], ["c.txt", "a/y.md", "b/z.md"]),
        (["a/b/c/d.md", "a/e.md"], ["a/e.md", "a/b/c/d.md"]),
    ],
    ids=["empty", "suffixes", "any-case", "others-ignored", "hidden", "order", "depth"],
)
def test_walk_rules(tmp_path: Path, files: list[str], expected: list[str]) -> None:
    for relative in files:
        _touch(tmp_path, relative)
    assert _relatives(tmp_path) == expected


def test_paths_are_spelt_from_the_root_as_given(tmp_path: Path) -> None:
    _touch(tmp_path, "sub/a.md")
    given = str(tmp_path) + os.sep + "."
    (item,) = walk_articles([given])
    assert isinstance(item, Found)
    expected = os.path.join(given, "sub", "a.md")
    assert item.candidate == Candidate(expected, given, os.path.join("sub", "a.md"))
    assert item.info.st_size == 1


def test_a_root_that_is_a_file(tmp_path: Path) -> None:
    path = _touch(tmp_path, "one.md")
    _touch(tmp_path, "note.png")
    items = list(walk_articles([path, tmp_path / "note.png"]))
    assert isinstance(items[0], Found)
    assert items[0].candidate == Candidate(str(path), str(tmp_path), "one.md")
    assert isinstance(items[1], Problem)
    assert items[1].message.startswith("skipped: not an article file (")


def test_a_folder_reached_twice_is_walked_once(tmp_path: Path) -> None:
    _touch(tmp_path, "real/a.md")
    os.symlink(tmp_path / "real", tmp_path / "alias")  # "alias" sorts first
    os.symlink(tmp_path, tmp_path / "real" / "up")  # a cycle
    assert _relatives(tmp_path) == ["alias/a.md"]
    # Overlapping roots: the second root's folders were already walked.
    assert [
        item.candidate.path
        for item in walk_articles([tmp_path / "real", tmp_path])
        if isinstance(item, Found)
    ] == [str(tmp_path / "real" / "a.md")]


def test_folders_walked_are_reported(tmp_path: Path) -> None:
    _touch(tmp_path, "a/b/x.md")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "empty").mkdir()
    folders: set[str] = set()
    list(walk_articles([tmp_path], folders))
    assert folders == {
        str(tmp_path),
        str(tmp_path / "a"),
        str(tmp_path / "a" / "b"),
        str(tmp_path / "empty"),
    }


def test_problems_do_not_stop_the_walk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _touch(tmp_path, "locked/x.md")
    _touch(tmp_path, "z.md")
    os.symlink(tmp_path / "loop.md", tmp_path / "loop.md")
    os.symlink(tmp_path / "gone", tmp_path / "broken.txt")
    os.mkfifo(tmp_path / "pipe.md")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(tmp_path / "locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(walk_articles([tmp_path, tmp_path / "missing"]))
    found = [item.candidate.relative for item in items if isinstance(item, Found)]
    problems = [(Path(p.path).name, p.message) for p in items if isinstance(p, Problem)]
    assert found == ["z.md"]
    assert problems == [
        ("broken.txt", "not found (broken link or removed)"),
        ("loop.md", "symlink loop"),
        ("pipe.md", "skipped: a FIFO"),
        ("locked", "cannot read: permission denied"),
        ("missing", "not found (broken link or removed)"),
    ]


@pytest.mark.parametrize(
    ("name", "hidden", "article"),
    [
        ("a.md", False, True),
        (".a.md", True, True),
        ("A.YAML", False, True),
        ("a.markdown", False, True),
        ("a.html", False, False),
        ("a.md~", False, False),
        ("md", False, False),
        (".", True, False),
    ],
)
def test_name_rules(name: str, hidden: bool, article: bool) -> None:
    assert (is_hidden(name), is_article_name(name)) == (hidden, article)


@pytest.mark.parametrize(
    ("relative", "hidden"),
    [
        ("a.md", False),
        (os.path.join("sub", "a.md"), False),
        (os.path.join(".git", "a.md"), True),
        (os.path.join("sub", ".h", "a.md"), True),
        (os.path.join("sub", ".a.md"), True),
    ],
)
def test_in_hidden(relative: str, hidden: bool) -> None:
    assert in_hidden(relative) is hidden
