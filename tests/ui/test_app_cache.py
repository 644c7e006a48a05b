"""The app starts from the archive cache on a second run (Pilot)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from reader.core.store.cache import ArchiveCache
from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES


async def ready(app: ReaderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3000):
        await pilot.pause(0.02)
        if app._loaded and app._analysed:
            break
    assert app._loaded and app._analysed


async def test_second_start_uses_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        # Files modified in the last 2 s are never cached (a second edit in
        # the same clock tick could go unseen).
        os.utime(path, (hour_ago, hour_ago))
    cache_dir = tmp_path / "cache"

    def cache() -> ArchiveCache:
        return ArchiveCache(cache_dir, [str(folder)], recogniser_id="test")

    first = ReaderApp([folder], cache=cache(), watch=False)
    async with first.run_test(size=(100, 30)) as pilot:
        await ready(first, pilot)
        for _ in range(3000):
            await pilot.pause(0.02)
            if cache().path.exists():
                break
        keys = [entry.key for entry in first.article_list.entries]
    assert cache().path.exists()

    second = ReaderApp([folder], cache=cache(), watch=False)
    async with second.run_test(size=(100, 30)) as pilot:
        await ready(second, pilot)
        assert [entry.key for entry in second.article_list.entries] == keys
        assert second.status.detail.startswith("cache:")
        await pilot.press("slash", *"louhansk")
        for _ in range(1500):
            await pilot.pause(0.02)
            if second._query == "louhansk":
                break
        assert second.article_list.entries[0].key == "fr-poutine-maintien-de-la-paix-donbass.txt"
        assert second.library.entities_for("fr-poutine-maintien-de-la-paix-donbass.txt").body
