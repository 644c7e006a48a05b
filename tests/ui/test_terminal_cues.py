"""Cues that must survive the terminal: NO_COLOR sends no colour at all, and a
terminal without italics (TERM=linux) still tells every entity type apart."""

from __future__ import annotations

import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

import reader.ui
from reader.core.articles.article import Article
from reader.core.document import parse_document
from reader.ui.themes import ansi_color_for
from reader.ui.widgets.article_view import ENTITY_KINDS, ArticleView
from tests.conftest import MakeReader, wait_ready

CSS_PATH = Path(reader.ui.__file__).parent / "reader.tcss"


def test_ansi_color_only_under_no_color() -> None:
    assert ansi_color_for({"NO_COLOR": "1"}) is True
    assert ansi_color_for({"NO_COLOR": ""}) is True
    assert ansi_color_for({"TERM": "xterm"}) is None


def _is_plain(colour: object) -> bool:
    return colour is None or getattr(colour, "is_default", False)


async def test_no_color_sends_no_colour_anywhere(
    monkeypatch: pytest.MonkeyPatch, make_reader: MakeReader
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_reader(watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        strips = screen._compositor.render_strips()
        filters = app.get_line_filters()
        assert filters
        attributes: set[str] = set()
        for strip in strips:
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, screen.styles.background)
            for segment in strip:
                style = segment.style or Style()
                assert _is_plain(style.color), (segment.text, style)
                assert _is_plain(style.bgcolor), (segment.text, style)
                for name in ("bold", "reverse", "underline", "dim"):
                    if getattr(style, name):
                        attributes.add(name)
        # The cues are still there, as attributes.
        assert {"bold", "reverse", "underline"} <= attributes


class ViewApp(App[None]):
    CSS_PATH = CSS_PATH

    def __init__(self, italics: bool) -> None:
        super().__init__(ansi_color=True)
        self.italics = italics

    def compose(self) -> ComposeResult:
        yield ArticleView(italics=self.italics)


def _attributes(style: Style, italics: bool) -> tuple[bool, ...]:
    """What a terminal without colour shows of ``style``."""
    shown = ("bold", "underline", "dim", "reverse") + (("italic",) if italics else ())
    return tuple(bool(getattr(style, name)) for name in shown)


@pytest.mark.parametrize("italics", [True, False])
async def test_entity_cues_survive_without_colour_and_italics(italics: bool) -> None:
    words = ["plain", "alpha", "beta", "gamma", "delta", "epsilon"]
    body = " ".join(words)
    spans = []
    for word, kind in zip(words[1:], ENTITY_KINDS, strict=True):
        at = body.index(word)
        spans.append((at, at + len(word), kind))
    article = Article(id="a", path="a.md", format="markdown", title="T", body=body)
    app = ViewApp(italics)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.show(article, parse_document(body, "markdown"), spans)
        await pilot.pause()
        line = next(y for y in range(view.line_count) if "alpha" in view.line_text(y))
        looks: dict[str, tuple[bool, ...]] = {}
        for segment in view.line_strip(line):
            word = segment.text.strip()
            if word in words:
                looks[word] = _attributes(segment.style or Style(), italics)
        assert set(looks) == set(words)
        for a, b in combinations(words, 2):
            assert looks[a] != looks[b], (a, b, looks[a])


@pytest.mark.parametrize(
    ("term", "expected"),
    [("linux", False), ("xterm-256color", True), ("dumb", False), ("", False)],
)
def test_italics_read_from_terminfo(term: str, expected: bool) -> None:
    # curses reads one terminal description per process: ask a fresh one.
    code = "from reader.ui.terminal_caps import terminal_has_italics as t; print(t())"
    env = {**os.environ, "TERM": term}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(expected)
