"""The tantivy schemas, the analyzer they use, and opening an index.

Two indexes make one :class:`~reader.core.search.index.SearchIndex`:

* **articles** — one document per article. Text fields are fed the terms of
  :func:`reader.core.search.analysis.index_terms` (the project's one
  analysis chain: NFKC, case folding, elisions and hyphens split, numbers
  joined, Snowball stems, accent folding, names unstemmed), space-separated,
  and split again by the registered :data:`ANALYZER` (a whitespace
  tokenizer), so a term's position is its token's position in the text:

  - ``title_<lang>`` / ``body_<lang>``: stemmed terms, one field per
    stemming language (``fr``, ``en``...);
  - ``title`` / ``body``: folded, unstemmed terms (names, prefixes, typos);
  - ``author``, ``tag``, ``source``: folded terms of each value;
  - ``acro``: folded terms of the tokens written in capitals (``UN``);
  - ``ekey``: the entity keys of the article, raw (``per:vladimir putin``);
  - ``lang`` (raw, primary subtag), ``date`` (a date field), ``id`` (raw,
    stored: deletes and hits).

* **names** — one document per (label, entity key, name) seen: ``name``
  (folded terms), ``label`` and ``key`` (raw). Entity-field queries
  (``person:poutine``) find names here, then articles by key, so every name
  of an entity finds every article that mentions it (Poutine = Putin).

On disk, both live in one directory with a ``VERSION`` stamp of the schema
and the analysis code, written when a build completes; a missing or
different stamp, or an index that does not open, is wiped and created empty
(:attr:`Opened.fresh`): the caller rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import tantivy

from reader.core.search import analysis, stopwords

SCHEMA_VERSION = 1
ANALYZER = "reader_terms"
STEM_LANGS: tuple[str, ...] = tuple(analysis.STEMMERS)
#: Fields holding folded terms of metadata values.
META_FIELDS = ("author", "tag", "source")
_STAMP = "VERSION"
_PARTS = ("articles", "names")


def _stamp() -> str:
    digest = hashlib.sha256()
    for module in (analysis, stopwords):
        digest.update(Path(module.__file__ or "").read_bytes())
    return f"{SCHEMA_VERSION}:{tantivy.__name__}:{digest.hexdigest()[:16]}"


def _text(builder: tantivy.SchemaBuilder, name: str, *, stored: bool = False) -> None:
    builder.add_text_field(name, stored=stored, tokenizer_name=ANALYZER)


def article_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("lang", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("ekey", stored=True, tokenizer_name="raw", index_option="freq")
    builder.add_date_field("date", indexed=True, fast=True)
    for name in ("title", "body"):
        _text(builder, name)
        for lang in STEM_LANGS:
            _text(builder, f"{name}_{lang}")
    for name in META_FIELDS:
        _text(builder, name)
    builder.add_text_field("acro", tokenizer_name=ANALYZER, index_option="freq")
    return builder.build()


def names_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    _text(builder, "name")
    builder.add_text_field("label", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("uid", tokenizer_name="raw", index_option="basic")
    return builder.build()


def register(index: tantivy.Index) -> None:
    """Register the project's analyzer on ``index`` (needed on every open)."""
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
    index.register_tokenizer(ANALYZER, analyzer)


@dataclass(frozen=True, slots=True)
class Opened:
    """The two indexes, and whether they were just created empty."""

    articles: tantivy.Index
    names: tantivy.Index
    fresh: bool


def open_indexes(path: str | Path | None) -> Opened:
    """Open or create the indexes: in RAM when ``path`` is None, else
    memory-mapped from the directory ``path`` (created if needed). Never
    raises on a damaged or stale directory: it is emptied and recreated."""
    if path is None:
        return Opened(_make(None, article_schema()), _make(None, names_schema()), True)
    root = Path(path)
    marker = root / _STAMP
    try:
        if marker.read_text(encoding="utf-8") == _stamp():
            return Opened(
                _make(root / "articles", article_schema(), reuse=True),
                _make(root / "names", names_schema(), reuse=True),
                False,
            )
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # tantivy panics are BaseExceptions
        pass  # missing, stale or damaged: made again below
    for part in _PARTS:
        shutil.rmtree(root / part, ignore_errors=True)
    marker.unlink(missing_ok=True)
    return Opened(
        _make(root / "articles", article_schema()),
        _make(root / "names", names_schema()),
        True,
    )


def stamp(path: str | os.PathLike[str]) -> None:
    """Mark the index in ``path`` as complete (after a build): the next
    open uses it."""
    (Path(path) / _STAMP).write_text(_stamp(), encoding="utf-8")


def _make(where: Path | None, schema: tantivy.Schema, *, reuse: bool = False) -> tantivy.Index:
    if where is None:
        index = tantivy.Index(schema)
    else:
        where.mkdir(parents=True, exist_ok=True)
        if reuse and not (
            tantivy.Index.exists(str(where)) and tantivy.Index.is_compatible(str(where))
        ):
            raise ValueError("no usable index")
        index = tantivy.Index(schema, path=str(where), reuse=reuse)
    register(index)
    if reuse:  # read a little of everything: a damaged index fails here
        searcher = index.searcher()
        for _score, address in searcher.search(tantivy.Query.all_query(), 1).hits:
            searcher.doc(address)
    return index
