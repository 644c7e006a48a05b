"""Entities across the corpus.

One article's entities come from :func:`recognise_article`
(:mod:`.article_entities`, re-exported here). The :class:`Catalogue`
aggregates them: for every entity key, its label, a display
name, the surface forms seen and the articles that mention it. It updates one
article at a time, so live reload never needs a full rebuild.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .article_entities import FIELD_OF_LABEL, ArticleEntities, recognise_article

__all__ = ["FIELD_OF_LABEL", "ArticleEntities", "Catalogue", "CorpusEntity", "recognise_article"]


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
