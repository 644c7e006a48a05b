"""The panes at common terminal sizes: nothing is squeezed into a ribbon,
the footer is whole, and a pane that replaces another takes its width."""

from __future__ import annotations

from pathlib import Path

from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.search_bar import SearchBar
from tests.conftest import MakeReader, screen_lines, wait_ready


async def test_entity_panel_at_80_columns_leaves_the_article_readable(
    make_reader: MakeReader,
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, analysed=False)
        await pilot.press("enter", "e")
        await pilot.pause(0.1)
        view = app.screen.query_one(ArticleView)
        panel = app.screen.query_one(EntityPanel)
        assert panel.display and panel.size.width >= 30
        assert view.scrollable_content_region.width >= 40
        footer = screen_lines(app)[-1]
        assert footer.rstrip().endswith("? Help"), footer
        # Searching from there shows the search bar it types into.
        await pilot.press("slash", "x")
        await pilot.pause(0.1)
        assert app.screen.query_one(SearchBar).region.width > 0
        assert " x " in screen_lines(app)[1]
        await pilot.press("escape", "escape")
        await pilot.pause(0.1)
        # Closing the panel brings the sidebar back.
        await pilot.press("e")
        await pilot.pause(0.1)
        assert app.screen.query_one(ArticleList).size.width >= 24


async def test_entity_panel_beside_sidebar_when_wide(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_ready(pilot, analysed=False)
        await pilot.press("enter", "e")
        await pilot.pause(0.1)
        assert app.screen.query_one(ArticleList).size.width >= 24
        assert app.screen.query_one(ArticleView).scrollable_content_region.width >= 40
        assert "palette" in screen_lines(app)[-1]


async def test_below_80_columns_the_sidebar_takes_the_whole_width(
    make_reader: MakeReader,
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_ready(pilot, analysed=False)
        await pilot.pause(0.1)
        listing = app.screen.query_one(ArticleList)
        assert listing.outer_size.width == 60
        # A compact footer: every key of the list fits in 60 columns.
        assert screen_lines(app)[-1].strip() == "⏎ Open q Quit / Search e Entities t Sidebar ? Help"
        assert (
            not app.screen.query_one(ArticleView).display
            or app.screen.query_one(ArticleView).size.width == 0
        )
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.query_one(ArticleView).outer_size.width == 60


async def test_restored_selection_is_on_screen_after_a_restart(
    tmp_path: Path, make_reader: MakeReader
) -> None:
    state_dir = tmp_path / "state"
    app = make_reader(state_dir=state_dir, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, analysed=False)
        await pilot.press(*"j" * 17)
        await pilot.pause(0.2)
        chosen = app.screen.query_one(ArticleList).current
    assert chosen is not None
    again = make_reader(state_dir=state_dir, watch=False)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot, analysed=False)
        await pilot.pause(0.2)
        listing = again.screen.query_one(ArticleList)
        assert listing.current is not None and listing.current.key == chosen.key
        top = listing.scroll_offset.y
        row = listing.cursor * 2
        assert top <= row and row + 2 <= top + listing.scrollable_content_region.height
