"""The second start's stat walk in a child process: its result is the
whole walk's, however it is shared, and closing it stops a child still
walking (an app that quits does not wait for it)."""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from pathlib import Path

import pytest

from reader.core.session import walk as walk_module
from reader.core.session.opening import Opening
from reader.core.session.walk import Walk, WalkCancelled
from reader.core.store import folder_changes
from reader.core.store.identity import store_path
from reader.core.store.scan import ArchiveRoots

# the fixtures of those tests (a written archive, stat keys for fresh files)
from tests.conftest import HANG_GUARD_SECONDS
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


def _hold(connection: object) -> None:
    """A walk's child that never answers (it keeps its end of the pipe)."""
    time.sleep(60)


def held_walk(archive: Path, tmp_path: Path) -> Walk:
    """A walk whose child is still walking, as at 100k files."""
    walk = Walk((str(archive),), str(store_path(tmp_path / "cache", [str(archive)])))
    walk.close()
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_hold, args=(sending,), daemon=True)
    child.start()
    sending.close()
    walk._process, walk._connection = child, receiving
    return walk


def test_a_cancelled_walk_gives_no_result_and_walks_nothing_here(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app quits during a reconcile: the reconcile, waiting for the
    child, stops at once, without walking the archive in the app instead."""
    seen_once(settings_for(archive, tmp_path))

    def never(*args: object) -> None:
        raise AssertionError("walked here")

    monkeypatch.setattr(walk_module, "folder_changes_part", never)
    settings = settings_for(archive, tmp_path)
    opening = Opening(settings)
    library = opening.new_library()
    assert opening.stream(library, None, threading.Event())
    opening._walk = held_walk(archive, tmp_path)  # the reconcile's walk, still running
    answer: list[tuple[bool, list[str]]] = []
    thread = threading.Thread(target=lambda: answer.append(opening.analyse(library)))
    thread.start()
    thread.join(0.3)
    assert thread.is_alive()  # waiting for the child
    opening.close()
    thread.join(HANG_GUARD_SECONDS)
    assert answer == [(False, [])]
    with pytest.raises(WalkCancelled):  # and a walk cancelled before its result
        cancelled = held_walk(archive, tmp_path)
        cancelled.cancel()
        cancelled.result()
    library.close()
