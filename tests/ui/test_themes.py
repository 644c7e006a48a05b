"""Themes: every variable the stylesheet uses exists in every theme, and the
reader's own themes keep their layers apart at 256 colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from textual.theme import BUILTIN_THEMES

from reader.ui.themes import THEMES
from tests.conftest import MakeReader

CSS = (Path(__file__).resolve().parents[2] / "reader" / "ui" / "reader.tcss").read_text()
USED = sorted(set(re.findall(r"\$([a-z0-9-]+)", CSS)))


THEME_NAMES = sorted({*BUILTIN_THEMES, *(theme.name for theme in THEMES)})


def test_the_app_offers_every_theme(make_reader: MakeReader) -> None:
    assert sorted(make_reader().available_themes) == THEME_NAMES


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_stylesheet_variables_exist_in_every_theme(make_reader: MakeReader, theme: str) -> None:
    app = make_reader()
    app.theme = theme
    variables = app.get_css_variables()
    assert [name for name in USED if name not in variables] == []


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_layers_stay_apart_at_256_colours(theme) -> None:  # type: ignore[no-untyped-def]
    layers = [theme.background, theme.surface, theme.panel]
    layers += [
        theme.variables[name] for name in ("footer-background", "block-cursor-blurred-background")
    ]
    numbers = [Color.parse(c).downgrade(ColorSystem.EIGHT_BIT).number for c in layers]
    assert len(set(numbers)) == len(numbers)


def test_default_theme_is_the_readers(make_reader: MakeReader) -> None:
    assert make_reader().theme == "reader-dark"
