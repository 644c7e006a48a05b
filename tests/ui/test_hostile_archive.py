"""The hostile archive through the loader and the app (Pilot)."""

from __future__ import annotations

from pathlib import Path

from reader.core.articles.loader import load_articles
from reader.core.articles.sanitize import is_safe
from tests.conftest import MakeReader, screen_text, wait_ready
from tests.hostile import LOADED, REFUSED, build, markers


def test_loader_outcome(tmp_path: Path) -> None:
    articles, problems = load_articles([build(tmp_path / "hostile")])
    titles = " ".join(a.title for a in articles) + " ".join(a.body for a in articles)
    for marker in markers():
        assert marker in titles, marker
    assert len(articles) == len(LOADED)
    refused = {p.path.rsplit("/", 1)[-1] for p in problems}
    for name, _ in REFUSED:
        assert name.decode() in refused
    assert {"94-fifo.md", "95-loop.md", "96-zero.txt"} <= refused
    for article in articles:
        for text in (article.title, article.path, article.id, *article.author, *article.tags):
            assert is_safe(text, multiline=False), text
        assert is_safe(article.body)
    for problem in problems:
        assert is_safe(problem.path, multiline=False) and is_safe(problem.message, multiline=False)
    overwrite = next(a for a in articles if a.title.startswith("MK11"))
    assert "1000\n9999" in overwrite.body


async def test_app_shows_every_article_safely(make_reader: MakeReader, tmp_path: Path) -> None:
    folder = build(tmp_path / "hostile")
    app = make_reader(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        assert reader.status.problems == len(reader.session.problems) >= len(REFUSED) + 3
        seen = ""
        for _ in range(len(reader.article_list.entries)):
            seen += screen_text(app)
            await pilot.press("j")
            await pilot.pause()
        seen += screen_text(app)
        for marker in markers():
            assert marker in seen, marker
        assert "[@click=app.quit]" in seen
        for char in "\x1b\x07\x00\x9b\u202e":
            assert char not in seen
        await pilot.press("exclamation_mark")
        await pilot.pause()
        problems = screen_text(app)
        assert "90-bomb.yaml" in problems and "94-fifo.md" in problems
        await pilot.press("escape", "slash", *"MK14", "enter")
        await pilot.pause(0.3)
        assert app.is_running
