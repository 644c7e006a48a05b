"""reader.core.document.blocks: Markdown block structure, code blocks, block
offsets and the nesting cap, through parse_document."""

from __future__ import annotations

import pytest

from reader.core.document import MAX_NESTING
from tests.core.document.checks import parse, shape

# --------------------------------------------------------------------------
# Block structure, table-driven: (markdown, [(kind, level, depth, quote_depth, marker, text)])

BLOCK_CASES = [
    ("", []),
    ("\n\n  \n", []),
    ("Hello", [("paragraph", 0, 0, 0, "", "Hello")]),
    ("one\ntwo\n  three  ", [("paragraph", 0, 0, 0, "", "one two three")]),
    ("a\n\nb", [("paragraph", 0, 0, 0, "", "a"), ("paragraph", 0, 0, 0, "", "b")]),
    ("# One", [("heading", 1, 0, 0, "", "One")]),
    ("###### Six ###", [("heading", 6, 0, 0, "", "Six")]),
    ("####### Seven", [("paragraph", 0, 0, 0, "", "####### Seven")]),
    ("#NoSpace", [("paragraph", 0, 0, 0, "", "#NoSpace")]),
    ("## Title#notclosing", [("heading", 2, 0, 0, "", "Title#notclosing")]),
    ("#", [("heading", 1, 0, 0, "", "")]),
    ("para\n# head", [("paragraph", 0, 0, 0, "", "para"), ("heading", 1, 0, 0, "", "head")]),
    ("---", [("rule", 0, 0, 0, "", "")]),
    (" * * *", [("rule", 0, 0, 0, "", "")]),
    ("___", [("rule", 0, 0, 0, "", "")]),
    (
        "a\n***\nb",
        [
            ("paragraph",) + (0, 0, 0, "", "a"),
            ("rule", 0, 0, 0, "", ""),
            ("paragraph", 0, 0, 0, "", "b"),
        ],
    ),
    ("- one\n- two", [("list_item", 0, 0, 0, "•", "one"), ("list_item", 0, 0, 0, "•", "two")]),
    ("* a\n+ b", [("list_item", 0, 0, 0, "•", "a"), ("list_item", 0, 0, 0, "•", "b")]),
    (
        "1. a\n2) b\n10. c",
        [
            ("list_item", 0, 0, 0, "1.", "a"),
            ("list_item", 0, 0, 0, "2)", "b"),
            ("list_item", 0, 0, 0, "10.", "c"),
        ],
    ),
    ("007. a", [("list_item", 0, 0, 0, "7.", "a")]),
    (
        "- a\n  - b\n    - c\n      - d",
        [
            ("list_item", 0, 0, 0, "•", "a"),
            ("list_item", 0, 1, 0, "◦", "b"),
            ("list_item", 0, 2, 0, "▪", "c"),
            ("list_item", 0, 3, 0, "•", "d"),
        ],
    ),
    ("- a\n  lazy\ncontinued", [("list_item", 0, 0, 0, "•", "a lazy continued")]),
    (
        "- a\n\n  second para\n- b",
        [
            ("list_item", 0, 0, 0, "•", "a"),
            ("paragraph", 0, 1, 0, "", "second para"),
            ("list_item", 0, 0, 0, "•", "b"),
        ],
    ),
    ("- a\n\nafter", [("list_item", 0, 0, 0, "•", "a"), ("paragraph", 0, 0, 0, "", "after")]),
    ("-\n  x", [("list_item", 0, 0, 0, "•", "x")]),
    ("- # Head", [("list_item", 0, 0, 0, "•", ""), ("heading", 1, 1, 0, "", "Head")]),
    ("- - x", [("list_item", 0, 0, 0, "•", ""), ("list_item", 0, 1, 0, "◦", "x")]),
    ("text\n2. not a list", [("paragraph", 0, 0, 0, "", "text 2. not a list")]),
    ("text\n- a list", [("paragraph", 0, 0, 0, "", "text"), ("list_item", 0, 0, 0, "•", "a list")]),
    ("-notalist", [("paragraph", 0, 0, 0, "", "-notalist")]),
    ("2014. Year", [("list_item", 0, 0, 0, "2014.", "Year")]),
    ("> quoted\n> more", [("quote", 0, 0, 1, "", "quoted more")]),
    ("> a\nlazy", [("quote", 0, 0, 1, "", "a lazy")]),
    ("> a\n\nout", [("quote", 0, 0, 1, "", "a"), ("paragraph", 0, 0, 0, "", "out")]),
    (
        "> a\n>> b\n> > > c",
        [("quote", 0, 0, 1, "", "a"), ("quote", 0, 0, 2, "", "b"), ("quote", 0, 0, 3, "", "c")],
    ),
    (">no space", [("quote", 0, 0, 1, "", "no space")]),
    ("> # H\n> - i", [("heading", 1, 0, 1, "", "H"), ("list_item", 0, 0, 1, "•", "i")]),
    ("- > q", [("list_item", 0, 0, 0, "•", ""), ("quote", 0, 1, 1, "", "q")]),
    ("a <b>html</b> &amp;", [("paragraph", 0, 0, 0, "", "a <b>html</b> &amp;")]),
]


