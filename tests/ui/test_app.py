"""Pilot tests: the real app driven by keys."""

from __future__ import annotations

from pathlib import Path

from textual import events

from reader.ui.screens.help import HelpScreen
from reader.ui.screens.problems import ProblemsScreen
from tests.conftest import MakeReader, screen_text, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def test_opens_on_articles_and_shows_the_sample(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        keys = [entry.key for entry in reader.article_list.entries]
        assert SAMPLE_ID in keys
        assert len(keys) >= 21
        assert reader.status.articles == len(keys)
        assert reader.status.problems == 0
        reader.article_list.cursor = keys.index(SAMPLE_ID)
        await pilot.press("enter")
        await pilot.pause()
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        assert app.focused is reader.article_view
        assert "Poutine ordonne" in screen_text(app)


async def test_moving_in_the_list_shows_each_article(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        first = reader.current
        assert first is not None
        await pilot.press("j")
        await pilot.pause()
        assert reader.current is not first
        await pilot.press("G")
        await pilot.pause()
        assert reader.current is not None
        assert reader.current.id == reader.article_list.entries[-1].key
        await pilot.press("g")
        await pilot.pause()
        assert reader.current is first


async def test_keys_typed_right_after_slash_land_in_the_search_bar(
    make_reader: MakeReader,
) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        # All three keys arrive in one read, before any refresh.
        for key, char in (("slash", "/"), ("p", "p"), ("y", "y")):
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert app.reader.search_input.value == "py"
        assert app.focused is app.reader.search_input


async def test_problem_files_are_counted_and_listed(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    (tmp_path / "ok.md").write_text("# Fine\n\nBody text.")
    (tmp_path / "bad.yaml").write_bytes(b"- a list\n")
    (tmp_path / "[bold]evil[-].txt").write_bytes(
        b"[@click=app.quit]Title[/]\n\n\x1b]0;pwned\x07body"
    )
    app = make_reader(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert app.reader.status.problems == 1
        titles = [entry.title for entry in app.reader.article_list.entries]
        assert "[@click=app.quit]Title[/]" in titles
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "bad.yaml" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProblemsScreen)


async def test_help_lists_the_keys(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shot = screen_text(app)
        for words in ("Search", "Quit", "Sidebar"):
            assert words in shot
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_narrow_terminal_toggles_the_sidebar(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        assert reader.has_class("-narrow")
        assert reader.article_list.display
        assert reader.query_one("#sidebar").styles.display != "none"
        await pilot.press("enter")
        await pilot.pause()
        assert not reader.has_class("-sidebar-open")
        assert app.focused is reader.article_view
        await pilot.press("t")
        await pilot.pause()
        assert reader.has_class("-sidebar-open")


async def test_tiny_terminal_does_not_crash(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(20, 6)) as pilot:
        await wait_ready(pilot)
        for key in ("j", "enter", "t", "slash", "a", "escape", "question_mark", "escape"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running


async def test_q_quits(make_reader: MakeReader) -> None:
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_going_to_the_list_closes_the_panel_when_both_do_not_fit(
    make_reader: MakeReader,
) -> None:
    for width, stays_open in ((100, False), (140, True)):
        app = make_reader(watch=False)
        async with app.run_test(size=(width, 30)) as pilot:
            await wait_ready(pilot)
            reader = app.reader
            await pilot.press("e")
            assert reader.has_class("-entities-open")
            await pilot.press("slash")
            await pilot.pause()
            assert reader.has_class("-entities-open") is stays_open, width


async def test_group_the_list_fold_a_group_and_remember_it(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    app = make_reader(watch=False, state_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("z", "z")  # by folder, then by source
        assert reader.session.marks.group == "source"
        entries = reader.article_list.entries
        headers = [e for e in entries if e.marker in "▾▸" and e.marker]
        assert headers and entries[0] is headers[0]
        assert sum(int(h.badge) for h in headers) == len(reader.session.library)
        reader.set_focus(reader.article_list)
        await pilot.press("g", "enter")  # fold the first group
        await pilot.pause()
        first = reader.article_list.entries[0]
        assert first.marker == "▸" and reader.article_list.entries[1].marker in "▾▸"
        await pilot.press("enter")  # and open it again
        await pilot.pause()
        assert reader.article_list.entries[0].marker == "▾"
    again = make_reader(watch=False, state_dir=tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert again.reader.session.marks.group == "source"
