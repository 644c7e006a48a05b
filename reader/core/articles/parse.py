"""Turning a decoded file into an :class:`Article`, one function per format.

Input text has its newlines normalised but is not yet sanitised; everything
that leaves this module is. Each parser returns the article and a list of
one-line warnings (a warning never stops the article from loading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from reader.core.articles.article import Article, Format
from reader.core.articles.frontmatter import split_front_matter
from reader.core.articles.langdetect import detect_language
from reader.core.articles.metadata import Metadata, validate_metadata
from reader.core.articles.sanitize import sanitize_line, sanitize_text
from reader.core.articles.yamlsafe import YamlError, load_yaml

MAX_TITLE = 300
MAX_BYLINE = 60
_PARTICLES = frozenset(
    [
        "de",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "dos",
        "del",
        "bin",
        "ben",
        "al",
        "el",
        "y",
        "e",
        "and",
        "et",
    ]
)
_BYLINE_PREFIX = re.compile(r"^(?:par|by|de|from)\s+", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:[-'’.][^\W\d_]*)*\.?$")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")

SUFFIX_FORMATS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".yaml": "yaml",
    ".yml": "yaml",
}


class ParseError(ValueError):
    """The file cannot become an article; the message is one line."""


@dataclass
class FileInfo:
    """What the loader knows about the file being parsed."""

    id: str
    path: str
    name: str
    size: int = 0
    mtime: float = 0.0
    truncated: bool = False
    default_lang: str | None = None
    """Language for articles the detector cannot decide (None: keep "und")."""
    warnings: list[str] = field(default_factory=list)


def looks_like_byline(line: str) -> bool:
    """True when ``line`` reads as a person's name (a byline).

    Two to five words, each starting with a capital letter (lower-case
    particles such as "de" or "von" allowed inside), at most 60 characters,
    no digits and no sentence punctuation. An optional "Par"/"By" is allowed.
    """
    text = _BYLINE_PREFIX.sub("", line.strip())
    if not text or len(text) > MAX_BYLINE or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    for index, word in enumerate(words):
        if word.lower() in _PARTICLES and 0 < index < len(words) - 1:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
    return True


def _title_from_name(name: str) -> str:
    stem = PurePath(name).stem or name
    return sanitize_line(stem.replace("_", " ").replace("-", " ").strip() or name)


def _clip_title(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def _front_and_body(text: str, info: FileInfo) -> tuple[Metadata, str]:
    """Validated front matter (or empty metadata) and the body after it."""
    split = split_front_matter(text)
    if split.problem:
        info.warnings.append(split.problem)
    return _parse_front(split.front, info), split.body


def _parse_front(front: str | None, info: FileInfo) -> Metadata:
    if front is None:
        return Metadata()
    try:
        raw = load_yaml(front)
    except YamlError as exc:
        info.warnings.append(f"front matter ignored: {exc}")
        return Metadata()
    meta = validate_metadata(raw)
    info.warnings.extend(meta.warnings)
    return meta


def _first_line_title(body: str) -> tuple[str | None, str]:
    """Take the first non-empty line as the title; return it and the rest."""
    stripped = body.lstrip("\n")
    if not stripped.strip():
        return None, ""
    line, _, rest = stripped.partition("\n")
    return line.strip(), rest


def _strip_byline(body: str) -> tuple[str | None, str]:
    """Remove a last paragraph that reads as a byline; return it and the body."""
    trimmed = body.rstrip()
    head, sep, last = trimmed.rpartition("\n")
    if not sep or head.strip() == "" or not head.endswith("\n"):
        return None, body
    if looks_like_byline(last):
        return _BYLINE_PREFIX.sub("", last.strip()), head.rstrip() + "\n"
    return None, body


def _build(info: FileInfo, fmt: Format, meta: Metadata, title: str | None, body: str) -> Article:
    clean_body = sanitize_text(body.strip("\n"))
    if info.truncated:
        clean_body += "\n\n[…] The file is larger than the size limit; the rest was not loaded."
    final_title = meta.title or (sanitize_line(" ".join(title.split())) if title else None)
    lang = meta.lang
    detected = False
    if lang is None:
        lang = detect_language((final_title or "") + "\n" + clean_body)
        if lang == "und" and info.default_lang:
            lang = info.default_lang
        detected = True
    return Article(
        id=info.id,
        path=info.path,
        format=fmt,
        title=_clip_title(final_title or _title_from_name(info.name)),
        body=clean_body,
        author=meta.author,
        date=meta.date,
        date_valid=meta.date_valid,
        source=meta.source,
        url=meta.url,
        lang=lang,
        lang_detected=detected,
        tags=meta.tags,
        summary=meta.summary,
        entities=meta.entities,
        extra=meta.extra,
        truncated=info.truncated,
        size=info.size,
        mtime=info.mtime,
    )


def parse_markdown(text: str, info: FileInfo) -> Article:
    """Markdown with optional front matter; the title falls back to the
    first ``# heading`` (removed from the body), then the first line."""
    meta, body = _front_and_body(text, info)
    title: str | None = None
    if meta.title is None:
        first, rest = _first_line_title(body)
        if first is not None:
            heading = _H1.match(first)
            if heading:
                title, body = heading.group(1), rest
    return _build(info, "markdown", meta, title, body)


def parse_text(text: str, info: FileInfo) -> Article:
    """Plain text with optional front matter.

    Without a title in front matter the first non-empty line is the title;
    without an author, a short last paragraph that reads as a name is the
    byline: it becomes the author and leaves the body.
    """
    meta, body = _front_and_body(text, info)
    title: str | None = None
    if meta.title is None:
        title, body = _first_line_title(body)
    if not meta.author:
        byline, body = _strip_byline(body)
        if byline:
            meta.author = (sanitize_line(byline),)
    return _build(info, "text", meta, title, body)


def parse_yaml(text: str, info: FileInfo) -> Article:
    """A YAML mapping with ``title``, ``body`` and metadata keys."""
    try:
        raw = load_yaml(text)
    except YamlError as exc:
        raise ParseError(str(exc)) from None
    if not isinstance(raw, dict):
        raise ParseError("a YAML article must be a mapping with title and body")
    body_value = None
    for key in list(raw):
        if isinstance(key, str) and key.lower() in ("body", "text", "content"):
            body_value = raw.pop(key)
            break
    meta = validate_metadata(raw)
    info.warnings.extend(meta.warnings)
    if body_value is None:
        info.warnings.append("no body")
        body_value = ""
    if not isinstance(body_value, str):
        info.warnings.append("body: not text; ignored")
        body_value = ""
    return _build(info, "yaml", meta, None, body_value)


PARSERS = {"markdown": parse_markdown, "text": parse_text, "yaml": parse_yaml}


def parse_article(text: str, fmt: Format, info: FileInfo) -> Article:
    """Parse decoded ``text`` of format ``fmt``."""
    return PARSERS[fmt](text, info)
