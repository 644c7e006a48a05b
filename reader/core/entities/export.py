"""Exporting articles with their entity spans, and reading the spans back.

:func:`to_markdown` writes an article as Markdown with YAML front matter that
the loader reads back to the same title, body and metadata. The front matter
also carries ``entity_spans`` (``[start, end, label]`` in body offsets) and
``body_sha256``, the SHA-256 of the exact body; :func:`spans_from_metadata`
returns those spans on re-import only while the body is unchanged, so an
exported file edited by hand falls back to recognition instead of showing
spans at the wrong places.

Every string value is written double-quoted by PyYAML's emitter, which escapes
whatever a plain or single-quoted scalar could not carry (quotes, ``:``,
``#``, newlines, line separators, non-printable characters).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from reader.core.articles.article import Article, EntityAnnotation
from reader.core.articles.frontmatter import MAX_FRONT_MATTER
from reader.core.entities import LABELS, Mention, make_key
from reader.core.entities.model import Label, as_label

#: Front matter keys written by :func:`to_markdown` for the spans.
SPANS_KEY = "entity_spans"
COUNT_KEY = "entity_span_count"
HASH_KEY = "body_sha256"
_GENERATED = frozenset([SPANS_KEY, COUNT_KEY, HASH_KEY])

#: Largest front matter written with spans; beyond it the spans are left out
#: so the loader (which reads at most 64 KB of front matter) still parses it.
_FRONT_LIMIT = MAX_FRONT_MATTER - 1024

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Words a YAML 1.1 reader would not take as plain strings.
_YAML_WORDS = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"])
_DIGITS = re.compile(r"[0-9]{1,15}")

Span = tuple[int, int, str]


class _Dumper(yaml.SafeDumper):
    """Every string double-quoted, except identifier-like mapping keys; lists
    of scalars on one line."""

    def represent_mapping(
        self, tag: str, mapping: Any, flow_style: bool | None = None
    ) -> MappingNode:
        node = super().represent_mapping(tag, mapping, flow_style)
        for key_node, _ in node.value:
            if (
                isinstance(key_node, ScalarNode)
                and _IDENT.fullmatch(key_node.value)
                and key_node.value.lower() not in _YAML_WORDS
            ):
                key_node.style = None
        return node

    def represent_sequence(
        self, tag: str, sequence: Any, flow_style: bool | None = None
    ) -> SequenceNode:
        node = super().represent_sequence(tag, sequence, flow_style)
        node.flow_style = all(isinstance(item, ScalarNode) for item in node.value)
        return node

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_Dumper.add_representer(str, _represent_str)


def body_sha256(body: str) -> str:
    """The hex SHA-256 of ``body`` encoded as UTF-8."""
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def _checked_spans(body: str, mentions: Sequence[Mention]) -> list[Span]:
    spans: list[Span] = sorted((m.start, m.end, str(m.label)) for m in mentions)
    end = 0
    for start, stop, label in spans:
        if not 0 <= start < stop <= len(body) or start < end or label not in LABELS:
            raise ValueError(
                f"mention {start}-{stop} {label!r} is not a valid span of the body "
                "(pass the body mentions, sorted and non-overlapping)"
            )
        end = stop
    return spans


def _annotation(annotation: EntityAnnotation) -> dict[str, str]:
    if annotation.action == "suppress":
        return {"text": annotation.text, "suppress": "true"}
    item = {"text": annotation.text, "label": annotation.label or "MISC"}
    if annotation.action == "relabel":
        item["action"] = "relabel"
    return item


def metadata_of(article: Article) -> dict[str, Any]:
    """The article's metadata as plain values (absent fields left out)."""
    data: dict[str, Any] = {"title": article.title}
    if article.author:
        data["author"] = list(article.author)
    for name in ("date", "source", "url"):
        value = getattr(article, name)
        if value is not None:
            data[name] = value
    if article.lang != "und":
        data["lang"] = article.lang
    if article.tags:
        data["tags"] = list(article.tags)
    if article.summary is not None:
        data["summary"] = article.summary
    if article.entities:
        data["entities"] = [_annotation(a) for a in article.entities]
    for key, value in article.extra.items():
        if key not in _GENERATED and key not in data:
            data[key] = value
    return data


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=1 << 30,
    )


