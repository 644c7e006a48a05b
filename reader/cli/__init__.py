"""The ``reader`` command: the app by default, plus scriptable subcommands.

``reader [PATHS...]`` opens the app. ``reader list``, ``reader show``,
``reader check``, ``reader search`` (and the others listed by ``reader
--help``) print plain text or, with ``--json``, JSON. Every string printed
comes from the core already sanitised, and the streams are set so that any
text can be encoded (:mod:`reader.cli.output`). Exit statuses: 0 success,
1 nothing found (``search``) or problems found (``check``), 2 an error (a
missing path, an unknown article, bad arguments), 141 when the reader of the
output went away.

Layout: :mod:`~reader.cli.parser` (argument parsers), :mod:`~reader.cli.settings`
(the settings, resolved once), :mod:`~reader.cli.opening` (the one function
that opens an archive), :mod:`~reader.cli.output`
(streams, JSON, records), one module per command group, and
:mod:`~reader.cli.docs` (completion scripts and man page from the parser).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from reader.cli.output import configure_streams, say
from reader.cli.parser import SUBCOMMANDS, build_parser
from reader.cli.settings import CliError, start_walk

Command = Callable[[argparse.Namespace], int]


def _command(name: str) -> Command:
    """The function of subcommand ``name`` (imported on demand)."""
    if name in ("list", "show", "check"):
        from reader.cli import articles

        return {"list": articles.cmd_list, "show": articles.cmd_show, "check": articles.cmd_check}[
            name
        ]
    if name == "search":
        from reader.cli.search import cmd_search

        return cmd_search
    if name == "entities":
        from reader.cli.entities import cmd_entities

        return cmd_entities
    if name == "config":
        from reader.cli.config import cmd_config

        return cmd_config
    if name == "serve":
        from reader.cli.launch import cmd_serve

        return cmd_serve
    from reader.cli.docs import cmd_completion, cmd_man

    return cmd_completion if name == "completion" else cmd_man


def _run(command: Command, args: argparse.Namespace) -> int:
    try:
        return command(args)
    except CliError as exc:
        say(str(exc))
        return 2
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    finally:
        if getattr(args, "_session", None) is not None:
            from reader.cli.opening import close_session

            close_session(args)
        walk = getattr(args, "_walk", None)
        if walk is not None:  # started early, never taken by a session
            walk.close()


def _parse(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """Options may come between positionals (``search QUERY --json PATH``);
    after ``--`` everything is positional (``search -- -russie PATH``)."""
    if "--" in arguments:
        return parser.parse_args(arguments)
    return parser.parse_intermixed_args(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    configure_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in SUBCOMMANDS:
        name = arguments.pop(0)
        args = _parse(build_parser(name), arguments)
        if name == "search":  # on the other core while the rest is imported
            start_walk(args)
        return _run(_command(name), args)
    args = _parse(build_parser(), arguments)
    from reader.cli.launch import cmd_app

    return _run(cmd_app, args)


__all__ = ["build_parser", "main"]
