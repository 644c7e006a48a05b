"""The help screen: a table whose columns never spill to the left edge, and
the scrolling keys of every other view."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.containers import VerticalScroll

import reader.ui
from reader.ui.screens.help import KEYS_WIDTH, HelpScreen, binding_rows
from tests.conftest import screen_lines

CSS_PATH = Path(reader.ui.__file__).parent / "reader.tcss"

LONG_ID = "entities.a_binding_id_much_longer_than_its_column"
LONG_TEXT = "A description long enough to need two or three lines in a narrow window"
SECTIONS = [
    (
        "Everywhere",
        [Binding(f"k{i}", f"a{i}", f"Action number {i}", id=f"app.action_{i}") for i in range(40)]
        + [
            Binding("ctrl+shift+x,ctrl+shift+y,ctrl+shift+z", "z", LONG_TEXT, id=LONG_ID),
            Binding("h", "hidden", "", id="app.hidden"),
        ],
    )
]


class HelpApp(App[None]):
    CSS_PATH = CSS_PATH

    def on_mount(self) -> None:
        self.push_screen(HelpScreen(SECTIONS, "Intro text.", {"app.action_1": "F1"}))


def inside(line: str) -> str:
    """A line of the help box without its border."""
    start = line.index("│") + 1
    return line[start : line.rindex("│")]


def test_rows_apply_the_keymap_and_skip_undescribed_bindings() -> None:
    rows = binding_rows(SECTIONS, {"app.action_1": "F1"})
    assert rows[0][0] == "Everywhere"
    assert ("F1", "Action number 1", "app.action_1") in rows[0][1]
    assert all(binding_id != "app.hidden" for _, _, binding_id in rows[0][1])


@pytest.mark.parametrize("width", [100, 80, 60, 44])
async def test_columns_wrap_within_themselves(width: int) -> None:
    app = HelpApp()
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(VerticalScroll)
        box.scroll_end(animate=False)
        await pilot.pause()
        lines = [inside(line) for line in screen_lines(app) if "│" in line]
        start = next(i for i, line in enumerate(lines) if "ctrl+shift+x" in line)
        end = next(i for i in range(start, len(lines)) if not lines[i].strip())
        block = lines[start:end]
        description = block[0].index("A description")
        assert description == 1 + KEYS_WIDTH + 1
        # Keys and description continue in their own columns.
        for line in block[1:]:
            text = line.rstrip()
            if text.strip():
                assert text.startswith(" ") and not text[:1].strip()
        assert "ctrl+shift+z" in "".join(line[: description - 1] for line in block)
        joined = " ".join(line[description:].split("entities.")[0].strip() for line in block)
        assert LONG_TEXT.split()[-1] in joined
        for line in lines:
            assert not line.lstrip().startswith("app.action"), line
        if width >= 80:
            ids = [line.index("app.action_") for line in lines if "app.action_" in line]
            assert len(set(ids)) == 1
            assert "entities.a_binding" in block[0] and "…" in block[0]


async def test_scrolls_with_the_usual_keys() -> None:
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one(VerticalScroll)
        assert box.max_scroll_y > 10
        await pilot.press("j", "j")
        assert box.scroll_y == 2
        await pilot.press("k")
        assert box.scroll_y == 1
        await pilot.press("space")
        assert box.scroll_y > 5
        await pilot.press("b")
        assert box.scroll_y == 1
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0
        await pilot.press("pagedown")
        assert box.scroll_y > 5
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
