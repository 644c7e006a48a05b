"""A one-line legend of entity types: the style of each, its count in the
open article, and whether it is shown (keys 1–5 toggle them)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

LABELS = ("PER", "LOC", "ORG", "MISC", "DATE")
NAMES = {
    "PER": "people",
    "LOC": "places",
    "ORG": "orgs",
    "MISC": "misc",
    "DATE": "dates",
}


class EntityLegend(Widget):
    """Shows ``1 people 3 · 2 places 8 · …`` with each name in its entity
    style; hidden types are struck through and dimmed."""

    COMPONENT_CLASSES = {"entity-legend--off", "entity-legend--key"}

    counts: reactive[dict[str, int]] = reactive(dict, always_update=True)
    hidden: reactive[frozenset[str]] = reactive(frozenset(), always_update=True)

    def __init__(self, styles: Mapping[str, Style] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.styles_by_label: dict[str, Style] = dict(styles or {})

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Text:
        # The toggle keys (1-5) and two spaces between types when there is
        # room; else without the keys, then with one space, so that every
        # count stays on screen as long as possible (the entity panel leaves
        # the article ~45 columns at 80).
        width = self.size.width
        for with_keys, gap in ((True, "  "), (False, "  "), (False, " ")):
            text = self._legend(with_keys, gap)
            if text.cell_len <= width:
                return text
        text.truncate(max(1, width), overflow="ellipsis")  # the cut shows
        return text

    def _legend(self, with_keys: bool, gap: str) -> Text:
        off = self.get_component_rich_style("entity-legend--off")
        key_style = self.get_component_rich_style("entity-legend--key")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for number, label in enumerate(LABELS, 1):
            if number > 1:
                text.append(gap)
            shown = label not in self.hidden
            if with_keys:
                text.append(f"{number}", key_style)
            style = self.styles_by_label.get(label, Style()) if shown else off
            text.append((" " if with_keys else "") + NAMES[label], style)
            text.append(f" {self.counts.get(label, 0)}", None if shown else off)
        return text
