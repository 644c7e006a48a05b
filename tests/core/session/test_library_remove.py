"""Removing or replacing articles of a library listed from the store reads no
other article: the list is searched by identity, never with ``==`` (which
reads a stored article's text)."""

from __future__ import annotations

import gc
import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.session.library import Library
from reader.core.session.session import Session
from reader.core.session.settings import resolve_settings
from reader.core.store import scan as scan_module
from reader.core.store.lazy import StoredArticle, plain

NAMES = [f"a{index:02d}.txt" for index in range(12)]


@pytest.fixture
def listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    """A second start's library: every article a lazy stored article."""
    monkeypatch.setattr(scan_module, "RACY_NS", -(10**12))
    root = tmp_path / "archive"
    root.mkdir()
    hour_ago = time.time() - 3600
    for name in NAMES:
        (root / name).write_text(f"Title {name}\n\nBody of {name} in Paris.\n", encoding="utf-8")
        os.utime(root / name, (hour_ago, hour_ago))
    settings = resolve_settings(
        [str(root)], cache_dir=tmp_path / "cache", state_dir=tmp_path / "state", watch=False
    )
    first = Session.open(settings)
    first.analyse()
    first.close()
    first.library = Library()
    gc.collect()
    library = Session.open(settings).library
    assert all(isinstance(a, StoredArticle) for a in library.articles)
    return library


@pytest.fixture
def reads(listed: Library) -> list[str]:
    """The ids of the articles read whole from the store from now on."""
    found: list[str] = []
    reader = listed.reader
    assert reader is not None
    real = reader._fetch

    def counting(article_id: str) -> Article | None:
        found.append(article_id)
        return real(article_id)

    reader._fetch = counting
    return found


@pytest.mark.parametrize(
    "which", [[-1], [0], [-1, 3, 5], list(range(len(NAMES)))], ids=["last", "first", "some", "all"]
)
def test_remove_reads_no_article(listed: Library, reads: list[str], which: list[int]) -> None:
    ids = [a.id for a in listed.articles]
    gone = [ids[i] for i in which]
    listed.remove_many(gone)
    assert reads == []
    assert [a.id for a in listed.articles] == [i for i in ids if i not in gone]
    assert all(listed.get(i) is None for i in gone)


def test_remove_one_reads_no_article(listed: Library, reads: list[str]) -> None:
    last = listed.articles[-1].id
    listed.remove(last)
    assert reads == [] and listed.get(last) is None and len(listed) == len(NAMES) - 1


def test_replacing_the_last_article_reads_only_it(listed: Library, reads: list[str]) -> None:
    ids = [a.id for a in listed.articles]
    fresh = replace(plain(listed.articles[-1]), title="A new title")
    reads.clear()
    listed.add(fresh)
    assert set(reads) <= {fresh.id}
    assert [a.id for a in listed.articles] == ids
    assert listed.articles[-1] is fresh