@pytest.mark.parametrize(("body", "expected"), BLOCK_CASES, ids=[c[0][:30] for c in BLOCK_CASES])
def test_blocks(body: str, expected: list[tuple[str, int, int, int, str, str]]) -> None:
    assert shape(parse(body)) == expected


# --------------------------------------------------------------------------
# Code blocks: (markdown, [(info, text)])

CODE_CASES = [
    ("```\ncode\n```", [("", "code")]),
    ("```python extra\nx = 1\n\n  y\n```", [("python extra", "x = 1\n\n  y")]),
    ("~~~\n```\n~~~", [("", "```")]),
    ("````\n```\n````", [("", "```")]),
    ("```\nunclosed\n# not a heading", [("", "unclosed\n# not a heading")]),
    ("  ```\n  a\n    b\n c\n```", [("", "a\n  b\nc")]),
    ("```\n```", [("", "")]),
    ("    code\n    more\n\n    after blank\n\n", [("", "code\nmore\n\nafter blank")]),
    ("    \tx", [("", "\tx")]),
    ("> ```\n> in quote\n> ```", [("", "in quote")]),
    ("- ```\n  in item\n  ```", [("", "in item")]),
    ("``` a`b\nx\n```", [("", "")]),  # not a fence; the last line opens one
]


@pytest.mark.parametrize(("body", "expected"), CODE_CASES, ids=[c[0][:30] for c in CODE_CASES])
def test_code_blocks(body: str, expected: list[tuple[str, str]]) -> None:
    doc = parse(body)
    assert [(b.info, b.text) for b in doc.blocks if b.kind == "code"] == expected
    for block in doc.blocks:
        if block.kind == "code":
            assert all(not r.styles for r in block.runs), "code text is not parsed inline"


def test_indented_code_does_not_interrupt_paragraph() -> None:
    assert shape(parse("para\n    more")) == [("paragraph", 0, 0, 0, "", "para more")]


def test_code_block_newlines_are_source_runs() -> None:
    body = "```\na\nb\n```"
    (block,) = parse(body).blocks
    newline_runs = [r for r in block.runs if r.text == "\n"]
    assert len(newline_runs) == 1
    assert body[newline_runs[0].start] == "\n"


def test_heading_offsets() -> None:
    body = "intro\n\n## Le **titre** ##\n"
    doc = parse(body)
    heading = doc.blocks[1]
    assert heading.kind == "heading" and heading.level == 2
    assert [r.text for r in heading.runs] == ["Le ", "titre"]
    assert body[heading.runs[1].start : heading.runs[1].end] == "titre"


def test_block_offsets_increase() -> None:
    body = "# T\n\npara\n\n- a\n  - b\n\n> q\n\n```\nc\n```\n\n---\n"
    starts = [b.start for b in parse(body).blocks]
    assert starts == sorted(starts)


def test_deep_quotes_are_capped() -> None:
    body = ">" * 10_000 + " deep"
    doc = parse(body)
    assert max(b.quote_depth for b in doc.blocks) == MAX_NESTING
