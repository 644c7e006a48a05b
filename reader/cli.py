"""The ``reader`` command: the app by default, plus scriptable subcommands.

``reader [PATHS...]`` opens the app. ``reader list``, ``reader show``,
``reader check`` (and the others listed by ``reader --help``) print plain text
or, with ``--json``, JSON. Every string printed comes from the core already
sanitised, so article content cannot drive the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from reader import __version__
from reader.core.article import Article, Problem
from reader.core.library import Library
from reader.core.loader import DEFAULT_MAX_BYTES

DEFAULT_PATH = "articles"

DESCRIPTION = """\
A keyboard-driven terminal reader for folders of French and English articles
(Markdown, plain text, YAML), with named entities highlighted and full-text
search.

  reader [PATHS...]          open the app (default: ./articles)
  reader list [PATHS...]     list the articles
  reader show ID [PATHS...]  print one article
  reader check [PATHS...]    report files that cannot be loaded (exit 1 if any)

Every subcommand takes --json. Run `reader COMMAND --help` for its options.
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="article files or folders (default: ./articles)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--max-size",
        type=int,
        default=DEFAULT_MAX_BYTES // 1024,
        metavar="KB",
        help="read at most this many KB of each file (default: %(default)s)",
    )


def _paths(args: argparse.Namespace) -> list[str]:
    return list(args.paths) or [DEFAULT_PATH]


def _load(args: argparse.Namespace) -> Library:
    return Library.load(_paths(args), max_bytes=max(1, args.max_size) * 1024)


def _emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        sys.stderr.write(f"reader: {problem}\n")


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


def cmd_list(args: argparse.Namespace) -> int:
    """``reader list``."""
    library = _load(args)
    _report_problems(library.problems)
    if args.json:
        _emit_json([article_summary(article) for article in library.articles])
        return 0
    for article in library.articles:
        date = (article.date or "")[:10]
        sys.stdout.write(f"{article.id}\t{date}\t{article.lang}\t{article.title}\n")
    return 0


def format_article_text(article: Article) -> str:
    """An article as plain text: title, metadata lines, body."""
    lines = [article.title, "=" * min(len(article.title), 72)]
    for label, value in (
        ("Author", article.authors_display),
        ("Date", article.date or ""),
        ("Source", article.source or ""),
        ("Language", article.lang),
        ("Tags", ", ".join(article.tags)),
        ("URL", article.url or ""),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) + "\n\n" + article.body + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    """``reader show ID``."""
    library = _load(args)
    article = library.find(args.id)
    if article is None:
        sys.stderr.write(f"reader: no article matches {json.dumps(args.id)}\n")
        return 2
    if args.json:
        _emit_json(article_json(article))
    else:
        sys.stdout.write(format_article_text(article))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``reader check``: the problems, one line each; exit 1 if any."""
    library = _load(args)
    if args.json:
        _emit_json([{"path": p.path, "message": p.message} for p in library.problems])
    else:
        for problem in library.problems:
            sys.stdout.write(f"{problem}\n")
        if not library.problems:
            sys.stdout.write(f"{len(library)} articles, no problems\n")
    return 1 if library.problems else 0


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app."""
    from reader.ui.app import ReaderApp

    app = ReaderApp(_paths(args), max_bytes=max(1, args.max_size) * 1024)
    app.run()
    return app.return_code or 0


Command = Callable[[argparse.Namespace], int]


def _subcommands() -> dict[str, tuple[Command, str, Callable[[argparse.ArgumentParser], None]]]:
    def show_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("id", metavar="ID", help="article id, file name or unique prefix")

    def none(parser: argparse.ArgumentParser) -> None:
        return None

    return {
        "list": (cmd_list, "list the articles", none),
        "show": (cmd_show, "print one article", show_args),
        "check": (cmd_check, "report files that cannot be loaded", none),
    }


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for the app (``command`` None) or for one subcommand."""
    commands = _subcommands()
    if command is None:
        parser = argparse.ArgumentParser(
            prog="reader",
            description=DESCRIPTION,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument("--version", action="version", version=f"reader {__version__}")
        _add_common(parser)
        return parser
    _, help_text, extra = commands[command]
    parser = argparse.ArgumentParser(prog=f"reader {command}", description=help_text)
    extra(parser)
    _add_common(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    commands = _subcommands()
    if arguments and arguments[0] in commands:
        name = arguments.pop(0)
        args = build_parser(name).parse_args(arguments)
        return commands[name][0](args)
    args = build_parser().parse_args(arguments)
    if args.json:
        sys.stderr.write("reader: --json applies to subcommands (list, show, check, ...)\n")
        return 2
    missing = [path for path in _paths(args) if not os.path.exists(path)]
    if missing:
        sys.stderr.write(f"reader: no such file or folder: {missing[0]!r}\n")
        return 2
    return cmd_app(args)
