"""Exact, data-only encodings of articles, entities and problems for the archive store.

Everything :class:`~reader.core.store.archive.ArchiveStore` writes goes
through here, and everything it reads comes back through here equal (``==``)
to what was written. No format can run code: values are SQLite scalars, JSON
(read with :func:`json.loads`) and zlib streams.

* **List columns** (:func:`row_values`): the fields the article list shows
  and sorts by, as plain SQLite columns. Titles and metadata can hold lone
  surrogates (a YAML ``"\\ud800"`` escape), which SQLite text cannot: such a
  row keeps its text columns as UTF-8 (``surrogatepass``) blobs and is
  flagged ``odd``, so the common rows need no check on the way back.
  Authors and tags are joined with U+001F (the sanitiser never leaves control
  characters in them); a list holding one anyway is stored as JSON behind
  U+001E.
* **Details** (:func:`detail_text`): the rest of the metadata as one JSON
  object with only the non-default fields. ``extra`` (unknown front-matter
  keys) may hold what a YAML safe loader makes: besides JSON's own types,
  dicts with any keys, tuples, sets, bytes, dates and datetimes; each is
  tagged (a JSON object is always a tag) so it comes back with its type.
* **Bodies** (:func:`pack_text`): UTF-8, zlib-compressed when that saves at
  least a tenth; one leading byte says which.
* **Entities** (:func:`entities_blob`): per mention start, length, label
  letter and text, then the key only when it differs from what
  :func:`~reader.core.entities.make_key` gives back.
* **Order** (:func:`order_key`): a blob whose byte order is the loader's walk
  order (roots as given; in each folder files before subfolders, names by
  code point), so the store lists articles in file order from an index.
"""

from __future__ import annotations

import base64
import json
import os
import re
import zlib
from datetime import date, datetime
from typing import Any, cast

from reader.core.articles.article import Article, EntityAnnotation, Format, Problem
from reader.core.entities.catalogue import ArticleEntities
from reader.core.entities.model import Label, Mention, make_key

_SEP = "\x1f"
_JSON_LIST = "\x1e"
_SURROGATE = re.compile("[\ud800-\udfff]")
_RAW = b"\x00"
_ZLIB = b"\x01"
_COMPRESS_FROM = 200
_LABELS: dict[str, Label] = {"P": "PER", "L": "LOC", "O": "ORG", "M": "MISC", "D": "DATE"}
_LETTERS = frozenset(_LABELS.values())
_FORMATS: frozenset[str] = frozenset({"markdown", "text", "yaml"})
_ACTIONS: frozenset[str] = frozenset({"add", "relabel", "suppress"})

#: What :func:`row_values` gives, in this order, after the article id.
ROW_COLUMNS = (
    "path",
    "title",
    "date",
    "date_valid",
    "source",
    "lang",
    "tags",
    "author",
    "size",
    "mtime",
    "odd",
)
_TEXT_AT = (2, 3, 5, 6, 7, 8)  # positions (id included) of the metadata text columns


class Unstorable(ValueError):
    """A value this codec cannot write exactly (never raised for articles a
    loader made)."""


def has_surrogate(text: str) -> bool:
    """True when ``text`` holds a lone surrogate (not encodable as UTF-8)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def to_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def from_bytes(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


# --- list columns ------------------------------------------------------------


def join_list(items: tuple[str, ...]) -> str | None:
    """A tuple of strings as one column (None for the empty tuple)."""
    if not items:
        return None
    if any(_SEP in item for item in items) or items[0].startswith(_JSON_LIST):
        return _JSON_LIST + json.dumps(list(items))
    return _SEP.join(items)


def split_list(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if value.startswith(_JSON_LIST):
        return tuple(json.loads(value[1:]))
    return tuple(value.split(_SEP))


def row_values(article: Article) -> tuple[Any, ...]:
    """The article's id and list columns (see :data:`ROW_COLUMNS`)."""
    if has_surrogate(article.id) or has_surrogate(article.path):
        raise Unstorable("an id or path with a lone surrogate")
    values: list[Any] = [
        article.id,
        article.path,
        article.title,
        article.date,
        int(article.date_valid),
        article.source,
        article.lang,
        join_list(article.tags),
        join_list(article.author),
        article.size,
        article.mtime,
        0,
    ]
    if any(isinstance(values[i], str) and has_surrogate(values[i]) for i in _TEXT_AT):
        for i in _TEXT_AT:
            if isinstance(values[i], str):
                values[i] = to_bytes(values[i])
        values[-1] = 1
    return tuple(values)


