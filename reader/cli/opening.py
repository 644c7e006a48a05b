"""Opening the archive a command names: settings, paths, recogniser, cache.

:func:`open_library` is the one place a subcommand gets its articles from
(the cache where it is still valid, else the files); :func:`save_cache`
writes the cache back after the command. Paths that do not exist are refused
up front with :class:`CliError` (exit status 2), before any cache file is
named or written. Settings-file warnings are reported once, as the settings
file's, never mixed with the archive's problems.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from reader.core.articles.article import Problem
from reader.core.articles.loader import display_path
from reader.core.articles.sanitize import sanitize_line
from reader.core.session.config import Config, default_config_path, load_config
from reader.core.session.library import Library

DEFAULT_PATH = "articles"


class CliError(Exception):
    """A failure the command reports as one line and exit status 2."""


def settings(args: argparse.Namespace) -> tuple[Config, list[Problem]]:
    """The effective configuration (cached on ``args``) and its warnings,
    each naming the settings file."""
    cached = getattr(args, "_settings", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    explicit = getattr(args, "config", None)
    path = Path(explicit) if explicit else None
    config, warnings = load_config(path, must_exist=path is not None)
    shown = display_path(str(config.source or path or default_config_path()))
    problems = [
        Problem(f"settings file {shown}", sanitize_line(w.removeprefix(f"{shown}: ")))
        for w in warnings
    ]
    args._settings = (config, problems)
    return config, problems


def report_settings(args: argparse.Namespace) -> None:
    """Write the settings file's warnings to stderr (once per command)."""
    if getattr(args, "_settings_reported", False):
        return
    args._settings_reported = True
    for problem in settings(args)[1]:
        sys.stderr.write(f"reader: {problem}\n")


def article_paths(args: argparse.Namespace) -> list[str]:
    """The paths given, else the configured ones, else ``./articles``."""
    if args.paths:
        return list(args.paths)
    config, _ = settings(args)
    return [str(path) for path in config.article_paths()] or [DEFAULT_PATH]


def refuse_missing(paths: list[str]) -> None:
    """Raise :class:`CliError` for the first path that does not exist."""
    for path in paths:
        if not os.path.lexists(path):
            raise CliError(f"{display_path(path)}: no such file or directory")


def max_bytes(args: argparse.Namespace) -> int:
    if getattr(args, "max_size", None) is not None:
        return int(max(1, args.max_size) * 1024)
    return settings(args)[0].max_size_bytes


def default_lang(args: argparse.Namespace) -> str | None:
    language = settings(args)[0].default_language
    return None if language == "auto" else language


def make_recogniser(
    name: str, gazetteer: str | None, *, batch: bool = False
) -> tuple[Any, list[Problem]]:
    """The recogniser the options ask for, and the problems of the user
    gazetteer. The batch mode follows the CoNLL convention of the evaluation
    sets (English nationality words are MISC); the reader does not mark them."""
    from reader.core.entities import default_recogniser, load_user_gazetteer, recogniser_with

    demonyms: Any = frozenset({"en"}) if batch else False
    problems: list[Problem] = []
    if name == "spacy":
        from reader.core.entities.spacy_backend import SpacyRecogniser, available

        if available():
            return SpacyRecogniser(), problems
        sys.stderr.write("reader: no spaCy model installed; using the default recogniser\n")
    if gazetteer:
        additions, messages = load_user_gazetteer(gazetteer)
        shown = display_path(gazetteer)
        for message in messages:
            text = message.removeprefix(f"{gazetteer}: ")
            problems.append(Problem(shown, sanitize_line(text)))
        return recogniser_with(additions, demonyms_as_misc=demonyms), problems
    return default_recogniser(demonyms_as_misc=demonyms), problems


def recogniser_name(args: argparse.Namespace) -> str:
    chosen = getattr(args, "recogniser", None)
    return chosen or settings(args)[0].recogniser


def make_cache(args: argparse.Namespace, recogniser: Any, *, batch: bool = False) -> Any:
    """The archive cache the options allow (None with ``--no-cache``)."""
    if getattr(args, "no_cache", False):
        return None
    from reader.core.store.cache import ArchiveCache, recogniser_id

    cache_dir = Path(args.cache_dir) if getattr(args, "cache_dir", None) else None
    ident = recogniser_id(
        recogniser, gazetteer=getattr(args, "gazetteer", None), options=f"batch={batch}"
    )
    return ArchiveCache(cache_dir, article_paths(args), recogniser_id=ident)


def open_library(args: argparse.Namespace) -> Library:
    """The library of the command's paths, from the cache where it is still
    valid. Raises :class:`CliError` when a path does not exist."""
    paths = article_paths(args)
    refuse_missing(paths)
    report_settings(args)
    recogniser, problems = make_recogniser(recogniser_name(args), getattr(args, "gazetteer", None))
    cache = make_cache(args, recogniser)
    if cache is None:
        library = Library.load(
            paths,
            max_bytes=max_bytes(args),
            recogniser=recogniser,
            default_lang=default_lang(args),
        )
    else:
        library, _ = cache.load_library(
            max_bytes=max_bytes(args),
            default_lang=default_lang(args),
            recogniser=recogniser,
            analyse=False,
        )
        args._cache = (cache, library)
    library.problems[:0] = problems
    return library


def save_cache(args: argparse.Namespace) -> None:
    """Write the cache after a command (a no-op when nothing changed)."""
    cached = getattr(args, "_cache", None)
    if cached is None:
        return
    cache, library = cached
    for warning in cache.save(library):
        sys.stderr.write(f"reader: {sanitize_line(warning)}\n")
