"""Writing the CLI's output: streams that never fail, JSON that stays valid.

Every string the ``reader`` command prints is hostile (titles, bodies, file
names, echoed queries). The core sanitises control and bidi characters; this
module makes sure what is left can always be *encoded*: the standard streams
are switched to ``errors="backslashreplace"`` (so ``PYTHONIOENCODING=ascii``,
``LANG=C`` or a lone surrogate costs a ``\\x..`` escape, never a traceback),
and JSON escapes lone surrogates, C1 and bidi characters, and everything
non-ASCII when the stream's encoding cannot carry it, so it stays valid JSON.
It also holds the plain-data records (articles, hits, entities) the commands
print with ``--json``.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from reader.core.articles.article import Article, Problem

#: Characters JSON output always escapes: C1 and DEL, bidi controls, line and
#: paragraph separators (JSON escapes C0 itself), and lone surrogates, which
#: no encoding accepts.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")


def configure_streams() -> None:
    """Make stdout and stderr replace what their encoding cannot carry."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # exotic streams
                reconfigure(errors="backslashreplace")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _encoding(stream: TextIO) -> str:
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def json_text(value: Any, indent: int | None = None, *, encoding: str = "utf-8") -> str:
    """JSON with readable accents where ``encoding`` can carry them; C1, bidi
    and lone surrogates always escaped (so echoed input cannot drive a
    terminal and the text can always be written)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    text = _JSON_UNSAFE.sub(_escape, text)
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        # Outside strings JSON is ASCII, so escaping every non-ASCII
        # character only ever touches string contents.
        text = _NON_ASCII.sub(_escape, text)
    return text


def emit_json(value: Any, *, indent: int | None = 2) -> None:
    """Write ``value`` as JSON on stdout, in a form stdout can encode."""
    sys.stdout.write(json_text(value, indent=indent, encoding=_encoding(sys.stdout)) + "\n")


def say(message: str) -> None:
    """One ``reader: …`` line on stderr."""
    sys.stderr.write(f"reader: {message}\n")


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        say(str(problem))


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def article_summary(article: Article) -> dict[str, Any]:
    """The JSON object ``reader list`` prints for one article."""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "author": list(article.author),
        "date": article.date,
        "lang": article.lang,
        "tags": list(article.tags),
        "source": article.source,
        "url": article.url,
        "format": article.format,
    }


def article_json(article: Article) -> dict[str, Any]:
    """The JSON object ``reader show --json`` prints."""
    data = article_summary(article)
    data.update(
        {
            "summary": article.summary,
            "date_valid": article.date_valid,
            "lang_detected": article.lang_detected,
            "truncated": article.truncated,
            "extra": article.extra,
            "body": article.body,
        }
    )
    return data


def hit_json(hit: Any) -> dict[str, Any]:
    """The JSON object of one search hit."""
    snippet = hit.snippet
    return {
        "id": hit.id,
        "path": hit.article.path,
        "title": hit.article.title,
        "score": round(hit.score, 4),
        "fields": list(hit.fields),
        "snippet": {
            "text": snippet.text,
            "start": snippet.start,
            "end": snippet.end,
            "hits": [list(pair) for pair in snippet.hits],
        },
        "matches": [{"field": f, "start": a, "end": b} for f, a, b in hit.offsets],
    }


def entity_record(mention: Any) -> dict[str, Any]:
    """The JSON object of one entity mention."""
    return {
        "start": mention.start,
        "end": mention.end,
        "label": mention.label,
        "text": mention.text,
        "key": mention.key,
    }
