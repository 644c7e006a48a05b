"""Starting the interactive reader: ``reader [PATHS...]`` (the Textual app)
and ``reader serve`` (the same app in a browser). Textual is imported here,
inside the functions, so the scriptable subcommands never load it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from reader.cli.opening import article_paths, refuse_missing, session_settings
from reader.cli.output import say


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app."""
    resolved = session_settings(args)
    refuse_missing(list(resolved.paths))
    from reader.ui.app import make_app
    from reader.ui.themes import startup_theme

    # Light or dark from the terminal's background when it answers (OSC 11).
    config = dataclasses.replace(resolved.config, theme=startup_theme(resolved.config.theme))
    app = make_app(dataclasses.replace(resolved, config=config))
    app.run()
    return app.return_code or 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``reader serve``: the same app in a browser (textual-serve)."""
    from reader.ui.serve import ServeUnavailable, serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        say(f"serving on {args.host}: anyone who can reach it can read the articles")
    extra: list[str] = []
    if args.config:
        extra += ["--config", args.config]
    if args.max_size is not None:
        extra += ["--max-size", str(args.max_size)]
    if args.gazetteer:
        extra += ["--gazetteer", args.gazetteer]
    paths = article_paths(args)
    refuse_missing(paths)
    try:
        sys.stderr.write(f"reader: serving on http://{args.host}:{args.port} (Ctrl+C stops)\n")
        serve(paths, host=args.host, port=args.port, extra_args=extra)
    except ServeUnavailable as exc:
        say(str(exc))
        return 2
    except KeyboardInterrupt:
        return 0
    return 0
