"""Entities per article and across the corpus.

:class:`ArticleEntities` holds one article's mentions (title and body, each
with offsets into its own field) after manual overrides. The
:class:`Catalogue` aggregates them: for every entity key, its label, a display
name, the surface forms seen and the articles that mention it. It updates one
article at a time, so live reload never needs a full rebuild.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.entities import (
    EntitySummary,
    Mention,
    Recogniser,
    apply_overrides,
    make_key,
    summarise,
)
from reader.core.entities.export import mentions_from_spans, spans_from_metadata

#: Search fields filled from entity labels.
FIELD_OF_LABEL = {"PER": "person", "LOC": "place", "ORG": "org", "MISC": "entity"}


@dataclass(frozen=True, slots=True)
class ArticleEntities:
    """The entity mentions of one article."""

    title: tuple[Mention, ...] = ()
    body: tuple[Mention, ...] = ()

    def all(self) -> tuple[Mention, ...]:
        return self.title + self.body

    def summaries(self) -> list[EntitySummary]:
        """The body's entities, most mentioned first (spans are body offsets)."""
        return summarise(self.body)

    def label_counts(self) -> Counter[str]:
        """Distinct entities per label, title and body together."""
        keys: dict[str, str] = {}
        for mention in self.all():
            keys.setdefault(mention.key, mention.label)
        return Counter(keys.values())

    def search_fields(self) -> dict[str, list[str]]:
        """Entity names for the search index: ``person``/``place``/``org``
        by label, and every name (all labels but DATE) under ``entity``."""
        fields: dict[str, list[str]] = {"person": [], "place": [], "org": [], "entity": []}
        seen: set[tuple[str, str]] = set()
        for mention in self.all():
            if mention.label == "DATE":
                continue
            names = [mention.text]
            canonical = mention.key.partition(":")[2]
            if canonical and canonical != mention.text.casefold():
                names.append(canonical)
            for name in names:
                for field_name in {FIELD_OF_LABEL[mention.label], "entity"}:
                    if (field_name, name) not in seen:
                        seen.add((field_name, name))
                        fields[field_name].append(name)
        return {name: values for name, values in fields.items() if values}


def _canonical_keys(recogniser: Recogniser, lang: str) -> Callable[[str, str], str]:
    """A ``key(label, surface)`` that asks the recogniser for the canonical
    key of a name (so saved spans keep Poutine/Putin as one entity)."""
    cache: dict[tuple[str, str], str] = {}

    def key(label: str, surface: str) -> str:
        found = cache.get((label, surface))
        if found is None:
            whole = [
                m.key
                for m in recogniser.recognise(surface, lang)
                if m.start == 0 and m.end == len(surface) and m.label == label
            ]
            found = whole[0] if whole else make_key(label, surface)
            cache[(label, surface)] = found
        return found

    return key


def recognise_article(article: Article, recogniser: Recogniser) -> ArticleEntities:
    """Recognise ``article``'s entities and apply its manual annotations.

    An article exported with its spans (:func:`reader.core.entities.export.to_markdown`)
    and unchanged since gets exactly those spans back for its body.
    """
    title = recogniser.recognise(article.title, article.lang)
    saved = spans_from_metadata(article)
    if saved is not None:
        keys = _canonical_keys(recogniser, article.lang)
        body = mentions_from_spans(article.body, saved, keys)
    else:
        body = recogniser.recognise(article.body, article.lang)
    if article.entities:
        title = apply_overrides(article.title, title, article.entities)
        if saved is None:
            body = apply_overrides(article.body, body, article.entities)
    return ArticleEntities(tuple(title), tuple(body))


@dataclass
class CorpusEntity:
    """One entity across the corpus."""

    key: str
    label: str
    name: str
    forms: Counter[str] = field(default_factory=Counter)
    articles: dict[str, int] = field(default_factory=dict)
    """Article id → mentions in that article."""

    @property
    def article_count(self) -> int:
        return len(self.articles)

    @property
    def mention_count(self) -> int:
        return sum(self.articles.values())


@dataclass
class Catalogue:
    """Every entity of the corpus with the articles that mention it."""

    _entities: dict[str, CorpusEntity] = field(default_factory=dict)
    _by_article: dict[str, ArticleEntities] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._entities)

    def get(self, article_id: str) -> ArticleEntities | None:
        return self._by_article.get(article_id)

    def add(self, article_id: str, entities: ArticleEntities) -> None:
        """Add (or replace) one article's entities."""
        self.remove(article_id)
        self._by_article[article_id] = entities
        for mention in entities.all():
            entity = self._entities.get(mention.key)
            if entity is None:
                entity = CorpusEntity(mention.key, mention.label, mention.text)
                self._entities[mention.key] = entity
            entity.forms[mention.text] += 1
            entity.articles[article_id] = entity.articles.get(article_id, 0) + 1
            if len(mention.text) > len(entity.name):
                entity.name = mention.text

    def remove(self, article_id: str) -> None:
        """Forget one article's entities."""
        old = self._by_article.pop(article_id, None)
        if old is None:
            return
        for mention in old.all():
            entity = self._entities.get(mention.key)
            if entity is None:
                continue
            entity.articles.pop(article_id, None)
            entity.forms[mention.text] -= 1
            if entity.forms[mention.text] <= 0:
                del entity.forms[mention.text]
            if not entity.articles:
                del self._entities[mention.key]
            elif entity.name not in entity.forms:
                entity.name = max(entity.forms, key=len)

    def entities(self, label: str | None = None) -> list[CorpusEntity]:
        """Entities (of one label, or all), most widespread first."""
        items = [e for e in self._entities.values() if label is None or e.label == label]
        items.sort(key=lambda e: (-e.article_count, -e.mention_count, e.name.casefold()))
        return items

    def entity(self, key: str) -> CorpusEntity | None:
        return self._entities.get(key)
