"""Pilot tests of the search loop and the entity features, driven by keys."""

from __future__ import annotations

from textual.widgets import Input

from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES, screen_text

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def ready(app: ReaderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3000):
        await pilot.pause(0.02)
        if app._loaded and app._analysed:
            break
    assert app._loaded and app._analysed


async def results_for(app: ReaderApp, pilot, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    for _ in range(1500):
        await pilot.pause(0.02)
        if app._query == query:
            break
    await pilot.pause()
    return [entry.key for entry in app.article_list.entries]


async def test_search_open_next_hit_and_escape_back() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        app.article_list.cursor = 3
        await pilot.pause()
        browsing = app.article_list.current
        assert browsing is not None
        await pilot.press("slash", *"Louhansk")
        keys = await results_for(app, pilot, "Louhansk")
        assert keys[0] == SAMPLE_ID
        assert app.status.query == "Louhansk"
        assert "Louhansk" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app._current is not None and app._current.id == SAMPLE_ID
        assert app.focused is app.article_view
        hits = app._hits
        assert [app._current.body[a:b] for f, a, b in hits if f == "body"] == ["Louhansk"] * 2
        assert app._hit_index == 0
        assert app.status.position.startswith("hit 1/2")
        await pilot.press("n")
        assert app._hit_index == 1 and app.status.position.startswith("hit 2/2")
        await pilot.press("n")
        assert app._hit_index == 0
        await pilot.press("N")
        assert app._hit_index == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app._query == "" and app.search_input.value == ""
        assert len(app.article_list.entries) == len(app.library)
        assert app.article_list.current is not None
        assert app.article_list.current.key == browsing.key
        assert app.focused is app.article_list


async def test_hits_are_styled_in_the_article() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"otan")
        await results_for(app, pilot, "otan")
        app.article_list.cursor = app.article_list.index_of(SAMPLE_ID) or 0
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        view = app.article_view
        kinds = {kind for _, _, kind in view._spans}
        assert "hit-current" in kinds
        (start, end) = next((a, b) for a, b, k in view._spans if k == "hit-current")
        assert app._current is not None and app._current.body[start:end] == "OTAN"


async def test_no_results_shows_the_suggestion_and_nothing_to_search() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"zzqxv")
        assert await results_for(app, pilot, "zzqxv") == []
        assert app.article_list.empty_message.startswith("No results")
        app.search_input.value = "le la les "
        assert await results_for(app, pilot, "le la les ") == []
        assert app.article_list.empty_message.startswith("Nothing to search")


async def test_history_walks_with_up_and_down() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        for query in ("otan", "macron"):
            await pilot.press("slash", *query)
            await results_for(app, pilot, query)
            await pilot.press("enter", "escape")
        await pilot.press("slash")
        await pilot.press("up")
        assert app.search_input.value == "macron"
        await pilot.press("up")
        assert app.search_input.value == "otan"
        await pilot.press("down", "down")
        assert app.search_input.value == ""


async def test_markup_in_a_query_is_text() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        query = "[bold]x[/] [@click=app.quit]"
        await pilot.press("slash")
        app.search_input.value = query
        await results_for(app, pilot, query)
        assert app.is_running
        assert "[bold]x[/]" in screen_text(app)


async def test_entity_toggles_and_legend_counts() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        app.open_article_id(SAMPLE_ID)
        await pilot.pause()
        view = app.article_view
        labels = {kind for _, _, kind in view._spans}
        assert {"PER", "LOC", "ORG"} <= labels
        assert app.legend.counts["PER"] >= 1 and app.legend.counts["LOC"] >= 5
        await pilot.press("2")
        assert "LOC" not in {kind for _, _, kind in view._spans}
        assert "LOC" in app.legend.hidden
        await pilot.press("2")
        assert "LOC" in {kind for _, _, kind in view._spans}
        body = app._current.body if app._current else ""
        per = [body[a:b] for a, b, k in view._spans if k == "PER"]
        assert per == ["Vladimir Poutine", "Poutine"]


async def test_entity_panel_cycles_mentions_and_searches() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        panel = app.entity_panel
        assert app.focused is panel
        # Move to Louhansk.
        for _ in range(panel.option_count):
            summary = panel.current()
            if summary is not None and summary.name == "Louhansk":
                break
            await pilot.press("down")
        summary = panel.current()
        assert summary is not None and summary.name == "Louhansk"
        body = app._current.body if app._current else ""
        seen = []
        for _ in range(3):
            await pilot.press("enter")
            current = [(a, b) for a, b, k in app.article_view._spans if k == "hit-current"]
            assert len(current) == 1
            seen.append(current[0])
            assert body[current[0][0] : current[0][1]] == "Louhansk"
        assert seen[0] != seen[1] and seen[2] == seen[0]
        await pilot.press("f")
        keys = await results_for(app, pilot, 'place:"Louhansk"')
        assert SAMPLE_ID in keys
        assert "en-putin-recognises-donetsk-luhansk.txt" in keys
        assert isinstance(app.search_input, Input)


async def test_filters_compose_with_search_and_stars() -> None:
    app = ReaderApp([ARTICLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        total = len(app.library)
        app.article_list.cursor = app.article_list.index_of(SAMPLE_ID) or 0
        await pilot.pause()
        await pilot.press("s")
        assert SAMPLE_ID in app.starred_ids
        assert app.article_list.current is not None and app.article_list.current.flag == "★"
        await pilot.press("slash", *"is:starred")
        keys = await results_for(app, pilot, "is:starred")
        assert keys == [SAMPLE_ID]
        assert app.status.filter == "starred"
        app.search_input.value = "ukraine is:unread"
        keys = await results_for(app, pilot, "ukraine is:unread")
        assert keys and all(k not in app.read_ids for k in keys)
        app.search_input.value = "ukraine"
        all_keys = await results_for(app, pilot, "ukraine")
        assert set(keys) <= set(all_keys)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.article_list.entries) == total and app.status.filter == ""
