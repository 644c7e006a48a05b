"""The one-line header: app name, counts, loading progress, active query."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.core.articles.sanitize import sanitize_line


class StatusBar(Widget):
    """Shows what the reader holds and what it is doing.

    Every value is put into a :class:`rich.text.Text` with ``append``, never
    into markup, so a query such as ``[bold]`` is shown as typed.
    """

    COMPONENT_CLASSES = {
        "status-bar--name",
        "status-bar--dim",
        "status-bar--warning",
        "status-bar--query",
    }

    articles: reactive[int] = reactive(0)
    languages: reactive[str] = reactive("")
    loading: reactive[str] = reactive("")
    problems: reactive[int] = reactive(0)
    query: reactive[str] = reactive("")
    results: reactive[int | None] = reactive(None)
    filter: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    detail: reactive[str] = reactive("")

    def render(self) -> Text:
        name = self.get_component_rich_style("status-bar--name")
        dim = self.get_component_rich_style("status-bar--dim")
        warning = self.get_component_rich_style("status-bar--warning")
        query_style = self.get_component_rich_style("status-bar--query")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(" reader ", name)
        text.append(f" {self.articles} article{'s' if self.articles != 1 else ''}", dim)
        if self.languages:
            text.append(f" ({self.languages})", dim)
        if self.loading:
            text.append(f"  {self.loading}", dim)
        if self.problems:
            text.append(
                f"  ⚠ {self.problems} problem{'s' if self.problems != 1 else ''} (!)", warning
            )
        if self.query:
            text.append("  search: ", dim)
            text.append(sanitize_line(self.query), query_style)
            if self.results is not None:
                plural = "s" if self.results != 1 else ""
                text.append(f"  {self.results} article{plural}", dim)
        if self.filter:
            text.append(f"  filter: {self.filter}", query_style)
        if self.position:
            text.append(f"  {self.position}", query_style)
        if self.detail:
            text.append(f"  {self.detail}", dim)
        return text