def to_markdown(article: Article, mentions: Sequence[Mention]) -> str:
    """The article as Markdown with YAML front matter, body unchanged.

    ``mentions`` are the body's mentions (offsets into ``article.body``, as in
    ``ArticleEntities.body``); a mention outside the body or overlapping
    another raises :class:`ValueError`. If the front matter with the spans
    would be too large for the loader (more than about 2,500 spans), the spans
    and the hash are left out.
    """
    spans = _checked_spans(article.body, mentions)
    data = metadata_of(article)
    front = _dump(data)
    with_spans = dict(data)
    with_spans[SPANS_KEY] = [list(span) for span in spans]
    with_spans[COUNT_KEY] = len(spans)
    with_spans[HASH_KEY] = body_sha256(article.body)
    spanned = _dump(with_spans)
    if len(spanned) <= _FRONT_LIMIT:
        front = spanned
    return f"---\n{front}---\n{article.body}\n"


def to_json(article: Article, mentions: Sequence[Mention]) -> dict[str, Any]:
    """The article as a JSON-ready mapping: metadata, body and entities
    (``{start, end, label, text, key}`` in body offsets)."""
    _checked_spans(article.body, mentions)
    data: dict[str, Any] = {"id": article.id, "path": article.path, "format": article.format}
    meta = metadata_of(article)
    data.update(
        {
            "title": meta.pop("title"),
            "author": meta.pop("author", []),
            "date": meta.pop("date", None),
            "source": meta.pop("source", None),
            "url": meta.pop("url", None),
            "lang": article.lang,
            "tags": meta.pop("tags", []),
            "summary": meta.pop("summary", None),
        }
    )
    meta.pop("lang", None)
    if meta:
        data["metadata"] = meta
    data["body"] = article.body
    data[HASH_KEY] = body_sha256(article.body)
    data["entities"] = [
        {"start": m.start, "end": m.end, "label": m.label, "text": m.text, "key": m.key}
        for m in sorted(mentions, key=lambda m: m.start)
    ]
    return data


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def spans_from_metadata(article: Article) -> list[Span] | None:
    """The ``entity_spans`` saved in the article's metadata, or None.

    Returned only when ``body_sha256`` matches the body exactly, the count
    matches (when given) and every span is ``[start, end, label]`` with
    integer offsets inside the body, a known label and no overlap. Anything
    else means the spans cannot be trusted: None, so the caller recognises
    entities instead. Spans come back sorted by start.
    """
    extra = article.extra
    raw = extra.get(SPANS_KEY)
    digest = extra.get(HASH_KEY)
    if not isinstance(raw, list) or not isinstance(digest, str):
        return None
    if digest.strip().lower() != body_sha256(article.body):
        return None
    if COUNT_KEY in extra and _as_int(extra[COUNT_KEY]) != len(raw):
        return None
    body = article.body
    spans: list[Span] = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 3:
            return None
        start, end, label = _as_int(item[0]), _as_int(item[1]), as_label(item[2])
        if start is None or end is None or label is None:
            return None
        if not 0 <= start < end <= len(body) or not body[start:end].strip():
            return None
        spans.append((start, end, label))
    spans.sort()
    for previous, current in itertools.pairwise(spans):
        if current[0] < previous[1]:
            return None
    return spans


def mentions_from_spans(
    text: str, spans: Sequence[Span], key: Callable[[str, str], str] = make_key
) -> list[Mention]:
    """Mentions for validated ``spans`` of ``text``; ``key(label, surface)``
    gives each mention's entity key (by default :func:`make_key`, which
    does not merge aliases such as *Poutine* / *Putin*)."""
    mentions: list[Mention] = []
    for start, end, label_text in spans:
        label: Label | None = as_label(label_text)
        if label is None:
            raise ValueError(f"unknown label {label_text!r}")
        surface = text[start:end]
        mentions.append(Mention(start, end, label, surface, key(label, surface)))
    return mentions
