"""reader.core.document.inline: emphasis, code spans, links, escapes and
soft breaks, with their source offsets, through parse_document."""

from __future__ import annotations

import pytest

from tests.core.document.checks import parse, styled

# --------------------------------------------------------------------------
# Inline: (markdown, [(text, styles)]) of the single block

INLINE_CASES = [
    ("plain", [("plain", "")]),
    ("*em* _em_", [("em", "emphasis"), (" ", ""), ("em", "emphasis")]),
    ("**st** __st__", [("st", "strong"), (" ", ""), ("st", "strong")]),
    ("***both***", [("both", "emphasis+strong")]),
    ("***a** b*", [("a", "emphasis+strong"), (" b", "emphasis")]),
    ("*a **b** c*", [("a ", "emphasis"), ("b", "emphasis+strong"), (" c", "emphasis")]),
    ("snake_case_word", [("snake_case_word", "")]),
    ("2 * 3 * 4", [("2 * 3 * 4", "")]),
    ("*unclosed", [("*unclosed", "")]),
    ("**a*", [("*", ""), ("a", "emphasis")]),
    ("a*b*c", [("a", ""), ("b", "emphasis"), ("c", "")]),
    ("`code`", [("code", "code")]),
    ("`` a ` b ``", [("a ` b", "code")]),
    ("` x `", [("x", "code")]),
    ("`*not em*`", [("*not em*", "code")]),
    ("`unclosed", [("`unclosed", "")]),
    ("*a `*` b*", [("a ", "emphasis"), ("*", "code+emphasis"), (" b", "emphasis")]),
    ("[text](http://x.org)", [("text", "link"), (" ⟨http://x.org⟩", "link-target")]),
    ("[t](<a b>)", [("t", "link"), (" ⟨a b⟩", "link-target")]),
    ('[t](u "title")', [("t", "link"), (" ⟨u⟩", "link-target")]),
    ("[t](a(b)c)", [("t", "link"), (" ⟨a(b)c⟩", "link-target")]),
    ("[t]()", [("t", "link")]),
    ("[*em* link](u)", [("em", "emphasis+link"), (" link", "link"), (" ⟨u⟩", "link-target")]),
    ("![alt](img.png)", [("alt", "link"), (" ⟨img.png⟩", "link-target")]),
    ("[not a link]", [("[not a link]", "")]),
    ("[a] (b)", [("[a] (b)", "")]),
    ("[a [b](c)](d)", [("[a ", ""), ("b", "link"), (" ⟨c⟩", "link-target"), ("](d)", "")]),
    ("<https://example.org/a?b=c>", [("https://example.org/a?b=c", "link")]),
    ("<not a link>", [("<not a link>", "")]),
    ("a <b>tag</b>", [("a <b>tag</b>", "")]),
    (r"\*not em\*", [("*not em*", "")]),
    (r"\[x\](y)", [("[x](y)", "")]),
    (r"back\slash", [(r"back\slash", "")]),
    ("line one\nline two", [("line one line two", "")]),
    ("*a\nb*", [("a b", "emphasis")]),
    ("`a\nb`", [("a b", "code")]),
    ("[a\nb](u)", [("a b", "link"), (" ⟨u⟩", "link-target")]),
    ("**", [("**", "")]),
    (
        "émigré **Zoë** 東京 *😀*",
        [("émigré ", ""), ("Zoë", "strong"), (" 東京 ", ""), ("😀", "emphasis")],
    ),
    ("_«guillemets»_", [("«guillemets»", "emphasis")]),
]


@pytest.mark.parametrize(("body", "expected"), INLINE_CASES, ids=[c[0][:30] for c in INLINE_CASES])
def test_inline(body: str, expected: list[tuple[str, str]]) -> None:
    (block,) = parse(body).blocks
    assert styled(block) == expected


def test_link_target_is_a_source_run_between_decorations() -> None:
    body = "see [the site](https://ex.org) now"
    (block,) = parse(body).blocks
    deco = [r for r in block.runs if r.is_decoration]
    assert [r.text for r in deco] == [" ⟨", "⟩"]
    target = next(r for r in block.runs if r.text == "https://ex.org")
    assert body[target.start : target.end] == "https://ex.org"
    assert "link-target" in target.styles
    assert deco[0].start == target.start and deco[1].start == target.end


def test_soft_break_is_a_decoration_anchored_at_line_end() -> None:
    body = "New\nYork"
    (block,) = parse(body).blocks
    assert [(r.start, r.end, r.text) for r in block.runs] == [
        (0, 3, "New"),
        (3, 3, " "),
        (4, 8, "York"),
    ]
