"""Dependencies point one way: the core (session included) never imports
textual or rich, the CLI's subcommands never load the UI, and the UI reaches
the archive only through the session (no loader, cache or watcher of its own)."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import reader.core
import reader.ui

#: Modules only the session may use: the UI goes through the Session facade.
UI_FORBIDDEN = (
    "reader.core.articles.loader",
    "reader.core.store.cache",
    "reader.core.session.watch",
    "reader.core.session.opening",
    "reader.core.session.library",
)

UI_DIR = Path(reader.ui.__file__).resolve().parent


def core_modules() -> list[str]:
    names = ["reader.core"]
    for info in pkgutil.walk_packages(reader.core.__path__, "reader.core."):
        names.append(info.name)
    return names


def test_core_has_modules() -> None:
    assert {
        "reader.core.articles.loader",
        "reader.core.articles.sanitize",
        "reader.core.session.session",
        "reader.core.session.settings",
        "reader.core.session.opening",
        "reader.core.session.marks",
        "reader.core.session.presentation",
        "reader.core.session.watch",
    } <= set(core_modules())


def test_core_never_imports_textual_or_rich() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_does_not_import_the_ui_for_subcommands() -> None:
    code = (
        "import sys, reader.cli\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('textual'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def imported_modules(source: str, module: str) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, anywhere in
    it (functions and TYPE_CHECKING blocks too), relative imports resolved;
    ``from package import name`` counts as both ``package`` and
    ``package.name`` (the name may be a submodule)."""
    package = module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden(imported: set[str]) -> list[str]:
    return sorted(
        name
        for name in imported
        if any(name == bad or name.startswith(bad + ".") for bad in UI_FORBIDDEN)
    )


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import reader.core.store.cache", "reader.ui.app", ["reader.core.store.cache"]),
        (
            "from reader.core.session.watch import ChangeSet",
            "reader.ui.app",
            ["reader.core.session.watch", "reader.core.session.watch.ChangeSet"],
        ),
        (
            "from reader.core.session import opening",
            "reader.ui.app",
            ["reader.core.session.opening"],
        ),
        (
            "def f():\n    from ...core.articles import loader",
            "reader.ui.screens.reader",
            ["reader.core.articles.loader"],
        ),
        (
            "if TYPE_CHECKING:\n    from reader.core.session.library import Library",
            "reader.ui.messages",
            ["reader.core.session.library", "reader.core.session.library.Library"],
        ),
        ("from reader.core.session.session import Session", "reader.ui.app", []),
        ("from reader.core.articles.loader_notes import x", "reader.ui.app", []),
    ],
)
def test_forbidden_imports_are_found(source: str, module: str, expected: list[str]) -> None:
    assert forbidden(imported_modules(source, module)) == expected


def ui_modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(UI_DIR.rglob("*.py")):
        parts = path.relative_to(UI_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(("reader", "ui", *parts)), path))
    return found


def test_ui_modules_are_found() -> None:
    names = {name for name, _ in ui_modules()}
    assert {"reader.ui.app", "reader.ui.messages", "reader.ui.screens.reader"} <= names


@pytest.mark.parametrize(("module", "path"), ui_modules(), ids=[n for n, _ in ui_modules()])
def test_the_ui_reaches_the_archive_only_through_the_session(module: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert forbidden(imported_modules(source, module)) == []


#: What issue 11 greps for: tests reading the app's private state. Built from
#: pieces so this file does not match itself.
PRIVATE_READS = re.compile("|".join(["app" + r"\._", r"\." + "_current", r"\." + "_loaded"]))
TESTS_DIR = Path(__file__).resolve().parent


def test_no_test_reads_the_apps_private_state() -> None:
    found = [
        f"{path.relative_to(TESTS_DIR)}:{number}: {line.strip()}"
        for path in sorted(TESTS_DIR.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE_READS.search(line)
    ]
    assert found == []
