"""An article's index fields, analysed: the costly half of indexing.

:func:`prepare` runs the project's analysis chain
(:func:`~reader.core.search.analysis.index_terms`: folded and stemmed terms
of the title and body, acronyms, author/tag/source values) and returns a
:class:`Prepared` — plain, picklable data. Worker processes prepare the
articles they read or recognise, so the process that owns the index only
turns them into tantivy documents (:meth:`Prepared.document`); in one process
:meth:`SearchIndex.add <reader.core.search.index.SearchIndex.add>` prepares
as it goes.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

import tantivy

from reader.core.articles.article import Article
from reader.core.search import analysis

_PART = "\x1e"  # analysed text has no control characters (not a token)
_NAME = "\x1f"


@dataclass(frozen=True, slots=True)
class Prepared:
    """The analysed fields of one article (without its entity keys)."""

    id: str
    fields: tuple[tuple[str, str], ...]
    """(field name, analysed text), in the order they are added."""
    date: datetime | None = None

    def pack(self) -> bytes:
        """The fields as compact bytes (zlib), to hold many while they wait
        (the analysis keeps them between reading and recognition)."""
        parts = [self.id, self.date.isoformat() if self.date else ""]
        parts.extend(f"{name}{_NAME}{text}" for name, text in self.fields)
        return zlib.compress(_PART.join(parts).encode("utf-8", "surrogatepass"), 1)

    @classmethod
    def unpack(cls, data: bytes) -> Prepared:
        """The fields :meth:`pack` gave (of this process: never read from disk)."""
        article_id, date, *rest = (
            zlib.decompress(data).decode("utf-8", "surrogatepass").split(_PART)
        )
        fields = tuple(tuple(part.split(_NAME, 1)) for part in rest)
        when = datetime.fromisoformat(date) if date else None
        return cls(article_id, fields, when)  # type: ignore[arg-type]

    def document(self, keys: list[str]) -> tantivy.Document:
        """The tantivy document, with the article's entity ``keys``."""
        doc = tantivy.Document()
        doc.add_text("id", self.id)
        for name, text in self.fields:
            doc.add_text(name, text)
        for key in keys:
            doc.add_text("ekey", key)
        if self.date is not None:
            doc.add_date("date", self.date)
        return doc


def _date(article: Article) -> datetime | None:
    if not (article.date_valid and article.date):
        return None
    parts = (article.date[:10].split("-") + ["1", "1"])[:3]
    try:
        year, month, day = (int(p) for p in parts)
        return datetime(year, month, day)
    except ValueError:
        return None


def prepare(article: Article) -> Prepared:
    """Analyse ``article`` for the index."""
    fields: list[tuple[str, str]] = [("lang", (article.lang or "").lower().split("-")[0])]
    lang = analysis.lang_key(article.lang)
    for name, text, names in (("title", article.title, False), ("body", article.body, True)):
        stemmed, folded = analysis.index_terms(text, lang, names=names)
        fields.append((name, folded))
        if lang:
            fields.append((f"{name}_{lang}", stemmed))
    values: dict[str, tuple[str | None, ...]] = {
        "author": article.author,
        "tag": article.tags,
        "source": (article.source,),
    }
    for name, texts in values.items():
        for value in texts:
            if value:
                fields.append((name, analysis.index_terms(value, lang, names=False)[1]))
    capitals = analysis.acronyms(article.title) + analysis.acronyms(article.body)
    if capitals:
        fields.append(("acro", " ".join(capitals)))
    return Prepared(article.id, tuple(fields), _date(article))
