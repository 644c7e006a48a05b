"""The terminal's background colour: parsing its OSC 11 answer, choosing a
theme from it, and the query itself against a pseudo-terminal."""

from __future__ import annotations

import os
import threading

import pytest

from reader.ui.terminal_background import (
    QUERY,
    answered,
    is_light,
    parse_background,
    query_background,
)
from reader.ui.themes import theme_for_background

ST = b"\x1b\\"
BEL = b"\x07"
DA1 = b"\x1b[?62;22c"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"\x1b]11;rgb:ffff/ffff/ffff" + ST, (1.0, 1.0, 1.0)),
        (b"\x1b]11;rgb:0000/0000/0000" + BEL, (0.0, 0.0, 0.0)),
        (b"\x1b]11;rgb:1c1c/1c1c/1c1c" + ST, (0x1C1C / 0xFFFF,) * 3),
        (b"\x1b]11;rgb:ff/80/00" + BEL, (1.0, 0x80 / 0xFF, 0.0)),
        (b"\x1b]11;rgb:f/8/0" + BEL, (1.0, 8 / 15, 0.0)),
        (b"\x1b]11;rgb:fff/000/fff" + ST, (1.0, 0.0, 1.0)),
        (b"\x1b]11;rgba:ffff/ffff/ffff/ffff" + ST, (1.0, 1.0, 1.0)),
        (b"\x1b]11;#ff0000" + BEL, (1.0, 0.0, 0.0)),
        (b"typed keys\x1b]11;rgb:0000/0000/ffff" + ST + DA1, (0.0, 0.0, 1.0)),
        (DA1, None),  # the terminal does not support OSC 11
        (b"", None),
        (b"\x1b]11;rgb:ffff/ffff" + ST, None),  # a channel missing
        (b"\x1b]11;rgb:ffff/ffff/ffff", None),  # not terminated (cut short)
        (b"\x1b]11;rgb:zzzz/ffff/ffff" + ST, None),
        (b"\x1b]10;rgb:ffff/ffff/ffff" + ST, None),  # the foreground, not the background
        (b"\x1b]11;rgb:fffff/ffff/ffff" + ST, None),  # five digits
    ],
)
def test_parse_background(answer: bytes, expected: tuple[float, float, float] | None) -> None:
    assert parse_background(answer) == expected


@pytest.mark.parametrize(
    ("colour", "light"),
    [
        ((1.0, 1.0, 1.0), True),
        ((0.0, 0.0, 0.0), False),
        ((0x1C / 255,) * 3, False),  # reader-dark
        ((0xEE / 255,) * 3, True),  # reader-light
        ((0.99, 0.96, 0.89), True),  # Solarized light base3
        ((0.0, 0.17, 0.21), False),  # Solarized dark base03
        ((0.0, 0.0, 1.0), False),  # pure blue is dark
        ((1.0, 1.0, 0.0), True),  # pure yellow is light
    ],
)
def test_is_light(colour: tuple[float, float, float], light: bool) -> None:
    assert is_light(colour) is light


@pytest.mark.parametrize(
    ("configured", "background", "expected"),
    [
        ("reader-dark", (1.0, 1.0, 1.0), "reader-light"),
        ("reader-light", (0.0, 0.0, 0.0), "reader-dark"),
        ("reader-dark", (0.0, 0.0, 0.0), "reader-dark"),
        ("reader-dark", None, "reader-dark"),  # no answer: the configured default
        ("reader-light", None, "reader-light"),
        ("nord", (1.0, 1.0, 1.0), "nord"),  # another theme was chosen on purpose
        ("ansi-dark", (1.0, 1.0, 1.0), "ansi-dark"),
    ],
)
def test_theme_for_background(
    configured: str, background: tuple[float, float, float] | None, expected: str
) -> None:
    assert theme_for_background(configured, background) == expected


def test_answered_waits_for_device_attributes() -> None:
    assert not answered(b"\x1b]11;rgb:0/0/0" + ST)
    assert answered(b"\x1b]11;rgb:0/0/0" + ST + DA1)
    assert answered(b"\x1b[?1;2c")


def _fake_terminal(reply: bytes | None) -> tuple[int, int, threading.Thread, list[bytes]]:
    """A pseudo-terminal whose far end reads the query and sends ``reply``."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    heard: list[bytes] = []

    def terminal() -> None:
        data = b""
        while not data.endswith(QUERY):
            data += os.read(master, 1024)
        heard.append(data)
        if reply is not None:
            os.write(master, reply)

    thread = threading.Thread(target=terminal, daemon=True)
    thread.start()
    return master, slave, thread, heard


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (b"\x1b]11;rgb:eeee/eeee/eeee" + ST + DA1, (0xEEEE / 0xFFFF,) * 3),
        (b"\x1b]11;rgb:1c1c/1c1c/1c1c" + BEL + DA1, (0x1C1C / 0xFFFF,) * 3),
        (DA1, None),  # answers device attributes only: no waiting for the timeout
    ],
)
def test_query_a_terminal(reply: bytes, expected: tuple[float, float, float] | None) -> None:
    termios = pytest.importorskip("termios")
    master, slave, thread, heard = _fake_terminal(reply)
    try:
        before = termios.tcgetattr(slave)
        # A long timeout: the answer (device attributes last) ends the wait.
        assert query_background(slave, slave, timeout=30) == expected
        assert heard == [QUERY]
        assert termios.tcgetattr(slave) == before  # modes restored
    finally:
        thread.join()
        os.close(master)
        os.close(slave)


def test_a_silent_terminal_gives_up_after_the_timeout() -> None:
    termios = pytest.importorskip("termios")
    master, slave, thread, _ = _fake_terminal(None)
    try:
        before = termios.tcgetattr(slave)
        assert query_background(slave, slave, timeout=0.05) is None
        assert termios.tcgetattr(slave) == before
    finally:
        thread.join()
        os.close(master)
        os.close(slave)


def test_not_a_terminal_is_not_asked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    read_end, write_end = os.pipe()
    try:
        assert query_background(read_end, write_end) is None
        os.close(write_end)
        write_end = -1
        assert os.read(read_end, 100) == b""  # nothing was written
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