def plain_row(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Row values read back from an ``odd`` row, with text blobs as text."""
    return tuple(from_bytes(v) if isinstance(v, bytes) else v for v in values)


# --- details -------------------------------------------------------------------


def _tagged(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    if isinstance(value, dict):
        return {"d": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"t": [_tagged(item) for item in value]}
    if isinstance(value, frozenset):
        return {"f": [_tagged(item) for item in value]}
    if isinstance(value, set):
        return {"s": [_tagged(item) for item in value]}
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"da": value.isoformat()}
    raise Unstorable(f"cannot store a {type(value).__name__} value")


def _untagged(value: Any) -> Any:
    if isinstance(value, list):
        return [_untagged(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise ValueError("bad tagged value")
    ((tag, inner),) = value.items()
    if tag == "d":
        return {_untagged(k): _untagged(v) for k, v in inner}
    if tag == "t":
        return tuple(_untagged(item) for item in inner)
    if tag == "f":
        return frozenset(_untagged(item) for item in inner)
    if tag == "s":
        return {_untagged(item) for item in inner}
    if tag == "b":
        return base64.b64decode(inner, validate=True)
    if tag == "dt":
        return datetime.fromisoformat(inner)
    if tag == "da":
        return date.fromisoformat(inner)
    raise ValueError(f"unknown tag {tag!r}")


def detail_text(article: Article) -> str:
    """The metadata not in the list columns, as compact JSON (ASCII)."""
    detail: dict[str, Any] = {"format": article.format}
    if article.url is not None:
        detail["url"] = article.url
    if article.lang_detected:
        detail["lang_detected"] = True
    if article.summary is not None:
        detail["summary"] = article.summary
    if article.entities:
        detail["entities"] = [[e.text, e.label, e.action] for e in article.entities]
    if article.extra:
        detail["extra"] = _tagged(article.extra)
    if article.truncated:
        detail["truncated"] = True
    return json.dumps(detail, separators=(",", ":"))


def _annotation(item: Any) -> EntityAnnotation:
    text, label, action = item
    if not isinstance(text, str) or not isinstance(label, str | None) or action not in _ACTIONS:
        raise ValueError("bad entity annotation")
    return EntityAnnotation(text, label, action)


def build_article(row: tuple[Any, ...], detail: str, body: str) -> Article:
    """The article from :func:`row_values` (as read back), its details and body.

    Raises ``ValueError`` (or ``TypeError``) for data this codec did not write.
    """
    if row[-1]:
        row = plain_row(row)
    (id_, path, title, date_, date_valid, source, lang, tags, author, size, mtime, _odd) = row
    extra = json.loads(detail)
    if not isinstance(extra, dict) or extra.get("format") not in _FORMATS:
        raise ValueError("bad article details")
    for name, value in ((id_, "id"), (path, "path"), (title, "title"), (lang, "lang")):
        if not isinstance(name, str):
            raise TypeError(f"bad {value}")
    extra_values = _untagged(extra.get("extra", {"d": []}))
    if not isinstance(extra_values, dict):
        raise ValueError("bad extra metadata")
    return Article(
        id=id_,
        path=path,
        format=cast(Format, extra["format"]),
        title=title,
        body=body,
        author=split_list(author),
        date=date_,
        date_valid=bool(date_valid),
        source=source,
        url=extra.get("url"),
        lang=lang,
        lang_detected=bool(extra.get("lang_detected", False)),
        tags=split_list(tags),
        summary=extra.get("summary"),
        entities=tuple(_annotation(item) for item in extra.get("entities", ())),
        extra=extra_values,
        truncated=bool(extra.get("truncated", False)),
        size=int(size),
        mtime=float(mtime),
    )


# --- bodies ----------------------------------------------------------------------


def pack_text(text: str) -> bytes:
    """``text`` as UTF-8, zlib-compressed when that pays."""
    raw = to_bytes(text)
    if len(raw) >= _COMPRESS_FROM:
        packed = zlib.compress(raw, 6)
        if len(packed) * 10 <= len(raw) * 9:
            return _ZLIB + packed
    return _RAW + raw


def unpack_text(data: bytes) -> str:
    """The text :func:`pack_text` packed (``ValueError``/``zlib.error`` if damaged)."""
    if not isinstance(data, bytes) or not data:
        raise ValueError("bad text blob")
    if data[:1] == _ZLIB:
        return from_bytes(zlib.decompress(data[1:]))
    if data[:1] == _RAW:
        return from_bytes(data[1:])
    raise ValueError("bad text blob")


# --- entities ----------------------------------------------------------------------


def _key_of(cache: dict[tuple[str, str], str], label: str, text: str) -> str:
    found = cache.get((label, text))
    if found is None:
        found = cache[(label, text)] = make_key(label, text)
    return found


def _mentions_out(mentions: tuple[Mention, ...], keys: dict[tuple[str, str], str]) -> list[Any]:
    out: list[Any] = []
    for m in mentions:
        if m.label not in _LETTERS:
            raise Unstorable(f"unknown entity label {m.label!r}")
        item: list[Any] = [m.start, m.end - m.start, m.label[0], m.text]
        if _key_of(keys, m.label, m.text) != m.key:
            item.append(m.key)
        out.append(item)
    return out


def _mentions_in(items: Any, keys: dict[tuple[str, str], str]) -> tuple[Mention, ...]:
    if not isinstance(items, list):
        raise ValueError("bad mentions")
    out: list[Mention] = []
    for item in items:
        if not isinstance(item, list) or len(item) not in (4, 5):
            raise ValueError("bad mention")
        start, length, letter, text = item[:4]
        if not isinstance(start, int) or not isinstance(length, int) or letter not in _LABELS:
            raise ValueError("bad mention")
        if start < 0 or length < 0 or not isinstance(text, str):
            raise ValueError("bad mention")
        label = _LABELS[letter]
        key = item[4] if len(item) == 5 else _key_of(keys, label, text)
        if not isinstance(key, str):
            raise ValueError("bad mention")
        out.append(Mention(start, start + length, label, text, key))
    return tuple(out)


def entities_blob(entities: ArticleEntities) -> bytes:
    """The mentions of an article, each with its text: they read back
    without the article (offsets are into the text whose content key the
    store keeps beside them)."""
    keys: dict[tuple[str, str], str] = {}
    doc = [_mentions_out(entities.title, keys), _mentions_out(entities.body, keys)]
    return pack_text(json.dumps(doc, separators=(",", ":")))


def entities_from_blob(data: bytes) -> ArticleEntities:
    """What :func:`entities_blob` wrote."""
    doc = json.loads(unpack_text(data))
    if not isinstance(doc, list) or len(doc) != 2:
        raise ValueError("bad entities")
    keys: dict[tuple[str, str], str] = {}
    return ArticleEntities(_mentions_in(doc[0], keys), _mentions_in(doc[1], keys))


# --- problems and order ------------------------------------------------------------


def problems_text(problems: tuple[Problem, ...] | list[Problem]) -> str | None:
    if not problems:
        return None
    return json.dumps([[p.path, p.message] for p in problems], separators=(",", ":"))


def problems_from_text(text: str | None) -> tuple[Problem, ...]:
    if text is None:
        return ()
    items = json.loads(text)
    out = []
    for path, message in items:
        if not isinstance(path, str) or not isinstance(message, str):
            raise ValueError("bad problem")
        out.append(Problem(path, message))
    return tuple(out)


def order_key(rank: int, relative: str) -> bytes:
    """A blob sorting like the loader's walk: ``rank`` is the given root's
    position, ``relative`` the path under it (files before folders at each
    level, names by code point; UTF-8 byte order is code point order)."""
    parts = relative.split(os.sep)
    out = [rank.to_bytes(4, "big")]
    for index, part in enumerate(parts):
        out.append(b"\x01" if index == len(parts) - 1 else b"\x02")
        out.append(part.encode("utf-8", "surrogatepass"))
        out.append(b"\x00")
    return b"".join(out)
