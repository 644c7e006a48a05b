"""The README stays true to the CLI (issue 13, item 11): its search examples
find something in the bundled articles, its JSON schema names every key the
CLI prints, the id prefix and exit statuses are described, and the
screenshot caption agrees with ``reader search``."""

from __future__ import annotations

import json
import re

import pytest

from reader.cli import main
from reader.cli.parser import SUBCOMMANDS
from tests.conftest import ARTICLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SAMPLE = "fr-poutine-maintien-de-la-paix-donbass.txt"


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _table_queries() -> list[str]:
    queries = []
    for line in _section("Search").splitlines():
        if line.startswith("| `"):
            cell = line.split("|")[1]
            queries += [q for q in re.findall(r"`([^`]+)`", cell) if "…" not in q]
    return queries


def search(capsys: pytest.CaptureFixture[str], query: str) -> dict[str, object]:
    main(["search", "--json", "--", query, str(ARTICLES)])
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_the_table_has_the_examples() -> None:
    queries = _table_queries()
    assert len(queries) >= 15
    assert {"otan macron", "title:paix", "place:louhansk"} <= set(queries)


# is: filters depend on the reader's marks (test_query_problems.py covers them)
@pytest.mark.parametrize("query", [q for q in _table_queries() if not q.startswith("is:")])
def test_every_search_example_finds_something(
    query: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = search(capsys, query)
    assert data["total"], query
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("query", "found"), [("etats unis", "États-Unis"), ("otan", "l’OTAN"), ("150000", "150 000")]
)
def test_prose_examples(query: str, found: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert f"`{query}` finds *{found}*" in " ".join(README.split())
    data = search(capsys, query)
    assert data["total"]


def test_search_json_schema_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    data = search(capsys, "louhansk")
    schema = " ".join(_section("Command line").split())
    for key in data:
        assert key in schema, key
    hit = data["hits"][0]  # type: ignore[index]
    for key in hit:
        assert key in schema, key
    for key in hit["snippet"]:
        assert key in schema
    assert "snippet: {text, start, end, hits" in schema


def test_every_subcommand_is_in_the_readme() -> None:
    section = _section("Command line")
    for name in SUBCOMMANDS:
        assert f"reader {name}" in section, name


def test_readme_describes_prefix_and_exit_statuses() -> None:
    text = " ".join(_section("Command line").split())
    assert "with several PATHS each id starts with the name of the folder" in text
    assert "1 when `search` finds nothing" in text
    assert "no such file or directory" in text


def test_screenshot_caption_agrees_with_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    caption = re.search(r"!\[([^\]]*)\]\(docs/screenshot\.svg\)", README)
    assert caption is not None
    text = caption.group(1)
    query = re.search(r'searching "([^"]+)"', text)
    assert query is not None
    data = search(capsys, query.group(1))
    assert data["hits"][0]["id"] == SAMPLE  # type: ignore[index]
    assert "sample article (the best hit)" in text
    numbers = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    for word, value in numbers.items():
        if f"{word} articles" in text:
            assert data["total"] == value
