"""The CLI package's shape (issue 11, item 4): small modules with a role
docstring, the ``reader`` entry point and ``python -m reader`` working, and
no subcommand loading textual."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import reader.cli
from reader.cli.parser import SUBCOMMANDS
from tests.conftest import ARTICLES, REPO

PACKAGE = Path(reader.cli.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def test_cli_is_a_package_of_small_modules() -> None:
    assert not (REPO / "reader" / "cli.py").exists()
    assert len(MODULES) >= 5
    for module in MODULES:
        source = module.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 400, module.name
        assert ast.get_docstring(ast.parse(source)), module.name


def test_the_cli_opens_archives_through_the_session() -> None:
    """Only cli/opening.py opens an archive, and only through the session
    (the one opening path the app uses too)."""
    openers = ("Library.load(", "load_library(", "Session.open(", "iter_load(", "ArchiveCache(")
    callers = {
        module.name: [word for word in openers if word in module.read_text(encoding="utf-8")]
        for module in MODULES
    }
    assert {name: found for name, found in callers.items() if found} == {
        "opening.py": ["Session.open("]
    }


def test_entry_point() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["reader"] == "reader.cli:main"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("reader ")


@pytest.mark.parametrize(
    "command",
    [
        ["list", str(ARTICLES), "--json"],
        ["search", "otan", str(ARTICLES)],
        ["show", "fr-bce", str(ARTICLES)],
        ["entities", "fr-bce", str(ARTICLES)],
        ["check", str(ARTICLES)],
        ["config"],
        ["completion", "bash"],
        ["man"],
    ],
    ids=lambda c: c[0],
)
def test_subcommands_do_not_import_textual(command: list[str]) -> None:
    assert command[0] in SUBCOMMANDS
    code = (
        "import sys, io\n"
        "from reader.cli import main\n"
        "sys.stdout = io.StringIO()\n"
        f"status = main({command!r})\n"
        "sys.stdout = sys.__stdout__\n"
        "print(status, ','.join(sorted(m for m in sys.modules if m.startswith(('textual', 'rich')))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    status, modules = result.stdout.split(" ")
    assert status in ("0", "1") and modules.strip() == ""
