"""The query parser: a table of query → tree, and it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.search.query import (
    MAX_DEPTH,
    MAX_TERMS,
    And,
    DateRange,
    Lang,
    Not,
    Or,
    Phrase,
    Word,
    parse,
)

W = Word


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("   ", None),
        ("poutine", W("poutine")),
        ("poutine otan", And((W("poutine"), W("otan")))),
        ('"maintien de la paix"', Phrase("maintien de la paix")),
        ('"unbalanced quote', Phrase("unbalanced quote")),
        ("-crimée kiev", And((Not(W("crimée")), W("kiev")))),
        ("kiev OR kyiv", Or((W("kiev"), W("kyiv")))),
        ("kiev or kyiv", And((W("kiev"), W("or"), W("kyiv")))),
        ("(kiev OR kyiv) otan", And((Or((W("kiev"), W("kyiv"))), W("otan")))),
        ("-(a b) c", And((Not(And((W("a"), W("b")))), W("c")))),
        ("souver*", W("souver", prefix=True)),
        ("title:paix", W("paix", "title")),
        ('title:"maintien de la paix"', Phrase("maintien de la paix", "title")),
        (
            "author:dupont tag:ukraine source:monde",
            And((W("dupont", "author"), W("ukraine", "tag"), W("monde", "source"))),
        ),
        (
            "person:poutine place:donbass org:otan entity:x",
            And(
                (W("poutine", "person"), W("donbass", "place"), W("otan", "org"), W("x", "entity"))
            ),
        ),
        ("TITLE:paix", W("paix", "title")),
        ("lang:FR", Lang("fr")),
        ("date:2022-02", DateRange("2022-02", "2022-02")),
        ("date:2022-01..2022-03", DateRange("2022-01", "2022-03")),
        ("date:2022..", DateRange("2022", "")),
        ("date:..2021-12", DateRange("", "2021-12")),
        ("date:2023..2022", DateRange("2022", "2023")),
        ("date:février", None),
        ("foo:bar", None),
        ("foo:bar paix", W("paix")),
        ("10:30", W("10:30")),
        ("Remarque: paix", And((W("Remarque:"), W("paix")))),
        ("-", None),
        ("- poutine", W("poutine")),
        ("*", None),
        ("(((", None),
        (")))a", W("a")),
        ("a))) b", And((W("a"), W("b")))),
        ("OR OR a OR", W("a")),
        ("a.*b [x] (?i) \\d+", And((W("a.*b"), W("[x]"), W("?i"), W("\\d+")))),
        ("150 000 soldats", And((W("150 000"), W("soldats")))),
        ("États-Unis", W("États-Unis")),
        ("l’OTAN", W("l’OTAN")),
        ("«Paris»", Phrase("Paris")),
    ],
)
def test_parse(text: str, tree: object) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("poutine ot", And((W("poutine"), W("ot", prefix=True)))),
        ("poutine ot ", And((W("poutine"), W("ot")))),
        ("title:pai", W("pai", "title", prefix=True)),
        ("-pou", Not(W("pou"))),
        ('"a b"', Phrase("a b")),
    ],
)
def test_as_you_type(text: str, tree: object) -> None:
    assert parse(text, as_you_type=True) == tree


def test_depth_is_capped() -> None:
    tree = parse("(" * 500 + "a" + ")" * 500)
    assert tree == W("a")
    nested = parse("(a " * 100)
    depth = 0
    node = nested
    while isinstance(node, And):
        depth += 1
        node = node.children[-1]
    assert depth <= MAX_DEPTH


@given(
    st.text(
        alphabet=st.sampled_from("ab -\"()*:OR’'\\[]|é ﬁ\u0301\n\t.date:lang:title:"), max_size=300
    )
)
def test_never_raises_on_query_syntax(text: str) -> None:
    parse(text)
    parse(text, as_you_type=True)


@given(st.text(max_size=500))
def test_never_raises(text: str) -> None:
    parse(text, as_you_type=True)


def _leaves(tree: object) -> int:
    count, stack = 0, [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, And | Or):
            stack.extend(node.children)
        elif isinstance(node, Not):
            stack.append(node.child)
        elif node is not None:
            count += 1
    return count


@settings(max_examples=50)
@given(st.text(alphabet='(")-a b:*', min_size=1, max_size=40))
def test_long_queries_are_capped(unit: str) -> None:
    # no wall-clock limit: the caps bound the work whatever the length
    text = (unit * (10_000 // len(unit) + 1))[:10_000]
    tree = parse(text, as_you_type=True)
    assert _leaves(tree) <= MAX_TERMS
