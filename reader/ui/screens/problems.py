"""A screen listing the files that could not be loaded, and why."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.core.articles.article import Problem


class ProblemsScreen(ModalScreen[None]):
    """One line per problem: the file, then the reason."""

    BINDINGS = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close", id="problems.close"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self._problems = list(problems)

    def on_mount(self) -> None:
        # Focus the scroller so arrows, PgUp/PgDn, Home/End scroll the text.
        self.query_one(VerticalScroll).focus()

    def compose(self) -> ComposeResult:
        text = Text(no_wrap=False, end="")
        count = len(self._problems)
        text.append(f"{count} problem{'s' if count != 1 else ''}", "bold")
        text.append("   (Esc to close)\n\n", "dim")
        for problem in self._problems:
            text.append(problem.path, "bold")
            text.append("\n  " + problem.message + "\n")
        with VerticalScroll(id="problems-box"):
            yield Static(text, markup=False)
