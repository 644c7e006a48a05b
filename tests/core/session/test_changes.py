"""reader.core.session.changes: scanning (the same files as the loader),
diffing two scans, and applying a change set to a library."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reader.core.articles.loader import Candidate, discover
from reader.core.session.changes import (
    ChangeSet,
    apply_changes,
    candidates_for,
    diff_states,
    file_signature,
    scan,
)
from reader.core.session.library import Library
from tests.core.session.folders import hit_ids, ids, library_folder, write

# diff_states -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {}, ChangeSet()),
        ({"a": (1, 1, 1)}, {"a": (1, 1, 1)}, ChangeSet()),
        ({}, {"a": (1, 1, 1)}, ChangeSet(added=frozenset({"a"}))),
        ({"a": (1, 1, 1)}, {}, ChangeSet(removed=frozenset({"a"}))),
        ({"a": (1, 1, 1)}, {"a": (1, 2, 1)}, ChangeSet(modified=frozenset({"a"}))),
        ({"a": (1, 1, 1)}, {"a": (1, 1, 2)}, ChangeSet(modified=frozenset({"a"}))),
        (
            {"a": (1, 1, 1), "b": (2, 2, 2)},
            {"b": (2, 2, 3), "c": (3, 3, 3)},
            ChangeSet(frozenset({"c"}), frozenset({"b"}), frozenset({"a"})),
        ),
    ],
    ids=["empty", "same", "added", "removed", "mtime", "inode", "all"],
)
def test_diff_states(
    old: dict[str, tuple[int, int, int]],
    new: dict[str, tuple[int, int, int]],
    expected: ChangeSet,
) -> None:
    changes = diff_states(old, new)
    assert changes == expected
    assert bool(changes) == bool(expected) and len(changes) == len(expected)


# scan: the loader's files ------------------------------------------------------------


def _hostile_tree(root: Path) -> tuple[Path, set[Path]]:
    """A tree with hidden folders, symlink loops, an unreadable folder and odd
    names; returns the unreadable folder and the article files to be found."""
    found = {
        root / "a.md",
        root / "UPPER.TXT",
        root / "sub" / "b.YAML",
        root / "sub" / "deeper" / "c.yml",
        root / "with space.md",
        root / "tab\tname.txt",
        root / "line\nbreak.md",
        root / "esc\x1b[31m.md",
        root / "e\u0301t\u00e9.md",  # NFD and NFC spellings side by side
        root / "東京.md",
        root / "folder.md" / "inside.md",  # a folder with an article's suffix
    }
    found = {Path(str(path).encode().decode("unicode_escape")) for path in found}
    found.add(root / os.fsdecode(b"bad\xff\xfe.md"))
    for path in found:
        write(path, "# Title\n\nBody.\n")
    for skipped in (
        root / ".hidden.md",
        root / ".git" / "x.md",
        root / "sub" / ".cache" / "y.md",
        root / "picture.png",
        root / "a.md.bak",
        root / "trailing.md ",
    ):
        write(skipped, "# Hidden\n\nBody.\n")
    os.symlink(root / "loop.md", root / "loop.md")  # a link to itself
    os.symlink(root, root / "sub" / "deeper" / "up")  # a folder cycle
    os.symlink(root / "sub", root / "alias")  # the same folder twice
    os.symlink(root / "gone.md", root / "broken.md")
    os.mkfifo(root / "pipe.md")
    locked = root / "locked"
    write(locked / "secret.md", "# Secret\n\nBody.\n")
    locked.chmod(0)  # unreadable for a normal user (root still reads it)
    # "alias" sorts before "sub": the folder is found under that spelling.
    alias = {root / "alias" / p.relative_to(root / "sub") for p in found if "sub" in p.parts}
    found = (found - {p for p in found if "sub" in p.parts}) | alias
    return locked, found


def test_scan_and_discover_see_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "articles"
    locked, expected = _hostile_tree(root)
    single = tmp_path / "single.md"
    write(single, "# Single\n\nBody.\n")
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.path.realpath(path) == os.path.realpath(locked):  # unreadable even as root
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        for roots in ([str(root)], [str(root), str(single)], [str(root / "sub"), str(root)]):
            files, folders = scan(roots)
            loaded = [c.path for c in discover(roots) if isinstance(c, Candidate)]
            assert sorted(files) == sorted(loaded)
            assert len(loaded) == len(set(loaded))
        files, folders = scan([str(root)])
        assert set(files) == {str(path) for path in expected}
        assert str(locked) in folders and str(root / ".git") not in folders
        for path, signature in files.items():
            assert signature == file_signature(path)
    finally:
        locked.chmod(0o755)


def test_a_scan_ends_when_asked_to_stop(tmp_path: Path) -> None:
    """The watcher's scan of a big archive ends at the next folder once the
    app is closing (the app waits for the watcher to stop)."""
    root = library_folder(tmp_path)
    stop = threading.Event()
    files, _ = scan([str(root)], stop)
    assert files == scan([str(root)])[0] and files
    stop.set()
    assert scan([str(root)], stop)[0] == {}


# apply_changes -------------------------------------------------------------------


def test_apply_changes_updates_the_library(tmp_path: Path) -> None:
    root = library_folder(tmp_path)
    roots = (str(root),)
    library = Library.load(roots)
    library.analyse()
    assert ids(library) == {"paris.md", "berlin.txt", "sub/rome.md"}
    before, _ = scan(roots)

    write(root / "madrid.md", "# Madrid\n\nPedro Sánchez a parlé du xylophone à Madrid.\n")
    write(root / "paris.md", "---\ntitle: Paris\nlang: fr\n---\nAnne Hidalgo a reçu le trombone.\n")
    os.remove(root / "berlin.txt")
    os.rename(root / "sub" / "rome.md", root / "sub" / "roma.md")
    write(root / "empty.md", "   \n")
    after, _ = scan(roots)
    changes = diff_states(before, after, roots)

    applied = apply_changes(library, changes)

    assert set(applied.added) == {"madrid.md", "sub/roma.md"}
    assert applied.updated == ("paris.md",)
    assert set(applied.removed) == {"berlin.txt", "sub/rome.md"}
    assert [problem.message for problem in applied.problems] == ["empty file"]
    assert ids(library) == {"paris.md", "madrid.md", "sub/roma.md"}
    assert library.get("berlin.txt") is None
    # Search sees the new text and forgets the old.
    assert hit_ids(library, "xylophone") == {"madrid.md"}
    assert hit_ids(library, "trombone") == {"paris.md"}
    assert hit_ids(library, "budget") == set()
    assert "paris.md" not in hit_ids(library, "Macron")
    # Entities follow the new text, in the article and the catalogue.
    keys = {mention.key for mention in library.entities_for("paris.md").all()}
    assert any("hidalgo" in key for key in keys)
    assert not any("macron" in key for key in keys)
    assert library.catalogue.entity("per:olaf scholz") is None
    assert [p.message for p in library.problems] == ["empty file"]

    # The library matches a fresh load of the folder.
    fresh = Library.load(roots)
    assert ids(fresh) == ids(library)
    for article in fresh.articles:
        assert library.get(article.id) == article

    # A file that stops loading leaves the library; fixing it brings it back.
    before = after
    write(root / "madrid.md", "")
    (root / "empty.md").unlink()
    after, _ = scan(roots)
    applied = apply_changes(library, diff_states(before, after, roots))
    assert applied.removed == ("madrid.md",)
    assert [p.message for p in library.problems] == ["empty file"]
    assert library.problems[0].path.endswith("madrid.md")
    assert hit_ids(library, "xylophone") == set()


def test_apply_changes_with_several_roots(tmp_path: Path) -> None:
    first = library_folder(tmp_path / "one")
    single = tmp_path / "two" / "solo.md"
    write(single, "# Solo\n\nA solo article.\n")
    roots = (str(first), str(single))
    library = Library.load(roots)
    library.analyse()
    loaded = ids(library)
    assert "articles/paris.md" in loaded and "two/solo.md" in loaded
    before, _ = scan(roots)
    write(single, "# Solo\n\nA solo article about the saxophone.\n")
    write(first / "new.md", "# New\n\nNew text.\n")
    after, _ = scan(roots)
    applied = apply_changes(library, diff_states(before, after, roots))
    assert applied.updated == ("two/solo.md",)
    assert applied.added == ("articles/new.md",)
    assert ids(library) == loaded | {"articles/new.md"}
    assert hit_ids(library, "saxophone") == {"two/solo.md"}


def test_candidates_follow_the_loader_spelling() -> None:
    assert [(c.relative, p) for c, p in candidates_for("articles/x/y.md", ("articles",))] == [
        ("x/y.md", "")
    ]
    assert candidates_for("articles/.git/y.md", ("articles",)) == []
    assert candidates_for("articles/y.png", ("articles",)) == []
    assert [p for _, p in candidates_for("./y.md", (".", "other"))] == ["./"]
