"""Themes: every variable the stylesheet uses exists in every theme, and the
reader's own themes keep their layers apart at 256 colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.color import Color, ColorSystem

from reader.ui.app import ReaderApp
from reader.ui.themes import THEMES

CSS = (Path(__file__).resolve().parents[2] / "reader" / "ui" / "reader.tcss").read_text()
USED = sorted(set(re.findall(r"\$([a-z0-9-]+)", CSS)))


def all_theme_names() -> list[str]:
    return sorted(ReaderApp([]).available_themes)


@pytest.mark.parametrize("theme", all_theme_names())
def test_stylesheet_variables_exist_in_every_theme(theme: str) -> None:
    app = ReaderApp([])
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


def test_default_theme_is_the_readers() -> None:
    assert ReaderApp([]).theme == "reader-dark"
