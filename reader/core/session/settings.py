"""Settings: the settings file and the command line, resolved once.

:func:`resolve_settings` reads the settings file (``--config``, else
``$READER_CONFIG`` or the user config folder), lays the command-line options
over it and returns one frozen :class:`Settings` that the CLI and the app
both use, so the two never load an archive two different ways. A bad
settings file costs problem lines naming that file; defaults stand in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.articles.article import Problem
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.session.config import Config, default_config_path, load_config

#: The folder read when neither the command line nor the settings name one.
DEFAULT_PATH = "articles"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that decides how an archive is opened and shown."""

    paths: tuple[str, ...] = (DEFAULT_PATH,)
    config: Config = field(default_factory=Config)
    max_bytes: int = Config().max_size_bytes
    default_lang: str | None = None
    """A language for articles too short to tell (None: detect)."""
    text_width: int = 88
    recogniser: str = "rules"
    gazetteer: str | None = None
    cache: bool = True
    cache_dir: Path | None = None
    state_dir: Path | None = None
    remember: bool = True
    """Read and write the reading state (marks, positions, history)."""
    watch: bool = True
    """Follow changes on disk (live reload) in the app."""
    problems: tuple[Problem, ...] = ()
    """The settings file's problems, one line each, naming the file."""


def resolve_settings(
    paths: Sequence[str] = (),
    *,
    config_file: str | None = None,
    max_size_kb: int | None = None,
    text_width: int | None = None,
    recogniser: str | None = None,
    gazetteer: str | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    state_dir: str | Path | None = None,
    remember: bool = True,
    watch: bool = True,
) -> Settings:
    """The settings file under the command line's options (None: not given)."""
    config, problems = read_config(config_file)
    chosen = [str(path) for path in paths] or [str(p) for p in config.article_paths()]
    language = config.default_language
    return Settings(
        paths=tuple(chosen or [DEFAULT_PATH]),
        config=config,
        max_bytes=max(1, max_size_kb) * 1024 if max_size_kb is not None else config.max_size_bytes,
        default_lang=None if language == "auto" else language,
        text_width=text_width or config.text_width,
        recogniser=recogniser or config.recogniser,
        gazetteer=gazetteer,
        cache=cache,
        cache_dir=Path(cache_dir) if cache_dir else None,
        state_dir=Path(state_dir) if state_dir else None,
        remember=remember,
        watch=watch,
        problems=tuple(problems),
    )


def read_config(config_file: str | None) -> tuple[Config, list[Problem]]:
    """The settings file's configuration and its problems (each naming the
    settings file, so they never read as broken articles)."""
    path = Path(config_file) if config_file else None
    config, warnings = load_config(path, must_exist=path is not None)
    shown = display_path(str(config.source or path or default_config_path()))
    problems = [
        Problem(f"settings file {shown}", sanitize_line(w.removeprefix(f"{shown}: ")))
        for w in warnings
    ]
    return config, problems
