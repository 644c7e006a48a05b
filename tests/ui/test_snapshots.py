"""SVG snapshot tests of the main views (pytest-textual-snapshot).

Update the stored SVGs after an intended change with
``pytest tests/ui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest

from tests.conftest import MakeReader, results_for, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


def _opening(query: str | None = None):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_ready(pilot)
        if query:
            await pilot.press("slash", *query)
            await results_for(pilot, query)
            await pilot.press("enter")
        else:
            pilot.app.reader.open_article_id(SAMPLE_ID)
        await pilot.pause(0.1)
        await pilot.wait_for_scheduled_animations()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_sample_article(snap_compare, make_reader: MakeReader, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_reader(), terminal_size=size, run_before=_opening())


def test_search_louhansk(snap_compare, make_reader: MakeReader) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_reader(), terminal_size=(80, 24), run_before=_opening("Louhansk"))


def test_sixteen_colours(snap_compare, make_reader: MakeReader) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.theme = "ansi-dark"
        await _opening()(pilot)

    assert snap_compare(make_reader(), terminal_size=(80, 24), run_before=run_before)


def test_no_color(snap_compare, make_reader: MakeReader, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_reader(), terminal_size=(80, 24), run_before=_opening())
