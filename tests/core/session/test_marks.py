"""Marks: sort orders, read/starred sets, positions and preferences that
survive a new session."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.session.filters import Filters
from reader.core.session.marks import (
    Marks,
    describe_sort,
    next_sort,
    reversed_sort,
    sort_articles,
)


def art(id: str, title: str = "", date: str | None = None, source: str | None = None) -> Article:
    return Article(id, id, "text", title or id, "body of " + id, date=date, source=source)


ARTICLES = [
    art("a", "Zèbre", "2023-01-05", "Le Monde"),
    art("b", "abeille", None, None),
    art("c", "Mouton", "2024-03-01", "AFP"),
    art("d", "baleine", "2022-12-31", "le monde"),
]


@pytest.mark.parametrize(
    ("order", "ids"),
    [
        ("file", ["a", "b", "c", "d"]),
        ("-file", ["d", "c", "b", "a"]),
        ("date", ["c", "a", "d", "b"]),  # newest first, undated last
        ("-date", ["d", "a", "c", "b"]),  # oldest first, undated still last
        ("title", ["b", "d", "c", "a"]),  # case-insensitive
        ("-title", ["a", "c", "d", "b"]),
        ("source", ["c", "d", "a", "b"]),  # no source last; then title
        ("-source", ["b", "a", "d", "c"]),
    ],
)
def test_sort_orders(order: str, ids: list[str]) -> None:
    assert [a.id for a in sort_articles(ARTICLES, order)] == ids


@pytest.mark.parametrize(
    ("order", "after", "reverse", "words"),
    [
        ("file", "date", "-file", "file order"),
        ("date", "title", "-date", "date, newest first"),
        ("-date", "-title", "date", "date, oldest first"),
        ("source", "file", "-source", "source, A to Z"),
        ("bogus", "file", "-bogus", "bogus"),
    ],
)
def test_sort_cycle(order: str, after: str, reverse: str, words: str) -> None:
    assert (next_sort(order), reversed_sort(order), describe_sort(order)) == (
        after,
        reverse,
        words,
    )


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(), ["a", "b", "c", "d"]),
        (Filters(unread=True), ["b", "d"]),
        (Filters(read=True), ["a", "c"]),
        (Filters(starred=True), ["c", "d"]),
        (Filters(unread=True, starred=True), ["d"]),
        (Filters(unstarred=True, read=True), ["a"]),
    ],
)
def test_filters_read_the_marks(filters: Filters, ids: list[str]) -> None:
    marks = Marks(None)
    marks.note(ARTICLES)
    for article in ARTICLES:
        if article.id in "ac":
            marks.set_read(article)
        if article.id in "cd":
            marks.set_starred(article)
    assert [a.id for a in ARTICLES if marks.accepts(filters, a.id)] == ids


def test_changes_report_whether_anything_changed() -> None:
    marks = Marks(None)
    article = ARTICLES[0]
    assert marks.set_read(article) is True
    assert marks.set_read(article) is False
    assert marks.set_starred(article, False) is False
    assert marks.unread_count(a.id for a in ARTICLES) == 3


def test_marks_survive_a_new_session(tmp_path: Path) -> None:
    roots = [str(tmp_path / "archive")]
    marks, problems = Marks.load(roots, tmp_path)
    assert problems == []
    marks.note(ARTICLES)
    marks.set_read(ARTICLES[1])
    marks.set_starred(ARTICLES[2])
    marks.set_position(ARTICLES[3], 42)
    marks.set_sort("-date")
    marks.remember_query("otan")
    marks.set_last_selected("d")
    assert marks.dirty
    assert marks.save() == []

    again, _ = Marks.load(roots, tmp_path)
    again.note(ARTICLES)
    assert [a.id for a in ARTICLES if again.is_read(a.id)] == ["b"]
    assert [a.id for a in ARTICLES if again.is_starred(a.id)] == ["c"]
    assert (again.position(ARTICLES[3]), again.position(ARTICLES[0])) == (42, None)
    assert (again.sort, again.history, again.last_selected) == ("-date", ["otan"], "d")


def test_a_renamed_file_keeps_its_marks(tmp_path: Path) -> None:
    roots = [str(tmp_path)]
    marks, _ = Marks.load(roots, tmp_path)
    marks.set_read(ARTICLES[0])
    marks.set_position(ARTICLES[0], 7)
    marks.save()
    renamed = Article("renamed", "renamed", "text", ARTICLES[0].title, ARTICLES[0].body)
    again, _ = Marks.load(roots, tmp_path)
    again.note([renamed])
    assert (again.is_read("renamed"), again.position(renamed)) == (True, 7)


def test_forgetting_nothing_is_remembered(tmp_path: Path) -> None:
    marks, problems = Marks.load([str(tmp_path)], tmp_path, remember=False)
    marks.set_read(ARTICLES[0])
    marks.set_sort("title")
    assert (problems, marks.dirty, marks.save()) == ([], False, [])
    assert list(tmp_path.iterdir()) == []


def test_unknown_sort_refused() -> None:
    with pytest.raises(ValueError):
        Marks(None).set_sort("size")
