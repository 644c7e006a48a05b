"""Opening the archive a command names, through the session.

:func:`session_settings` resolves the settings file and the options once
(:func:`reader.core.session.settings.resolve_settings`, as the app does);
:func:`open_session` is the one place a subcommand opens an archive (the
archive cache where it is still valid, else the files); :func:`close_session`
reports the cache's warnings and stops the background work after the command. Paths that do not exist are refused up
front with :class:`CliError` (exit status 2), before any cache file is named
or written. Settings-file warnings are reported once, as the settings
file's, never mixed with the archive's problems.
"""

from __future__ import annotations

import argparse
import os
import sys

from reader.cli.progress import Progress
from reader.core.articles.article import Problem
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.session.config import Config
from reader.core.session.library import Library
from reader.core.session.recognisers import make_recogniser
from reader.core.session.session import Session
from reader.core.session.settings import Settings, resolve_settings

__all__ = [
    "CliError",
    "analyse",
    "article_paths",
    "close_session",
    "make_recogniser",
    "open_library",
    "open_session",
    "refuse_missing",
    "report_settings",
    "session_settings",
    "settings",
]


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


def open_session(
    args: argparse.Namespace, *, marks: bool = True, deferred: bool = False
) -> Session:
    """The session of the command's paths, its library loaded from the cache
    where it is still valid (``deferred``: the stored articles listed only
    if the command asks for them, see :meth:`Session.open`). Raises
    :class:`CliError` when a path does not exist. The reading state is
    read, never written, by the commands."""
    resolved = session_settings(args)
    refuse_missing(list(resolved.paths))
    report_settings(args)
    progress = Progress()
    try:
        session = Session.open(resolved, marks=marks, on_batch=progress.reading, deferred=deferred)
    finally:
        progress.close()
    args._session = session
    return session


def analyse(session: Session) -> None:
    """Bring the session's archive up to date (entities, index, folders),
    with progress on a terminal's stderr when it takes a while."""
    progress = Progress()
    try:
        session.analyse(progress.updating)
    finally:
        progress.close()


def open_library(args: argparse.Namespace) -> Library:
    """The library of the command's paths (see :func:`open_session`)."""
    return open_session(args, marks=False).library


def close_session(args: argparse.Namespace) -> None:
    """After a command: report what went wrong with the archive cache
    (everything is written as it happens) and stop what still runs."""
    session: Session | None = getattr(args, "_session", None)
    if session is None:
        return
    args._session = None
    for warning in session.library.warnings:
        sys.stderr.write(f"reader: {sanitize_line(warning)}\n")
    session.close()
