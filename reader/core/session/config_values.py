"""The settings file's values: limits, and one checker per kind of value
(strings, numbers, choices, paths, labels, styles, key lists). Each returns
the value in its checked form or raises :class:`Invalid` with a short reason;
:mod:`reader.core.session.config` turns that into a warning naming the key."""

from __future__ import annotations

import re
from typing import Literal, cast

from reader.core.articles.labels import LABELS
from reader.core.articles.sanitize import is_safe, sanitize_line

RECOGNISERS: tuple[str, ...] = ("rules", "spacy")
LANGUAGES: tuple[str, ...] = ("fr", "en", "auto")

TEXT_WIDTH_MIN, TEXT_WIDTH_MAX = 40, 200
MAX_SIZE_KB_MAX = 1024 * 1024  # 1 GiB: anything bigger is a typo
MAX_CONFIG_BYTES = 1024 * 1024
MAX_PATHS = 100
MAX_PATH_CHARS = 4096
MAX_THEME_CHARS = 100
MAX_STYLE_WORDS = 6
MAX_KEYS_PER_BINDING = 10
MAX_WARNINGS = 20

Recogniser = Literal["rules", "spacy"]
Language = Literal["fr", "en", "auto"]

STYLE_ATTRIBUTES = frozenset(["bold", "italic", "underline", "reverse", "strike", "dim"])
COLOUR_NAMES = frozenset(
    [
        "default",
        *(
            prefix + name
            for prefix in ("", "bright_", "ansi_", "ansi_bright_")
            for name in ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
        ),
        "grey",
        "gray",
        "orange",
        "purple",
        "pink",
    ]
)
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
BINDING_ID = re.compile(r"^[a-z_]+\.[a-z_]+$")
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# One key: modifiers, then one letter or digit, or a lowercase named key
# (``pagedown``, ``question_mark``, ``f5``).
_KEY = re.compile(r"^(?:(?:" + "|".join(_MODIFIERS) + r")\+)*(?:[A-Za-z0-9]|[a-z][a-z0-9_]{1,30})$")


class Invalid(ValueError):
    """A value is invalid; the message says what was expected."""


def key_name(key: object) -> str:
    text = sanitize_line(str(key))
    return text if len(text) <= 60 else text[:59] + "…"


def string(raw: object, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid(what)
    return raw.strip()


def whole_number(raw: object, low: int, high: int, what: str) -> int:
    if not isinstance(raw, str) or not re.fullmatch(r"\s*\+?[0-9]{1,12}\s*", raw):
        raise Invalid(what)
    value = int(raw)
    if not low <= value <= high:
        raise Invalid(what)
    return value


def choice(raw: object, choices: tuple[str, ...], what: str) -> str:
    if isinstance(raw, str) and raw.strip().lower() in choices:
        return raw.strip().lower()
    raise Invalid(what)


def paths_value(raw: object) -> tuple[str, ...]:
    what = "expected a list of folders"
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not 0 < len(items) <= MAX_PATHS:
        raise Invalid(what)
    result: list[str] = []
    for item in items:
        if (
            not isinstance(item, str)
            or not item.strip()
            or len(item) > MAX_PATH_CHARS
            or not is_safe(item, multiline=False)
        ):
            raise Invalid(what)
        if item.strip() not in result:
            result.append(item.strip())
    return tuple(result)


def theme_value(raw: object) -> str:
    what = "expected a theme name"
    value = string(raw, what)
    if len(value) > MAX_THEME_CHARS or not is_safe(value, multiline=False):
        raise Invalid(what)
    return value


def labels_value(raw: object) -> tuple[str, ...]:
    what = "expected a list of " + ", ".join(LABELS)
    items = [part for part in raw.split(",") if part.strip()] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise Invalid(what)
    chosen: set[str] = set()
    for item in items:
        if not isinstance(item, str) or item.strip().upper() not in LABELS:
            raise Invalid(what)
        chosen.add(item.strip().upper())
    return tuple(label for label in LABELS if label in chosen)


def is_colour(word: str) -> bool:
    return word in COLOUR_NAMES or _HEX_COLOUR.match(word) is not None


def validate_style(raw: object) -> str:
    """A style such as ``bold #ff8800 on black``, normalised; else ValueError."""
    what = "expected a style such as 'bold red' (attributes, colours, 'on <colour>')"
    if not isinstance(raw, str):
        raise Invalid(what)
    words = raw.lower().split()
    if not 0 < len(words) <= MAX_STYLE_WORDS:
        raise Invalid(what)
    foreground = background = False
    index = 0
    while index < len(words):
        word = words[index]
        if word in STYLE_ATTRIBUTES:
            pass
        elif word == "on":
            index += 1
            if background or index >= len(words) or not is_colour(words[index]):
                raise Invalid(what)
            background = True
        elif is_colour(word) and not foreground:
            foreground = True
        else:
            raise Invalid(what)
        index += 1
    return " ".join(words)


def validate_keys(raw: object) -> str:
    """Comma-separated Textual key names (or a list), normalised; else ValueError."""
    what = "expected key names such as 'ctrl+f,slash'"
    if isinstance(raw, list):
        if not all(isinstance(item, str) for item in raw):
            raise Invalid(what)
        parts = [part for item in raw for part in cast(str, item).split(",")]
    elif isinstance(raw, str):
        parts = raw.split(",")
    else:
        raise Invalid(what)
    keys = [part.strip() for part in parts]
    if not 0 < len(keys) <= MAX_KEYS_PER_BINDING or not all(_KEY.match(key) for key in keys):
        raise Invalid(what)
    return ",".join(dict.fromkeys(keys))


# --- the loader ------------------------------------------------------------
