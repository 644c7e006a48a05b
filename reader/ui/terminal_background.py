"""Ask the terminal for its background colour (OSC 11), to pick a light or
dark theme before the app starts.

The query is written only when stdin and stdout are both terminals. It is
followed by a Primary Device Attributes request (``ESC [ c``), which every
terminal answers: once that answer is in, a terminal that keeps quiet about
OSC 11 is known not to support it, so the wait ends at once instead of at the
timeout. Parsing is separate (:func:`parse_background`) and pure.
"""

from __future__ import annotations

import os
import re
import select
import time
from collections.abc import Callable

RGB = tuple[float, float, float]
"""Red, green, blue from 0 to 1."""

QUERY = b"\x1b]11;?\x1b\\" + b"\x1b[c"
TIMEOUT = 0.3

_COLOUR = re.compile(
    rb"\x1b\]11;(?:rgba?:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})"
    rb"(?:/[0-9a-fA-F]{1,4})?|#([0-9a-fA-F]{6}))(?:\x07|\x1b\\)"
)
_DEVICE_ATTRIBUTES = re.compile(rb"\x1b\[\?[0-9;]*c")


def parse_background(answer: bytes) -> RGB | None:
    """The colour in a terminal's OSC 11 answer (``ESC ] 11 ; rgb:RRRR/GGGG/BBBB``
    ended by BEL or ST; 1 to 4 hex digits a channel, ``rgba:`` and ``#rrggbb``
    too), or None when ``answer`` holds none."""
    match = _COLOUR.search(answer)
    if match is None:
        return None
    six = match.group(4)
    channels = [six[i : i + 2] for i in (0, 2, 4)] if six else list(match.group(1, 2, 3))
    red, green, blue = (int(c, 16) / (16 ** len(c) - 1) for c in channels)
    return red, green, blue


def is_light(colour: RGB) -> bool:
    """Whether text should be dark on ``colour`` (its luma above one half)."""
    red, green, blue = colour
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5


def answered(data: bytes) -> bool:
    """Whether ``data`` holds the answer to the device-attributes request
    (which comes after any OSC 11 answer)."""
    return _DEVICE_ATTRIBUTES.search(data) is not None


def query_background(
    fd_in: int | None = None,
    fd_out: int | None = None,
    timeout: float = TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
) -> RGB | None:
    """The terminal's background colour, or None (not a terminal, no answer
    within ``timeout`` seconds, not POSIX). The terminal's modes are restored
    whatever happens."""
    try:
        import termios
        import tty
    except ImportError:  # not POSIX
        return None
    fd_in = 0 if fd_in is None else fd_in
    fd_out = 1 if fd_out is None else fd_out
    try:
        if not (os.isatty(fd_in) and os.isatty(fd_out)):
            return None
        saved = termios.tcgetattr(fd_in)
    except OSError:
        return None
    data = b""
    try:
        tty.setcbreak(fd_in, termios.TCSANOW)  # no echo, no line buffering
        os.write(fd_out, QUERY)
        deadline = clock() + timeout
        while not answered(data):
            remaining = deadline - clock()
            if remaining <= 0:
                break
            ready, _, _ = select.select([fd_in], [], [], remaining)
            if not ready:
                break
            chunk = os.read(fd_in, 1024)
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    finally:
        termios.tcsetattr(fd_in, termios.TCSANOW, saved)
    return parse_background(data)
