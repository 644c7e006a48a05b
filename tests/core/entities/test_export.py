"""Export to Markdown/JSON and re-import with the same entity spans."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.article import Article, EntityAnnotation
from reader.core.articles.loader import Candidate, load_articles, load_file
from reader.core.articles.metadata import normalise_date
from reader.core.articles.sanitize import sanitize_line, sanitize_text
from reader.core.entities import Mention, default_recogniser, make_key
from reader.core.entities.catalogue import ArticleEntities, recognise_article
from reader.core.entities.export import (
    body_sha256,
    mentions_from_spans,
    spans_from_metadata,
    to_json,
    to_markdown,
)
from tests.conftest import ARTICLES

GENERATED = {"entity_spans", "entity_span_count", "body_sha256"}


class Corpus:
    """The bundled articles with their recognised entities (no search index)."""

    def __init__(self) -> None:
        self.articles, problems = load_articles([ARTICLES])
        assert problems == []
        recogniser = default_recogniser(demonyms_as_misc=False)
        self._entities = {a.id: recognise_article(a, recogniser) for a in self.articles}

    def entities_for(self, article_id: str) -> ArticleEntities:
        return self._entities[article_id]


@pytest.fixture(scope="module")
def library() -> Corpus:
    return Corpus()


def _reload(tmp_path: Path, text: str, name: str = "exported.md") -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    article, problems = load_file(Candidate(str(path), str(tmp_path), name))
    assert problems == []
    assert article is not None
    return article


def _same_content(original: Article, again: Article) -> None:
    assert again.title == original.title
    assert again.body == original.body
    assert again.author == original.author
    assert again.date == original.date
    assert again.date_valid == original.date_valid
    assert again.source == original.source
    assert again.url == original.url
    assert again.lang == original.lang
    assert again.tags == original.tags
    assert again.summary == original.summary
    assert again.entities == original.entities
    extra = {k: v for k, v in again.extra.items() if k not in GENERATED}
    assert extra == original.extra


def _spans(mentions: tuple[Mention, ...] | list[Mention]) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.label) for m in mentions]


def test_round_trip_every_bundled_article(library: Corpus, tmp_path: Path) -> None:
    assert len(library.articles) >= 20
    for article in library.articles:
        mentions = library.entities_for(article.id).body
        assert mentions, article.id
        name = Path(article.id).stem + ".md"
        again = _reload(tmp_path, to_markdown(article, mentions), name)
        _same_content(article, again)
        assert again.extra["body_sha256"] == body_sha256(article.body)
        assert spans_from_metadata(again) == _spans(mentions), article.id
        # The original files carry no spans.
        assert spans_from_metadata(article) is None


def test_exported_folder_loads_with_the_real_loader(library: Corpus, tmp_path: Path) -> None:
    for article in library.articles:
        text = to_markdown(article, library.entities_for(article.id).body)
        (tmp_path / (Path(article.id).stem + ".md")).write_text(text, encoding="utf-8")
    articles, problems = load_articles([tmp_path])
    assert problems == []
    assert len(articles) == len(library.articles)
    by_stem = {Path(a.id).stem: a for a in articles}
    for article in library.articles:
        again = by_stem[Path(article.id).stem]
        assert spans_from_metadata(again) == _spans(library.entities_for(article.id).body)


def test_mentions_from_spans_rebuilds_texts(library: Corpus, tmp_path: Path) -> None:
    article = library.articles[0]
    mentions = library.entities_for(article.id).body
    again = _reload(tmp_path, to_markdown(article, mentions))
    spans = spans_from_metadata(again)
    assert spans is not None
    rebuilt = mentions_from_spans(again.body, spans)
    assert [(m.start, m.end, m.label, m.text) for m in rebuilt] == [
        (m.start, m.end, m.label, m.text) for m in mentions
    ]
    assert all(m.key == make_key(m.label, m.text) for m in rebuilt)


HOSTILE = [
    'He said: "no" # not a comment',
    "[bold]markup[/bold] and [link=https://x]link[/link]",
    "line one\u240aline two",  # a newline that became a placeholder
    sanitize_line("tab\tand\x1b[31mescape\x07"),
    "'single' \"double\" `back` \\ backslash",
    "- looks like a list item",
    "---",
    "...",
    "&anchor *alias !tag %directive @at |pipe >fold {brace} [bracket]",
    "null",
    "~",
    "yes",
    "2024-01-01",
    "0x1F",
    "Ünïcødé — “quotes” « guillemets » 😀 𝔘",
    "\u2e2e bidi placeholder \ufffd",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_survive(title: str, tmp_path: Path) -> None:
    body = "# Not the title\n\n---\nA body with a dash line.\n...\nAnd Paris: the end."
    start = body.index("Paris")
    date, date_valid = normalise_date(title)
    article = Article(
        id="x.md",
        path="x.md",
        format="markdown",
        title=title,
        body=body,
        author=(title, "Anne Martin"),
        date=date,
        date_valid=date_valid,
        source=title,
        url="https://example.org/a?b=c#d",
        lang="fr",
        tags=(title, "tag: two"),
        summary=title,
        entities=(
            EntityAnnotation(title, "ORG"),
            EntityAnnotation("Paris", "LOC", "relabel"),
            EntityAnnotation("Not", None, "suppress"),
        ),
        extra={"note": sanitize_text("two\nlines: # and [b]"), "Weird key: #1": [title, None]},
    )
    mention = Mention(start, start + 5, "LOC", "Paris", "loc:paris")
    text = to_markdown(article, [mention])
    again = _reload(tmp_path, text)
    _same_content(article, again)
    assert spans_from_metadata(again) == [(start, start + 5, "LOC")]


def test_json_export(library: Corpus) -> None:
    article = library.articles[0]
    mentions = library.entities_for(article.id).body
    data = to_json(article, mentions)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["title"] == article.title
    assert data["body"] == article.body
    assert data["author"] == list(article.author)
    assert data["lang"] == article.lang
    assert data["body_sha256"] == body_sha256(article.body)
    assert len(data["entities"]) == len(mentions)
    for item, mention in zip(data["entities"], mentions, strict=True):
        assert item == {
            "start": mention.start,
            "end": mention.end,
            "label": mention.label,
            "text": mention.text,
            "key": mention.key,
        }
        assert article.body[item["start"] : item["end"]] == item["text"]


def _exported(library: Corpus, tmp_path: Path) -> tuple[Article, list[Mention], Article]:
    article = library.articles[0]
    mentions = list(library.entities_for(article.id).body)
    return article, mentions, _reload(tmp_path, to_markdown(article, mentions))


def test_edited_body_drops_spans(library: Corpus, tmp_path: Path) -> None:
    article, mentions, _ = _exported(library, tmp_path)
    text = to_markdown(article, mentions)
    edited = text.replace(article.body[:40], "Edited: " + article.body[:40], 1)
    assert edited != text
    again = _reload(tmp_path, edited)
    assert spans_from_metadata(again) is None
    # A one-character change at the very end is caught too.
    again = _reload(tmp_path, text.rstrip("\n") + "!\n")
    assert spans_from_metadata(again) is None


@pytest.mark.parametrize(
    "spans",
    [
        [["0", "5", "PER"], ["3", "8", "LOC"]],  # overlap
        [["0", "999999", "PER"]],  # out of bounds
        [["5", "5", "PER"]],  # empty
        [["0", "5", "NOPE"]],  # unknown label
        [["-1", "5", "PER"]],  # negative
        [["1_0", "20", "PER"]],  # not plain digits
        [["0", "5"]],  # too short
        ["0 5 PER"],  # not a list
        "0,5,PER",
    ],
)
def test_invalid_spans_are_refused(library: Corpus, tmp_path: Path, spans: object) -> None:
    _, _, again = _exported(library, tmp_path)
    extra = dict(again.extra)
    extra["entity_spans"] = spans
    extra.pop("entity_span_count")
    assert spans_from_metadata(replace(again, extra=extra)) is None


def test_truncated_span_list_is_refused(library: Corpus, tmp_path: Path) -> None:
    _, mentions, again = _exported(library, tmp_path)
    extra = dict(again.extra)
    extra["entity_spans"] = extra["entity_spans"][:-1]
    assert spans_from_metadata(replace(again, extra=extra)) is None
    extra["entity_span_count"] = str(len(mentions) - 1)
    assert spans_from_metadata(replace(again, extra=extra)) == _spans(mentions[:-1])


def test_bad_mentions_are_an_error() -> None:
    article = Article(id="a", path="a", format="text", title="T", body="Paris Lyon")
    with pytest.raises(ValueError):
        to_markdown(article, [Mention(0, 50, "LOC", "Paris", "loc:paris")])
    with pytest.raises(ValueError):
        to_json(
            article,
            [Mention(0, 5, "LOC", "Paris", "k"), Mention(3, 8, "LOC", "is Ly", "k")],
        )


def _many(count: int) -> tuple[Article, list[Mention]]:
    body = " ".join(f"Paris{i:05d}" for i in range(count))
    mentions = [
        Mention(i * 11, i * 11 + 10, "LOC", body[i * 11 : i * 11 + 10], "k") for i in range(count)
    ]
    return Article(id="m", path="m", format="markdown", title="Many", body=body), mentions


@pytest.mark.parametrize("count", [199, 200, 201, 1000])
def test_many_spans_never_come_back_wrong(count: int, tmp_path: Path) -> None:
    """Beyond the metadata list cap the loader keeps part of the list; the
    count then disagrees and the spans are refused rather than half used."""
    article, mentions = _many(count)
    again = _reload(tmp_path, to_markdown(article, mentions))
    assert again.body == article.body
    spans = spans_from_metadata(again)
    assert spans is None or spans == _spans(mentions)
    if count <= 200:
        assert spans == _spans(mentions)


def test_too_many_spans_for_front_matter_are_left_out(tmp_path: Path) -> None:
    article, mentions = _many(5000)
    text = to_markdown(article, mentions)
    assert "entity_spans" not in text
    again = _reload(tmp_path, text)
    assert again.title == "Many"
    assert again.body == article.body
    assert spans_from_metadata(again) is None
