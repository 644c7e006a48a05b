"""The outline of the open article: its headings, to jump to one (Enter).
Returns the chosen heading's body offset, or None (Esc)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.core.session.presentation import Heading


class OutlineScreen(ModalScreen[int | None]):
    """Headings indented by level; j/k move, Enter jumps, Esc closes."""

    BINDINGS = [
        Binding("escape,q,T", "cancel", "Close", id="outline.close"),
        Binding("j", "cursor_down", "Down", show=False, id="outline.down"),
        Binding("k", "cursor_up", "Up", show=False, id="outline.up"),
        Binding("g", "first", "First", show=False, id="outline.first"),
        Binding("G", "last", "Last", show=False, id="outline.last"),
    ]

    def __init__(self, headings: Sequence[Heading], current: int = 0) -> None:
        super().__init__()
        self._headings = list(headings)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="outline-box"):
            yield Static("Outline — Enter jumps, Esc closes", markup=False, id="outline-title")
            options = [
                Option(Content("  " * (h.level - 1) + h.title), id=str(i))
                for i, h in enumerate(self._headings)
            ]
            yield OptionList(*options, id="outline-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = min(self._current, max(0, len(self._headings) - 1))

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_first(self) -> None:
        self.query_one(OptionList).action_first()

    def action_last(self) -> None:
        self.query_one(OptionList).action_last()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._headings[event.option_index].offset)

    def action_cancel(self) -> None:
        self.dismiss(None)
