"""Reading state survives a restart (Pilot, temporary state folder)."""

from __future__ import annotations

from pathlib import Path

from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"
OTHER_ID = "fr-ukraine-un-an-de-guerre.md"


async def loaded(app: ReaderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3000):
        await pilot.pause(0.02)
        if app._loaded and app._analysed:
            break


async def test_quit_and_restart_keeps_selection_position_marks_and_history(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    app = ReaderApp([ARTICLES], state_dir=state_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        app.open_article_id(OTHER_ID)
        await pilot.pause()
        await pilot.press("s")  # star (the list cursor follows the open article)
        app.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("space", "space")
        await pilot.pause()
        top = app.article_view.scroll_offset.y
        assert top > 0
        await pilot.press("slash", *"otan", "enter")
        await pilot.pause()
        await pilot.press("escape")
        app.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("space", "space")
        top = app.article_view.scroll_offset.y
        await pilot.press("q")
    assert list(state_dir.glob("archive-*.json"))

    again = ReaderApp([ARTICLES], state_dir=state_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await loaded(again, pilot)
        await pilot.pause()
        assert again._current is not None and again._current.id == SAMPLE_ID
        assert again.article_view.scroll_offset.y == top
        assert SAMPLE_ID in again.read_ids and OTHER_ID in again.read_ids
        assert OTHER_ID in again.starred_ids
        assert again.search_input.history[-1] == "otan"
        index = again.article_list.index_of(OTHER_ID)
        assert index is not None and again.article_list.entries[index].flag == "★"


async def test_no_state_writes_nothing(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    app = ReaderApp([ARTICLES], state_dir=state_dir, remember=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        app.open_article_id(SAMPLE_ID)
        await pilot.press("s", "q")
    assert not state_dir.exists()


async def test_corrupt_state_is_moved_aside_and_the_app_starts(tmp_path: Path) -> None:
    from reader.core.store.state import state_path

    state_dir = tmp_path / "state"
    state_dir.mkdir()
    state_path(state_dir, [str(ARTICLES)]).write_bytes(b"{not json")
    app = ReaderApp([ARTICLES], state_dir=state_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        assert app.status.problems == 1
        assert any("corrupt" in p.message or "moved" in p.message for p in app.library.problems)
    assert list(state_dir.glob("*.corrupt-*"))


async def test_scrolling_to_the_end_marks_read(tmp_path: Path) -> None:
    app = ReaderApp([ARTICLES], state_dir=tmp_path / "state")
    async with app.run_test(size=(100, 20)) as pilot:
        await loaded(app, pilot)
        app.open_article_id(SAMPLE_ID)
        app.read_ids.discard(SAMPLE_ID)
        await pilot.pause()
        assert SAMPLE_ID not in app.read_ids
        await pilot.press("G")
        await pilot.pause()
        assert SAMPLE_ID in app.read_ids
