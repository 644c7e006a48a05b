"""Where the archive cache lives and what names the entity results in it.

:func:`default_cache_dir` is the cache folder (``$READER_CACHE_DIR`` or the
user cache directory); :func:`recogniser_id` names what recognised an
archive's entities, so a store written with another recogniser (or another
user gazetteer) keeps its articles and drops only its entities.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from reader.core.articles.files import read_regular_file
from reader.core.store.state import archive_key

if TYPE_CHECKING:
    from reader.core.entities import Recogniser

APP_NAME = "reader"
CACHE_DIR_ENV = "READER_CACHE_DIR"


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
