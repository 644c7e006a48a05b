"""Pilot tests for the sidebar list: the cursor row stands out cell by cell,
whatever the theme or colour mode, and the selection is always on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

import reader.ui
from reader.core.articles.article import Article
from reader.ui.rows import entry_for
from reader.ui.themes import DEFAULT_THEME, THEMES
from reader.ui.widgets.article_list import ROW_HEIGHT, ArticleList, ListEntry

CSS_PATH = Path(reader.ui.__file__).parent / "reader.tcss"


class ListApp(App[None]):
    CSS_PATH = CSS_PATH

    def __init__(self, theme: str = DEFAULT_THEME, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        for item in THEMES:
            self.register_theme(item)
        self.theme = theme

    def compose(self) -> ComposeResult:
        yield ArticleList()


def entries(count: int = 30) -> list[ListEntry]:
    return [
        ListEntry(
            key=f"a{i}",
            title=f"Title number {i} with some words",
            detail=f"2024-01-{i % 28 + 1:02d} · fr · Source",
            title_hits=((0, 5),) if i % 2 else (),
            marker="●" if i % 3 else "",
            badge="3" if i % 4 == 0 else "",
        )
        for i in range(count)
    ]


def cell_looks(strip: object) -> list[tuple[object, bool, bool]]:
    """Per cell: its background colour, reverse video and underline."""
    out: list[tuple[object, bool, bool]] = []
    for segment in strip:  # type: ignore[attr-defined]
        style = segment.style or Style()
        for _ in segment.text:
            out.append((style.bgcolor, bool(style.reverse), bool(style.underline)))
    return out


@pytest.mark.parametrize("theme", ["reader-dark", "reader-light", "textual-dark", "ansi-dark"])
@pytest.mark.parametrize("focused", [True, False])
@pytest.mark.parametrize("cursor", [3, 4])
async def test_cursor_row_differs_from_its_neighbours_in_every_cell(
    theme: str, focused: bool, cursor: int
) -> None:
    app = ListApp(theme)
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleList)
        view.set_entries(entries(), cursor=cursor)
        if focused:
            view.focus()
        else:
            view.blur()
        await pilot.pause()
        selected = cursor * ROW_HEIGHT
        for part in range(ROW_HEIGHT):
            row = cell_looks(view.render_line(selected + part))
            above = cell_looks(view.render_line(selected - ROW_HEIGHT + part))
            below = cell_looks(view.render_line(selected + ROW_HEIGHT + part))
            assert len(row) == len(above) == len(below) > 0
            for x, look in enumerate(row):
                assert look != above[x], (part, x)
                assert look != below[x], (part, x)


async def test_cursor_row_under_no_color_is_reverse_and_keeps_hits_visible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = ListApp(ansi_color=True)
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleList)
        view.set_entries(entries(), cursor=1)
        view.focus()
        await pilot.pause()
        title = view.render_line(ROW_HEIGHT)
        looks = cell_looks(title)
        assert all(reverse for _, reverse, _ in looks)
        # "Title" is a hit: underlined (a reversed hit would vanish in the row).
        assert all(underline for _, _, underline in looks[2:7])
        assert not any(underline for _, _, underline in looks[:2] + looks[7:])


async def test_unread_and_starred_marks_show_together() -> None:
    article = Article(id="s", path="s.md", format="markdown", title="Starred", body="x")
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(ArticleList)
        view.set_entries(
            [
                entry_for(article, unread=True, starred=True),
                entry_for(article, unread=False, starred=True),
                entry_for(article, unread=True, starred=False),
            ]
        )
        await pilot.pause()
        shown = [view.render_line(y).text for y in range(3 * ROW_HEIGHT)]
        assert shown[0].startswith("● Starred") and shown[1].startswith("★ ")
        assert shown[2].startswith("  Starred") and shown[3].startswith("★ ")
        assert shown[4].startswith("● Starred") and shown[5].startswith("  ")


def _cursor_on_screen(view: ArticleList) -> bool:
    top = view.scroll_offset.y
    height = view.scrollable_content_region.height
    first = view.cursor * ROW_HEIGHT
    return height > 0 and top <= first and first + ROW_HEIGHT <= top + height


async def test_selection_set_before_layout_is_scrolled_into_view() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleList)
        view.set_entries(entries(40), cursor=18)
        await pilot.pause()
        assert view.cursor == 18 and _cursor_on_screen(view)
        await pilot.press("j")
        assert view.cursor == 19 and _cursor_on_screen(view)


async def test_selection_made_while_hidden_is_in_view_once_shown() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleList)
        view.set_entries(entries(40))
        await pilot.pause()
        view.display = False
        await pilot.pause()
        view.select(30)
        await pilot.pause()
        view.display = True
        await pilot.pause()
        await pilot.pause()
        assert view.cursor == 30 and _cursor_on_screen(view)


async def test_appending_rows_keeps_a_restored_selection_in_view() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 20)) as pilot:
        view = app.query_one(ArticleList)
        rows = entries(60)
        view.append_entries(rows[:25])
        view.select(22)
        view.append_entries(rows[25:])
        await pilot.pause()
        assert view.cursor == 22 and _cursor_on_screen(view)


async def test_rows_kept_between_keys_equal_rows_drawn_afresh() -> None:
    """Moving the cursor redraws only the rows it leaves and reaches, and a
    replaced row only itself: after every step, what the list shows equals
    what it draws with nothing remembered."""
    app = ListApp()
    async with app.run_test(size=(60, 30)) as pilot:
        widget = app.query_one(ArticleList)
        widget.set_entries(entries(40), cursor=0)
        widget.focus()
        await pilot.pause()

        def shown() -> list[object]:
            return [list(widget.render_line(y)) for y in range(widget.size.height)]

        async def check() -> None:
            await pilot.pause()
            kept = shown()
            widget._forget_styles()
            assert kept == shown()

        for key in ("down", "down", "up", "pagedown", "down", "home"):
            await pilot.press(key)
            await check()
        replaced = ListEntry(key="a1", title="Replaced title", detail="x", marker="")
        widget.update_entry(1, replaced)
        await check()
        assert "Replaced" in "".join(s.text for s in widget.render_line(ROW_HEIGHT))
        widget.blur()
        await check()
        app.theme = "reader-light"
        await check()


@pytest.mark.parametrize("height", [21, 22, 23])
async def test_the_end_of_the_list_starts_on_a_whole_row(height: int) -> None:
    """At the end of a long list, whatever the view's height, the top line
    is a row's title (never a detail line whose title is scrolled away) and
    the last row is whole."""
    app = ListApp()
    async with app.run_test(size=(60, height)) as pilot:
        widget = app.query_one(ArticleList)
        widget.set_entries(entries(40), cursor=0)
        widget.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        top = int(widget.scroll_offset.y)
        view = widget.scrollable_content_region.height
        assert top % ROW_HEIGHT == 0
        assert top + view >= 40 * ROW_HEIGHT  # the last row is on screen
        assert widget.cursor == 39
        first = "".join(segment.text for segment in widget.render_line(0))
        assert first.strip().startswith(("●", "Title"))
