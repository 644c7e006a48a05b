"""The one-line header: counts, the hit counter, the query, loading, notices.

When the line is too narrow, parts are dropped by priority rather than cut
at the right edge: the hit counter (``hit 2/8``) and the result count stay
longest, then the position in the article, problems, filter, loading, the
query echo and the archive's size; passing notices (``cache: 22 reused``,
``sorted by date``) go first.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.core.articles.sanitize import sanitize_line

GAP = "  "


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of the header; the higher ``drop``, the sooner it goes."""

    drop: int
    pieces: tuple[tuple[str, Style], ...]

    @property
    def width(self) -> int:
        return sum(cell_len(text) for text, _ in self.pieces)


def fit_parts(parts: list[Part], width: int, gap: int = len(GAP)) -> list[Part]:
    """The parts that fit in ``width`` cells (gaps included), in their order,
    dropping the highest ``drop`` first (the later one on a tie)."""
    kept = [part for part in parts if part.width]

    def total() -> int:
        return sum(p.width for p in kept) + gap * max(0, len(kept) - 1)

    while len(kept) > 1 and total() > width:
        worst = max(range(len(kept)), key=lambda i: (kept[i].drop, i))
        del kept[worst]
    return kept


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
    stage: reactive[str] = reactive("")
    """What the app is busy with (``loading… 2,000 read``, ``entities 57%``):
    not ``loading``, which is Textual's own (a loading indicator over the widget)."""
    problems: reactive[int] = reactive(0)
    query: reactive[str] = reactive("")
    results: reactive[int | None] = reactive(None)
    filter: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    """The hit counter (``hit 2/8 (n/N)``) or a mention counter."""
    progress: reactive[str] = reactive("")
    """How far through the article the view is (``45%``), shown at the right."""
    detail: reactive[str] = reactive("")
    """A passing notice (``cache: 22 reused``); the first part dropped."""

    def set_progress(self, progress: str) -> None:
        """Show ``progress`` (a callback for the article view's ``progress``)."""
        self.progress = progress

    def parts(self) -> list[Part]:
        """Every part of the header in display order (before fitting)."""
        name = self.get_component_rich_style("status-bar--name", partial=True)
        dim = self.get_component_rich_style("status-bar--dim", partial=True)
        warning = self.get_component_rich_style("status-bar--warning", partial=True)
        query_style = self.get_component_rich_style("status-bar--query", partial=True)
        plural = "s" if self.articles != 1 else ""
        size = Part(6, ((f"{self.articles} article{plural}", dim),))
        head = [
            Part(7, (("reader", name),)),
            size,
            Part(8, ((f"({self.languages})", dim),) if self.languages else ()),
        ]
        found: list[Part] = []
        if self.position:
            found.append(Part(0, ((self.position, query_style),)))
        if self.query and self.results is not None:
            plural = "s" if self.results != 1 else ""
            found.append(Part(1, ((f"{self.results} article{plural}", dim),)))
        middle: list[Part] = []
        if self.problems:
            plural = "s" if self.problems != 1 else ""
            middle.append(Part(3, ((f"⚠ {self.problems} problem{plural} (!)", warning),)))
        if self.filter:
            middle.append(Part(4, ((f"filter: {self.filter}", query_style),)))
        if self.stage:
            middle.append(Part(4, ((self.stage, dim),)))
        if self.query:
            middle.append(Part(5, (("search: ", dim), (sanitize_line(self.query), query_style))))
        tail = [Part(9, ((self.detail, dim),))] if self.detail else []
        if found or self.query:
            return found + middle + head + tail
        return head + middle + tail

    def render(self) -> Text:
        width = max(0, self.size.width - 2)
        progress = Part(2, ((self.progress, self.rich_style),)) if self.progress else None
        parts = self.parts()
        if progress is not None:
            parts.append(progress)
        kept = fit_parts(parts, width)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(" ")
        for i, part in enumerate(kept):
            if part is progress:
                continue
            if i:
                text.append(GAP)
            for piece, style in part.pieces:
                text.append(piece, style)
        if progress is not None and any(part is progress for part in kept):
            text.append(" " * max(len(GAP), width + 1 - text.cell_len - progress.width))
            text.append(self.progress, self.rich_style)
        text.truncate(self.size.width, overflow="ellipsis", pad=True)
        return text
