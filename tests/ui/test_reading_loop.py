"""Issue 11's reading loop, driven by keys: a query typed one key at a time
then Enter opens an article whose ``hit i/N`` counter counts exactly the hits
highlighted; the reading position and sort order survive ``q`` and
``ctrl+c``; hiding an entity type removes exactly its spans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.cli import main
from reader.core.session.marks import sort_articles
from reader.ui.app import ReaderApp
from tests.conftest import ARTICLES, MakeReader, results_for, wait_ready

SAMPLE_ID = "fr-poutine-maintien-de-la-paix-donbass.txt"
HIT_KINDS = ("hit", "hit-current")


async def type_slowly(pilot: Pilot[int], query: str) -> None:
    """Focus the search bar and type ``query`` one key at a time, each
    prefix searched and listed before the next key (a slow typist)."""
    await pilot.press("slash")
    for end in range(1, len(query) + 1):
        await pilot.press(query[end - 1])
        await results_for(pilot, query[:end])


def highlighted_hits(app: ReaderApp) -> list[str]:
    """The text of every hit span the article pane styles."""
    reader = app.reader
    assert reader.presentation is not None
    article = reader.presentation.article
    title, body = reader.presentation.spans(reader.hit_index)
    return [article.title[a:b] for a, b, k in title if k in HIT_KINDS] + [
        article.body[a:b] for a, b, k in body if k in HIT_KINDS
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("mosc", "moscow", id="prefix"),
        pytest.param(
            "Louhanks",
            "louhansk",
            id="typo",
            marks=pytest.mark.xfail(
                strict=False,
                reason="search engine: the typo rule for the word being typed "
                "(Louhanks finds nothing while it is typed)",
            ),
        ),
        pytest.param(
            "place:louhansk",
            "louhansk",
            id="entity",
            marks=pytest.mark.xfail(
                strict=False,
                reason="search engine: entity-field queries matching entity keys "
                "(Matcher.entity_keys), so the mentions become hits",
            ),
        ),
    ],
)
async def test_typed_query_opens_an_article_counting_its_highlighted_hits(
    make_reader: MakeReader, query: str, expected: str
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await type_slowly(pilot, query)
        listed = [entry.key for entry in reader.article_list.entries]
        assert listed, f"{query!r} lists nothing"
        await pilot.press("enter")
        await pilot.pause()
        assert reader.current is not None and reader.current.id == listed[0]
        assert app.focused is reader.article_view
        presentation = reader.presentation
        assert presentation is not None
        shown = highlighted_hits(app)
        counter = re.match(r"hit (\d+)/(\d+)", reader.status.position)
        assert counter is not None, reader.status.position
        assert int(counter.group(1)) == 1
        assert int(counter.group(2)) == len(presentation.hits) == len(shown) > 0
        assert all(expected in text.casefold() for text in shown), shown
        await pilot.press("n")
        if len(shown) > 1:
            assert reader.status.position.startswith(f"hit 2/{len(shown)}")


@pytest.mark.xfail(
    strict=False, reason="search engine: a phrase is one hit per occurrence, not one per word"
)
async def test_a_phrase_is_one_hit_per_occurrence(make_reader: MakeReader) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await type_slowly(pilot, '"maintien de la paix"')
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.current is not None and app.reader.current.id == SAMPLE_ID
        assert highlighted_hits(app) == ["maintien de la paix"] * 2
        assert app.reader.status.position.startswith("hit 1/2")


async def test_the_app_and_reader_search_agree_on_a_total(
    make_reader: MakeReader, capsys: pytest.CaptureFixture[str]
) -> None:
    query = "etats unis"
    assert main(["search", "--json", "--no-cache", query, str(ARTICLES)]) == 0
    expected = json.loads(capsys.readouterr().out)["total"]
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        await type_slowly(pilot, query)
        assert app.reader.answer.total == expected
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.answer.total == expected


@pytest.mark.parametrize("quit_key", ["q", "ctrl+c"])
async def test_position_and_sort_survive_quitting(
    make_reader: MakeReader, tmp_path: Path, quit_key: str
) -> None:
    state_dir = tmp_path / "state"
    app = make_reader(state_dir=state_dir, watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        await pilot.press("o")  # file order -> date, newest first
        await pilot.pause()
        assert reader.session.marks.sort == "date"
        reader.open_article_id(SAMPLE_ID)
        await pilot.pause()
        assert app.focused is reader.article_view
        await pilot.press("space", "space", "j")
        await pilot.pause()
        top = reader.article_view.scroll_offset.y
        assert top > 0
        await pilot.press(quit_key)
        await pilot.pause()
    assert not app.is_running

    again = make_reader(state_dir=state_dir, watch=False)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = again.reader
        assert reader.session.marks.sort == "date"
        by_date = sort_articles(reader.session.library.articles, "date")
        assert [e.key for e in reader.article_list.entries] == [a.id for a in by_date]
        assert reader.current is not None and reader.current.id == SAMPLE_ID
        assert reader.article_view.scroll_offset.y == top


LABEL_KEYS = [("1", "PER"), ("2", "LOC"), ("3", "ORG"), ("4", "MISC"), ("5", "DATE")]


@pytest.mark.parametrize(("key", "label"), LABEL_KEYS, ids=[label for _, label in LABEL_KEYS])
async def test_hiding_a_label_removes_exactly_its_spans(
    make_reader: MakeReader, key: str, label: str
) -> None:
    app = make_reader(watch=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        reader = app.reader
        # An article with every label, opened from a query so hits show too.
        await type_slowly(pilot, "ukraine")
        index = reader.article_list.index_of("fr-ukraine-un-an-de-guerre.md")
        assert index is not None
        reader.article_list.cursor = index
        await pilot.press("tab", "enter")
        await pilot.pause()
        presentation = reader.presentation
        assert presentation is not None and presentation.hits

        def spans() -> list[tuple[str, int, int, str]]:
            assert reader.presentation is not None
            title, body = reader.presentation.spans(reader.hit_index)
            return [("title", *s) for s in title] + [("body", *s) for s in body]

        before = spans()
        assert any(kind == label for *_, kind in before)
        await pilot.press(key)
        assert spans() == [s for s in before if s[3] != label]
        assert label in reader.legend.hidden
        await pilot.press(key)
        assert spans() == before
        assert label not in reader.legend.hidden
