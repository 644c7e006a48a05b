"""The keys readers of newsboat, less, mutt and glow expect, driven by keys:
next unread, mark all read, one-key filters, find in the article, the
outline, opening the URL, piping and saving, and the standfirst."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.article_tools import web_url
from reader.ui.screens.outline import OutlineScreen
from reader.ui.screens.prompt import PromptScreen
from tests.conftest import MakeReader, results_for, screen_text, until, wait_ready

AIRBUS = "fr-airbus-livraisons-record.txt"
ECB = "en-ecb-fed-rate-decisions.md"


async def test_n_goes_to_the_next_unread_article_when_there_is_no_hit(
    make_reader: MakeReader,
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        ids = [a.id for a in reader.answer.articles]
        reader.open_article_id(ids[0])
        reader.session.mark_read(ids[1])  # skipped: already read
        await pilot.press("n")
        await pilot.pause()
        assert reader.current is not None and reader.current.id == ids[2]
        await pilot.press("N")  # back over ids[1] and ids[0] (read), round to the end
        await pilot.pause()
        assert reader.current is not None and reader.current.id == ids[-1]


async def test_mark_all_read_and_the_unread_filter(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.set_focus(reader.article_list)
        await pilot.press("U")
        await results_for(pilot, "is:unread")
        unread = reader.answer.total
        assert unread == len(reader.session.library)
        await pilot.press("A")
        await until(pilot, lambda: reader.answer.total == 0, "every article read")
        assert "No unread articles." in screen_text(app)
        await pilot.press("U")
        await results_for(pilot, "")
        assert len(reader.article_list.entries) == unread


async def test_find_in_the_article_counts_and_steps(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(ECB)
        await pilot.press("f", *"bank")
        await pilot.pause()
        presentation = reader.presentation
        assert presentation is not None and presentation.hits
        body = presentation.article.body
        starts = {a for _, a, _ in presentation.hits}
        words = [i for i in range(len(body)) if body.lower().startswith("bank", i)]
        assert words and set(words) <= starts
        await pilot.press("enter")
        assert reader.focused is reader.article_view
        assert reader.status.position.startswith(f"hit 1/{len(presentation.hits)}")
        await pilot.press("n")
        assert reader.status.position.startswith(f"hit 2/{len(presentation.hits)}")
        await pilot.press("escape")
        await pilot.pause()
        assert reader.presentation is not None and reader.presentation.hits == ()
        assert not reader.has_class("-finding")


async def test_outline_jumps_to_a_heading(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(ECB)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        assert "What to watch" in screen_text(app)
        await pilot.press("end", "enter")
        await until(pilot, lambda: reader.article_view.scroll_offset.y > 0, "the jump")
        assert not isinstance(app.screen, OutlineScreen)
        assert "What to watch" in screen_text(app)


async def test_a_plain_text_article_has_no_outline(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id(AIRBUS)
        await pilot.press("T")
        await pilot.pause()
        assert not isinstance(app.screen, OutlineScreen)
        assert "no headings" in screen_text(app)


async def test_save_writes_plain_text_and_never_overwrites(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    target = tmp_path / "saved.txt"
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        reader.open_article_id(AIRBUS)
        for expected in ("Saved to", "Not overwritten"):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert isinstance(app.screen, PromptScreen)
            await pilot.press("ctrl+u", *str(target), "enter")
            await pilot.pause()
            assert expected in screen_text(app)
    text = target.read_text(encoding="utf-8")
    article = reader.session.library.get(AIRBUS)
    assert article is not None and article.summary
    assert text.startswith(article.title) and article.summary in text and article.body in text


async def test_the_standfirst_is_shown(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id(AIRBUS)
        await pilot.pause()
        assert "L'avionneur européen a dépassé son objectif" in screen_text(app)


async def test_open_url_over_ssh_shows_and_copies(
    make_reader: MakeReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")
    copied: list[str] = []
    app = make_reader(watch=False)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id(ECB)
        await pilot.press("w")
        await pilot.pause()
        article = app.reader.current
        assert article is not None and copied == [article.url]


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("file:///etc/passwd", None),
        ("javascript:alert(1)", None),
        ("https://", None),
        ("data:text/html,x", None),
        ("", None),
        (None, None),
        ("http://[::1", None),
    ],
)
def test_only_web_addresses_are_opened(url: str | None, opened: str | None) -> None:
    assert web_url(url) == opened
