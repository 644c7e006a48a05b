"""``reader config``: where the settings file is, and the effective settings
(as YAML, or JSON with ``--json``); exit status 1 when the file has problems.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.opening import settings
from reader.cli.output import emit_json, report_problems
from reader.core.articles.sanitize import display_path
from reader.core.session.config import default_config_path, dump_config


def cmd_config(args: argparse.Namespace) -> int:
    """``reader config``: where the settings file is, and the effective settings."""
    config, problems = settings(args)
    path = config.source or (Path(args.config) if args.config else default_config_path())
    if args.path and not args.show:
        if args.json:
            emit_json({"path": str(path), "exists": path.exists()})
        else:
            sys.stdout.write(display_path(str(path)) + "\n")
        return 0
    report_problems(problems)
    if args.json:
        emit_json({"path": str(path), "settings": config.as_dict()})
    else:
        sys.stdout.write(f"# {display_path(str(path))}\n" + dump_config(config))
    return 1 if problems else 0
