"""The search bar: an Input that walks the search history with ↑/↓."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from reader.core.articles.sanitize import sanitize_line


class SearchBar(Input):
    """Type a query; ↑/↓ recall earlier queries, newest first."""

    BINDINGS = [
        Binding("up", "history_back", "Earlier query", show=False, id="search.history_back"),
        Binding("down", "history_forward", "Later query", show=False, id="search.history_forward"),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        # A blinking cursor sends bytes to the terminal every half second,
        # forever, even over a slow SSH link: keep it steady.
        self.cursor_blink = False
        self.history: list[str] = []
        self._position: int | None = None
        self._draft = ""

    def validate_value(self, value: str) -> str:
        """Whatever arrives (typed, pasted, recalled), control and bidi
        characters become visible placeholders (one for one, so the cursor
        stays where it was)."""
        return sanitize_line(value)

    def remember(self, query: str) -> None:
        """Add ``query`` to the history (most recent last, no duplicates)."""
        query = sanitize_line(query.strip())
        if not query:
            return
        if query in self.history:
            self.history.remove(query)
        self.history.append(query)
        del self.history[:-100]
        self._position = None

    def action_history_back(self) -> None:
        if not self.history:
            return
        if self._position is None:
            self._draft = self.value
            self._position = len(self.history)
        self._position = max(0, self._position - 1)
        self._recall(self.history[self._position])

    def action_history_forward(self) -> None:
        if self._position is None:
            return
        self._position += 1
        if self._position >= len(self.history):
            self._position = None
            self._recall(self._draft)
        else:
            self._recall(self.history[self._position])

    def _recall(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)
