"""The session facade: lists with exact totals, the one opening path, live
reload with the same settings, and what the article pane shows."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.session.changes import diff_states, scan
from reader.core.session.session import Session, entity_query
from reader.core.session.settings import Settings, resolve_settings
from tests.conftest import ARTICLES

SAMPLE = "fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    state = tmp_path_factory.mktemp("state")
    settings = Settings(paths=(str(ARTICLES),), cache=False, state_dir=state)
    opened = Session.open(settings)
    opened.analyse()
    return opened


def test_opening_reads_every_bundled_article(session: Session) -> None:
    assert len(session.library) == len(list(ARTICLES.iterdir()))
    assert session.problems == []


def test_is_filters_apply_before_the_limit(session: Session) -> None:
    everything = session.search("ukraine", limit=500)
    assert everything.total > 3
    ids = [a.id for a in everything.articles]
    read = ids[::2]
    for article_id in read:
        session.mark_read(article_id)
    try:
        unread = session.search("ukraine is:unread", limit=1)
        assert unread.total == len(ids) - len(read)
        assert len(unread.articles) == 1 and unread.articles[0].id not in read
        only_read = session.search("is:read ukraine", limit=500)
        assert [a.id for a in only_read.articles] == read
        assert only_read.total == len(read)
    finally:
        for article_id in read:
            session.toggle_read(article_id)


def test_filters_alone_narrow_the_browse_list(session: Session) -> None:
    session.toggle_star(SAMPLE)
    try:
        answer = session.search("is:starred")
        assert (answer.searching, [a.id for a in answer.articles], answer.total) == (
            False,
            [SAMPLE],
            1,
        )
        assert session.search("is:starred is:read").message == "No read, starred articles."
    finally:
        session.toggle_star(SAMPLE)


def test_browse_follows_the_sort_order(session: Session) -> None:
    session.marks.set_sort("date")
    try:
        dates = [a.date for a in session.browse().articles if a.date]
        assert dates == sorted(dates, reverse=True)
    finally:
        session.marks.set_sort("file")
    assert [a.id for a in session.browse().articles] == [a.id for a in session.library.articles]


def test_the_pane_shows_the_hits_that_ranked_the_list(session: Session) -> None:
    answer = session.search("Louhansk")
    assert answer.articles[0].id == SAMPLE
    article = answer.articles[0]
    shown = session.present(article, answer, recognise=True)
    body = [article.body[a:b] for where, a, b in shown.hits if where == "body"]
    assert body and all(text == "Louhansk" for text in body)
    assert len(shown.hits) == len(answer.hits[0].offsets)
    assert shown.counter() == f"hit 0/{len(shown.hits)}"
    assert shown.counter(shown.step(-1, 1)) == f"hit 1/{len(shown.hits)}"


def test_an_article_outside_the_list_gets_the_same_match(session: Session) -> None:
    answer = session.search("otan", limit=1)
    others = [a for a in session.library.articles if a.id != answer.articles[0].id]
    outside = next(a for a in others if "OTAN" in a.body)
    shown = session.present(outside, answer)
    assert shown.hits and all(outside.body[a:b] == "OTAN" for _, a, b in shown.hits)


def test_no_query_no_counter(session: Session) -> None:
    article = session.library.get(SAMPLE)
    assert article is not None
    shown = session.present(article, session.browse())
    assert (shown.hits, shown.counter(), shown.step(-1, 1)) == ((), "", -1)
    searched = session.present(article, session.search("zzzzqqq"))
    assert searched.counter() == "no hit in this article"


def test_hidden_labels_remove_exactly_their_spans(session: Session) -> None:
    article = session.library.get(SAMPLE)
    assert article is not None
    shown = session.present(article, None, recognise=True)
    title, body = shown.entity_spans()
    assert {kind for _, _, kind in body} >= {"PER", "LOC"}
    for label in ("PER", "LOC", "ORG", "MISC", "DATE"):
        hidden = shown.with_hidden({label})
        assert hidden.entity_spans() == (
            [s for s in title if s[2] != label],
            [s for s in body if s[2] != label],
        )


@pytest.mark.parametrize(
    ("label", "name", "query"),
    [
        ("PER", "Vladimir Poutine", 'person:"Vladimir Poutine"'),
        ("LOC", "Louhansk", 'place:"Louhansk"'),
        ("ORG", "OTAN", 'org:"OTAN"'),
        ("MISC", "Euro", 'entity:"Euro"'),
        ("DATE", "1er mars", '"1er mars"'),
        ("PER", 'Le "Tsar"', 'person:"Le  Tsar "'),
    ],
)
def test_entity_queries(label: str, name: str, query: str) -> None:
    assert entity_query(label, name) == query


def test_reload_keeps_the_default_language(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "short.txt").write_text("Brève\n\nTrès court.\n", encoding="utf-8")
    settings = Settings(paths=(str(root),), cache=False, remember=False, default_lang="fr")
    session = Session.open(settings)
    assert session.library.get("short.txt").lang == "fr"  # type: ignore[union-attr]
    before, _ = scan(settings.paths)
    (root / "short.txt").write_text("Brève\n\nTrès court, modifié.\n", encoding="utf-8")
    os.utime(root / "short.txt", ns=(1, 10**18))
    applied = session.apply(diff_states(before, scan(settings.paths)[0], settings.paths))
    assert applied.updated == ("short.txt",)
    assert session.library.get("short.txt").lang == "fr"  # type: ignore[union-attr]


def test_marks_follow_a_reloaded_article(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "a.md").write_text("# A\n\nUn texte sur Paris.\n", encoding="utf-8")
    settings = Settings(paths=(str(root),), cache=False, state_dir=tmp_path / "state")
    session = Session.open(settings)
    session.toggle_star("a.md")
    session.marks.save()
    before, _ = scan(settings.paths)
    os.rename(root / "a.md", root / "b.md")
    session.apply(diff_states(before, scan(settings.paths)[0], settings.paths))
    assert session.marks.is_starred("b.md")


def test_settings_file_under_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "paths: [one, two]\ntext_width: 70\ndefault_language: en\nmax_size_kb: 10\n",
        encoding="utf-8",
    )
    settings = resolve_settings(config_file=str(config))
    assert (settings.paths, settings.text_width, settings.default_lang, settings.max_bytes) == (
        ("one", "two"),
        70,
        "en",
        10 * 1024,
    )
    given = resolve_settings(["x"], config_file=str(config), max_size_kb=2, text_width=50)
    assert (given.paths, given.max_bytes, given.default_lang, given.text_width) == (
        ("x",),
        2048,
        "en",
        50,
    )


def test_a_bad_settings_file_names_itself(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("theme: [1, 2]\ntext_width: -3\n", encoding="utf-8")
    settings = resolve_settings(config_file=str(config))
    assert settings.problems
    assert all(
        p.path.startswith("settings ") and "config.yaml" in p.path for p in settings.problems
    )
    assert settings.text_width == 88
