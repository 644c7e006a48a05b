"""The one sanitiser every displayable string goes through.

Terminals act on control characters: ESC starts sequences that can set the
window title, write the clipboard (OSC 52) or make the terminal type a reply;
C1 bytes do the same on some terminals; bidi controls reorder what the reader
sees. Textual and Rich pass all of these through, so the core replaces each
one with a single visible placeholder character *before* anything reaches the
UI. Replacement is one character for one character, so character offsets
computed on sanitised text stay valid.

Newline and tab are kept. Carriage returns are turned into newlines by
:func:`normalise_newlines` (called first by the loader), so an overwrite trick
such as ``"1000\\r9999"`` shows both readings on two lines.
"""

from __future__ import annotations

import re

# C0 controls have their own "control pictures" (U+2400..U+241F); DEL is U+2421.
_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"

#: Placeholder for C1 controls (U+0080..U+009F), which have no pictures.
C1_PLACEHOLDER = "\ufffd"
#: Placeholder for bidi controls and line/paragraph separators.
BIDI_PLACEHOLDER = "\u2e2e"  # REVERSED QUESTION MARK: visible, neutral, one cell

BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, 0x2028, 0x2029]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)


def _build_table(keep_newlines: bool) -> dict[int, str]:
    table: dict[int, str] = dict(_C0_PICTURES)
    if keep_newlines:
        del table[0x0A]
        del table[0x09]
    for code in range(0x80, 0xA0):
        table[code] = C1_PLACEHOLDER
    for code in BIDI_CONTROLS:
        table[code] = BIDI_PLACEHOLDER
    return table


_TEXT_TABLE = _build_table(keep_newlines=True)
_LINE_TABLE = _build_table(keep_newlines=False)
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NEWLINES = re.compile("\r\n?")


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF (so nothing can overwrite a line)."""
    if "\r" not in text:
        return text
    return _NEWLINES.sub("\n", text)


def sanitize_text(text: str) -> str:
    """Make multi-line text safe to display; newline and tab are kept.

    Every other control or bidi character becomes one visible placeholder.
    Idempotent and length-preserving.
    """
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_TEXT_TABLE)


def sanitize_line(text: str) -> str:
    """Make a one-line value (title, author, file name, message) safe.

    Like :func:`sanitize_text`, but newline and tab are replaced too, so the
    value can never spill onto another line. Length-preserving.
    """
    if _UNSAFE_LINE.search(text) is None:
        return text
    return text.translate(_LINE_TABLE)


def is_safe(text: str, *, multiline: bool = True) -> bool:
    """True when ``text`` holds no character the sanitiser would replace."""
    pattern = _UNSAFE if multiline else _UNSAFE_LINE
    return pattern.search(text) is None


def display_path(path: str) -> str:
    """A path made printable: undecodable bytes become U+FFFD, controls
    become placeholders."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return sanitize_line(text)
