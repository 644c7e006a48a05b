"""Validation of article metadata (front matter or a YAML article's keys).

Input values come from :func:`reader.core.articles.yamlsafe.load_yaml`, so scalars are
strings or ``None``; lists and mappings may hold anything. Each known key is
checked and normalised here; a bad value is dropped with a one-line warning
naming the key, and never stops the article from loading. Unknown keys are
kept as they are (sanitised) in ``extra``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from reader.core.articles.article import EntityAction, EntityAnnotation
from reader.core.articles.labels import LABELS, as_label
from reader.core.articles.sanitize import sanitize_line, sanitize_text

KNOWN_KEYS = frozenset(
    ["title", "author", "authors", "date", "source", "url", "lang", "tags", "summary", "entities"]
)
MAX_FIELD = 2_000
MAX_LIST = 200
#: Saved entity spans (see :mod:`reader.core.entities.export`) may be long.
MAX_SPANS = 50_000
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_TRUE = frozenset(["true", "yes", "on", "1", "y"])


@dataclass
class Metadata:
    """Validated metadata; ``None`` or empty means absent."""

    title: str | None = None
    author: tuple[str, ...] = ()
    date: str | None = None
    date_valid: bool = False
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    entities: tuple[EntityAnnotation, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _one_line(value: object) -> str | None:
    """A scalar as a clean one-line string, or None when it is not a scalar."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return sanitize_line(text[:MAX_FIELD]) or None
    return None


def _string_list(value: object) -> tuple[str, ...] | None:
    """A string or a list of strings (comma-separated strings are split)."""
    if isinstance(value, str):
        items: list[object] = [part for part in value.split(",")]
    elif isinstance(value, list):
        items = list(value[:MAX_LIST])
    else:
        return None
    out: list[str] = []
    for item in items:
        text = _one_line(item)
        if text is None:
            if item is None:
                continue
            return None
        if text not in out:
            out.append(text)
    return tuple(out)


def normalise_date(text: str) -> tuple[str, bool]:
    """Return an ISO form and True when ``text`` is an ISO date or datetime.

    Accepted: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, and datetimes with ``T``
    or a space, optional seconds, fractions and offset (``Z`` included).
    Anything else is returned unchanged with False.
    """
    raw = text.strip()
    try:
        if re.fullmatch(r"\d{4}", raw):
            return raw, True
        if re.fullmatch(r"\d{4}-\d{2}", raw):
            datetime.strptime(raw, "%Y-%m")
            return raw, True
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw).isoformat(), True
        if re.fullmatch(
            r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", raw
        ):
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            spec = "seconds" if len(raw) > 16 and raw[16] == ":" else "minutes"
            return parsed.isoformat(timespec=spec), True
    except ValueError:
        pass
    return raw, False


def _entities(value: object, warnings: list[str]) -> tuple[EntityAnnotation, ...]:
    if not isinstance(value, list):
        warnings.append("entities: expected a list; ignored")
        return ()
    out: list[EntityAnnotation] = []
    for index, item in enumerate(value[:MAX_LIST]):
        annotation = _entity(item)
        if isinstance(annotation, str):
            warnings.append(f"entities[{index}]: {annotation}; ignored")
        else:
            out.append(annotation)
    return tuple(out)


def _entity(item: object) -> EntityAnnotation | str:
    """An annotation, or a one-line reason why ``item`` is not one."""
    if not isinstance(item, dict):
        return "expected {text, label} or {text, suppress: true}"
    text = _one_line(item.get("text"))
    if text is None:
        return "missing text"
    suppress = item.get("suppress")
    if isinstance(suppress, str) and suppress.strip().lower() in _TRUE:
        return EntityAnnotation(text, None, "suppress")
    label = as_label(_one_line(item.get("label")) or "")
    if label is None:
        return "label must be one of " + ", ".join(LABELS)
    action_raw = _one_line(item.get("action")) or "add"
    action: EntityAction = "relabel" if action_raw.lower() == "relabel" else "add"
    return EntityAnnotation(text, label, action)


def _extra(value: object, depth: int = 0, cap: int = MAX_LIST) -> Any:
    """Sanitise an unknown value for keeping (strings sanitised, depth and
    length capped)."""
    if isinstance(value, str):
        return sanitize_text(value[:MAX_FIELD])
    if depth > 8:
        return None
    if isinstance(value, list):
        return [_extra(item, depth + 1) for item in value[:cap]]
    if isinstance(value, dict):
        return {
            sanitize_line(str(k))[:100]: _extra(v, depth + 1)
            for k, v in list(value.items())[:MAX_LIST]
        }
    return value


def validate_metadata(raw: object) -> Metadata:
    """Validate a loaded mapping into :class:`Metadata`."""
    meta = Metadata()
    if not isinstance(raw, dict):
        if raw is not None:
            meta.warnings.append("metadata is not a mapping; ignored")
        return meta
    warn = meta.warnings
    for key_raw, value in raw.items():
        key = sanitize_line(str(key_raw))[:100]
        lowered = key.lower()
        if value is None:
            continue
        if lowered not in KNOWN_KEYS:
            meta.extra[key] = _extra(
                value, cap=MAX_SPANS if lowered == "entity_spans" else MAX_LIST
            )
            continue
        if lowered == "title":
            meta.title = _one_line(value)
            if meta.title is None:
                warn.append("title: not a text value; using the file name")
        elif lowered in ("author", "authors"):
            authors = _string_list(value)
            if authors is None:
                warn.append(f"{key}: expected a name or a list of names; ignored")
            else:
                meta.author = authors
        elif lowered == "date":
            text = _one_line(value)
            if text is None:
                warn.append("date: not a text value; ignored")
            else:
                meta.date, meta.date_valid = normalise_date(text)
        elif lowered in ("source", "summary"):
            text = _one_line(value)
            if text is None:
                warn.append(f"{key}: not a text value; ignored")
            setattr(meta, lowered, text)
        elif lowered == "url":
            text = _one_line(value)
            if text is None or " " in text:
                warn.append("url: not a URL; ignored")
            else:
                meta.url = text
        elif lowered == "lang":
            text = _one_line(value)
            if text is None or not _LANG.match(text):
                warn.append("lang: expected a language code such as fr or en; ignored")
            else:
                meta.lang = text.lower().replace("_", "-").split("-")[0]
        elif lowered == "tags":
            tags = _string_list(value)
            if tags is None:
                warn.append("tags: expected a list of words; ignored")
            else:
                meta.tags = tags
        elif lowered == "entities":
            meta.entities = _entities(value, warn)
    return meta
