"""The second start's stat walk in a child process: its result is the
whole walk's, however it is shared, and closing it stops a child still
walking (an app that quits does not wait for it)."""

from __future__ import annotations

import multiprocessing
import signal
import time
from pathlib import Path

from reader.core.session.walk import Walk
from reader.core.store import folder_changes
from reader.core.store.identity import store_path
from reader.core.store.scan import ArchiveRoots

# the fixtures of those tests (a written archive, stat keys for fresh files)
from tests.core.session.test_stored import archive as archive
from tests.core.session.test_stored import no_racy_window as no_racy_window
from tests.core.session.test_stored import seen_once, settings_for, write


def test_the_child_the_shares_and_a_closed_walk_agree(archive: Path, tmp_path: Path) -> None:
    seen_once(settings_for(archive, tmp_path))
    write(archive / "en-new.txt", "Fresh news\n\nKeir Starmer visited Edinburgh.\n")
    (archive / "fr-airbus.txt").unlink()
    roots, path = (str(archive),), str(store_path(tmp_path / "cache", [str(archive)]))
    expected = folder_changes.changes(ArchiveRoots(roots), folder_changes.stored_stat_keys(path))
    assert expected[0]  # something to find
    assert Walk(roots, path).result() == expected
    assert Walk(roots, path, shared=True).result() == expected
    closed = Walk(roots, path, shared=True)
    closed.close()  # the child stopped: its share is walked here
    assert closed.result() == expected


def test_closing_stops_a_child_still_walking(archive: Path, tmp_path: Path) -> None:
    walk = Walk((str(archive),), str(tmp_path / "none.sqlite"))
    walk.close()
    slow = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(60,))
    slow.start()
    walk._process = slow  # a walk that would take a minute
    walk.close()
    assert not slow.is_alive() and slow.exitcode == -signal.SIGTERM
