"""The YAML configuration: every key valid, invalid and at its edges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.labels import LABELS
from reader.core.articles.sanitize import is_safe
from reader.core.session.config import (
    Config,
    default_config_path,
    dump_config,
    load_config,
)
from reader.core.session.config_values import MAX_WARNINGS

DEFAULTS = Config()


def load_text(tmp_path: Path, text: str | bytes) -> tuple[Config, list[str]]:
    path = tmp_path / "config.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    config, warnings = load_config(path)
    for warning in warnings:
        assert is_safe(warning, multiline=False), warning
    return config, warnings


def test_defaults() -> None:
    assert DEFAULTS.paths == ("articles",)
    assert DEFAULTS.theme == "reader-dark"
    assert DEFAULTS.text_width == 88
    assert DEFAULTS.entities_show == LABELS == ("PER", "LOC", "ORG", "MISC", "DATE")
    assert dict(DEFAULTS.entity_styles) == {}
    assert DEFAULTS.recogniser == "rules"
    assert DEFAULTS.default_language == "auto"
    assert DEFAULTS.max_size_kb == 5120
    assert DEFAULTS.max_size_bytes == 5120 * 1024
    assert dict(DEFAULTS.keymap) == {}


def test_missing_file_gives_defaults_silently(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "nope.yaml")
    assert config == DEFAULTS and warnings == []
    config, warnings = load_config(tmp_path / "not-a-dir" / "x" / "config.yaml")
    assert warnings == []


def test_missing_named_file_can_be_reported(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "nope.yaml", must_exist=True)
    assert config == DEFAULTS
    assert warnings == [f"{tmp_path / 'nope.yaml'}: no such file; using the default settings"]


W88 = "text_width: expected a number from 40 to 200; using 88"
WKB = "max_size_kb: expected a whole number from 1 to 1048576; using 5120"
WPATHS = "paths: expected a list of folders; using articles"
WTHEME = "theme: expected a theme name; using reader-dark"
WREC = "recogniser: expected rules or spacy; using rules"
WLANG = "default_language: expected fr, en or auto; using auto"
WSHOW = "entities.show: expected a list of PER, LOC, ORG, MISC, DATE; using all"

# (YAML text, attribute, expected value, expected warnings)
CASES: list[tuple[str, str, Any, list[str]]] = [
    # text_width
    ("text_width: 100", "text_width", 100, []),
    ("text_width: 40", "text_width", 40, []),
    ("text_width: 200", "text_width", 200, []),
    ("text_width: '120'", "text_width", 120, []),
    ("text_width: 39", "text_width", 88, [W88]),
    ("text_width: 201", "text_width", 88, [W88]),
    ("text_width: 0", "text_width", 88, [W88]),
    ("text_width: -50", "text_width", 88, [W88]),
    ("text_width: 88.5", "text_width", 88, [W88]),
    ("text_width: wide", "text_width", 88, [W88]),
    ("text_width: 0x58", "text_width", 88, [W88]),
    ("text_width: 1e2", "text_width", 88, [W88]),
    ("text_width: " + "9" * 5000, "text_width", 88, [W88]),
    ("text_width: [100]", "text_width", 88, [W88]),
    ("text_width:", "text_width", 88, [W88]),
    # max_size_kb
    ("max_size_kb: 1", "max_size_kb", 1, []),
    ("max_size_kb: 20480", "max_size_kb", 20480, []),
    ("max_size_kb: 1048576", "max_size_kb", 1048576, []),
    ("max_size_kb: 0", "max_size_kb", 5120, [WKB]),
    ("max_size_kb: 1048577", "max_size_kb", 5120, [WKB]),
    ("max_size_kb: 5MB", "max_size_kb", 5120, [WKB]),
    ("max_size_kb: {a: 1}", "max_size_kb", 5120, [WKB]),
    # paths
    ("paths: [news, ~/archive]", "paths", ("news", "~/archive"), []),
    ("paths: one", "paths", ("one",), []),
    ("paths: [a, a, ' b ']", "paths", ("a", "b"), []),
    ("paths: [2024]", "paths", ("2024",), []),
    ("paths: []", "paths", ("articles",), [WPATHS]),
    ("paths: ['']", "paths", ("articles",), [WPATHS]),
    ("paths: [a, [b]]", "paths", ("articles",), [WPATHS]),
    ("paths: {a: b}", "paths", ("articles",), [WPATHS]),
    ('paths: ["a\\x1b]0;pwned\\x07"]', "paths", ("articles",), [WPATHS]),
    ("paths:", "paths", ("articles",), [WPATHS]),
    # theme
    ("theme: reader-light", "theme", "reader-light", []),
    ("theme: '  solarized  '", "theme", "solarized", []),
    ("theme: 'no'", "theme", "no", []),
    ("theme: ''", "theme", "reader-dark", [WTHEME]),
    ("theme: [a]", "theme", "reader-dark", [WTHEME]),
    ('theme: "dark\\e[2J"', "theme", "reader-dark", [WTHEME]),
    ("theme: " + "x" * 101, "theme", "reader-dark", [WTHEME]),
    # recogniser
    ("recogniser: rules", "recogniser", "rules", []),
    ("recogniser: spacy", "recogniser", "spacy", []),
    ("recogniser: SpaCy", "recogniser", "spacy", []),
    ("recogniser: flair", "recogniser", "rules", [WREC]),
    ("recogniser: [spacy]", "recogniser", "rules", [WREC]),
    # default_language
    ("default_language: fr", "default_language", "fr", []),
    ("default_language: en", "default_language", "en", []),
    ("default_language: auto", "default_language", "auto", []),
    ("default_language: EN", "default_language", "en", []),
    ("default_language: de", "default_language", "auto", [WLANG]),
    ("default_language: ''", "default_language", "auto", [WLANG]),
    # entities.show
    ("entities: {show: [PER, LOC]}", "entities_show", ("PER", "LOC"), []),
    ("entities: {show: [date, per]}", "entities_show", ("PER", "DATE"), []),
    ("entities: {show: [PER, PER]}", "entities_show", ("PER",), []),
    ("entities: {show: []}", "entities_show", (), []),
    ("entities: {show: 'ORG, MISC'}", "entities_show", ("ORG", "MISC"), []),
    ("entities: {show: [PER, FOO]}", "entities_show", LABELS, [WSHOW]),
    ("entities: {show: [[PER]]}", "entities_show", LABELS, [WSHOW]),
    ("entities: {show: }", "entities_show", LABELS, [WSHOW]),
    ("entities: {show: {PER: yes}}", "entities_show", LABELS, [WSHOW]),
    (
        "entities: [PER]",
        "entities_show",
        LABELS,
        ["entities: expected a mapping with show and styles; using defaults"],
    ),
    ("entities:", "entities_show", LABELS, []),
]


@pytest.mark.parametrize(
    ("text", "attribute", "expected", "warnings"),
    CASES,
    ids=[f"{i}:{case[0][:40]}" for i, case in enumerate(CASES)],
)
def test_values(
    tmp_path: Path, text: str, attribute: str, expected: Any, warnings: list[str]
) -> None:
    config, got = load_text(tmp_path, text)
    assert getattr(config, attribute) == expected
    assert got == warnings


STYLE_ERROR = "expected a style such as 'bold red' (attributes, colours, 'on <colour>'); ignored"

# (style text, normalised style or None when refused)
STYLES: list[tuple[str, str | None]] = [
    ("bold", "bold"),
    ("bold red", "bold red"),
    ("Italic Underline #FF8800", "italic underline #ff8800"),
    ("reverse strike dim", "reverse strike dim"),
    ("ansi_bright_cyan on black", "ansi_bright_cyan on black"),
    ("on #112233", "on #112233"),
    ("bright_magenta", "bright_magenta"),
    ("blink", None),
    ("red blue", None),
    ("on", None),
    ("on red on blue", None),
    ("#12345", None),
    ("#1234567", None),
    ("rgb(1,2,3)", None),
    ("[link=https://x]", None),
    ("bold " * 7, None),
    ("", None),
]


@pytest.mark.parametrize(("style", "expected"), STYLES)
def test_entity_styles(tmp_path: Path, style: str, expected: str | None) -> None:
    config, warnings = load_text(tmp_path, f"entities:\n  styles:\n    PER: '{style}'\n")
    if expected is None:
        assert dict(config.entity_styles) == {}
        assert warnings == [f"entities.styles.PER: {STYLE_ERROR}"]
    else:
        assert dict(config.entity_styles) == {"PER": expected}
        assert warnings == []


def test_entity_styles_keep_good_entries(tmp_path: Path) -> None:
    config, warnings = load_text(
        tmp_path,
        "entities:\n  styles:\n    per: bold\n    LOC: blink\n    FOO: red\n    DATE: [red]\n",
    )
    assert dict(config.entity_styles) == {"PER": "bold"}
    assert warnings == [
        f"entities.styles.LOC: {STYLE_ERROR}",
        "entities.styles: unknown name FOO; ignored",
        f"entities.styles.DATE: {STYLE_ERROR}",
    ]
    config, warnings = load_text(tmp_path, "entities: {styles: [bold]}")
    assert warnings == ["entities.styles: expected a mapping; ignored"]


KEY_ERROR = "expected key names such as 'ctrl+f,slash'; ignored"

# (binding id, YAML value, normalised keys or None when refused)
KEYMAP: list[tuple[str, str, str | None]] = [
    ("app.search", "ctrl+f", "ctrl+f"),
    ("app.search", "'ctrl+f,slash'", "ctrl+f,slash"),
    ("app.search", "'ctrl+f, slash'", "ctrl+f,slash"),
    ("list.down", "[j, down]", "j,down"),
    ("list.down", "'j,j'", "j"),
    ("article.page_down", "ctrl+shift+f", "ctrl+shift+f"),
    ("app.help", "question_mark", "question_mark"),
    ("app.previous_hit", "N", "N"),
    ("app.toggle_per", "'1'", "1"),
    ("app.quit", "f10", "f10"),
    ("app.search", "''", None),
    ("app.search", "ctrl+", None),
    ("app.search", "'a b'", None),
    ("app.search", "<esc>", None),
    ("app.search", "'/'", None),
    ("app.search", "F5", None),
    ("app.search", "fancy+x", None),
    ("app.search", "'a,'", None),
    ("app.search", "{a: b}", None),
    ("app.search", "[a, [b]]", None),
    ("app.search", "'" + ",".join("abcdefghijk") + "'", None),
    ("app.search", '"ctrl+\\e"', None),
]


@pytest.mark.parametrize(("binding", "value", "expected"), KEYMAP)
def test_keymap_values(tmp_path: Path, binding: str, value: str, expected: str | None) -> None:
    config, warnings = load_text(tmp_path, f"keymap:\n  {binding}: {value}\n")
    if expected is None:
        assert dict(config.keymap) == {}
        assert warnings == [f"keymap.{binding}: {KEY_ERROR}"]
    else:
        assert dict(config.keymap) == {binding: expected}
        assert warnings == []


@pytest.mark.parametrize(
    "binding", ["search", "App.search", "app.search.x", "app-x.y", "app.", "1.2"]
)
def test_keymap_binding_ids(tmp_path: Path, binding: str) -> None:
    config, warnings = load_text(tmp_path, f"keymap:\n  '{binding}': x\n  app.quit: q\n")
    assert dict(config.keymap) == {"app.quit": "q"}
    assert warnings == [f"keymap: unknown name {binding}; ignored"]


def test_unknown_keys_are_reported_not_fatal(tmp_path: Path) -> None:
    config, warnings = load_text(
        tmp_path,
        "colour: red\ntext_width: 100\nentities:\n  show: [PER]\n  colour: x\n",
    )
    assert config.text_width == 100
    assert config.entities_show == ("PER",)
    assert sorted(warnings) == ["unknown key: colour", "unknown key: entities.colour"]


def test_unknown_key_names_are_sanitised_and_shortened(tmp_path: Path) -> None:
    _, warnings = load_text(tmp_path, f'"\\e]0;title\\a{"x" * 200}": 1\n')
    assert len(warnings) == 1
    assert warnings[0].startswith("unknown key: \u241b]0;title\u2407x")
    assert len(warnings[0]) < 100


def test_warnings_are_capped(tmp_path: Path) -> None:
    text = "".join(f"unknown{i}: 1\n" for i in range(100))
    _, warnings = load_text(tmp_path, text)
    assert len(warnings) == MAX_WARNINGS + 1
    assert warnings[-1] == "... and 80 more configuration warnings"


def test_full_file(tmp_path: Path) -> None:
    text = """
