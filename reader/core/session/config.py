"""The YAML configuration file: location, defaults and validation.

Where
    ``--config PATH`` (passed by the CLI), else ``$READER_CONFIG``, else
    ``config.yaml`` in the platform's user config directory for ``reader``
    (:func:`default_config_path`).

Reading
    The file is read with :func:`reader.core.articles.yamlsafe.load_yaml` only (safe
    loader, every scalar a string, depth and alias limits), so each value's
    type is decided here. Nothing in the file is fatal:

    * a missing file gives the defaults, silently;
    * a file that cannot be read, does not parse or is not a mapping gives
      all defaults and one warning naming the file (an empty file is fine);
    * an invalid value gets one warning naming its key and falls back to
      that key's default; in ``entities.styles`` and ``keymap`` only the bad
      entry is dropped;
    * unknown keys are reported (``unknown key: colour``) and ignored.

    Warnings are one sanitised line each, returned to the caller.

Keys (defaults in brackets)
    ``paths`` [``[articles]``] folders of articles, relative to the working
    directory, ``~`` expanded; ``theme`` [``reader-dark``] any non-empty name
    (the UI checks it exists); ``text_width`` [88] 40 to 200;
    ``entities.show`` [all] labels from PER, LOC, ORG, MISC, DATE;
    ``entities.styles`` [none] label to a style of at most
    :data:`MAX_STYLE_WORDS` words (bold, italic, underline, reverse, strike,
    dim, a colour name, ``#rrggbb`` or ``ansi_<colour>``, ``on <colour>``);
    ``recogniser`` [rules] ``rules`` or ``spacy``; ``default_language``
    [auto] ``fr``, ``en`` or ``auto``; ``max_size_kb`` [5120] at least 1;
    ``keymap`` [none] binding id (``app.search``) to comma-separated Textual
    key names (``ctrl+f,slash``) or a list of them.

    Quote a style with a hex colour (``PER: "bold #ffaa00"``): unquoted,
    `` #`` starts a YAML comment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs
import yaml

from reader.core.articles.files import FileTooLarge, NotRegularFile, read_regular_file
from reader.core.articles.labels import LABELS
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.articles.yamlsafe import YamlError, load_yaml
from reader.core.session.config_values import (
    BINDING_ID,
    LANGUAGES,
    MAX_CONFIG_BYTES,
    MAX_SIZE_KB_MAX,
    MAX_WARNINGS,
    RECOGNISERS,
    TEXT_WIDTH_MAX,
    TEXT_WIDTH_MIN,
    Invalid,
    Language,
    Recogniser,
    choice,
    key_name,
    labels_value,
    paths_value,
    theme_value,
    validate_keys,
    validate_style,
    whole_number,
)

APP_NAME = "reader"
CONFIG_ENV = "READER_CONFIG"
CONFIG_NAME = "config.yaml"


def _empty_mapping() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration (immutable)."""

    paths: tuple[str, ...] = ("articles",)
    theme: str = "reader-dark"
    text_width: int = 88
    entities_show: tuple[str, ...] = LABELS
    entity_styles: Mapping[str, str] = field(default_factory=_empty_mapping, hash=False)
    recogniser: Recogniser = "rules"
    default_language: Language = "auto"
    max_size_kb: int = 5120
    keymap: Mapping[str, str] = field(default_factory=_empty_mapping, hash=False)
    source: Path | None = field(default=None, compare=False)
    """The file these settings came from (None: defaults only)."""

    @property
    def max_size_bytes(self) -> int:
        return self.max_size_kb * 1024

    def article_paths(self) -> list[Path]:
        """``paths`` as :class:`Path` objects, ``~`` expanded (relative stay relative)."""
        return [Path(path).expanduser() for path in self.paths]

    def as_dict(self) -> dict[str, Any]:
        """The effective settings in the file's own shape (for ``config --show``)."""
        return {
            "paths": list(self.paths),
            "theme": self.theme,
            "text_width": self.text_width,
            "entities": {"show": list(self.entities_show), "styles": dict(self.entity_styles)},
            "recogniser": self.recogniser,
            "default_language": self.default_language,
            "max_size_kb": self.max_size_kb,
            "keymap": dict(self.keymap),
        }


DEFAULTS = Config()


