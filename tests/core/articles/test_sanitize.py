"""The sanitiser: every control and bidi character becomes a placeholder."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.articles.sanitize import (
    BIDI_CONTROLS,
    is_safe,
    normalise_newlines,
    sanitize_line,
    sanitize_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("\x1b]0;pwned\x07title", "␛]0;pwned␇title"),
        ("\x1b]52;c;cGF5bG9hZA==\x07", "␛]52;c;cGF5bG9hZA==␇"),
        ("\x1b]8;;file:///etc/passwd\x1b\\x\x1b]8;;\x1b\\", "␛]8;;file:///etc/passwd␛\\x␛]8;;␛\\"),
        ("a\x00b", "a␀b"),
        ("a\x7fb", "a␡b"),
        ("\x9b31m", "\ufffd31m"),
        ("abc\u202edcba", "abc\u2e2edcba"),
        ("x\u2066y\u2069", "x\u2e2ey\u2e2e"),
        ("line\u2028next", "line\u2e2enext"),
        ("keep\nnew\tlines", "keep\nnew\tlines"),
        ("[bold]not markup[/]", "[bold]not markup[/]"),
    ],
)
def test_sanitize_text(raw: str, expected: str) -> None:
    assert sanitize_text(raw) == expected


def test_sanitize_line_replaces_newlines_and_tabs() -> None:
    assert sanitize_line("a\nb\tc") == "a␊b␉c"


def test_newlines_normalised_so_cr_cannot_overwrite() -> None:
    assert normalise_newlines("1000\r9999") == "1000\n9999"
    assert normalise_newlines("a\r\nb\rc") == "a\nb\nc"


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or code in BIDI_CONTROLS


@given(st.text())
def test_output_never_holds_a_control_or_bidi_character(text: str) -> None:
    clean = sanitize_text(text)
    assert not any(_unsafe(ch) for ch in clean)
    assert len(clean) == len(text)
    assert sanitize_text(clean) == clean
    assert is_safe(clean)


@given(st.text())
def test_line_output_is_one_line(text: str) -> None:
    clean = sanitize_line(text)
    assert "\n" not in clean and "\t" not in clean
    assert not any(_unsafe(ch) for ch in clean)
    assert sanitize_line(clean) == clean
