"""The header keeps what matters longest: the hit counter and the result count."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from reader.ui.widgets.status_bar import StatusBar


class BarApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()


async def shown_at(width: int, **values: object) -> str:
    app = BarApp()
    async with app.run_test(size=(width, 3)) as pilot:
        bar = app.query_one(StatusBar)
        for name, value in values.items():
            setattr(bar, name, value)
        await pilot.pause()
        line = "".join(segment.text for segment in bar.render_line(0))
        assert len(line) == width
        return line


SEARCHING = {
    "articles": 22,
    "languages": "fr · en",
    "query": '"maintien de la paix" donbass',
    "results": 3,
    "position": "hit 1/2 (n/N)",
    "detail": "cache: 22 reused, 0 read again",
    "progress": "45%",
}


@pytest.mark.parametrize("width", [120, 80, 60, 40, 30])
async def test_counter_and_results_are_the_last_to_go(width: int) -> None:
    line = await shown_at(width, **SEARCHING)
    assert line.lstrip().startswith("hit 1/2 (n/N)  3 articles")
    if width < 120:
        assert "cache:" not in line  # the notice goes first
    if width >= 60:
        assert line.rstrip().endswith("45%")
    if width >= 80:
        assert 'search: "maintien de la paix" donbass' in line


async def test_the_counter_alone_when_nothing_else_fits() -> None:
    line = await shown_at(18, **SEARCHING)
    assert line.strip() == "hit 1/2 (n/N)"


async def test_browsing_shows_the_archive_first() -> None:
    line = await shown_at(80, articles=22, languages="fr · en", detail="sorted by date")
    assert line.startswith(" reader  22 articles  (fr · en)  sorted by date")
    line = await shown_at(24, articles=22, languages="fr · en", detail="sorted by date")
    assert line.strip() == "reader  22 articles"
    assert "22 articles" in await shown_at(14, articles=22, languages="fr · en")
