"""The app starts from the archive store on a second run (Pilot)."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from textual.pilot import Pilot

from reader.core.articles.article import Article
from reader.core.session import stored
from reader.core.session.library import Library
from reader.core.store import scan
from reader.core.store.archive import ArchiveStore
from tests.conftest import (
    ARTICLES,
    HANG_GUARD_SECONDS,
    MakeReader,
    results_for,
    until,
    wait_ready,
)

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting an old mtime makes the ctime now: without this, every copied
    file would be 'just modified' and read again at the second start."""
    monkeypatch.setattr(scan, "RACY_NS", -(10**12))


def copied_archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the repository's articles, written an hour ago, and a cache folder."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (hour_ago, hour_ago))
    return folder, tmp_path / "cache"


async def test_second_start_uses_the_cache(make_reader: MakeReader, tmp_path: Path) -> None:
    folder, cache_dir = copied_archive(tmp_path)

    first = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert not first.reader.status.detail.startswith("cache:")
        await until(pilot, first.reader.analysed.is_set, "entities recognised")
        store = first.session.library.store
        assert store is not None and store.path.exists()
        keys = [entry.key for entry in first.reader.article_list.entries]

    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = second.reader
        library = reader.session.library
        assert library.store is not None and library.store.path == store.path
        assert [entry.key for entry in reader.article_list.entries] == keys
        assert reader.status.detail.startswith("cache:")
        assert type(library.get(SAMPLE_ID)).__name__ == "StoredArticle"
        await pilot.press("slash", *"louhansk")
        found = await results_for(pilot, "louhansk")
        assert found[0] == SAMPLE_ID
        entities = reader.session.library.entities_for(SAMPLE_ID)
        assert entities is not None and entities.body


