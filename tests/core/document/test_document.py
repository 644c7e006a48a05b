"""Tests for reader.core.document: Markdown/text to blocks with source offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.document import MAX_NESTING, Block, Document, Run, parse_document


def check_invariant(body: str, doc: Document) -> None:
    """Every source run is a body slice; runs are increasing, non-overlapping."""
    last = 0
    for run in doc.iter_runs():
        assert run.start <= run.end
        assert run.start >= last, (run, last)
        if run.start < run.end:
            assert run.text == body[run.start : run.end], run
        else:
            assert run.text, "a decoration shows something"
        last = run.end


def parse(body: str, fmt: str = "markdown") -> Document:
    doc = parse_document(body, fmt)
    check_invariant(body, doc)
    return doc


def styled(block: Block) -> list[tuple[str, str]]:
    """A block's runs as (text, "+"-joined sorted styles), adjacent equal styles merged."""
    out: list[tuple[str, str]] = []
    for run in block.runs:
        key = "+".join(sorted(run.styles))
        if out and out[-1][1] == key:
            out[-1] = (out[-1][0] + run.text, key)
        else:
            out.append((run.text, key))
    return out


def shape(doc: Document) -> list[tuple[str, int, int, int, str, str]]:
    return [(b.kind, b.level, b.depth, b.quote_depth, b.marker, b.text) for b in doc.blocks]


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


# --------------------------------------------------------------------------
# Hostile input: no exception, no deep recursion, nesting capped


def test_deep_quotes_are_capped() -> None:
    body = ">" * 10_000 + " deep"
    doc = parse(body)
    assert max(b.quote_depth for b in doc.blocks) == MAX_NESTING
    assert doc.blocks[-1].text.endswith("deep")


@pytest.mark.parametrize(
    "body",
    [
        "*" * 10_000,
        "*a " * 5_000 + "b*" * 5_000,
        "_a " * 5_000 + " a_" * 5_000,
        "[" * 10_000 + "a" + "](b)" * 10_000,
        "[a](" * 10_000,
        "`" * 3_000 + " ``" * 3_000,
        "- " * 10_000 + "x",
        "> - " * 5_000 + "x\n" + "> - y\n" * 100,
        "<a" * 10_000,
        "![" * 10_000,
        "".join(" " * i + "- x\n" for i in range(300)),
        "\t" * 1000 + "x\n" + " \t" * 1000,
        "**a*" * 5_000,
    ],
    ids=lambda b: repr(b[:12]),
)
def test_hostile_input(body: str) -> None:
    parse(body)


# --------------------------------------------------------------------------
# Property: the offset invariant holds for any markdown-ish string

MARKDOWNISH = st.lists(
    st.sampled_from(
        list("ab \n\t*_`[]()<>!#-+.):~\\>=|")
        + ["1.", "2)", "```", "~~~", "    ", "> ", "- ", "**", "__", "é", "東", "😀", "http://x"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(MARKDOWNISH)
def test_invariant_property(body: str) -> None:
    for fmt in ("markdown", "text"):
        doc = parse_document(body, fmt)
        check_invariant(body, doc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_invariant_any_text(body: str) -> None:
    check_invariant(body, parse_document(body, "markdown"))


def test_run_and_block_api() -> None:
    run = Run(3, 3, " ⟨", frozenset({"link-target"}))
    assert run.is_decoration
    block = Block("paragraph", (Run(0, 2, "ab"), run))
    assert block.text == "ab ⟨"
