"""Shared fixtures: paths to the bundled articles and the user's sample, the
one way tests build the app (:func:`make_reader`), and the waits Pilot tests
use — on the main screen's awaited events and on its public state, never on
private attributes."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from rich.cells import cell_len

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from reader.ui.app import ReaderApp
    from reader.ui.widgets.article_view import ArticleView

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
SAMPLE = ARTICLES / "fr-poutine-maintien-de-la-paix-donbass.txt"
SHARED = REPO.parent / "shared"

#: A hang guard, not a performance limit: only reached when something is broken.
HANG_GUARD_SECONDS = 120.0


@pytest.fixture(autouse=True)
def private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test keeps its reading state, config and cache in a temporary folder."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("READER_STATE_DIR", str(state))
    monkeypatch.setenv("READER_CONFIG", str(state / "config.yaml"))
    monkeypatch.setenv("READER_CACHE_DIR", str(state / "cache"))
    return state


@pytest.fixture
def articles_dir() -> Path:
    return ARTICLES


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


MakeReader = Callable[..., "ReaderApp"]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The article files read in this process (every load goes through
    ``read_capped``), by file name."""
    from reader.core.articles import loader

    found: list[str] = []
    real = loader.read_capped

    def counting(path: str | os.PathLike[str], max_bytes: int) -> object:
        found.append(os.path.basename(path))
        return real(path, max_bytes)

    monkeypatch.setattr(loader, "read_capped", counting)
    return found


@pytest.fixture
def make_reader() -> MakeReader:
    """Build the app the way the CLI does: ``make_app(resolve_settings(...))``.

    ``make_reader(*paths, **options)``: the paths default to the bundled
    articles. Options named like :func:`resolve_settings` parameters
    (``config_file``, ``state_dir``, ``remember``, ``watch``, ``cache``,
    ``cache_dir``, ``text_width``, …) go through it; any other
    :class:`Settings` field (``config=`` a Config object, ``default_lang``,
    ``max_bytes``, …) replaces the resolved value. Tests default to no
    archive cache (watching and remembering stay on, the state in the
    autouse temporary folder)."""
    from reader.core.session.settings import resolve_settings
    from reader.ui.app import make_app

    resolvable = set(inspect.signature(resolve_settings).parameters) - {"paths"}

    def make(*paths: str | Path, **options: Any) -> ReaderApp:
        options.setdefault("cache", False)
        resolved = {k: v for k, v in options.items() if k in resolvable}
        replaced = {k: v for k, v in options.items() if k not in resolvable}
        settings = resolve_settings([str(p) for p in paths or (ARTICLES,)], **resolved)
        return make_app(dataclasses.replace(settings, **replaced))

    return make


async def _guard(awaitable: Any, what: str) -> None:
    try:
        await asyncio.wait_for(awaitable, HANG_GUARD_SECONDS)
    except TimeoutError:
        raise AssertionError(f"never happened: {what}") from None


async def wait_ready(pilot: Pilot[Any], *, analysed: bool = True) -> None:
    """Wait until every article is loaded (and, by default, analysed), then
    until the messages that followed are handled."""
    reader = pilot.app.reader  # type: ignore[attr-defined]
    await _guard(reader.loaded.wait(), "the archive was loaded")
    if analysed:
        await _guard(reader.analysed.wait(), "the archive was analysed")
    await pilot.pause()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str = "") -> None:
    """Wait until ``condition()`` (public state) holds, then let the app settle."""

    async def poll() -> None:
        while not condition():
            await pilot.pause(0.02)

    await _guard(poll(), what or getattr(condition, "__name__", "condition"))
    await pilot.pause()


async def results_for(pilot: Pilot[Any], query: str) -> list[str]:
    """Wait until the list shows ``query``'s answer; its article ids."""
    reader = pilot.app.reader  # type: ignore[attr-defined]
    await until(pilot, lambda: reader.answer.query == query, f"the list answers {query!r}")
    return [entry.key for entry in reader.article_list.entries]


def drawn(view: ArticleView, kind: str) -> list[str]:
    """The runs of visible article text drawn in ``kind``'s style (a
    component of the view: ``hit``, ``hit-current``, ``loc``…), read from
    the lines the view renders (its public line API)."""
    style = view.get_component_rich_style(f"article-view--{kind}", partial=True)
    runs: list[str] = []
    for y in range(view.scrollable_content_region.height):
        run = ""
        for segment in view.render_line(y):
            if segment.style is not None and segment.style + style == segment.style:
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
        if run:
            runs.append(run)
    return runs


_SVG_TEXT = re.compile(
    r'<text [^>]*?x="(?P<x>[\d.]+)"[^>]*?textLength="(?P<length>[\d.]+)"'
    r'[^>]*?clip-path="url\(#[\w-]*?-line-(?P<line>\d+)\)"[^>]*>(?P<text>.*?)</text>',
    re.S,
)


def screen_lines(app: App[Any]) -> list[str]:
    """The app's current screen as plain text lines (what a person sees),
    read from its public SVG screenshot: each run of text put back at its
    column (the SVG leaves out runs of blanks)."""
    runs: dict[int, list[tuple[float, str]]] = {}
    cell = 0.0
    for match in _SVG_TEXT.finditer(app.export_screenshot()):
        text = html.unescape(match["text"]).replace("\xa0", " ").replace("\n", "")
        if text and not cell:
            cell = float(match["length"]) / cell_len(text)
        runs.setdefault(int(match["line"]), []).append((float(match["x"]), text))
    lines = []
    for number in range(app.size.height):
        line = ""
        for x, text in sorted(runs.get(number, [])):
            line += " " * max(0, round(x / cell) - cell_len(line)) + text
        lines.append(line.ljust(app.size.width))
    return lines


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))
