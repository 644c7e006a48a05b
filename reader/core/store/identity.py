"""The keys that name an archive, an article's content and its entities, and where the files live.

:func:`archive_key` names an archive by its resolved roots: its store
(:func:`store_path`, in :func:`default_cache_dir`: ``$READER_CACHE_DIR`` or
the user cache directory) and its reading state (:func:`state_path`, in
:func:`default_state_dir`: ``$READER_STATE_DIR`` or the user data
directory). :func:`content_key` names an article's title and body: the
reading state finds a moved file's marks by it, and the store checks a file
still holds what it stored. :func:`recogniser_id` names what recognised an
archive's entities, so a store written with another recogniser (or another
user gazetteer) keeps its articles and drops only its entities.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from reader.core.articles.files import read_regular_file

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.entities import Recogniser

APP_NAME = "reader"
CACHE_DIR_ENV = "READER_CACHE_DIR"
STATE_DIR_ENV = "READER_STATE_DIR"


@lru_cache(maxsize=16384)
def _content_key(title: str, body: str) -> str:
    digest = hashlib.blake2b(digest_size=8)
    digest.update(title.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def content_key(article: Article) -> str:
    """A 16-hex-digit hash of the article's title and body (cached; known
    without reading the text for an article of the archive store)."""
    known = getattr(article, "known_key", None)
    if isinstance(known, str):
        return known
    return _content_key(article.title, article.body)


def default_state_dir() -> Path:
    """``$READER_STATE_DIR`` when set, else the user data directory."""
    override = os.environ.get(STATE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def archive_key(roots: Iterable[str | os.PathLike[str]]) -> str:
    """A hash naming an archive: its resolved roots, order and repeats ignored."""
    resolved = sorted({str(Path(root).expanduser().resolve()) for root in roots})
    joined = "\0".join(resolved).encode("utf-8", "surrogateescape")
    return hashlib.blake2b(joined, digest_size=8).hexdigest()


def state_path(state_dir: Path, roots: Iterable[str | os.PathLike[str]]) -> Path:
    """The state file of the archive made of ``roots``, inside ``state_dir``."""
    return state_dir / f"archive-{archive_key(roots)}.json"


def default_cache_dir() -> Path:
    """``$READER_CACHE_DIR`` when set, else the user cache directory."""
    override = os.environ.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def store_path(cache_dir: Path, roots: Iterable[str | os.PathLike[str]]) -> Path:
    """The store file of the archive made of ``roots``, inside ``cache_dir``."""
    return cache_dir / f"archive-{archive_key(roots)}.sqlite"


def recogniser_id(
    recogniser: Recogniser | None,
    *,
    gazetteer: str | os.PathLike[str] | None = None,
    options: str = "",
) -> str:
    """An id for the entity results a recogniser produces.

    ``recogniser`` None means the library default. ``gazetteer`` (the user
    gazetteer file, if any) is hashed by content; ``options`` carries any
    other setting that changes the results (e.g. ``"batch=False"``).
    """
    name = "default" if recogniser is None else f"{recogniser.name}:{recogniser.version}"
    parts = [name, options]
    if gazetteer is not None:
        try:
            data = read_regular_file(gazetteer, 4 * 1024 * 1024)
            parts.append(hashlib.blake2b(data, digest_size=16).hexdigest())
        except (OSError, ValueError):
            parts.append("unreadable-gazetteer")
    return "|".join(parts)
