"""The app's second start lists the store in two steps (the first rows,
then the rest): between the two, searches, lookups, entities and marks give
the answers of a session that listed everything at once, and the whole list
keeps the very articles handed out meanwhile."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article, Problem
from reader.core.session import stored
from reader.core.session.session import Session
from reader.core.session.settings import Settings
from reader.core.store.archive import ArchiveStore
from reader.core.store.lazy import StoredArticle
from tests.core.session.test_deferred_listing import answers
from tests.core.session.test_stored import FILES, QUERIES, done, seen_once, settings_for

# the fixtures of those tests (a written archive, stat keys for fresh files)
from tests.core.session.test_stored import archive as archive
from tests.core.session.test_stored import no_racy_window as no_racy_window

Check = Callable[[Session], None]


def staged(settings: Settings, during: Check) -> tuple[Session, list[tuple[int, bool]]]:
    """A session streamed the app's way, ``during`` run at its first batch;
    the batches (article count, finished)."""
    session = Session(settings)
    session.load_marks()
    batches: list[tuple[int, bool]] = []

    def on_batch(articles: list[Article], problems: list[Problem], finished: bool) -> None:
        batches.append((len(articles), finished))
        if not finished:
            during(session)

    assert session.stream(on_batch, threading.Event())
    return session, batches


@pytest.fixture
def two_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "FIRST_ROWS", 2)


def test_between_the_steps_everything_is_found(
    archive: Path, tmp_path: Path, two_rows: None
) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    eager = Session.open(settings)
    expected = {q: answers(eager, q) for q in QUERIES}
    done(eager)
    handed: dict[str, Article] = {}

    def during(session: Session) -> None:
        library = session.library
        assert library.listing_rest
        assert [a.id for a in library.articles] == first.ids[:2]
        assert len(library) == len(FILES)  # the store's count
        assert {q: answers(session, q) for q in QUERIES} == expected
        last = library.get(first.ids[-1])
        assert type(last) is StoredArticle and library.get(first.ids[-1]) is last
        assert library.get("nothing.md") is None
        # entities of an article not listed yet: the stored ones, not recognised again
        assert library.is_analysed(last.id)
        assert session.entities(last.id, recognise=False) == first.entities[last.id]
        handed.update({a.id: a for a in session.search("Lyon").articles})
        handed[last.id] = last

    session, batches = staged(settings, during)
    assert batches == [(2, False), (0, True)]
    library = session.library
    assert not library.listing_rest and len(library.articles) == len(FILES)
    assert [a.id for a in library.articles] == first.ids
    for article_id, article in handed.items():  # the same objects, now listed
        assert library.get(article_id) is article
        assert any(listed is article for listed in library.articles)
    assert library.unrecognised == set()
    done(session)


def rename(archive: Path, old: str, new: str) -> None:
    target = archive / new
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(archive / old, target)


MARKED: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    # read, starred, then files renamed (the marks follow the text)
    "nothing marked": ((), (), ()),
    "read and starred, beyond the first rows": (
        ("sub/fr-lyon.md", "en-un.md"),
        ("fr-otan.md",),
        (),
    ),
    "read then renamed": (
        ("fr-airbus.txt",),
        ("fr-airbus.txt",),
        (("fr-airbus.txt", "x/avions.txt"),),
    ),
    "a first-row article read": (("en-berlin.txt",), (), ()),
}


@pytest.mark.parametrize("looked_up", [5000, 0], ids=["marks looked up", "too many marks"])
@pytest.mark.parametrize("case", MARKED)
def test_marks_are_taken_for_every_stored_article(
    archive: Path,
    tmp_path: Path,
    two_rows: None,
    case: str,
    looked_up: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Between the steps, every stored article's marks are known (the few
    rows marks concern are read from the store); with too many marks to
    look up, the first rows' are, and the rest's arrive with the whole list."""
    monkeypatch.setattr(stored, "MARKS_LOOKED_UP", looked_up)
    read, starred, renamed = MARKED[case]
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    marking = Session.open(settings)
    marking.analyse()
    for article_id in read:
        assert marking.toggle_read(article_id)
    for article_id in starred:
        assert marking.toggle_star(article_id)
    assert marking.marks.save() == []
    done(marking)
    for old, new in renamed:
        rename(archive, old, new)
    if renamed:  # a start that takes the renames into the store
        seen_once(settings)
    eager = Session.open(settings)
    ids = [a.id for a in eager.library.articles]
    expected = {i: (eager.marks.is_read(i), eager.marks.is_starred(i)) for i in ids}
    done(eager)
    assert sum(r for r, _ in expected.values()) == len(read)  # the marks survived
    seen: dict[str, tuple[bool, bool]] = {}

    def during(session: Session) -> None:
        marks = session.marks
        seen.update({i: (marks.is_read(i), marks.is_starred(i)) for i in ids})

    session, _ = staged(settings, during)
    if looked_up or not (read or starred):
        assert seen == expected
    else:  # the first rows' marks at once
        assert {i: seen[i] for i in ids[:2]} == {i: expected[i] for i in ids[:2]}
    # the whole list: every article's
    marks = session.marks
    assert {i: (marks.is_read(i), marks.is_starred(i)) for i in ids} == expected
    done(session)


def test_articles_without_entities_are_recognised_when_shown(
    archive: Path, tmp_path: Path, two_rows: None
) -> None:
    """Another recogniser keeps the articles and drops their entities: one
    shown between the steps is recognised then, the others are left to the
    analysis."""
    first = seen_once(settings_for(archive, tmp_path))
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_text("entities:\n  - name: Vilnius\n    label: ORG\n", encoding="utf-8")
    other = settings_for(archive, tmp_path, gazetteer=str(gazetteer))
    shown = "fr-otan.md"
    assert shown in first.ids[2:]

    def during(session: Session) -> None:
        found = session.entities(shown)
        assert found is not None and ("Vilnius", "ORG") in {(m.text, m.label) for m in found.body}

    session, _ = staged(other, during)
    library = session.library
    store = library.store
    assert store is not None and store.report.entities_dropped
    assert library.unrecognised == set(first.ids) - {shown}
    assert session.analyse() == (True, [])
    assert library.unrecognised == set()
    done(session)


def test_a_cancel_stops_the_listing_between_chunks(
    archive: Path, tmp_path: Path, two_rows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app quits while the rest is listed: the listing stops at its next
    chunk of rows (the process does not wait for 100k lazy articles)."""
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    chunks: list[int] = []
    row_chunks = ArchiveStore.row_chunks

    def counted(store: ArchiveStore, size: int = 8192) -> Iterator[list[tuple[Any, ...]]]:
        for chunk in row_chunks(store, 1):  # one row a chunk
            chunks.append(len(chunk))
            yield chunk

    monkeypatch.setattr(ArchiveStore, "row_chunks", counted)
    cancel = threading.Event()
    session = Session(settings)
    batches: list[tuple[int, bool]] = []

    def on_batch(articles: list[Article], problems: list[Problem], finished: bool) -> None:
        batches.append((len(articles), finished))
        cancel.set()  # quit as soon as the first rows are shown

    assert not session.stream(on_batch, cancel)
    assert batches == [(2, False)]  # no finished batch
    assert chunks == [1]  # one chunk read, then the cancel seen
    assert session.library.listing_rest  # the list was left as it was
    done(session)
    # uncancelled, the same chunks make the whole list
    chunks.clear()
    session, batches = staged(settings, lambda s: None)
    assert batches == [(2, False), (0, True)] and chunks == [1] * len(FILES)
    assert not session.library.listing_rest and len(session.library.articles) == len(FILES)
    done(session)
