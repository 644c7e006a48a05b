"""Starting the interactive reader: ``reader [PATHS...]`` (the Textual app)
and ``reader serve`` (the same app in a browser). Textual is imported here,
inside the functions, so the scriptable subcommands never load it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.opening import (
    article_paths,
    default_lang,
    make_cache,
    make_recogniser,
    max_bytes,
    recogniser_name,
    refuse_missing,
    settings,
)
from reader.cli.output import say


def cmd_app(args: argparse.Namespace) -> int:
    """Open the app."""
    refuse_missing(article_paths(args))
    from reader.ui.app import ReaderApp

    config, config_problems = settings(args)
    recogniser, problems = make_recogniser(recogniser_name(args), args.gazetteer)
    app = ReaderApp(
        article_paths(args),
        max_bytes=max_bytes(args),
        text_width=args.width or config.text_width,
        recogniser=recogniser,
        problems=config_problems + problems,
        state_dir=Path(args.state_dir) if args.state_dir else None,
        remember=not args.no_state,
        watch=not args.no_watch,
        cache=make_cache(args, recogniser),
        config=config,
        default_lang=default_lang(args),
    )
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
