"""SVG snapshot tests of the main views (pytest-textual-snapshot).

Update the stored SVGs after an intended change with
``pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def _ready(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(3000):
        await pilot.pause(0.02)
        if app._loaded and app._analysed:
            break
    await pilot.pause()


def _opening(query: str | None = None):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _ready(pilot)
        app = pilot.app
        if query:
            await pilot.press("slash", *query)
            for _ in range(1500):
                await pilot.pause(0.02)
                if app._query == query:
                    break
            await pilot.press("enter")
        else:
            app.open_article_id(SAMPLE_ID)
        await pilot.pause(0.1)
        await pilot.wait_for_scheduled_animations()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_sample_article(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(ReaderApp([ARTICLES]), terminal_size=size, run_before=_opening())


def test_search_louhansk(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        ReaderApp([ARTICLES]), terminal_size=(80, 24), run_before=_opening("Louhansk")
    )


def test_sixteen_colours(snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = ReaderApp([ARTICLES])

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "ansi-dark"
        await _opening()(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_no_color(snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ReaderApp([ARTICLES]), terminal_size=(80, 24), run_before=_opening())
