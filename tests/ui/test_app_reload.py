"""Live reload while the app runs, export round trip, copy (Pilot + CLI)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from reader.cli import main
from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES

SAMPLE = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def settle(app: ReaderApp, pilot, condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("condition not reached")


async def test_add_change_rename_remove_while_running(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(ARTICLES / SAMPLE, folder / SAMPLE)
    (folder / "second.md").write_text("# Second\n\nUn article sur Lyon.\n", encoding="utf-8")
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot, lambda: app._loaded and app._analysed)
        app.open_article_id(SAMPLE)
        await pilot.pause()
        await pilot.press("slash", *"marseille")
        await settle(app, pilot, lambda: app._query == "marseille")
        assert app.article_list.entries == []
        # Add a file: the open query finds it.
        (folder / "third.md").write_text("# Troisième\n\nMarseille et la mer.\n", encoding="utf-8")
        await settle(app, pilot, lambda: [e.key for e in app.article_list.entries] == ["third.md"])
        assert app.search_input.value == "marseille"
        # Change a file: results follow.
        (folder / "second.md").write_text("# Second\n\nMarseille aussi.\n", encoding="utf-8")
        await settle(
            app,
            pilot,
            lambda: {e.key for e in app.article_list.entries} == {"third.md", "second.md"},
        )
        # Rename and remove.
        (folder / "third.md").rename(folder / "renamed.md")
        await settle(
            app,
            pilot,
            lambda: {e.key for e in app.article_list.entries} == {"renamed.md", "second.md"},
        )
        await pilot.press("escape")
        await pilot.pause()
        assert app._current is not None and app._current.id == SAMPLE
        (folder / SAMPLE).unlink()
        await settle(app, pilot, lambda: app.library.get(SAMPLE) is None)
        await pilot.pause()
        assert app.is_running
        assert {e.key for e in app.article_list.entries} == {"renamed.md", "second.md"}


async def test_copy_keys_use_the_clipboard() -> None:
    app = ReaderApp([ARTICLES], watch=False)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot, lambda: app._loaded and app._analysed)
        app.open_article_id("en-nato-vilnius-summit.md")
        await pilot.pause()
        await pilot.press("y", "c", "E")
        assert copied[0].startswith("https://example.org/")
        assert copied[1].startswith("NATO leaders in Vilnius")
        assert "PER\t" in copied[2]


def test_markdown_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", SAMPLE, str(ARTICLES), "--format", "json"]) == 0
    original = json.loads(capsys.readouterr().out)
    assert main(["show", SAMPLE, str(ARTICLES), "--format", "markdown"]) == 0
    exported = capsys.readouterr().out
    folder = tmp_path / "exported"
    folder.mkdir()
    (folder / "sample.md").write_text(exported, encoding="utf-8")
    assert main(["show", "sample.md", str(folder), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["body"] == original["body"] and again["title"] == original["title"]
    spans = [(e["start"], e["end"], e["label"]) for e in original["entities"]]
    assert [(e["start"], e["end"], e["label"]) for e in again["entities"]] == spans
    assert [e["key"] for e in again["entities"]] == [e["key"] for e in original["entities"]]
