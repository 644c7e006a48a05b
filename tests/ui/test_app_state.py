"""Reading state survives a restart (Pilot, temporary state folder)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reader.core.store.identity import state_path
from reader.ui import reading
from tests.conftest import ARTICLES, MakeReader, results_for, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"
OTHER_ID = "fr-ukraine-un-an-de-guerre.md"


async def test_quit_and_restart_keeps_selection_position_marks_and_history(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    app = make_reader(state_dir=state_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(OTHER_ID)
        await pilot.pause()
        await pilot.press("s")  # star (the list cursor follows the open article)
        reader.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("space", "space")
        await pilot.pause()
        assert reader.article_view.scroll_offset.y > 0
        await pilot.press("slash", *"otan")
        await results_for(pilot, "otan")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        reader.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("space", "space")
        top = reader.article_view.scroll_offset.y
        await pilot.press("q")
    assert list(state_dir.glob("archive-*.json"))

    again = make_reader(state_dir=state_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        reader = again.reader
        marks = reader.session.marks
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        assert reader.article_view.scroll_offset.y == top
        assert marks.is_read(SAMPLE_ID) and marks.is_read(OTHER_ID)
        assert marks.is_starred(OTHER_ID)
        assert reader.search_input.history[-1] == "otan"
        index = reader.article_list.index_of(OTHER_ID)
        assert index is not None and reader.article_list.entries[index].flag == "★"


async def test_no_state_writes_nothing(make_reader: MakeReader, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    app = make_reader(state_dir=state_dir, remember=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id(SAMPLE_ID)
        await pilot.press("s", "q")
    assert not state_dir.exists()


async def test_corrupt_state_is_moved_aside_and_the_app_starts(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    state_path(state_dir, [str(ARTICLES)]).write_bytes(b"{not json")
    app = make_reader(state_dir=state_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert app.reader.status.problems == 1
        problems = app.reader.session.problems
        assert any("corrupt" in p.message or "moved" in p.message for p in problems)
    assert list(state_dir.glob("*.corrupt-*"))


async def test_scrolling_to_the_end_marks_read(make_reader: MakeReader, tmp_path: Path) -> None:
    app = make_reader(state_dir=tmp_path / "state")
    async with app.run_test(size=(100, 20)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        marks = reader.session.marks
        reader.open_article_id(SAMPLE_ID)  # opening marks it read…
        await pilot.pause()
        await pilot.press("u")  # …so mark it unread again
        await pilot.pause()
        assert not marks.is_read(SAMPLE_ID)
        assert app.focused is reader.article_view
        await pilot.press("G")
        await pilot.pause()
        assert marks.is_read(SAMPLE_ID)


async def test_an_article_becomes_read_only_while_in_sight(
    make_reader: MakeReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below 80 columns the open list covers the article: browsing the list
    marks nothing read; the time counts once the article is in sight."""
    monkeypatch.setattr(reading, "READ_AFTER_SECONDS", 0.05)
    app = make_reader(state_dir=tmp_path / "state")
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        marks = reader.session.marks
        await pilot.press("j")
        await asyncio.sleep(0.3)
        await pilot.pause()
        shown = reader.current
        assert shown is not None and not reader.article_in_sight()
        assert not any(marks.is_read(a.id) for a in reader.session.library.articles)
        await pilot.press("t")  # close the list: the article is in sight
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert reader.article_in_sight() and marks.is_read(shown.id)

    wide = make_reader(state_dir=tmp_path / "wide-state")
    async with wide.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = wide.reader
        await pilot.press("j")
        await asyncio.sleep(0.3)
        await pilot.pause()
        shown = reader.current
        assert shown is not None and reader.session.marks.is_read(shown.id)
