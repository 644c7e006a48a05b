"""Presentation: what the article pane shows for one article under a query.

:func:`present` gathers an article's parsed document, its entity spans by
label (hidden labels left out) and its search hits. The hits come from *the
same match that ranked the list*: the result's own offsets when the article
is among the results, else the query's matcher applied to the article — with
the same prefix, typo and phrase rules — plus the mentions of every entity
the query matched (``person:poutine``, ``place:"Ukraine"``, or ``otan`` found
in the English NATO article through the shared entity key). So the counter
``hit i/N`` always counts what is highlighted, and ``n``/``N`` step through
exactly those.

Everything here is plain data with character offsets into ``title``/``body``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.document import Document, parse_document
from reader.core.entities.catalogue import FIELD_OF_LABEL, ArticleEntities
from reader.core.entities.model import Mention
from reader.core.search import Hit, Matcher, Offset, SearchResults, highlight

Span = tuple[int, int, str]
"""(start, end, kind): kind is an entity label, ``hit`` or ``hit-current``."""


@dataclass(frozen=True, slots=True)
class Presentation:
    """One article as the article pane shows it."""

    article: Article
    document: Document
    entities: ArticleEntities | None = None
    """None while the article's entities are still being recognised."""
    hidden: frozenset[str] = frozenset()
    hits: tuple[Offset, ...] = ()
    """Every hit, (field, start, end), title first, in text order."""
    searching: bool = False
    """True when a query with words is active (so "no hit" can be said)."""
    label_counts: dict[str, int] = field(default_factory=dict, compare=False)

    def entity_spans(self) -> tuple[list[Span], list[Span]]:
        """Title and body entity spans of the labels not hidden."""
        if self.entities is None:
            return [], []
        shown = [
            [(m.start, m.end, str(m.label)) for m in mentions if m.label not in self.hidden]
            for mentions in (self.entities.title, self.entities.body)
        ]
        return shown[0], shown[1]

    def spans(self, current: int = -1) -> tuple[list[Span], list[Span]]:
        """Title and body spans: entities, then hits (``current`` is the hit
        the reader stands on, -1 for none)."""
        title, body = self.entity_spans()
        for index, (where, start, end) in enumerate(self.hits):
            kind = "hit-current" if index == current else "hit"
            (title if where == "title" else body).append((start, end, kind))
        return title, body

    def counter(self, current: int = -1) -> str:
        """``hit 2/5``, ``hit 0/5``, ``no hit in this article`` or nothing."""
        if self.hits:
            return f"hit {current + 1 if current >= 0 else 0}/{len(self.hits)}"
        return "no hit in this article" if self.searching else ""

    def step(self, current: int, delta: int) -> int:
        """The hit index ``delta`` hits away from ``current`` (wrapping);
        -1 when there is none. From no hit, +1 is the first, -1 the last."""
        if not self.hits:
            return -1
        if current < 0:
            return 0 if delta > 0 else len(self.hits) - 1
        return (current + delta) % len(self.hits)

    def with_entities(
        self, entities: ArticleEntities, results: SearchResults | None
    ) -> Presentation:
        """The same article once its entities are known (entity hits added)."""
        return present(self.article, entities, results, self.hidden, document=self.document)

    def with_hidden(self, hidden: Iterable[str]) -> Presentation:
        return Presentation(
            self.article,
            self.document,
            self.entities,
            frozenset(hidden),
            self.hits,
            self.searching,
            self.label_counts,
        )


def present(
    article: Article,
    entities: ArticleEntities | None,
    results: SearchResults | None,
    hidden: Iterable[str] = (),
    *,
    document: Document | None = None,
) -> Presentation:
    """The presentation of ``article`` under the query that gave ``results``
    (None: no query with words)."""
    hits: tuple[Offset, ...] = ()
    if results is not None:
        hits = tuple(article_hits(article, entities, results))
    return Presentation(
        article,
        document if document is not None else parse_document(article.body, article.format),
        entities,
        frozenset(hidden),
        hits,
        searching=results is not None and not results.nothing_to_search,
        label_counts=dict(entities.label_counts()) if entities is not None else {},
    )


def article_hits(
    article: Article, entities: ArticleEntities | None, results: SearchResults
) -> list[Offset]:
    """The hits of ``article`` for the match behind ``results``: the ranked
    hit's own offsets when it is listed, else the matcher's, plus the mentions
    of the entities the query matched; merged, title first, in text order."""
    listed = _listed(results, article.id)
    if listed is not None and listed.article is article:
        text_hits = listed.offsets
    else:
        text_hits = [
            (where, start, end) for where, start, end, _ in results.matcher.offsets(article)
        ]
    mention_hits = [] if entities is None else entity_hits(entities, results.matcher)
    return merge_hits([*text_hits, *mention_hits])


def _listed(results: SearchResults, article_id: str) -> Hit | None:
    for hit in results.hits:
        if hit.id == article_id:
            return hit
    return None


def entity_hits(entities: ArticleEntities, matcher: Matcher) -> list[Offset]:
    """The mentions of the entities ``matcher`` matched by key."""
    wanted = matcher.entity_keys
    if not wanted:
        return []
    found: list[Offset] = []
    for where, mentions in (("title", entities.title), ("body", entities.body)):
        found.extend((where, m.start, m.end) for m in mentions if _wanted(m, wanted))
    return found


def _wanted(mention: Mention, wanted: frozenset[tuple[str | None, str]]) -> bool:
    name = mention.key.partition(":")[2] or mention.key
    field_name = FIELD_OF_LABEL.get(mention.label)
    for label, key in wanted:
        if key not in (mention.key, name):
            continue
        if label is None or label in (mention.label, field_name, "entity"):
            return True
    return False


def merge_hits(hits: Iterable[Offset]) -> list[Offset]:
    """Overlapping or repeated hits of one field joined into one; title
    first, then the body, each in text order."""
    merged: list[Offset] = []
    for where, start, end in sorted(set(hits), key=lambda h: (h[0] != "title", h[1], h[2])):
        if merged and merged[-1][0] == where and start < merged[-1][2]:
            last = merged[-1]
            merged[-1] = (where, last[1], max(last[2], end))
        else:
            merged.append((where, start, end))
    return merged


@dataclass(frozen=True, slots=True)
class Heading:
    """One entry of an article's outline: a heading and where it starts."""

    level: int
    title: str
    offset: int
    """Character offset of the heading's text in the body."""


def outline(document: Document) -> list[Heading]:
    """The headings of a document, in order (Markdown articles)."""
    found: list[Heading] = []
    for block in document.blocks:
        if block.kind != "heading":
            continue
        sources = [run for run in block.runs if not run.is_decoration]
        title = " ".join(block.text.split())
        if sources and title:
            found.append(Heading(block.level, title, sources[0].start))
    return found


def find_in(presentation: Presentation, query: str) -> Presentation:
    """``presentation`` with the hits of ``query`` in this article alone
    (as ``/`` does in less), found with the archive search's own analysis,
    prefix and typo rules."""
    article = presentation.article
    hits = tuple(merge_hits(highlight(query, article, as_you_type=True))) if query.strip() else ()
    return Presentation(
        article,
        presentation.document,
        presentation.entities,
        presentation.hidden,
        hits,
        searching=bool(query.strip()),
        label_counts=presentation.label_counts,
    )


def mention_step(spans: tuple[tuple[int, int], ...], current: int) -> int:
    """The next mention of an entity to show (wrapping), -1 for none."""
    return (current + 1) % len(spans) if spans else -1
