"""``reader search``: ranked hits with snippets, as text or JSON, with
grep-like exit statuses (0 found, 1 nothing found, 2 error).

The query comes from the command line or, with ``--query-file FILE`` (``-``
for stdin), from a file, so a long query does not meet the argv limit. Query
parts the engine cannot use are reported as warnings (stderr, and
``warnings`` in JSON) by :func:`reader.core.search.query.check` and left out;
``is:unread``, ``is:read``, ``is:starred`` and ``is:unstarred`` are evaluated
against the archive's reading state (the one the app keeps), read-only.
"""

from __future__ import annotations

import argparse
import sys

from reader.cli.opening import CliError, analyse, open_session
from reader.cli.output import emit_json, hit_json, plural, report_problems, say
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.search import Hit, Matcher
from reader.core.search.query import NOTHING_TO_INCLUDE
from reader.core.session.filters import FILTER_WORDS

#: The most a query file may hold; the query language reads far less.
MAX_QUERY_FILE_BYTES = 1024 * 1024

FOUND, NOT_FOUND = 0, 1


def read_query(args: argparse.Namespace) -> str:
    """The query: the QUERY argument, or the text of ``--query-file``
    (whose lines are joined by spaces). With ``--query-file`` a QUERY
    argument is taken as the first PATH."""
    if args.query_file is None:
        if args.query is None:
            raise CliError("search: give a QUERY (or --query-file FILE, - for stdin)")
        return str(args.query)
    if args.query is not None:
        args.paths = [args.query, *args.paths]
        args.query = None
    source = args.query_file
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_QUERY_FILE_BYTES)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_QUERY_FILE_BYTES)
    except OSError as exc:
        reason = (exc.strerror or exc.__class__.__name__).lower()
        raise CliError(f"{display_path(source)}: {reason}") from None
    return " ".join(data.decode("utf-8", "replace").split())


def cmd_search(args: argparse.Namespace) -> int:
    """``reader search QUERY``: ranked hits with snippets."""
    query = read_query(args)
    session = open_session(args, deferred=True)  # only the hits are needed
    report_problems(session.problems)
    analyse(session)
    answer = session.search(query, limit=max(1, args.limit))
    filters, warnings, total = answer.filters, list(answer.warnings), answer.total
    if answer.results is not None:
        hits = list(answer.hits)
        nothing, suggestion = answer.results.nothing_to_search, answer.results.suggestion
    else:  # only is: filters: the articles in that state, unranked
        hits = [Hit(article, 0.0, Matcher()) for article in answer.articles]
        nothing, suggestion = False, None
    status = FOUND if total else NOT_FOUND
    if args.json:
        emit_json(
            {
                "query": query,
                "total": total,
                "nothing_to_search": nothing,
                "suggestion": suggestion,
                "filters": [word for word in FILTER_WORDS if getattr(filters, word)],
                "warnings": warnings,
                "hits": [hit_json(hit) for hit in hits],
            }
        )
        return status
    for warning in warnings:
        if warning != NOTHING_TO_INCLUDE:
            say(f"query: {sanitize_line(warning)}")
    if nothing:
        if NOTHING_TO_INCLUDE in warnings:
            sys.stdout.write("Nothing to include: add a word to search for.\n")
        elif warnings:
            sys.stdout.write("Nothing to search: every part of the query was left out.\n")
        else:
            sys.stdout.write("Nothing to search: the query has only common words or punctuation.\n")
        return status
    shown = f" ({filters.describe()})" if filters.active else ""
    sys.stdout.write(f"{plural(total, 'article')}{shown}\n")
    for hit in hits:
        snippet = hit.snippet
        lead = "…" if snippet.start > 0 else ""
        tail = "…" if snippet.end < len(hit.article.body) else ""
        sys.stdout.write(f"\n{hit.score:7.2f}  {hit.article.title}\n         {hit.id}\n")
        if snippet.text:
            sys.stdout.write(f"         {lead}{snippet.text}{tail}\n")
    if suggestion and not hits:
        sys.stdout.write(f"Did you mean: {suggestion}\n")
    return status
