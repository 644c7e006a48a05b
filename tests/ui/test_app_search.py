"""Pilot tests of the search loop and the entity features, driven by keys."""

from __future__ import annotations

from textual.widgets import Input

from tests.conftest import MakeReader, drawn, results_for, screen_text, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def test_search_open_next_hit_and_escape_back(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.article_list.cursor = 3
        await pilot.pause()
        browsing = reader.article_list.current
        assert browsing is not None
        await pilot.press("slash", *"Louhansk")
        keys = await results_for(pilot, "Louhansk")
        assert keys[0] == SAMPLE_ID
        assert reader.status.query == "Louhansk"
        assert "Louhansk" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        current, presentation = reader.current, reader.presentation
        assert current is not None and current.id == SAMPLE_ID and presentation is not None
        assert app.focused is reader.article_view
        hits = presentation.hits
        assert [current.body[a:b] for f, a, b in hits if f == "body"] == ["Louhansk"] * 2
        assert reader.hit_index == 0
        assert reader.status.position.startswith("hit 1/2")
        await pilot.press("n")
        assert reader.hit_index == 1 and reader.status.position.startswith("hit 2/2")
        await pilot.press("n")
        assert reader.hit_index == 0
        await pilot.press("N")
        assert reader.hit_index == 1
        await pilot.press("escape")
        await pilot.pause()
        assert reader.answer.query == "" and reader.search_input.value == ""
        assert len(reader.article_list.entries) == len(reader.session.library)
        assert reader.article_list.current is not None
        assert reader.article_list.current.key == browsing.key
        assert app.focused is reader.article_list


async def test_hits_are_styled_in_the_article(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("slash", *"otan")
        await results_for(pilot, "otan")
        reader.article_list.cursor = reader.article_list.index_of(SAMPLE_ID) or 0
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        assert reader.presentation is not None
        _, body = reader.presentation.spans(reader.hit_index)
        current = [(a, b) for a, b, kind in body if kind == "hit-current"]
        assert len(current) == 1
        (start, end) = current[0]
        assert reader.current.body[start:end] == "OTAN"
        assert drawn(reader.article_view, "hit-current") == ["OTAN"]


async def test_no_results_shows_the_suggestion_and_nothing_to_search(
    make_reader: MakeReader,
) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("slash", *"zzqxv")
        assert await results_for(pilot, "zzqxv") == []
        assert reader.article_list.empty_message.startswith("No results")
        reader.search_input.value = "le la les "
        assert await results_for(pilot, "le la les ") == []
        assert reader.article_list.empty_message.startswith("Nothing to search")


async def test_history_walks_with_up_and_down(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        for query in ("otan", "macron"):
            await pilot.press("slash", *query)
            await results_for(pilot, query)
            await pilot.press("enter", "escape")
        await pilot.press("slash")
        await pilot.press("up")
        assert app.reader.search_input.value == "macron"
        await pilot.press("up")
        assert app.reader.search_input.value == "otan"
        await pilot.press("down", "down")
        assert app.reader.search_input.value == ""


async def test_markup_in_a_query_is_text(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        query = "[bold]x[/] [@click=app.quit]"
        await pilot.press("slash")
        app.reader.search_input.value = query
        await results_for(pilot, query)
        assert app.is_running
        assert "[bold]x[/]" in screen_text(app)


async def test_entity_toggles_and_legend_counts(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(SAMPLE_ID)
        await pilot.pause()

        def body_spans() -> list[tuple[int, int, str]]:
            assert reader.presentation is not None
            return reader.presentation.spans(reader.hit_index)[1]

        assert {"PER", "LOC", "ORG"} <= {kind for _, _, kind in body_spans()}
        assert reader.legend.counts["PER"] >= 1 and reader.legend.counts["LOC"] >= 5
        await pilot.press("2")
        assert "LOC" not in {kind for _, _, kind in body_spans()}
        assert "LOC" in reader.legend.hidden
        await pilot.press("2")
        assert "LOC" in {kind for _, _, kind in body_spans()}
        body = reader.current.body if reader.current else ""
        per = [body[a:b] for a, b, k in body_spans() if k == "PER"]
        assert per == ["Vladimir Poutine", "Poutine"]


async def test_entity_panel_cycles_mentions_and_searches(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(SAMPLE_ID)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        panel = reader.entity_panel
        assert app.focused is panel
        # Move to Louhansk.
        for _ in range(panel.option_count):
            summary = panel.current()
            if summary is not None and summary.name == "Louhansk":
                break
            await pilot.press("down")
        summary = panel.current()
        assert summary is not None and summary.name == "Louhansk"
        assert len(summary.spans) == 2
        body = reader.current.body if reader.current else ""
        assert [body[a:b] for a, b in summary.spans] == ["Louhansk"] * 2
        for number in (1, 2, 1):
            await pilot.press("enter")
            await pilot.pause()
            assert reader.status.position == f"Louhansk: mention {number}/2"
            # Exactly one mention is drawn as the current one.
            assert drawn(reader.article_view, "hit-current") == ["Louhansk"]
        await pilot.press("f")
        keys = await results_for(pilot, 'place:"Louhansk"')
        assert SAMPLE_ID in keys
        assert "en-putin-recognises-donetsk-luhansk.txt" in keys
        assert isinstance(reader.search_input, Input)


async def test_filters_compose_with_search_and_stars(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        marks = reader.session.marks
        total = len(reader.session.library)
        reader.article_list.cursor = reader.article_list.index_of(SAMPLE_ID) or 0
        await pilot.pause()
        await pilot.press("s")
        assert marks.is_starred(SAMPLE_ID)
        assert reader.article_list.current is not None
        assert reader.article_list.current.flag == "★"
        await pilot.press("slash", *"is:starred")
        keys = await results_for(pilot, "is:starred")
        assert keys == [SAMPLE_ID]
        assert reader.status.filter == "starred"
        reader.search_input.value = "ukraine is:unread"
        keys = await results_for(pilot, "ukraine is:unread")
        assert keys and not any(marks.is_read(k) for k in keys)
        assert reader.answer.total == len(keys)
        reader.search_input.value = "ukraine"
        all_keys = await results_for(pilot, "ukraine")
        assert set(keys) <= set(all_keys)
        await pilot.press("escape")
        await pilot.pause()
        assert len(reader.article_list.entries) == total and reader.status.filter == ""
