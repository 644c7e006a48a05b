"""Reading a stored article back from its file.

The archive store keeps no texts: :func:`read_stored` reads the file of a
stored row again and returns its article only if the title and body still
hash to the stored content key, under the stored id and path (so a file
edited since, or gone, is never shown as the stored article).
:func:`check_bounds` refuses stored entity offsets that do not fit the text.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from reader.core.articles.article import Article
from reader.core.articles.loader import load_file
from reader.core.articles.walk import Candidate
from reader.core.entities.catalogue import ArticleEntities
from reader.core.store import codec
from reader.core.store.identity import content_key


def read_stored(
    row: tuple[Any, ...],
    root: bytes,
    rel: bytes,
    ckey: str,
    *,
    max_bytes: int,
    default_lang: str | None,
) -> Article | None:
    """The article of a stored row (:data:`~reader.core.store.schema.ROW_SELECT`
    values) in the file ``rel`` under ``root``; None when the file cannot be
    read or no longer holds the text whose content key is ``ckey``."""
    article_id, path = (codec.plain_row(row) if row[11] else row)[:2]
    top, relative = os.fsdecode(root), os.fsdecode(rel)
    candidate = Candidate(os.path.join(top, relative), top, relative)
    try:
        article, _ = load_file(candidate, max_bytes=max_bytes, default_lang=default_lang)
    except Exception:  # a file that cannot be read now is shown as unreadable
        return None
    if article is None or content_key(article) != ckey:
        return None
    if (article.id, article.path) == (article_id, path):
        return article
    return replace(article, id=article_id, path=path)  # as the roots were given


def check_bounds(entities: ArticleEntities, article: Article) -> ArticleEntities:
    """``entities``, if every offset fits ``article``'s title and body; else
    ``ValueError`` (a damaged blob is not trusted)."""
    for mentions, source in ((entities.title, article.title), (entities.body, article.body)):
        if any(m.start > m.end or m.end > len(source) for m in mentions):
            raise ValueError("stored entities out of the text's bounds")
    return entities
