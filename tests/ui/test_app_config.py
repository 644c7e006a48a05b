"""The settings file drives the app and the CLI; bad values cost one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.session.config import load_config
from reader.ui.entity_styles import entity_style_css
from reader.ui.screens.help import HelpScreen
from tests.conftest import MakeReader, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_keymap_theme_entities_from_the_config(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    path = write_config(
        tmp_path,
        "theme: reader-light\n"
        "text_width: 60\n"
        "entities:\n  show: [PER, ORG]\n  styles:\n    PER: 'bold underline #ff0000'\n"
        "keymap:\n  app.search: f\n  list.down: x\n  no.such: y\n",
    )
    config, warnings = load_config(path)
    assert warnings == []
    app = make_reader(config_file=str(path))
    assert app.session.settings.config == config
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        assert app.theme == "reader-light"
        assert reader.article_view.max_width == 60
        assert reader.hidden == {"LOC", "MISC", "DATE"}
        assert any("no.such" in p.message for p in reader.session.settings_problems)
        style = reader.article_view.get_component_rich_style("article-view--per")
        assert style.bold and style.underline and style.color is not None
        assert style.color.triplet is not None and style.color.triplet.red == 255
        first = reader.current
        await pilot.press("x")
        await pilot.pause()
        assert reader.current is not first
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [row for _, section in app.screen.rows for row in section]
        assert ("f", "Search", "app.search") in rows
        assert any(keys.split(", ")[0] == "x" for keys, _, i in rows if i == "list.down")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f")
        assert app.focused is reader.search_input


async def test_unknown_theme_falls_back_with_a_problem(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    config, _ = load_config(write_config(tmp_path, "theme: nope\n"))
    app = make_reader(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.theme == "reader-dark"
        assert any("theme" in p.message for p in app.reader.session.settings_problems)


def test_entity_style_css() -> None:
    css = entity_style_css({"LOC": "italic bright_green on #000000"})
    assert css == (
        "ArticleView#article > .article-view--loc { text-style: italic; color: ansi_bright_green; "
        "background: #000000; }"
    )


def test_config_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(tmp_path, "text_width: 500\ncolour: red\n")
    assert main(["config", "--path", "--config", str(path)]) == 0
    assert capsys.readouterr().out.strip() == str(path)
    assert main(["config", "--show", "--config", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["settings"]["text_width"] == 88
    assert "text_width" in captured.err and "unknown key: colour" in captured.err


def test_configured_paths_and_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "short.md").write_text("# 42\n\n123 456\n", encoding="utf-8")
    path = write_config(tmp_path, f"paths: [{json.dumps(str(folder))}]\ndefault_language: fr\n")
    assert main(["list", "--json", "--config", str(path)]) == 0
    (item,) = json.loads(capsys.readouterr().out)
    assert item["id"] == "short.md" and item["lang"] == "fr"
