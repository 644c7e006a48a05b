"""reader.core.document: parse_document on hostile input, the offset
invariant as a property, and the model's small API."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.document import Block, Run, parse_document
from tests.core.document.checks import check_invariant, parse

# --------------------------------------------------------------------------
# Hostile input: no exception, no deep recursion, nesting capped


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
