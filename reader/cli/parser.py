"""The ``reader`` command's argument parsers: one for the app, one per
subcommand, all built from :data:`SUBCOMMANDS` so that ``--help``, the shell
completion scripts and the man page (:mod:`reader.cli.docs`) are generated
from the same definitions and cannot drift from them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

from reader import __version__
from reader.core.articles.loader import DEFAULT_MAX_BYTES

DESCRIPTION = """\
A keyboard-driven terminal reader for folders of French and English articles
(Markdown, plain text, YAML), with named entities highlighted and full-text
search.

  reader [PATHS...]          open the app (default: the configured paths, else ./articles)
  reader list [PATHS...]     list the articles
  reader show ID [PATHS...]  print one article (--format text|markdown|json)
  reader check [PATHS...]    report files that cannot be loaded (exit 1 if any)
  reader search QUERY [PATHS...]
                             search the articles (French and English aware);
                             exit 0 found, 1 nothing found, 2 error
  reader entities [ID|PATHS...]
                             the people, places, organisations and dates found
  reader config [--path|--show]
                             the settings file and the effective settings
  reader serve [PATHS...]    the same app in a browser, on 127.0.0.1:8000
  reader completion bash|zsh|fish
                             a shell completion script
  reader man                 this manual as a man page (troff)

Every subcommand that reads articles takes --json. Run `reader COMMAND --help`
for its options. An article's id is its path relative to the folder given;
with several PATHS each id starts with the name of the folder it was found in
(`articles/fr-bce-taux-inflation.md`). A missing PATH is an error (exit 2).
"""

RECOGNISER_HELP = "entity recogniser (spacy needs the spacy extra; default: configured, else rules)"

SEARCH_EPILOG = """\
exit status: 0 when something was found, 1 when nothing was (also for a query
with nothing to look for), 2 on an error (a missing path, an unreadable query
file). A query that starts with "-" goes after "--": reader search -- -russie otan.
Query parts that cannot be used (unknown field, bad date, a field with no
value) are reported as warnings and left out; the rest is still searched.
"""


class ReaderArgumentParser(argparse.ArgumentParser):
    """An argument parser whose errors hint at ``--`` when an argument that
    starts with ``-`` was not an option (a query such as ``-russie``)."""

    dash_hint: str | None = None

    def error(self, message: str) -> NoReturn:
        if self.dash_hint and ("unrecognized arguments: -" in message):
            message = f"{message}\n{self.dash_hint}"
        super().error(message)


def _add_common(parser: argparse.ArgumentParser, *, with_json: bool = True) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files or folders (default: the configured paths, else ./articles); "
        "with several, each id starts with its folder's name",
    )
    if with_json:
        parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="settings file (default: $READER_CONFIG or the user config folder's config.yaml)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache of parsed articles, entities and index",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where the cache lives (default: $READER_CACHE_DIR or the user cache folder)",
    )
    parser.add_argument(
        "--gazetteer",
        metavar="FILE",
        help="a YAML file of extra entities, aliases and suppressed names for the archive",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=None,
        metavar="KB",
        help=f"read at most this many KB of each file (default: {DEFAULT_MAX_BYTES // 1024})",
    )


def _state_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="where read/starred marks, positions and history are kept "
        "(default: $READER_STATE_DIR or the user data folder)",
    )


def _show_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="article id, file name or unique part of the id")
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default); markdown with front matter that re-imports with the "
        "same entity spans; json with the spans (same as --json)",
    )


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    parser.add_argument("--port", type=int, default=8000, help="default: %(default)s")


def _no_args(parser: argparse.ArgumentParser) -> None:
    return None


def _search_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        metavar="QUERY",
        nargs="?",
        help="the query (see README: Search); with --query-file every argument is a PATH",
    )
    parser.add_argument(
        "--query-file",
        metavar="FILE",
        help="read the query from FILE (- for stdin) instead of the command line",
    )
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits")
    _state_dir(parser)
    if isinstance(parser, ReaderArgumentParser):
        parser.dash_hint = (
            'hint: a query that starts with "-" goes after "--": reader search -- -russie'
        )


def _config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", action="store_true", help="print the settings file's path")
    parser.add_argument(
        "--show", action="store_true", help="print the effective settings (the default)"
    )


def _entities_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", action="store_true", help="every entity of the corpus with its articles"
    )
    parser.add_argument(
        "--jsonl",
        metavar="FILE",
        help="batch mode: read JSON lines {id, text, lang?} (- for stdin), "
        "write {id, entities: [{start, end, label, text}]} per line",
    )
    parser.add_argument(
        "--recogniser", choices=("rules", "spacy"), default=None, help=RECOGNISER_HELP
    )


def _completion_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell")


#: name -> (one-line help, extra arguments, takes the common archive options)
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], bool]] = {
    "list": ("list the articles", _no_args, True),
    "show": ("print one article", _show_args, True),
    "check": ("report files that cannot be loaded", _no_args, True),
    "search": ("search the articles", _search_args, True),
    "config": ("the settings file and the effective settings", _config_args, True),
    "serve": ("run the app in a browser (needs the serve extra)", _serve_args, True),
    "entities": (
        "list the people, places, organisations and dates found (PATHS may include IDs)",
        _entities_args,
        True,
    ),
    "completion": ("print a completion script for bash, zsh or fish", _completion_args, False),
    "man": ("print the manual page (troff, for man -l -)", _no_args, False),
}


def _app_parser() -> ReaderArgumentParser:
    parser = ReaderArgumentParser(
        prog="reader",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--recogniser", choices=("rules", "spacy"), default=None, help=RECOGNISER_HELP
    )
    _state_dir(parser)
    parser.add_argument(
        "--no-state",
        action="store_true",
        help="neither read nor write the reading state",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not reload files changed on disk while the app runs",
    )
    parser.add_argument(
        "--width",
        type=int,
        default=None,
        metavar="COLUMNS",
        help="widest the article text gets, centred (default: configured, else 88)",
    )
    _add_common(parser, with_json=False)
    return parser


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for the app (``command`` None) or for one subcommand."""
    if command is None:
        return _app_parser()
    help_text, extra, common = SUBCOMMANDS[command]
    epilog = SEARCH_EPILOG if command == "search" else None
    parser = ReaderArgumentParser(
        prog=f"reader {command}",
        description=help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extra(parser)
    if common:
        _add_common(parser)
    return parser
