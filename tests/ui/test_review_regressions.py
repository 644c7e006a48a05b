"""Regressions for problems found in review: markup and controls from file
names, paths and pasted queries; hangs on FIFOs; stale hits; hidden focus."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual import events

from reader.cli import main
from reader.core.articles.sanitize import is_safe
from tests.conftest import ARTICLES, MakeReader, results_for, screen_text, until, wait_ready


@pytest.mark.parametrize(
    "name", ["[ @click=app.quit]q.txt", "[Link=a:b]e.txt", "[ link='https:x']l.txt"]
)
async def test_palette_with_markup_in_ids(
    make_reader: MakeReader, tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_text("Title here\n\nBody.\n", encoding="utf-8")
    app = make_reader(tmp_path, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"title")
        await until(pilot, lambda: name in screen_text(app), "the palette lists the file")
        assert app.is_running


async def test_paths_and_pasted_queries_are_sanitised(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    empty = tmp_path / "empty\x1b]0;PWN\x07dir"
    empty.mkdir()
    app = make_reader(empty, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        search = app.reader.search_input
        assert "␛]0;PWN␇" in app.reader.article_list.empty_message
        await pilot.press("slash")
        search.post_message(events.Paste("macron \x1b]0;PWN\x07 \u202eevil\x9b31m"))
        await results_for(pilot, search.value)
        assert is_safe(search.value, multiline=False)
        text = screen_text(app)
        assert all(ch not in text for ch in "\x1b\x07\u202e\x9b")


async def test_hits_follow_the_query_when_the_top_result_is_already_open(
    make_reader: MakeReader,
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("slash", *"grain")
        keys = await results_for(pilot, "grain")
        assert reader.current is not None and reader.current.id == keys[0]
        assert reader.presentation is not None
        assert reader.presentation.hits, "the open article's hits were not computed"
        await pilot.press("enter")
        assert reader.status.position.startswith("hit 1/")


async def test_escape_in_narrow_layout_shows_the_list_it_focuses(
    make_reader: MakeReader,
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("slash", *"otan", "enter")
        await until(pilot, lambda: reader.answer.query == "otan", "otan is answered")
        assert not reader.has_class("-sidebar-open")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is reader.article_list
        assert reader.has_class("-sidebar-open")


def test_fifo_settings_and_device_gazetteer_do_not_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    assert main(["list", str(ARTICLES), "--config", str(fifo), "--json"]) == 0
    captured = capsys.readouterr()
    assert "FIFO" in captured.err and json.loads(captured.out)
    assert main(["entities", "fr-poutine", str(ARTICLES), "--gazetteer", "/dev/zero"]) == 0
    assert "device" in capsys.readouterr().err


def test_unknown_suffix_file_and_duplicate_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.rst").write_text("x", encoding="utf-8")
    assert main(["check", str(tmp_path / "notes.rst")]) == 1
    assert "not an article file" in capsys.readouterr().out
    for root in ("r1", "r2"):
        folder = tmp_path / root / "articles"
        folder.mkdir(parents=True)
        (folder / "x.txt").write_text(f"Title {root}\n\nBody.\n", encoding="utf-8")
    assert (
        main(
            ["list", str(tmp_path / "r1" / "articles"), str(tmp_path / "r2" / "articles"), "--json"]
        )
        == 0
    )
    ids = [item["id"] for item in json.loads(capsys.readouterr().out)]
    assert ids == ["articles/x.txt", "articles/x.txt#2"]


def test_jsonl_batch_survives_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b"\xff\n[1]\n" + json.dumps({"id": 1, "text": "Macron \u009b31m \u202e"}).encode() + b"\n"
    )
    assert main(["entities", "--jsonl", str(source)]) == 1
    out = capsys.readouterr().out
    assert "\u009b" not in out and "\u202e" not in out and json.loads(out)["id"] == 1
    assert main(["entities", "--jsonl", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
