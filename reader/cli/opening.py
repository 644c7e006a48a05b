"""Opening the archive a command names, through the session.

:func:`open_session` is the one place a subcommand opens an archive (the
archive cache where it is still valid, else the files), with the settings
:mod:`reader.cli.settings` resolved once (re-exported here);
:func:`close_session` reports the cache's warnings and stops the background
work after the command.
"""

from __future__ import annotations

import argparse
import sys

from reader.cli.progress import Progress
from reader.cli.settings import (
    CliError,
    article_paths,
    refuse_missing,
    report_settings,
    session_settings,
    settings,
)
from reader.core.articles.sanitize import sanitize_line
from reader.core.session.library import Library
from reader.core.session.recognisers import make_recogniser
from reader.core.session.session import Session

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
        walk, args._walk = getattr(args, "_walk", None), None  # started early (search)
        session = Session.open(
            resolved, marks=marks, on_batch=progress.reading, deferred=deferred, walk=walk
        )
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
