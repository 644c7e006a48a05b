"""Lazy stored articles: list fields from the row, the rest read once on use."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import replace

import pytest

from reader.core.articles.article import Article, EntityAnnotation
from reader.core.store import lazy
from reader.core.store.identity import content_key
from reader.core.store.lazy import ArticleReader, StoredArticle, plain, stored_article, unreadable
from reader.core.store.records import ArticleRow

FULL = Article(
    id="dossiers/fr-otan.md",
    path="/archive/dossiers/fr-otan.md",
    format="markdown",
    title="L’OTAN à Vilnius",
    body="# L’OTAN à Vilnius\n\nLe sommet de l’OTAN s’ouvre à Vilnius.\n",
    author=("Anne Martin", "Joe Bloggs"),
    date="2023-07-11",
    date_valid=True,
    source="Le Monde",
    url="https://example.org/otan",
    lang="fr",
    lang_detected=True,
    tags=("otan", "défense"),
    summary="Le sommet s’ouvre.",
    entities=(EntityAnnotation("Vilnius", "LOC"), EntityAnnotation("OTAN", None, "suppress")),
    extra={"rubrique": "international", "pages": [1, 2]},
    truncated=True,
    size=1234,
    mtime=1_700_000_000.5,
)
BARE = Article(id="note.txt", path="/archive/note.txt", format="text", title="Note", body="Hi.\n")

LISTED = ("id", "path", "title", "date", "date_valid", "source", "lang", "tags", "author")
LISTED += ("size", "mtime")
READ = ("body", "summary", "url", "format", "entities", "extra", "truncated", "lang_detected")


class Counting:
    """A fetch that counts its calls and answers from a dict (or as told)."""

    def __init__(self, *articles: Article, answer: Callable[[str], Article | None] | None = None):
        self.by_id = {a.id: a for a in articles}
        self.calls: list[str] = []
        self.answer = answer

    def __call__(self, article_id: str) -> Article | None:
        self.calls.append(article_id)
        if self.answer is not None:
            return self.answer(article_id)
        return self.by_id.get(article_id)


def make(article: Article, fetch: Counting | None = None) -> tuple[StoredArticle, Counting]:
    fetch = fetch or Counting(article)
    return stored_article(ArticleRow.of(article), ArticleReader(fetch)), fetch


@pytest.mark.parametrize("original", [FULL, BARE], ids=["full", "bare"])
def test_list_fields_come_from_the_row_without_a_read(original: Article) -> None:
    stored, fetch = make(original)
    for name in LISTED:
        assert getattr(stored, name) == getattr(original, name), name
    assert content_key(stored) == content_key(original)
    assert repr(stored) == f"StoredArticle(id={original.id!r}, title={original.title!r})"
    assert isinstance(stored, Article)
    assert fetch.calls == []


@pytest.mark.parametrize("name", READ)
def test_each_other_field_is_read_on_first_use(name: str) -> None:
    stored, fetch = make(FULL)
    assert getattr(stored, name) == getattr(FULL, name)
    assert fetch.calls == [FULL.id]
    for other in READ:  # every other field now comes from the kept article
        assert getattr(stored, other) == getattr(FULL, other), other
    assert fetch.calls == [FULL.id]


@pytest.mark.parametrize("original", [FULL, BARE], ids=["full", "bare"])
def test_plain_and_pickling_give_the_original(original: Article) -> None:
    stored, _ = make(original)
    whole = plain(stored)
    assert type(whole) is Article and whole == original
    assert stored.whole() == original
    copied = pickle.loads(pickle.dumps(stored))
    assert type(copied) is Article and copied == original
    assert plain(original) is original


def test_the_reader_keeps_at_most_keep_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy, "KEEP", 3)
    articles = [replace(BARE, id=f"a{i}.txt", title=f"A{i}") for i in range(5)]
    fetch = Counting(*articles)
    reader = ArticleReader(fetch)
    stored = [stored_article(ArticleRow.of(a), reader) for a in articles]
    for item in stored:
        assert item.body == "Hi.\n"
    assert len(fetch.calls) == 5
    fetch.calls.clear()
    for item in stored[2:]:  # the last three are kept
        assert item.body == "Hi.\n"
    assert fetch.calls == []
    assert stored[0].body == "Hi.\n"  # the first was dropped: read again, and a2 leaves
    assert fetch.calls == ["a0.txt"]
    fetch.calls.clear()
    assert (stored[3].body, stored[4].body) == ("Hi.\n", "Hi.\n")  # still kept
    assert stored[2].body == "Hi.\n"  # the least recently used went for a0
    assert fetch.calls == ["a2.txt"]


def test_forget_drops_one_article() -> None:
    other = replace(BARE, id="other.txt")
    fetch = Counting(FULL, other)
    reader = ArticleReader(fetch)
    first = stored_article(ArticleRow.of(FULL), reader)
    second = stored_article(ArticleRow.of(other), reader)
    assert (first.body, second.body) == (FULL.body, other.body)
    reader.forget(FULL.id)
    reader.forget("never-kept")
    assert (first.body, second.body) == (FULL.body, other.body)
    assert fetch.calls == [FULL.id, other.id, FULL.id]


def _raise(article_id: str) -> Article | None:
    raise RuntimeError("closed store")


@pytest.mark.parametrize(
    "answer",
    [
        lambda article_id: None,  # removed meanwhile, or a damaged store
        _raise,  # any failure of the store
        lambda article_id: replace(FULL, title="Another title"),  # another article now
    ],
    ids=["none", "raises", "other-title"],
)
def test_an_article_that_cannot_be_read_shows_as_unreadable(
    answer: Callable[[str], Article | None],
) -> None:
    stored, fetch = make(FULL, Counting(answer=answer))
    whole = stored.whole()
    assert whole == unreadable(FULL)
    assert (whole.id, whole.path, whole.title, whole.lang) == (FULL.id, FULL.path, FULL.title, "fr")
    assert "no longer holds this article" in whole.body
    assert stored.body == whole.body and stored.format == "text" and stored.url is None
    # nothing unreadable is kept: each use tries the store again
    assert fetch.calls == [FULL.id] * 4
    assert content_key(stored) == content_key(FULL)  # the reading state still matches


def test_stored_articles_compare_with_stored_articles() -> None:
    reader = ArticleReader(Counting(FULL))
    row = ArticleRow.of(FULL)
    assert stored_article(row, reader) == stored_article(row, reader)
    assert stored_article(row, reader) != stored_article(ArticleRow.of(BARE), reader)


def test_stored_articles_compare_and_hash_without_a_read() -> None:
    """``==`` and ``hash`` use the list columns and the content key, so a
    ``list.index`` or a set of 100k stored articles reads no text."""
    same, fetch = make(FULL)
    again = stored_article(ArticleRow.of(FULL), ArticleReader(fetch))
    other = make(BARE, fetch)[0]
    edited = make(replace(FULL, body=FULL.body + " Encore."), fetch)[0]
    assert same == again and hash(same) == hash(again)
    assert same != other
    assert same != edited  # another text: another content key
    assert len({same, again, other, edited}) == 3
    assert fetch.calls == []
