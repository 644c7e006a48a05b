"""The entity panel: the open article's entities by type, with counts.

Enter on an entity moves to its next mention in the article (cycling);
``f`` searches every article for it. The panel posts messages; the app
does the moving and the searching.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.entities import EntitySummary

ORDER = ("PER", "LOC", "ORG", "MISC", "DATE")
HEADINGS = {
    "PER": "People",
    "LOC": "Places",
    "ORG": "Organisations",
    "MISC": "Other",
    "DATE": "Dates",
}


class EntityPanel(OptionList):
    """Lists entities grouped by type; options are entity keys."""

    BINDINGS = [
        Binding("enter", "next_mention", "Next mention", id="entities.next_mention"),
        Binding("f", "search_entity", "Search all", id="entities.search"),
        Binding("j", "cursor_down", "Down", show=False, id="entities.down"),
        Binding("k", "cursor_up", "Up", show=False, id="entities.up"),
    ]

    class MentionRequested(Message):
        """Move to the next mention of ``summary``."""

        def __init__(self, summary: EntitySummary) -> None:
            super().__init__()
            self.summary = summary

    class SearchRequested(Message):
        """Search all articles for ``summary``."""

        def __init__(self, summary: EntitySummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._summaries: dict[str, EntitySummary] = {}

    def set_entities(self, summaries: Sequence[EntitySummary], hidden: frozenset[str]) -> None:
        """Show ``summaries`` (labels in ``hidden`` are left out)."""
        self._summaries = {s.key: s for s in summaries}
        self.clear_options()
        options: list[Option | None] = []
        for label in ORDER:
            group = [s for s in summaries if s.label == label]
            if not group or label in hidden:
                continue
            heading = Text(f"{HEADINGS[label]} ({len(group)})", style="bold")
            options.append(Option(heading, id=f"heading:{label}", disabled=True))
            for summary in group:
                line = Text(no_wrap=True, overflow="ellipsis", end="")
                line.append(f"{summary.count:>3} ", "dim")
                line.append(summary.name)
                options.append(Option(line, id=summary.key))
        if not options:
            options.append(Option(Text("No entities shown.", style="italic"), disabled=True))
        self.add_options(options)
        for index in range(self.option_count):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                break

    def current(self) -> EntitySummary | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._summaries.get(option.id or "")

    def action_next_mention(self) -> None:
        summary = self.current()
        if summary is not None:
            self.post_message(self.MentionRequested(summary))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A click (or Enter handled by the base class) moves to the next mention.
        event.stop()
        self.action_next_mention()

    def action_search_entity(self) -> None:
        summary = self.current()
        if summary is not None:
            self.post_message(self.SearchRequested(summary))
