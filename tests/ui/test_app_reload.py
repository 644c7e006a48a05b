"""Live reload while the app runs, export round trip, copy (Pilot + CLI)."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.cli import main
from reader.ui.screens.reader import ReaderScreen
from tests.conftest import ARTICLES, MakeReader, results_for, until, wait_ready

SAMPLE = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def test_add_change_rename_remove_while_running(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(ARTICLES / SAMPLE, folder / SAMPLE)
    (folder / "second.md").write_text("# Second\n\nUn article sur Lyon.\n", encoding="utf-8")
    app = make_reader(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader

        def keys() -> set[str]:
            return {e.key for e in reader.article_list.entries}

        reader.open_article_id(SAMPLE)
        await pilot.pause()
        await pilot.press("slash", *"marseille")
        assert await results_for(pilot, "marseille") == []
        # Add a file: the open query finds it.
        (folder / "third.md").write_text("# Troisième\n\nMarseille et la mer.\n", encoding="utf-8")
        await until(pilot, lambda: keys() == {"third.md"}, "the added file is listed")
        assert reader.search_input.value == "marseille"
        # Change a file: results follow.
        (folder / "second.md").write_text("# Second\n\nMarseille aussi.\n", encoding="utf-8")
        await until(pilot, lambda: keys() == {"third.md", "second.md"}, "the change is found")
        # Rename and remove.
        (folder / "third.md").rename(folder / "renamed.md")
        await until(pilot, lambda: keys() == {"renamed.md", "second.md"}, "the rename follows")
        await pilot.press("escape")
        await pilot.pause()
        assert reader.current is not None and reader.current.id == SAMPLE
        (folder / SAMPLE).unlink()
        await until(pilot, lambda: reader.session.library.get(SAMPLE) is None, "removed")
        await pilot.pause()
        assert app.is_running
        assert keys() == {"renamed.md", "second.md"}


@asynccontextmanager
async def _reading_b(
    make_reader: MakeReader, tmp_path: Path
) -> AsyncIterator[tuple[Path, Pilot[int], ReaderScreen]]:
    """The app on a.md, b.md, c.md with b.md open: (folder, pilot, screen)."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, text in (("a.md", "Lyon"), ("b.md", "Nantes"), ("c.md", "Lille")):
        (folder / name).write_text(f"# {text}\n\nUn article sur {text}.\n", encoding="utf-8")
    app = make_reader(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id("b.md")
        await pilot.pause()
        yield folder, pilot, app.reader


def _open_is(reader: ReaderScreen, article_id: str) -> bool:
    """The article open and the list's selected row are both ``article_id``."""
    entry = reader.article_list.current
    current = reader.current
    return (
        current is not None
        and current.id == article_id
        and entry is not None
        and entry.key == article_id
    )


async def test_the_open_article_follows_its_renamed_file(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    async with _reading_b(make_reader, tmp_path) as (folder, pilot, reader):
        (folder / "b.md").rename(folder / "z-moved.md")
        await until(pilot, lambda: _open_is(reader, "z-moved.md"), "the rename is followed")
        assert [e.key for e in reader.article_list.entries] == ["a.md", "c.md", "z-moved.md"]


async def test_a_removed_open_article_gives_way_to_the_next_one(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    async with _reading_b(make_reader, tmp_path) as (folder, pilot, reader):
        (folder / "b.md").unlink()
        await until(pilot, lambda: _open_is(reader, "c.md"), "the next row is open")
        (folder / "c.md").unlink()  # the last one: the one before it takes its place
        await until(pilot, lambda: _open_is(reader, "a.md"), "the row before is open")


async def test_a_refreshed_search_keeps_the_open_article(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """A file changing elsewhere re-runs the query: the article being read
    stays open and selected, not the first hit."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text(f"# {name}\n\nLyon et {name}.\n", encoding="utf-8")
    (folder / "other.md").write_text("# Autre\n\nNantes.\n", encoding="utf-8")
    app = make_reader(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("slash", *"lyon")
        hits = await results_for(pilot, "lyon")
        assert len(hits) == 3
        reader.open_article_id(hits[2])
        await pilot.pause()
        (folder / "other.md").write_text("# Autre\n\nNantes, encore.\n", encoding="utf-8")
        await until(pilot, lambda: "changed" in reader.status.detail, "the change is applied")
        await pilot.pause(0.2)
        assert reader.current is not None and reader.current.id == hits[2]
        entry = reader.article_list.current
        assert entry is not None and entry.key == hits[2]


async def test_copy_keys_use_the_clipboard(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        app.reader.open_article_id("en-nato-vilnius-summit.md")
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
