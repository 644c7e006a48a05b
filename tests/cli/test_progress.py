"""CLI progress: one erased line on a terminal's stderr, nothing elsewhere."""

from __future__ import annotations

import io

import pytest

from reader.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _a_real_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")


def test_nothing_before_the_delay_then_throttled_then_erased() -> None:
    out, clock = Terminal(), Clock()
    progress = Progress(out, delay=1.0, every=0.25, clock=clock)
    progress.reading(["a"] * 500, [], False)
    assert out.getvalue() == ""  # a quick load shows nothing
    clock.now += 1.0
    progress.reading(["a"] * 500, ["p"], False)
    assert out.getvalue() == "\r\x1b[Kreader: reading the archive… 1,001 files"
    clock.now += 0.1
    progress.updating(5, 10)
    assert out.getvalue().count("reader:") == 1  # not redrawn within 0.25 s
    clock.now += 0.3
    progress.updating(7, 10_000)
    assert out.getvalue().endswith("\r\x1b[Kreader: updating the archive cache… 7 of 10,000")
    progress.close()
    assert out.getvalue().endswith("\r\x1b[K")
    progress.close()  # once
    assert out.getvalue().count("\r\x1b[K") == 3


@pytest.mark.parametrize("stream", [io.StringIO(), Terminal()], ids=["a pipe", "a dumb terminal"])
def test_pipes_and_dumb_terminals_see_nothing(
    stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    if isinstance(stream, Terminal):
        monkeypatch.setenv("TERM", "dumb")
    clock = Clock()
    progress = Progress(stream, delay=0, clock=clock)
    progress.reading(["a"], [], False)
    progress.updating(1, 2)
    progress.close()
    assert stream.getvalue() == ""


def test_a_closed_line_is_not_erased_twice_and_a_quiet_one_never() -> None:
    out = Terminal()
    Progress(out, delay=5, clock=Clock()).close()
    assert out.getvalue() == ""
