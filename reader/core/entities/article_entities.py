"""One article's entities: title and body recognised, annotations applied.

:func:`recognise_article` is how every part of the program gets an article's
entities. It recognises the title and the body apart (each with offsets into
its own field), with code blanked out of Markdown bodies
(:mod:`.entity_text`); makes a lone word that is the surname of a person
named in full anywhere in the article (title included) that person's mention;
then applies the article's manual annotations with the entity keys the
recogniser knows (``Lougansk`` added by hand is still ``loc:louhansk``).
:class:`ArticleEntities` holds the result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reader.core.articles.article import Article

from .entity_text import entity_text
from .export import mentions_from_spans, spans_from_metadata
from .model import Mention, Recogniser, make_key
from .overrides import apply_overrides
from .summary import EntitySummary, summarise

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
        """Every entity of the article, most mentioned first; counts include
        the title's mentions (``title_spans``), ``spans`` are body offsets."""
        return summarise(self.body, self.title)

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


def canonical_keys(recogniser: Recogniser, lang: str) -> Callable[[str, str], str]:
    """A ``key(label, surface)`` that asks the recogniser for the canonical
    key of a name (so saved spans and annotations keep Poutine/Putin, or
    Lougansk/Louhansk, as one entity)."""
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


def _surnames(fields: Sequence[Sequence[Mention]]) -> dict[str, str]:
    """Last word of each person named in full (capitalised words only: not
    "Azovstal de Marioupol") -> that person's key; a surname shared by two
    people is left out."""
    found: dict[str, set[str]] = {}
    for mentions in fields:
        for m in mentions:
            words = m.text.split()
            if m.label == "PER" and len(words) >= 2 and all(w[:1].isupper() for w in words):
                found.setdefault(words[-1], set()).add(m.key)
    return {word: next(iter(keys)) for word, keys in found.items() if len(keys) == 1}


def _as_person(mentions: Sequence[Mention], surnames: dict[str, str]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        key = surnames.get(m.text) if m.label != "DATE" else None
        if key is not None and m.key != key:
            m = Mention(m.start, m.end, "PER", m.text, key)
        out.append(m)
    return out


def recognise_article(article: Article, recogniser: Recogniser) -> ArticleEntities:
    """Recognise ``article``'s entities and apply its manual annotations.

    An article exported with its spans (:func:`reader.core.entities.export.to_markdown`)
    and unchanged since gets exactly those spans back for its body.
    """
    keys = canonical_keys(recogniser, article.lang)
    title = recogniser.recognise(article.title, article.lang)
    saved = spans_from_metadata(article)
    if saved is not None:
        body = mentions_from_spans(article.body, saved, keys)
    else:
        text = entity_text(article.body, article.format)
        body = [
            Mention(m.start, m.end, m.label, article.body[m.start : m.end], m.key)
            for m in recogniser.recognise(text, article.lang)
        ]
    surnames = _surnames((title, body))
    if surnames:
        title = _as_person(title, surnames)
        if saved is None:
            body = _as_person(body, surnames)
    if article.entities:
        title = apply_overrides(article.title, title, article.entities, keys)
        if saved is None:
            body = apply_overrides(article.body, body, article.entities, keys)
    return ArticleEntities(tuple(title), tuple(body))