def default_config_path() -> Path:
    """``$READER_CONFIG`` when set, else ``config.yaml`` in the user config dir."""
    override = os.environ.get(CONFIG_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_NAME


# --- value validators: return the value, or raise Invalid ------------------


class _Warnings:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.extra = 0

    def add(self, text: str) -> None:
        if len(self.lines) < MAX_WARNINGS:
            self.lines.append(sanitize_line(text))
        else:
            self.extra += 1

    def result(self) -> list[str]:
        if self.extra:
            return [*self.lines, f"... and {self.extra} more configuration warnings"]
        return list(self.lines)


def _shown(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value) if value else "none"
    return str(value)


def _mapping_entries(
    raw: object,
    key: str,
    validate_name: Callable[[str], str | None],
    validate_value: Callable[[object], str],
    warn: _Warnings,
) -> Mapping[str, str]:
    """Validate a mapping entry by entry; bad entries are dropped."""
    if raw is None:
        return _empty_mapping()
    if not isinstance(raw, dict):
        warn.add(f"{key}: expected a mapping; ignored")
        return _empty_mapping()
    result: dict[str, str] = {}
    for name, value in raw.items():
        normal = validate_name(name) if isinstance(name, str) else None
        if normal is None:
            warn.add(f"{key}: unknown name {key_name(name)}; ignored")
            continue
        try:
            result[normal] = validate_value(value)
        except Invalid as exc:
            warn.add(f"{key}.{normal}: {exc}; ignored")
    return MappingProxyType(result)


def _style_label(name: str) -> str | None:
    return name.strip().upper() if name.strip().upper() in LABELS else None


def _binding_id(name: str) -> str | None:
    return name.strip() if BINDING_ID.match(name.strip()) else None


def config_from_data(
    data: Mapping[Any, Any], source: Path | None = None
) -> tuple[Config, list[str]]:
    """Validate an already-loaded mapping (the file's content)."""
    warn = _Warnings()
    values: dict[str, Any] = {}

    def scalar(key: str, check: Callable[[object], Any], attribute: str | None = None) -> None:
        attribute = attribute or key
        if key not in data:
            return
        try:
            values[attribute] = check(data[key])
        except Invalid as exc:
            default = getattr(DEFAULTS, attribute)
            warn.add(f"{key}: {exc}; using {_shown(default)}")

    scalar("paths", paths_value)
    scalar("theme", theme_value)
    scalar(
        "text_width",
        lambda raw: whole_number(
            raw,
            TEXT_WIDTH_MIN,
            TEXT_WIDTH_MAX,
            f"expected a number from {TEXT_WIDTH_MIN} to {TEXT_WIDTH_MAX}",
        ),
    )
    scalar(
        "recogniser",
        lambda raw: choice(raw, RECOGNISERS, "expected " + " or ".join(RECOGNISERS)),
    )
    scalar(
        "default_language",
        lambda raw: choice(raw, LANGUAGES, "expected fr, en or auto"),
    )
    scalar(
        "max_size_kb",
        lambda raw: whole_number(
            raw, 1, MAX_SIZE_KB_MAX, f"expected a whole number from 1 to {MAX_SIZE_KB_MAX}"
        ),
    )

    entities = data.get("entities")
    if isinstance(entities, dict):
        if "show" in entities:
            try:
                values["entities_show"] = labels_value(entities["show"])
            except Invalid as exc:
                warn.add(f"entities.show: {exc}; using all")
        if "styles" in entities:
            values["entity_styles"] = _mapping_entries(
                entities["styles"], "entities.styles", _style_label, validate_style, warn
            )
        for name in entities:
            if name not in ("show", "styles"):
                warn.add(f"unknown key: entities.{key_name(name)}")
    elif "entities" in data and entities is not None:
        warn.add("entities: expected a mapping with show and styles; using defaults")

    if "keymap" in data:
        values["keymap"] = _mapping_entries(
            data["keymap"], "keymap", _binding_id, validate_keys, warn
        )

    known = {
        "paths",
        "theme",
        "text_width",
        "entities",
        "recogniser",
        "default_language",
        "max_size_kb",
        "keymap",
    }
    for name in data:
        if name not in known:
            warn.add(f"unknown key: {key_name(name)}")
    return Config(source=source, **values), warn.result()


def load_config(path: Path | None = None, *, must_exist: bool = False) -> tuple[Config, list[str]]:
    """Load the configuration at ``path`` (None: :func:`default_config_path`).

    Returns the effective config and one-line warnings. A missing file gives
    the defaults without a warning unless ``must_exist`` (use it for a path
    the user named with ``--config``).
    """
    if path is None:
        path = default_config_path()
    shown = display_path(str(path))

    def fallback(reason: str) -> tuple[Config, list[str]]:
        return Config(), [sanitize_line(f"{shown}: {reason}; using the default settings")]

    try:
        # Non-blocking and regular files only: a FIFO or a device as the
        # settings file must not hang or exhaust memory.
        data = read_regular_file(path, MAX_CONFIG_BYTES)
    except NotRegularFile as exc:
        return fallback(exc.kind.replace("a directory", "is a directory"))
    except FileTooLarge as exc:
        return fallback(str(exc))
    except (FileNotFoundError, NotADirectoryError):
        if must_exist:
            return fallback("no such file")
        return Config(), []
    except IsADirectoryError:
        return fallback("is a directory")
    except OSError as exc:
        return fallback(f"cannot be read ({exc.strerror or exc.__class__.__name__})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return fallback("not UTF-8 text")
    try:
        loaded = load_yaml(text)
    except YamlError as exc:
        return fallback(f"invalid YAML: {exc}")
    if loaded is None:
        return Config(source=path), []
    if not isinstance(loaded, dict):
        return fallback("expected a mapping of settings")
    return config_from_data(loaded, source=path)


def dump_config(config: Config) -> str:
    """The effective settings as YAML text that :func:`load_config` reads back."""
    return yaml.safe_dump(config.as_dict(), sort_keys=False, allow_unicode=True)


__all__ = [
    "CONFIG_ENV",
    "LABELS",
    "Config",
    "config_from_data",
    "default_config_path",
    "dump_config",
    "load_config",
    "validate_keys",
    "validate_style",
]