# My settings
paths:
  - ~/articles
  - /srv/news
theme: reader-light
text_width: 72
entities:
  show: [PER, ORG]
  styles:
    PER: "bold #ffaa00"  # quoted: an unquoted " #" starts a YAML comment
    ORG: underline ansi_green
recogniser: spacy
default_language: fr
max_size_kb: 10240
keymap:
  app.search: ctrl+f,slash
  list.down: [j, down]
"""
    config, warnings = load_text(tmp_path, text)
    assert warnings == []
    assert config.article_paths() == [Path("~/articles").expanduser(), Path("/srv/news")]
    assert config.source == tmp_path / "config.yaml"
    assert config.as_dict() == {
        "paths": ["~/articles", "/srv/news"],
        "theme": "reader-light",
        "text_width": 72,
        "entities": {
            "show": ["PER", "ORG"],
            "styles": {"PER": "bold #ffaa00", "ORG": "underline ansi_green"},
        },
        "recogniser": "spacy",
        "default_language": "fr",
        "max_size_kb": 10240,
        "keymap": {"app.search": "ctrl+f,slash", "list.down": "j,down"},
    }


def test_dump_reads_back(tmp_path: Path) -> None:
    config, _ = load_text(
        tmp_path,
        "theme: 'on'\nentities: {show: [], styles: {LOC: italic}}\nkeymap: {app.quit: 'N'}\n",
    )
    again, warnings = load_text(tmp_path, dump_config(config))
    assert warnings == []
    assert again == config
    default_again, warnings = load_text(tmp_path, dump_config(DEFAULTS))
    assert warnings == [] and default_again == DEFAULTS


def test_config_is_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULTS.text_width = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULTS.keymap["app.quit"] = "x"  # type: ignore[index]


# --- whole-file problems ----------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)

# (file content, a fragment of the one warning)
BAD_FILES: list[tuple[str | bytes, str]] = [
    ("[1, 2, 3]", "expected a mapping of settings"),
    ("just a sentence", "expected a mapping of settings"),
    ("text_width: [", "invalid YAML"),
    ("a: 1\n---\nb: 2\n", "invalid YAML"),
    ("!!python/object/apply:os.system ['echo pwned']", "invalid YAML"),
    ("theme: !!python/name:os.system\n", "invalid YAML"),
    ("theme: !custom x\n", "invalid YAML"),
    (BOMB, "invalid YAML: aliases expand"),
    ("a: &a [*a]\n", "invalid YAML"),
    ("keymap: " + "[" * 100 + "]" * 100 + "\n", "invalid YAML: nesting deeper"),
    ("entities:\n" + "".join("  " * i + f"  k{i}:\n" for i in range(60)), "invalid YAML"),
    ("{[a]: 1}", "invalid YAML"),
    (b"\xff\xfe\x00junk\x80\x81", "not UTF-8 text"),
    (b"text_width: 90\n" + b"#" * (1024 * 1024), "larger than 1024 KB"),
]


@pytest.mark.parametrize(("content", "fragment"), BAD_FILES)
def test_bad_files_give_defaults_and_one_warning(
    tmp_path: Path, content: str | bytes, fragment: str
) -> None:
    config, warnings = load_text(tmp_path, content)
    assert config == DEFAULTS
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{tmp_path / 'config.yaml'}: {fragment}")
    assert warnings[0].endswith("; using the default settings")


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "~\n", "\ufeff"])
def test_empty_files_give_defaults_silently(tmp_path: Path, content: str) -> None:
    assert load_text(tmp_path, content) == (DEFAULTS, [])


def test_byte_order_mark_and_control_characters(tmp_path: Path) -> None:
    config, warnings = load_text(tmp_path, "\ufefftheme: nice\x1b\n")
    # load_yaml turns raw control characters into visible placeholders.
    assert warnings == []
    assert config.theme == "nice\u241b"


def test_directory_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").mkdir()
    config, warnings = load_config(tmp_path / "config.yaml")
    assert config == DEFAULTS
    assert warnings == [f"{tmp_path / 'config.yaml'}: is a directory; using the default settings"]


# --- location ---------------------------------------------------------------


def test_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "elsewhere.yaml"
    path.write_text("text_width: 60\n")
    monkeypatch.setenv("READER_CONFIG", str(path))
    assert default_config_path() == path
    config, warnings = load_config(None)
    assert config.text_width == 60 and warnings == []
    # An explicit path (--config) wins over the environment.
    other = tmp_path / "other.yaml"
    other.write_text("text_width: 70\n")
    assert load_config(other)[0].text_width == 70


def test_default_location(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READER_CONFIG", raising=False)
    path = default_config_path()
    assert path.name == "config.yaml"
    assert path.parent.name == "reader"
    monkeypatch.setenv("READER_CONFIG", "  ")
    assert default_config_path() == path
