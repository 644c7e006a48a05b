"""The entity legend keeps every count on screen as long as it can."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from reader.ui.widgets.entity_legend import EntityLegend

COUNTS = {"PER": 7, "LOC": 19, "ORG": 8, "MISC": 1, "DATE": 3}


class LegendApp(App[None]):
    def compose(self) -> ComposeResult:
        yield EntityLegend()


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (70, "1 people 7  2 places 19  3 orgs 8  4 misc 1  5 dates 3"),
        (50, "people 7  places 19  orgs 8  misc 1  dates 3"),
        (42, "people 7 places 19 orgs 8 misc 1 dates 3"),
    ],
)
async def test_the_legend_drops_keys_then_spaces_before_counts(width: int, expected: str) -> None:
    app = LegendApp()
    async with app.run_test(size=(width, 3)) as pilot:
        legend = app.query_one(EntityLegend)
        legend.counts = dict(COUNTS)
        await pilot.pause()
        assert legend.render().plain == expected


async def test_a_legend_too_wide_for_any_form_ends_in_an_ellipsis() -> None:
    app = LegendApp()
    async with app.run_test(size=(30, 3)) as pilot:
        legend = app.query_one(EntityLegend)
        legend.counts = dict(COUNTS)
        await pilot.pause()
        line = "".join(segment.text for segment in legend.render_line(0))
        assert line.rstrip().endswith("…") and len(line.rstrip()) <= 30
