"""The reading state's file format: validation, serialisation and the
three-way merge of two instances' changes (see :mod:`reader.core.store.state`
for what is kept and the rules; this module only reads and writes it)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.core.articles.sanitize import sanitize_line

FORMAT_NAME = "reader-state"
FORMAT_VERSION = 1

MAX_HISTORY = 200
MAX_QUERY_CHARS = 1000
MAX_ID_CHARS = 4096
MAX_ENTRIES = 100_000
MAX_POSITION = 2**53
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Timestamps must lie between 0 and this (year 5138): bigger means junk.
MAX_TIME = 1e11

#: Archive-wide preferences the state keeps, with their allowed values.
PREFERENCES: dict[str, tuple[str, ...]] = {
    "sort": ("file", "date", "title", "source", "-file", "-date", "-title", "-source"),
    "group": ("none", "folder", "source", "tag"),
}

_HASH_RE = re.compile(r"^[0-9a-f]{16,64}$")


@dataclass(frozen=True, slots=True)
class Entry:
    hash: str
    read: bool = False
    starred: bool = False
    position: int | None = None
    updated: float = 0.0


EMPTY = Entry(hash="")


@dataclass(slots=True)
class Snapshot:
    entries: dict[str, Entry]
    history: dict[str, float]
    last: tuple[str | None, float] | None
    dropped: int = 0
    prefs: dict[str, tuple[str, float]] = field(default_factory=dict)
    """Archive-wide preferences (:data:`PREFERENCES`): value and time set."""


class Corrupt(Exception):
    """The file cannot be used at all; the message is a short reason."""


# --- validation ------------------------------------------------------------


def is_time(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_TIME
    )


def valid_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS


def parse_entry(raw: object) -> Entry | None:
    if not isinstance(raw, dict):
        return None
    hash_, read, starred = raw.get("hash"), raw.get("read", False), raw.get("starred", False)
    position, updated = raw.get("position"), raw.get("updated")
    if not isinstance(hash_, str) or not _HASH_RE.match(hash_):
        return None
    if not isinstance(read, bool) or not isinstance(starred, bool) or not is_time(updated):
        return None
    if position is not None and (
        not isinstance(position, int)
        or isinstance(position, bool)
        or not 0 <= position <= MAX_POSITION
    ):
        return None
    assert isinstance(updated, int | float)
    return Entry(hash_, read, starred, position, float(updated))


def parse(data: bytes) -> Snapshot:
    """Validate the file's bytes; raise :class:`Corrupt` when unusable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Corrupt("not UTF-8 text") from None

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    try:
        top = json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        raise Corrupt("not valid JSON") from None
    if not isinstance(top, dict):
        raise Corrupt("not a JSON object")
    if top.get("format") != FORMAT_NAME or top.get("version") != FORMAT_VERSION:
        raise Corrupt("not a version 1 reading state")
    articles = top.get("articles", {})
    history = top.get("history", [])
    last = top.get("last_selected")
    if not isinstance(articles, dict) or not isinstance(history, list):
        raise Corrupt("wrong types")
    if last is not None and not isinstance(last, dict):
        raise Corrupt("wrong types")

    dropped = 0
    entries: dict[str, Entry] = {}
    for key, raw in articles.items():
        entry = parse_entry(raw)
        if entry is None or not valid_id(key):
            dropped += 1
        else:
            entries[key] = entry
    if len(entries) > MAX_ENTRIES:
        dropped += len(entries) - MAX_ENTRIES
        entries = newest_entries(entries)

    queries: dict[str, float] = {}
    for item in history:
        query = item.get("query") if isinstance(item, dict) else None
        when = item.get("updated") if isinstance(item, dict) else None
        if not isinstance(query, str) or not query.strip() or not is_time(when):
            dropped += 1
            continue
        assert isinstance(when, int | float)
        query = sanitize_line(query.strip()[:MAX_QUERY_CHARS])
        queries[query] = max(float(when), queries.get(query, 0.0))
    queries = capped_history(queries)

    last_selected: tuple[str | None, float] | None = None
    if last is not None:
        last_id, when = last.get("id"), last.get("updated")
        if (last_id is None or valid_id(last_id)) and is_time(when):
            assert isinstance(when, int | float)
            last_selected = (last_id, float(when))
        else:
            dropped += 1
    prefs: dict[str, tuple[str, float]] = {}
    raw_prefs = top.get("prefs", {})
    if not isinstance(raw_prefs, dict):
        raw_prefs, dropped = {}, dropped + 1
    for name, item in raw_prefs.items():
        value = item.get("value") if isinstance(item, dict) else None
        when = item.get("updated") if isinstance(item, dict) else None
        if value in PREFERENCES.get(name, ()) and is_time(when):
            assert isinstance(value, str) and isinstance(when, int | float)
            prefs[name] = (value, float(when))
        else:
            dropped += 1
    return Snapshot(entries, queries, last_selected, dropped, prefs)


def newest_entries(entries: dict[str, Entry]) -> dict[str, Entry]:
    if len(entries) <= MAX_ENTRIES:
        return entries
    newest = sorted(entries.items(), key=lambda item: item[1].updated)[-MAX_ENTRIES:]
    return dict(newest)


def capped_history(queries: Mapping[str, float]) -> dict[str, float]:
    ordered = sorted(queries.items(), key=lambda item: item[1])[-MAX_HISTORY:]
    return dict(ordered)


def serialise(snapshot: Snapshot) -> bytes:
    articles = {
        key: {
            "hash": entry.hash,
            "read": entry.read,
            "starred": entry.starred,
            "position": entry.position,
            "updated": entry.updated,
        }
        for key, entry in snapshot.entries.items()
    }
    history = [{"query": query, "updated": when} for query, when in snapshot.history.items()]
    last = None
    if snapshot.last is not None:
        last = {"id": snapshot.last[0], "updated": snapshot.last[1]}
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "articles": articles,
        "history": history,
        "last_selected": last,
        "prefs": {
            name: {"value": value, "updated": when}
            for name, (value, when) in sorted(snapshot.prefs.items())
        },
    }
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")


# --- merging ---------------------------------------------------------------


def merge_entry(base: Entry | None, ours: Entry, theirs: Entry | None) -> Entry:
    """Three-way merge of one entry (see the module docstring)."""
    if theirs is None:
        return ours
    if base is None:
        base = EMPTY
    ours_newer = ours.updated >= theirs.updated

    def pick(ours_value: object, theirs_value: object, base_value: object) -> bool:
        """True to take ours."""
        if ours_value == base_value:
            return False
        if theirs_value == base_value:
            return True
        return ours_newer

    read = ours.read if pick(ours.read, theirs.read, base.read) else theirs.read
    starred = ours.starred if pick(ours.starred, theirs.starred, base.starred) else theirs.starred
    if pick((ours.hash, ours.position), (theirs.hash, theirs.position), (base.hash, base.position)):
        hash_, position = ours.hash, ours.position
    else:
        hash_, position = theirs.hash, theirs.position
    return Entry(hash_, read, starred, position, max(ours.updated, theirs.updated))
