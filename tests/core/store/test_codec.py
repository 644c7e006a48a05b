"""The store's encodings give back exactly what they were given (hostile values included)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.core.articles.article import Article, EntityAnnotation, Problem
from reader.core.articles.loader import discover
from reader.core.entities.catalogue import ArticleEntities
from reader.core.entities.model import Mention
from reader.core.store import codec
from reader.core.store.schema import ROW_SELECT

BASE = Article(id="a.md", path="/x/a.md", format="markdown", title="T", body="B")

HOSTILE_ARTICLES = [
    BASE,
    Article(
        id="dir/é file #2",
        path="/tmp/d\ufffd/é file.md",
        format="yaml",
        title="Lone \ud800 surrogate and \U0001f600 emoji",
        body="Body with \ud83d half a pair,\ttabs\nand lines\u2028 and RTL \u202e text",
        author=("Anne \ud800", "Bob"),
        date="2024-02-30 not a date",
        source="Le Monde \u200b",
        url="https://example.org/?q=<b>&x='\"",
        lang="fr",
        lang_detected=True,
        tags=("a\x1fb", "", "\x1eleading"),
        summary="[bold]not markup[/bold]",
        entities=(
            EntityAnnotation("Macron", "PER"),
            EntityAnnotation("Paris", None, "suppress"),
            EntityAnnotation("OTAN", "ORG", "relabel"),
        ),
        extra={
            "plain": "x",
            "n": 3,
            "big": 2**80,
            "f": -0.0,
            "inf": float("inf"),
            "flag": False,
            "none": None,
            "list": [1, "2", [3.5]],
            "nested": {"k": {"deeper": ("t", 1)}, "1": b"\x00\xff"},
            "when": datetime(
                2001, 12, 14, 21, 59, 43, 100000, tzinfo=timezone(timedelta(hours=-5))
            ),
            "utc": datetime(2020, 1, 1, tzinfo=UTC),
            "naive": datetime(2020, 1, 1, 3, 4),
            "day": date(2020, 2, 29),
            "set": {"a", "b"},
            "frozen": frozenset({1, 2}),
            "omap": [("a", "1"), ("b", "2")],
            "tuple-key": {("x", 1): "v"},
            "d": {"d": [["looks", "like a tag"]]},
        },
        truncated=True,
        size=123456789,
        mtime=1700000000.123456,
    ),
    Article(id="t", path="t", format="text", title="", body="", tags=("",), author=("",)),
    Article(id="u", path="u", format="text", title="x", body="é" * 5000, date=None, source=None),
]


@pytest.mark.parametrize("article", HOSTILE_ARTICLES, ids=range(len(HOSTILE_ARTICLES)))
def test_articles_round_trip(article: Article) -> None:
    row = codec.row_values(article)
    assert len(row) == len(ROW_SELECT.split(","))
    detail = codec.detail_text(article)
    assert detail.isascii()
    body = codec.unpack_text(codec.pack_text(article.body))
    assert codec.build_article(row, detail, body) == article


def test_odd_rows_are_flagged_and_plain_rows_are_not() -> None:
    assert codec.row_values(BASE)[-1] == 0
    odd = codec.row_values(HOSTILE_ARTICLES[1])
    assert odd[-1] == 1 and isinstance(odd[2], bytes)
    assert codec.plain_row(odd)[2] == HOSTILE_ARTICLES[1].title


def test_ids_with_surrogates_are_refused() -> None:
    with pytest.raises(codec.Unstorable):
        codec.row_values(Article(id="\udc80", path="p", format="text", title="", body=""))
    with pytest.raises(codec.Unstorable):
        codec.detail_text(
            Article(id="i", path="p", format="text", title="", body="", extra={"x": object()})
        )


@pytest.mark.parametrize(
    ("items", "joined"),
    [((), None), (("",), ""), (("a", "b"), "a\x1fb"), (("a\x1fb",), '\x1e["a\\u001fb"]')],
)
def test_lists_join_and_split(items: tuple[str, ...], joined: str | None) -> None:
    assert codec.join_list(items) == joined
    assert codec.split_list(joined) == items


@pytest.mark.parametrize("text", ["", "short", "long text " * 100, "\ud800" * 300, "é\x00"])
def test_texts_pack_exactly_and_compress_when_it_pays(text: str) -> None:
    packed = codec.pack_text(text)
    assert codec.unpack_text(packed) == text
    if len(text) > 400:
        assert len(packed) < len(text)


@pytest.mark.parametrize("blob", [b"", b"\x02abc", b"\x01not zlib"])
def test_damaged_text_blobs_raise(blob: bytes) -> None:
    with pytest.raises(Exception) as info:
        codec.unpack_text(blob)
    assert isinstance(info.value, ValueError) or info.type.__name__ == "error"


def test_entities_round_trip_with_unusual_texts_and_keys() -> None:
    entities = ArticleEntities(
        title=(Mention(0, 7, "PER", "Poutine", "per:vladimir poutine"),),
        body=(
            Mention(0, 16, "PER", "Vladimir Poutine", "per:vladimir poutine"),
            Mention(24, 31, "PER", "Poutine", "per:poutine"),  # key as make_key gives it
            Mention(37, 41, "ORG", "NATO", "org:nato"),  # text differs from the slice
            Mention(45, 51, "MISC", "Macron", "misc:macron"),
            Mention(45, 51, "DATE", "Macron", "whatever key"),
            Mention(52, 55, "LOC", "\ud800 à", "loc:\ud800 a"),  # a lone surrogate
        ),
    )
    blob = codec.entities_blob(entities)
    assert codec.entities_from_blob(blob) == entities
    assert codec.entities_from_blob(codec.entities_blob(ArticleEntities())) == ArticleEntities()


@pytest.mark.parametrize(
    "doc",
    [
        '[[[0, 2, "P"]], []]',  # no text
        '[[[0, 1, "X", "a"]], []]',
        '[[["0", 1, "P", "a"]], []]',
        '[[[-1, 1, "P", "a"]], []]',
        '[[[0, 1, "P", 7]], []]',
        '[[[0, 1, "P", "a", 7]], []]',
        '[{"a": 1}, []]',
        "[]",
        '{"a": 1}',
    ],
)
def test_damaged_entities_are_refused(doc: str) -> None:
    with pytest.raises(ValueError):
        codec.entities_from_blob(codec.pack_text(doc))


def test_problems_round_trip() -> None:
    problems = (Problem("a\ud800", "bad\nthing"), Problem("", ""))
    assert codec.problems_from_text(codec.problems_text(problems)) == problems
    assert codec.problems_text(()) is None and codec.problems_from_text(None) == ()


def test_order_key_sorts_like_the_loader_walks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    names = [
        "b.md", "a.md", "a b.md", "ab.md", "é.md", "Z.md", "z/1.md", "a/x.md", "a/b/y.md",
        "a/a.md", "a b/c.md", "ab/d.md", "\U0001f600/e.md", "é/f.md",
    ]  # fmt: skip
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    raw = os.fsencode(root) + b"/caf\xe9.md"  # not UTF-8: a surrogate-escaped name
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write("x")
    walked = [c.relative for c in discover([root]) if not isinstance(c, Problem)]
    assert len(walked) == len(names) + 1
    assert sorted(walked, key=lambda relative: codec.order_key(0, relative)) == walked
    assert codec.order_key(0, "z.md") < codec.order_key(1, "a.md")
