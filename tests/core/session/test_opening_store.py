"""The opening path over the archive store: what a first start leaves behind
is used as it is by the next start."""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from reader.core.entities import default_recogniser
from reader.core.session.opening import Opening
from reader.core.session.session import Session
from reader.core.session.settings import Settings, resolve_settings
from reader.core.store.identity import recogniser_id
from tests.conftest import ARTICLES

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    hour_ago = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (hour_ago, hour_ago))  # files changed just now are never stored
    return resolve_settings(
        [str(folder)],
        cache=True,
        cache_dir=tmp_path / "cache",
        state_dir=tmp_path / "state",
        watch=False,
    )


def _start(settings: Settings) -> Session:
    session = Session(settings)
    assert session.stream(lambda articles, problems, finished: None, threading.Event())
    return session


@pytest.mark.parametrize("analysed", [True, False], ids=["entities-done", "stopped-after-read"])
def test_a_second_start_searches_the_index_the_first_one_wrote(
    settings: Settings, analysed: bool
) -> None:
    first = _start(settings)
    if analysed:
        assert first.analyse()[0]
    assert first.search("louhansk").articles[0].id == SAMPLE_ID
    first.close()
    del first
    gc.collect()  # as at the end of the process: the index writer's lock goes

    second = _start(settings)
    # Before the reconcile (analyse): the stored index answers at once.
    assert second.opening.detail.startswith("cache:")
    assert [a.id for a in second.search("louhansk").articles][:1] == [SAMPLE_ID]
    assert second.analyse()[0]
    assert second.search("louhansk").articles[0].id == SAMPLE_ID
    second.close()


def test_the_default_recogniser_is_built_only_when_needed(settings: Settings) -> None:
    opening = Opening(settings)
    assert opening.library_recogniser() is None  # a second start may never need it
    built = default_recogniser(demonyms_as_misc=False)
    assert opening.recogniser_id == recogniser_id(built, options="batch=False")
    assert opening.recogniser is opening.recogniser  # built once, when asked for
    assert opening.library_recogniser() is opening.recogniser
    assert opening.recogniser.recognise("Emmanuel Macron à Paris.", "fr")
