"""The worker side of :mod:`reader.core.session.parallel`: what runs in each process.

:func:`read_chunk` reads a chunk of scanned files (article, problems, store
encoding, index fields); :func:`recognise_chunk` recognises a chunk of
articles with the process's recogniser, built once by :func:`init_worker`
from a picklable factory
(:func:`~reader.core.session.recognisers.recogniser_factory`). Both are
plain module-level functions, so a spawned process imports only
``reader.core``.
"""

from __future__ import annotations

import contextlib
import os

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import load_file
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities, recognise_article
from reader.core.search.prepared import Prepared, prepare
from reader.core.session.recognisers import RecogniserFactory
from reader.core.store import codec
from reader.core.store.records import (
    EncodedEntities,
    EncodedRecord,
    FileRecord,
    encode_entities,
    encode_record,
)
from reader.core.store.scan import ScannedFile

_factory: RecogniserFactory | None = None
_recogniser: Recogniser | None = None


#: How much lower a worker's scheduling priority is than the process that
#: started it: the app's keys and repaints come first; the workers still get
#: every cycle nobody else wants.
NICE = 10


def init_worker(factory: RecogniserFactory | None, nice: int = NICE) -> None:
    """Set the process's recogniser factory (built on first use) and lower
    its priority by ``nice``."""
    global _factory, _recogniser
    _factory, _recogniser = factory, None
    if nice:
        with contextlib.suppress(AttributeError, OSError):  # no os.nice here
            os.nice(nice)


ReadResult = tuple[Article | None, tuple[Problem, ...], EncodedRecord, Prepared | None]


def read_chunk(
    files: list[ScannedFile], max_bytes: int, default_lang: str | None
) -> list[ReadResult]:
    """Read ``files``: each one's article, problems, store encoding and
    index fields."""
    out: list[ReadResult] = []
    for scanned in files:
        article, problems = load_file(
            scanned.candidate,
            max_bytes=max_bytes,
            id_prefix=scanned.prefix,
            default_lang=default_lang,
        )
        found = tuple(problems)
        packed = encode_record(FileRecord(scanned, article, found))
        out.append((article, found, packed, prepare(article) if article is not None else None))
    return out


Pending = EncodedRecord | Article
"""An article waiting for recognition: kept as its store encoding (compressed,
about a third of the objects' size) while reading runs far ahead."""
EntityResult = (
    tuple[Article, ArticleEntities, EncodedEntities, Prepared | None] | tuple[Article, str]
)
"""Articles read in this run come back without index fields: the caller
kept theirs from the read stage (see :meth:`ParallelAnalysis._entity_batch`)."""


def article_of(item: Pending) -> Article:
    if isinstance(item, Article):
        return item
    if item.row is None or item.detail is None or item.body is None:
        raise ValueError("no article in this record")
    return codec.build_article(item.row, item.detail, codec.unpack_text(item.body))


def recognise_chunk(
    items: list[Pending], recogniser: Recogniser | None = None
) -> list[EntityResult]:
    """Recognise a chunk with the worker's recogniser (or ``recogniser``,
    in the caller's process)."""
    global _recogniser
    if recogniser is None:
        if _recogniser is None:
            if _factory is None:
                raise RuntimeError("no recogniser")
            _recogniser = _factory()
        recogniser = _recogniser
    out: list[EntityResult] = []
    for item in items:
        article = article_of(item)
        try:
            entities = recognise_article(article, recogniser)
            fields = prepare(article) if isinstance(item, Article) else None
            out.append((article, entities, encode_entities(article, entities), fields))
        except Exception as exc:  # one bad article must not lose the chunk
            out.append((article, f"entity recognition failed: {exc.__class__.__name__}"))
    return out
