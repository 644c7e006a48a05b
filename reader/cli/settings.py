"""The command's settings, and the walk ``reader search`` starts early.

:func:`session_settings` resolves the settings file and the options once
(:func:`reader.core.session.settings.resolve_settings`, as the app does).
Paths that do not exist are refused up front with :class:`CliError` (exit
status 2), before any cache file is named or written. Settings-file
warnings are reported once, as the settings file's, never mixed with the
archive's problems. :func:`start_walk` starts a second start's stat walk
before the command imports the rest of the core. This module imports only
the settings and the walk, so it costs a few hundredths of a second.
"""

from __future__ import annotations

import argparse
import os
import sys

from reader.core.articles.article import Problem
from reader.core.articles.sanitize import display_path
from reader.core.session.config import Config
from reader.core.session.settings import Settings, resolve_settings
from reader.core.session.walk import Walk
from reader.core.store.identity import default_cache_dir, store_path


class CliError(Exception):
    """A failure the command reports as one line and exit status 2."""


def session_settings(args: argparse.Namespace) -> Settings:
    """The resolved settings of this command (cached on ``args``)."""
    cached = getattr(args, "_resolved", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    resolved = resolve_settings(
        getattr(args, "paths", None) or (),
        config_file=getattr(args, "config", None),
        max_size_kb=getattr(args, "max_size", None),
        text_width=getattr(args, "width", None),
        recogniser=getattr(args, "recogniser", None),
        gazetteer=getattr(args, "gazetteer", None),
        cache=not getattr(args, "no_cache", False),
        cache_dir=getattr(args, "cache_dir", None),
        state_dir=getattr(args, "state_dir", None),
        remember=not getattr(args, "no_state", False),
        watch=not getattr(args, "no_watch", False),
    )
    args._resolved = resolved
    return resolved


def settings(args: argparse.Namespace) -> tuple[Config, list[Problem]]:
    """The effective configuration and its warnings (each naming the
    settings file)."""
    resolved = session_settings(args)
    return resolved.config, list(resolved.problems)


def report_settings(args: argparse.Namespace) -> None:
    """Write the settings file's warnings to stderr (once per command)."""
    if getattr(args, "_settings_reported", False):
        return
    args._settings_reported = True
    for problem in settings(args)[1]:
        sys.stderr.write(f"reader: {problem}\n")


def article_paths(args: argparse.Namespace) -> list[str]:
    """The paths given, else the configured ones, else ``./articles``."""
    return list(session_settings(args).paths)


def refuse_missing(paths: list[str]) -> None:
    """Raise :class:`CliError` for the first path that does not exist."""
    for path in paths:
        if not os.path.lexists(path):
            raise CliError(f"{display_path(path)}: no such file or directory")


def start_walk(args: argparse.Namespace) -> None:
    """Start the stat walk of a second start now, shared with this process
    (``args._walk``, which :func:`reader.cli.opening.open_session` hands to
    the session): the child then walks while the command imports the rest
    of the core. Nothing starts when the cache is off, there is no store
    yet, or a path is missing; the session then does as usual."""
    if getattr(args, "query_file", None) is not None:
        return  # its QUERY argument may be a PATH: the paths are not known yet
    try:
        resolved = session_settings(args)
        if not resolved.cache or not all(os.path.lexists(p) for p in resolved.paths):
            return
        path = store_path(resolved.cache_dir or default_cache_dir(), resolved.paths)
        if path.is_file():
            args._walk = Walk(tuple(os.fspath(p) for p in resolved.paths), str(path), shared=True)
    except Exception:  # the session starts its own walk
        return
