"""An article's entities as the index sees them: (label, key, name)."""

from __future__ import annotations

import pytest

from reader.core.entities.catalogue import ArticleEntities
from reader.core.entities.model import Mention
from reader.core.search.names import entity_names, keys_of


def mention(label: str, text: str, key: str) -> Mention:
    return Mention(0, len(text), label, text, key)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        (None, []),
        ({}, []),
        # names by field: each name is its own entity
        (
            {"person": ["Vladimir Poutine"], "entity": ["Vladimir Poutine", "Brexit"]},
            [
                ("PER", "per:vladimir poutine", "Vladimir Poutine"),
                ("MISC", "misc:brexit", "Brexit"),
            ],
        ),
        ({"place": ["Kiev", " "], "date": ["2022"], "org": [3]}, [("LOC", "loc:kiev", "Kiev")]),
        # mentions: their key, their text and the canonical name in the key
        (
            ArticleEntities(
                body=(
                    mention("LOC", "Kiev", "loc:kyiv"),
                    mention("LOC", "Kyiv", "loc:kyiv"),
                    mention("DATE", "2022", "date:2022"),
                    mention("ORG", "OTAN", "org:otan"),
                )
            ),
            [
                ("LOC", "loc:kyiv", "Kiev"),
                ("LOC", "loc:kyiv", "kyiv"),
                ("LOC", "loc:kyiv", "Kyiv"),
                ("ORG", "org:otan", "OTAN"),
                ("ORG", "org:otan", "otan"),
            ],
        ),
    ],
)
def test_entity_names(entities: object, expected: list[tuple[str, str, str]]) -> None:
    got = entity_names(entities)  # type: ignore[arg-type]
    assert got == expected
    assert keys_of(got) == list(dict.fromkeys(key for _, key, _ in expected))
