"""query.check: every part the parser leaves out is named, the rest is kept."""

from __future__ import annotations

import pytest

from reader.core.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    NOTHING_TO_INCLUDE,
    STATES,
    Word,
    check,
    parse,
)


@pytest.mark.parametrize(
    ("query", "named", "tree"),
    [
        ("otan", [], Word("otan")),
        ("is:starred otan", [], Word("otan")),
        ("foo:bar otan", ["foo:bar: unknown field 'foo'"], Word("otan")),
        ("is:bogus otan", ["is:bogus: unknown reading state"], Word("otan")),
        ("is: otan", ["is: has no value"], Word("otan")),
        ("date:banana otan", ["date:banana: not a date"], Word("otan")),
        ("date:2022-13 otan", ["date:2022-13: not a date"], Word("otan")),
        ("date:2022-02-30 otan", ["date:2022-02-30: not a date"], Word("otan")),
        ('date:"soon" otan', ['date:"soon": not a date'], Word("otan")),
        ("date:2022-01..2022-13 otan", ["date:2022-01..2022-13: not a date"], Word("otan")),
        ("lang:?? otan", ["lang:??: not a language code"], Word("otan")),
        ("person: otan", ["person: has no value"], Word("otan")),
        ("date: otan", ["date: has no value"], Word("otan")),
        ("title:", ["title: has no value"], None),
        ("-russie", [NOTHING_TO_INCLUDE], None),
        ("-russie -crimée", [NOTHING_TO_INCLUDE], None),
        ("(-russie) OR -kiev", [NOTHING_TO_INCLUDE], None),
        ("kiev OR -russie", [], None),
        ("10:30 http://example.org Remarque:", [], None),
        ("date:2022-02 lang:fr", [], None),
    ],
)
def test_check_names_each_bad_part(query: str, named: list[str], tree: object) -> None:
    problems = check(query)
    assert len(problems) == len(named)
    for problem, start in zip(problems, named, strict=True):
        assert problem.startswith(start)
    if tree is not None:
        assert parse(query) == tree


def test_unknown_state_lists_the_states() -> None:
    (problem,) = check("is:bogus")
    assert all(f"is:{state}" in problem for state in STATES)


def test_several_problems_in_query_order() -> None:
    problems = check("date:x foo:y person: paix")
    assert [p.split(":")[0] for p in problems] == ["date", "foo", "person"]


def test_cut_queries_are_reported() -> None:
    assert any("characters" in p for p in check("a" * (MAX_QUERY_LENGTH + 1)))
    many = " ".join(f"w{i}" for i in range(MAX_TERMS + 1))
    assert any(str(MAX_TERMS) in p for p in check(many))
    exactly = " ".join(f"w{i}" for i in range(MAX_TERMS))
    assert check(exactly) == []
