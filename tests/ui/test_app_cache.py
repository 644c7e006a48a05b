"""The app starts from the archive store on a second run (Pilot)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from reader.core.store import scan
from tests.conftest import ARTICLES, MakeReader, results_for, until, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting an old mtime makes the ctime now: without this, every copied
    file would be 'just modified' and read again at the second start."""
    monkeypatch.setattr(scan, "RACY_NS", -(10**12))


def copied_archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the repository's articles, written an hour ago, and a cache folder."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (hour_ago, hour_ago))
    return folder, tmp_path / "cache"


async def test_second_start_uses_the_cache(make_reader: MakeReader, tmp_path: Path) -> None:
    folder, cache_dir = copied_archive(tmp_path)

    first = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        assert not first.reader.status.detail.startswith("cache:")
        await until(pilot, first.reader.analysed.is_set, "entities recognised")
        store = first.session.library.store
        assert store is not None and store.path.exists()
        keys = [entry.key for entry in first.reader.article_list.entries]

    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = second.reader
        library = reader.session.library
        assert library.store is not None and library.store.path == store.path
        assert [entry.key for entry in reader.article_list.entries] == keys
        assert reader.status.detail.startswith("cache:")
        assert type(library.get(SAMPLE_ID)).__name__ == "StoredArticle"
        await pilot.press("slash", *"louhansk")
        found = await results_for(pilot, "louhansk")
        assert found[0] == SAMPLE_ID
        entities = reader.session.library.entities_for(SAMPLE_ID)
        assert entities is not None and entities.body


async def test_second_start_shows_what_changed_meanwhile(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Files added and removed while the app was closed show up on the next
    start once the folders are checked, without live reload."""
    folder, cache_dir = copied_archive(tmp_path)
    first = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await until(pilot, first.reader.analysed.is_set, "entities recognised")

    (folder / "en-zanzibar.md").write_text(
        "# Quokkas reach Zanzibar\n\nA colony of quokkas was seen in Zanzibar.\n",
        encoding="utf-8",
    )
    (folder / SAMPLE_ID).unlink()
    second = make_reader(folder, cache=True, cache_dir=cache_dir, watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = second.reader
        await until(pilot, reader.analysed.is_set, "the folders checked")

        def listed() -> list[str]:
            return [entry.key for entry in reader.article_list.entries]

        await until(pilot, lambda: "en-zanzibar.md" in listed(), "the new file listed")
        assert SAMPLE_ID not in listed()
        await pilot.press("slash", *"quokkas")
        assert await results_for(pilot, "quokkas") == ["en-zanzibar.md"]
