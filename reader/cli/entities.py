"""``reader entities``: the people, places, organisations and dates found,
per article, for the whole corpus (``--corpus``), or for JSON lines read
from a file or stdin (``--jsonl``, the batch mode scorers use).

In the batch mode one bad input line costs one ``skipped`` line on stderr
(and exit status 1); every other line is still answered.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from reader.cli.articles import find_article
from reader.cli.opening import (
    CliError,
    analyse,
    make_recogniser,
    open_library,
    session_settings,
)
from reader.cli.output import emit_json, entity_record, json_text, report_problems, say
from reader.core.articles.sanitize import display_path


def _read_lines(source: str) -> list[bytes] | None:
    try:
        if source == "-":
            return sys.stdin.buffer.read().splitlines()
        with open(source, "rb") as handle:
            return handle.read().splitlines()
    except OSError as exc:
        say(f"{display_path(source)}: cannot read ({exc.strerror or exc.__class__.__name__})")
        return None


def cmd_entities_jsonl(args: argparse.Namespace) -> int:
    """Batch mode: JSON lines ``{id, text, lang?}`` in, ``{id, entities}`` out."""
    resolved = session_settings(args)
    recogniser, problems = make_recogniser(resolved.recogniser, resolved.gazetteer, batch=True)
    report_problems(problems)
    name = display_path(args.jsonl)
    lines = _read_lines(args.jsonl)
    if lines is None:
        return 2
    bad = 0
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
            if not isinstance(record, dict):
                raise TypeError("not an object")
            text = record["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError) as exc:
            bad += 1
            say(f"{name}:{number}: skipped ({exc.__class__.__name__})")
            continue
        lang = record.get("lang") if isinstance(record.get("lang"), str) else None
        if lang is None:
            from reader.core.articles.langdetect import detect_language

            lang = detect_language(text)
        mentions = recogniser.recognise(text, lang)
        out = {
            "id": record.get("id"),
            "entities": [
                {"start": m.start, "end": m.end, "label": m.label, "text": m.text} for m in mentions
            ],
        }
        sys.stdout.write(json_text(out, encoding=encoding) + "\n")
    return 1 if bad else 0


def _corpus(args: argparse.Namespace, library: Any, as_json: bool) -> int:
    analyse(args._session)
    entities = library.corpus().entities()
    if as_json:
        emit_json(
            [
                {
                    "key": e.key,
                    "label": e.label,
                    "name": e.name,
                    "aliases": sorted(e.forms),
                    "articles": e.article_count,
                    "mentions": e.mention_count,
                    "article_ids": sorted(e.articles),
                }
                for e in entities
            ]
        )
        return 0
    for e in entities:
        aliases = ", ".join(sorted(f for f in e.forms if f != e.name))
        extra = f"  (also: {aliases})" if aliases else ""
        sys.stdout.write(f"{e.label:<5} {e.article_count:>4}  {e.name}{extra}\n")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    """``reader entities``: mentions per article, or the corpus catalogue."""
    if args.jsonl:
        return cmd_entities_jsonl(args)
    wanted = [p for p in args.paths if not os.path.lexists(p)]
    for path in wanted:  # spelt as a path, not an article id: refused before opening
        if os.path.isabs(path) or path.startswith(("./", "../", "~")):
            raise CliError(f"{display_path(path)}: no such file or directory")
    args.paths = [p for p in args.paths if os.path.lexists(p)]
    library = open_library(args)
    report_problems(library.problems)
    articles = [find_article(library, reference, or_path=True) for reference in wanted]
    if args.corpus:
        return _corpus(args, library, args.json)
    if not articles:
        articles = list(library.articles)
    result = [(article, library.entities_for(article.id)) for article in articles]
    if args.json:
        emit_json(
            [
                {
                    "id": article.id,
                    "title": article.title,
                    "lang": article.lang,
                    "title_entities": [entity_record(m) for m in found.title],
                    "entities": [entity_record(m) for m in found.body],
                    "summary": [
                        {
                            "key": s.key,
                            "label": s.label,
                            "name": s.name,
                            "count": s.count,
                            "forms": list(s.forms),
                        }
                        for s in found.summaries()
                    ],
                }
                for article, found in result
            ]
        )
        return 0
    for article, found in result:
        sys.stdout.write(f"{article.id}: {article.title}\n")
        for summary in found.summaries():
            forms = ", ".join(f for f in summary.forms if f != summary.name)
            also = f"  (also: {forms})" if forms else ""
            sys.stdout.write(f"  {summary.label:<5} {summary.count:>3}  {summary.name}{also}\n")
        sys.stdout.write("\n")
    return 0
