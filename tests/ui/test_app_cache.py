"""The app starts from the archive store on a second run (Pilot)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from tests.conftest import ARTICLES, MakeReader, results_for, until, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


async def test_second_start_uses_the_cache(make_reader: MakeReader, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        # Files modified in the last 2 s are never cached (a second edit in
        # the same clock tick could go unseen).
        os.utime(path, (hour_ago, hour_ago))
    cache_dir = tmp_path / "cache"

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
