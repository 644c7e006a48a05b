"""``reader list``, ``reader show`` and ``reader check``: the articles and
the files that could not be loaded, as text or JSON.

An article is named on the command line by its id, file name, path or a
unique part of its id; :func:`find_article` turns a miss into a one-line
error that lists the candidates when the reference is ambiguous.
"""

from __future__ import annotations

import argparse
import sys

from reader.cli.opening import CliError, open_library
from reader.cli.output import (
    article_json,
    article_summary,
    emit_json,
    entity_record,
    json_text,
    report_problems,
)
from reader.core.articles.article import Article
from reader.core.articles.plain import article_as_text
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.session.library import Library

#: How many candidates an ambiguous reference lists.
MAX_CANDIDATES = 10


def no_match(library: Library, reference: str, *, or_path: bool = False) -> str:
    """Why ``reference`` names no article: nothing matches, or several do
    (listed, at most :data:`MAX_CANDIDATES`). ``or_path``: the reference
    could also have been a path (``reader entities``)."""
    shown = json_text(sanitize_line(reference))
    candidates = [a.id for a in library.articles if reference in a.id]
    if len(candidates) > 1:
        listed = ", ".join(json_text(c) for c in candidates[:MAX_CANDIDATES])
        more = len(candidates) - MAX_CANDIDATES
        tail = f" and {more} more" if more > 0 else ""
        return f"{len(candidates)} articles match {shown}: {listed}{tail}; give more of the id"
    if or_path:
        return f"{display_path(reference)}: no such file or directory, nor an article id"
    return f"no article matches {shown}"


def find_article(library: Library, reference: str, *, or_path: bool = False) -> Article:
    """The article ``reference`` names, or :class:`CliError`."""
    article = library.find(reference)
    if article is None:
        raise CliError(no_match(library, reference, or_path=or_path))
    return article


def cmd_list(args: argparse.Namespace) -> int:
    """``reader list``: one line (or JSON object) per article."""
    library = open_library(args)
    report_problems(library.problems)
    if args.json:
        emit_json([article_summary(article) for article in library.articles])
        return 0
    for article in library.articles:
        date = (article.date or "")[:10]
        sys.stdout.write(f"{article.id}\t{date}\t{article.lang}\t{article.title}\n")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """``reader show ID``: text, JSON (with entity spans) or Markdown that
    re-imports with the same spans."""
    library = open_library(args)
    article = find_article(library, args.id)
    fmt = "json" if args.json else args.format
    if fmt == "text":
        sys.stdout.write(article_as_text(article))
        return 0
    from reader.core.entities.export import to_json, to_markdown

    entities = library.entities_for(article.id)
    if fmt == "markdown":
        sys.stdout.write(to_markdown(article, entities.body))
    else:
        data = article_json(article)
        data.update(to_json(article, entities.body))
        data["title_entities"] = [entity_record(m) for m in entities.title]
        emit_json(data)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``reader check``: the problems, one line each; exit 1 if any."""
    library = open_library(args)
    if args.json:
        emit_json([{"path": p.path, "message": p.message} for p in library.problems])
    else:
        for problem in library.problems:
            sys.stdout.write(f"{problem}\n")
        if not library.problems:
            sys.stdout.write(f"{len(library)} articles, no problems\n")
    return 1 if library.problems else 0
