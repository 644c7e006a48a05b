"""What goes into the archive store and what its article list gives back.

:class:`FileRecord` is one scanned file with what loading it gave (article,
problems, entities). :func:`encode_record` turns it into the column values
(:class:`EncodedRecord`); it is pure and picklable both ways, so worker
processes can do the compression and encoding and hand the store bytes.
:class:`ArticleRow` is one entry of :meth:`ArchiveStore.rows
<reader.core.store.archive.ArchiveStore.rows>`: what the list shows and
sorts by, without the body.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, NamedTuple

from reader.core.articles.article import Article, Problem
from reader.core.entities.catalogue import ArticleEntities
from reader.core.store import codec
from reader.core.store.identity import content_key
from reader.core.store.scan import ScannedFile


class ArticleRow(NamedTuple):
    """One stored article's list columns: the fields of :class:`Article`
    with the same names (``tags`` and ``author`` as they are stored, see
    :attr:`tag_list` and :attr:`authors`) and its reading-state
    ``content_key``. A tuple: 100k of them are made in a few tenths of a
    second."""

    id: str
    path: str
    title: str
    date: str | None
    date_valid: int
    source: str | None
    lang: str
    tags: str | None
    author: str | None
    size: int
    mtime: float
    content_key: str

    @property
    def tag_list(self) -> tuple[str, ...]:
        """The tags, as :attr:`Article.tags`."""
        return codec.split_list(self.tags)

    @property
    def authors(self) -> tuple[str, ...]:
        """The authors, as :attr:`Article.author`."""
        return codec.split_list(self.author)

    @property
    def authors_display(self) -> str:
        return ", ".join(self.authors)

    @classmethod
    def of(cls, article: Article) -> ArticleRow:
        """The row :meth:`ArchiveStore.rows` gives for ``article`` once stored
        (for articles read after the list was made, e.g. by live reload)."""
        return cls(
            article.id,
            article.path,
            article.title,
            article.date,
            int(article.date_valid),
            article.source,
            article.lang,
            codec.join_list(article.tags),
            codec.join_list(article.author),
            article.size,
            article.mtime,
            content_key(article),
        )


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file to store: its scan, and the article (None when it did not
    load), its load problems and its entities (None when not recognised)."""

    file: ScannedFile
    article: Article | None
    problems: tuple[Problem, ...] = ()
    entities: ArticleEntities | None = None


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """A :class:`FileRecord` as column values (see :mod:`reader.core.store.schema`)."""

    root: bytes
    rel: bytes
    ord: bytes
    stamp: tuple[int | None, int | None, int | None]
    problems: str | None
    row: tuple[Any, ...] | None
    ckey: str | None
    detail: str | None
    body: bytes | None
    entities: bytes | None


def encode_record(record: FileRecord) -> EncodedRecord:
    """The column values of ``record``. An article the codec cannot write
    exactly (see :class:`~reader.core.store.codec.Unstorable`) is left out
    and the file gets no stat key, so it is read again next time."""
    scanned = record.file
    root, relative = scanned.key
    stamp: tuple[int | None, int | None, int | None] = scanned.stamp or (None, None, None)
    article = record.article
    row = ckey = detail = body = entities = None
    if article is not None:
        try:
            row = codec.row_values(article)
            detail = codec.detail_text(article)
            body = codec.pack_text(article.body)
            ckey = content_key(article)
            if record.entities is not None:
                entities = codec.entities_blob(record.entities)
        except codec.Unstorable:
            row = ckey = detail = body = entities = None
            stamp = (None, None, None)
    return EncodedRecord(
        os.fsencode(root),
        os.fsencode(relative),
        codec.order_key(scanned.rank, relative),
        stamp,
        codec.problems_text(record.problems),
        row,
        ckey,
        detail,
        body,
        entities,
    )


class EncodedEntities(NamedTuple):
    """An article's entities ready for :meth:`ArchiveStore.put_entities
    <reader.core.store.archive.ArchiveStore.put_entities>`: they are stored
    only while the stored article still has this content key."""

    article_id: str
    content_key: str
    data: bytes


def encode_entities(article: Article, entities: ArticleEntities) -> EncodedEntities:
    """``entities`` (recognised in ``article``) as stored."""
    blob = codec.entities_blob(entities)
    return EncodedEntities(article.id, content_key(article), blob)
