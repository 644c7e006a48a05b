"""Grouping the browse list by folder, source or tag."""

from __future__ import annotations

import pytest

from reader.core.articles.article import Article
from reader.core.session.grouping import (
    NO_FOLDER,
    NO_SOURCE,
    NO_TAG,
    group_articles,
    next_grouping,
)


def art(id: str, source: str | None = None, tags: tuple[str, ...] = ()) -> Article:
    return Article(id, id, "text", id, "", source=source, tags=tags)


ARTICLES = [
    art("monde/a.md", "Le Monde", ("ukraine", "otan")),
    art("b.md", None, ()),
    art("afp/c.md", "AFP", ("ukraine",)),
    art("monde/sub/d.md", "le monde", ("otan", "otan")),
]


@pytest.mark.parametrize(
    ("by", "groups"),
    [
        ("none", []),
        ("bogus", []),
        (
            "folder",
            [
                ("afp", ["afp/c.md"]),
                ("monde", ["monde/a.md"]),
                ("monde/sub", ["monde/sub/d.md"]),
                (NO_FOLDER, ["b.md"]),
            ],
        ),
        (
            "source",
            [
                ("AFP", ["afp/c.md"]),
                ("Le Monde", ["monde/a.md", "monde/sub/d.md"]),
                (NO_SOURCE, ["b.md"]),
            ],
        ),
        (
            "tag",
            [
                ("otan", ["monde/a.md", "monde/sub/d.md"]),
                ("ukraine", ["monde/a.md", "afp/c.md"]),
                (NO_TAG, ["b.md"]),
            ],
        ),
    ],
)
def test_groups(by: str, groups: list[tuple[str, list[str]]]) -> None:
    found = [(g.name, [a.id for a in g.articles]) for g in group_articles(ARTICLES, by)]
    assert found == groups


@pytest.mark.parametrize(
    ("by", "after"),
    [("none", "folder"), ("folder", "source"), ("source", "tag"), ("tag", "none"), ("x", "none")],
)
def test_cycle(by: str, after: str) -> None:
    assert next_grouping(by) == after