async def test_second_start_shows_what_changed_meanwhile(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Files added and removed while the app was closed show up on the next
    start once the folders are checked, without live reload."""
    folder, cache_dir = copied_archive(tmp_path)
    first = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await until(pilot, first.reader.analysed.is_set, "entities recognised")

    (folder / "en-zanzibar.md").write_text(
        "# Quokkas reach Zanzibar\n\nA colony of quokkas was seen in Zanzibar.\n",
        encoding="utf-8",
    )
    (folder / SAMPLE_ID).unlink()
    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = second.reader
        await until(pilot, reader.analysed.is_set, "the folders checked")

        def listed() -> list[str]:
            return [entry.key for entry in reader.article_list.entries]

        await until(pilot, lambda: "en-zanzibar.md" in listed(), "the new file listed")
        assert SAMPLE_ID not in listed()
        await pilot.press("slash", *"quokkas")
        assert await results_for(pilot, "quokkas") == ["en-zanzibar.md"]


def hold_the_rest(monkeypatch: pytest.MonkeyPatch, first_rows: int) -> threading.Event:
    """List the first ``first_rows`` of a second start, and the rest only
    when the returned event is set."""
    monkeypatch.setattr(stored, "FIRST_ROWS", first_rows)
    rest = threading.Event()
    list_rest = Library.list_rest

    def held(library: Library, articles: Sequence[Article], unrecognised: Iterable[str]) -> None:
        rest.wait(HANG_GUARD_SECONDS)
        list_rest(library, articles, unrecognised)

    monkeypatch.setattr(Library, "list_rest", held)
    return rest


async def quit_on(
    make_reader: MakeReader, folder: Path, cache_dir: Path, article: str
) -> list[str]:
    """A first start that reads ``article`` and quits; the list's keys."""
    first = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        keys = [entry.key for entry in first.reader.article_list.entries]
        first.reader.open_article_id(article)  # read now, remembered
        await pilot.press("q")
    return keys


class HeldStart(NamedTuple):
    pilot: Pilot[Any]
    reader: Any
    keys: list[str]
    """The first start's list, in file order."""
    rest: threading.Event
    """Set it to list the rest."""


@contextlib.asynccontextmanager
async def first_rows_held(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> AsyncIterator[HeldStart]:
    """A second start showing its first ``rows`` only, the rest held until
    ``rest`` is set; the first start read :data:`SAMPLE_ID` and quit."""
    folder, cache_dir = copied_archive(tmp_path)
    keys = await quit_on(make_reader, folder, cache_dir, SAMPLE_ID)
    rest = hold_the_rest(monkeypatch, rows)
    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        reader = second.reader
        await until(
            pilot, lambda: len(reader.article_list.entries) == rows, "the first rows listed"
        )
        yield HeldStart(pilot, reader, keys, rest)


async def test_second_start_lists_the_first_rows_then_the_rest(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second start shows the first rows and the article open when the
    app quit at once, and lists the rest in a worker; meanwhile a search
    finds any article, read marks included, and the whole list keeps the
    article opened from the results."""
    folder, cache_dir = copied_archive(tmp_path)
    keys = await quit_on(make_reader, folder, cache_dir, SAMPLE_ID)
    assert SAMPLE_ID in keys[2:]
    rest = hold_the_rest(monkeypatch, 2)
    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        reader = second.reader

        def shown() -> list[str]:
            return [entry.key for entry in reader.article_list.entries]

        await until(pilot, lambda: shown() == keys[:2], "the first rows listed")
        assert not reader.loaded.is_set()
        assert reader.status.articles == len(keys)  # the store's count
        # the header says so; Textual's loading indicator does not cover it
        assert reader.status.stage == f"listing {len(keys):,}…" and reader.status.loading is False
        assert reader.session.marks.is_read(SAMPLE_ID)  # before it is listed
        # the article open when the app quit is shown at once, not the first row
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        await pilot.press("slash", *"louhansk is:read")
        assert await results_for(pilot, "louhansk is:read") == [SAMPLE_ID]
        await pilot.press("enter")
        await until(pilot, lambda: reader.focused is reader.article_view, "the article opened")
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        assert reader.presentation is not None and reader.presentation.entities
        # back to the list being made: the open article stays, selected once listed
        await pilot.press("escape", "escape")
        await until(pilot, lambda: shown() == keys[:2], "the first rows again")
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        rest.set()
        await wait_ready(pilot)
        assert shown() == keys
        assert reader.article_list.current is not None
        assert reader.article_list.current.key == SAMPLE_ID
        assert reader.session.library.get(SAMPLE_ID) is reader.current  # one object


async def test_a_query_typed_before_the_rest_is_listed_is_asked_again(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with first_rows_held(make_reader, tmp_path, monkeypatch, 2) as held:
        pilot, reader, _, rest = held
        await pilot.press("slash", *"ukraine")
        found = await results_for(pilot, "ukraine")
        assert len(found) > 2
        reader.article_list.focus()
        await pilot.press("j", "j")
        chosen = found[2]
        await until(pilot, lambda: reader.current is not None and reader.current.id == chosen)
        answered = reader.answer
        rest.set()
        await wait_ready(pilot)
        await until(pilot, lambda: reader.answer is not answered, "the query asked again")
        assert [entry.key for entry in reader.article_list.entries] == found
        assert reader.article_list.current is not None
        assert reader.article_list.current.key == chosen


async def test_moving_before_the_rest_is_listed_drops_the_restore(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader who moves in the first rows stays there when the rest is
    listed: the remembered article does not take the cursor back."""
    async with first_rows_held(make_reader, tmp_path, monkeypatch, 3) as held:
        pilot, reader, keys, rest = held
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        reader.article_list.focus()
        await pilot.press("j")
        await until(pilot, lambda: reader.current is not None and reader.current.id == keys[1])
        rest.set()
        await wait_ready(pilot)
        assert len(reader.article_list.entries) == len(keys)
        assert reader.article_list.current is not None
        assert reader.article_list.current.key == keys[1]
        assert reader.current is not None and reader.current.id == keys[1]


async def test_quitting_while_the_rest_is_listed_stops_the_listing(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``q`` while a second start lists the rest: the listing stops at its
    next chunk of rows instead of holding up the exit (100k rows: a second)."""
    folder, cache_dir = copied_archive(tmp_path)
    await quit_on(make_reader, folder, cache_dir, SAMPLE_ID)
    monkeypatch.setattr(stored, "FIRST_ROWS", 2)
    go, ended = threading.Event(), threading.Event()
    chunks: list[list[tuple[Any, ...]]] = []
    row_chunks = ArchiveStore.row_chunks

    def held(store: ArchiveStore, size: int = 8192) -> Iterator[list[tuple[Any, ...]]]:
        try:
            for chunk in row_chunks(store, 1):  # a row a chunk, each after ``go``
                chunks.append(chunk)
                yield chunk
                go.wait(HANG_GUARD_SECONDS)
        finally:
            ended.set()

    monkeypatch.setattr(ArchiveStore, "row_chunks", held)
    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: chunks, "the rest being listed")
        library = second.reader.session.library
        assert library.listing_rest
        await pilot.press("q")
    go.set()
    assert ended.wait(HANG_GUARD_SECONDS)
    # stopped at the next chunk (the cancel, or the store closed meanwhile)
    assert len(chunks) <= 2 < len(list(folder.iterdir()))
    assert library.listing_rest  # the whole list was never made


async def test_mark_all_read_before_the_rest_is_listed_marks_every_article(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``A`` while only the first rows are listed waits for the whole list
    (marking the first rows only would leave the rest unread behind a
    header that counts them all)."""
    async with first_rows_held(make_reader, tmp_path, monkeypatch, 2) as held:
        pilot, reader, keys, rest = held
        reader.article_list.focus()
        await pilot.press("A")
        marks = reader.session.marks
        assert [k for k in keys if marks.is_read(k)] == [SAMPLE_ID]  # nothing marked yet
        rest.set()
        await wait_ready(pilot)
        await until(pilot, lambda: all(marks.is_read(k) for k in keys), "every article read")
        await pilot.press("A")  # once listed, at once: nothing left to mark
        assert all(marks.is_read(k) for k in keys)


async def test_next_unread_before_the_rest_is_listed_looks_in_the_whole_list(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``n`` when the first rows are all read, before the rest is listed,
    opens the next unread article once it is (it said there was none)."""
    async with first_rows_held(make_reader, tmp_path, monkeypatch, 2) as held:
        pilot, reader, keys, rest = held
        for key in keys[:2]:
            reader.session.mark_read(key)
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        reader.article_view.focus()
        await pilot.press("n")
        assert reader.current.id == SAMPLE_ID  # nothing unread among the rows listed
        rest.set()
        await wait_ready(pilot)
        read = {*keys[:2], SAMPLE_ID}
        after = keys.index(SAMPLE_ID)
        expected = next(k for k in keys[after + 1 :] + keys[:after] if k not in read)
        await until(pilot, lambda: reader.current is not None and reader.current.id == expected)
