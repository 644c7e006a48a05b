"""reader.core.document.plain: text and YAML bodies are paragraphs without markup."""

from __future__ import annotations

import pytest

from tests.core.document.checks import parse, shape

# --------------------------------------------------------------------------
# Plain text and YAML bodies


@pytest.mark.parametrize("fmt", ["text", "yaml"])
def test_plain_formats_are_paragraphs(fmt: str) -> None:
    body = "  # not a heading\n*not em*\n\n\n- not a list  \n"
    doc = parse(body, fmt)
    assert shape(doc) == [
        ("paragraph", 0, 0, 0, "", "# not a heading *not em*"),
        ("paragraph", 0, 0, 0, "", "- not a list"),
    ]
    assert all(not r.styles for r in doc.iter_runs())


def test_unknown_format_is_plain() -> None:
    assert shape(parse("*x*", "html")) == [("paragraph", 0, 0, 0, "", "*x*")]
