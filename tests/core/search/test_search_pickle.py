"""The search index's compact pickled state (``SearchIndex.__getstate__`` /
``__setstate__``): a round trip answers every query as before and stays
updatable; the articles are shared with the library, not copied."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article
from reader.core.search import SearchIndex
from reader.core.search import index as index_module
from reader.core.session.library import Library
from reader.core.store import cache

ARTICLES = Path(__file__).resolve().parents[3] / "articles"

QUERIES = [
    "ukraine",
    "paix",
    "otan",
    "poutine otan",
    "guerre -russie",
    "kiev OR kyiv",
    "(kiev OR kyiv) otan",
    '"maintien de la paix"',
    '"the european union"',
    "souver*",
    "sum",
    "the",
    "de la",
    "otna",
    "louhansk",
    "title:paix",
    "title:summit",
    'title:"peace summit"',
    "author:dupont",
    "tag:ukraine",
    "source:monde",
    "person:poutine",
    "place:donbass",
    "org:otan",
    "entity:nato",
    "lang:fr",
    "lang:en",
    "lang:fr paix",
    "date:2022",
    "date:2022-01..2022-03",
    "date:2023.. ukraine",
    "date:..2021-12",
    "-ukraine",
    "zzzzzzzz",
    "États-Unis",
    "150 000",
    "",
]


def answers(index: SearchIndex) -> list[Any]:
    out: list[Any] = []
    for query in QUERIES:
        for as_you_type in (False, True):
            results = index.search(query, limit=100, as_you_type=as_you_type)
            out.append(
                (
                    query,
                    as_you_type,
                    results.total,
                    results.nothing_to_search,
                    results.suggestion,
                    [
                        (h.id, h.score, h.fields, h.typos, h.offsets, h.snippet)
                        for h in results.hits
                    ],
                )
            )
    return out


@pytest.fixture(scope="module")
def library() -> Library:
    library = Library.load([ARTICLES])
    library.analyse()
    assert len(library.articles) > 10
    return library


def entity_fields(library: Library) -> Callable[[Article], dict[str, list[str]]]:
    return lambda article: library.entities_for(article.id).search_fields()


Dumps = Callable[[object], bytes]
Loads = Callable[[bytes], object]


def _plain_dumps(obj: object) -> bytes:
    return pickle.dumps(obj, protocol=5)


def _cache_dumps(obj: object) -> bytes:
    return cache._dumps(obj)


def _cache_loads(data: bytes) -> object:
    return cache._loads(memoryview(data))


PICKLERS = pytest.mark.parametrize(
    ("dumps", "loads"),
    [(_plain_dumps, pickle.loads), (_cache_dumps, _cache_loads)],
    ids=["pickle", "cache"],
)


def round_trip(
    articles: list[Article], index: SearchIndex, dumps: Dumps, loads: Loads
) -> tuple[list[Article], SearchIndex]:
    payload = loads(dumps({"articles": articles, "index": index}))
    assert isinstance(payload, dict)
    restored = payload["index"]
    assert isinstance(restored, SearchIndex)
    return payload["articles"], restored


@PICKLERS
def test_round_trip_answers_the_same(library: Library, dumps: Dumps, loads: Loads) -> None:
    expected = answers(library.index)
    assert any(row[2] for row in expected)
    articles, restored = round_trip(library.articles, library.index, dumps, loads)
    assert answers(restored) == expected
    assert len(restored) == len(library.index)
    assert all(article.id in restored for article in library.articles)
    assert list(restored.sorted_terms()) == list(library.index.sorted_terms())
    # the index points at the articles of the same pickle, not at copies
    by_id = {article.id: article for article in articles}
    for hit in restored.search("the OR de", limit=1000).hits:
        assert hit.article is by_id[hit.id]
    # and a second round trip gives the same state
    _, again = round_trip(articles, restored, dumps, loads)
    assert answers(again) == expected


def test_state_is_compact(library: Library) -> None:
    """A few blobs, not an object per posting list or document."""
    state = library.index.__getstate__()

    def objects(value: object) -> int:
        if isinstance(value, dict):
            return 1 + sum(objects(v) for v in value.values())
        if isinstance(value, list | tuple):
            return 1 + sum(objects(v) for v in value)
        return 1

    count = sum(objects(v) for k, v in state.items() if k != "articles")
    assert count < 200
    assert "_lock" not in state and "_blockmax" not in state and "_keymaps" not in state


def test_state_survives_nul_in_terms_and_names() -> None:
    index = SearchIndex()
    article = Article(id="a", path="a", format="text", title="x\x00y zed", body="b\x00c zed")
    index.add(article, {"person": ["Nul\x00Name"], "entity": ["Nul\x00Name", "Other"]})
    restored = pickle.loads(pickle.dumps(index, protocol=5))
    for query in ("zed", "person:nul", "entity:other", "x"):
        assert [h.id for h in restored.search(query).hits] == [
            h.id for h in index.search(query).hits
        ], query
    restored.remove("a")
    restored._compact()
    assert len(restored) == 0


def test_empty_index_round_trip() -> None:
    restored = pickle.loads(pickle.dumps(SearchIndex(), protocol=5))
    assert len(restored) == 0
    assert restored.search("paix").total == 0
    article = Article(id="a", path="a", format="text", title="paix", body="la paix")
    restored.add(article)
    assert [h.id for h in restored.search("paix").hits] == ["a"]


@PICKLERS
def test_updates_after_round_trip_equal_a_rebuild(
    library: Library, dumps: Dumps, loads: Loads
) -> None:
    fields = entity_fields(library)
    articles = list(library.articles)
    index = SearchIndex()
    index.build(articles[:-3], entities=fields)
    index.remove(articles[0].id)  # a removed document in the pickled state
    loaded, restored = round_trip(articles, index, dumps, loads)
    assert loaded[0] is not articles[0]

    # remove two, re-add one of them changed, add the three left out
    restored.remove(loaded[1].id)
    restored.remove(loaded[2].id)
    changed = Article(
        id=loaded[2].id,
        path=loaded[2].path,
        format="text",
        title=loaded[2].title + " zanzibarique",
        body=loaded[2].body,
        lang=loaded[2].lang,
    )
    restored.add(changed, fields(loaded[2]))
    for article in loaded[-3:]:
        restored.add(article, fields(article))

    rebuilt = SearchIndex()
    rebuilt.build(
        [a for a in loaded[3:-3]] + [changed] + loaded[-3:],
        entities=lambda a: fields(a) if a is not changed else fields(loaded[2]),
    )
    assert len(restored) == len(rebuilt)
    assert answers(restored) == answers(rebuilt)
    assert restored.search("zanzibarique").total == 1

    # compaction re-indexes the restored documents from their packed entities
    restored._compact()
    assert answers(restored) == answers(rebuilt)
    assert restored.search("person:poutine").total == rebuilt.search("person:poutine").total
    _, again = round_trip(loaded, restored, dumps, loads)
    assert answers(again) == answers(rebuilt)


def test_pickled_while_searched(library: Library) -> None:
    """Pickling does not take the index's lock (a forked writer may pickle
    it with the lock held by a thread that only exists in the parent)."""
    index = library.index
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with index._lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(10)
        data = pickle.dumps(index, protocol=5)
    finally:
        release.set()
        thread.join()
    assert pickle.loads(data).search("ukraine").total == index.search("ukraine").total


def test_older_plain_state_still_loads(library: Library) -> None:
    index = SearchIndex.__new__(SearchIndex)
    state = {k: v for k, v in vars(library.index).items() if k != "_lock"}
    index.__setstate__(state)
    assert answers(index) == answers(library.index)
    assert index_module._STATE_FORMAT == 1
