"""The find bar: search the open article only, as ``/`` does in less.

A one-line input under the article; typing finds as you type, Enter jumps to
the first hit and gives the article the keys (``n``/``N`` step through the
hits), Esc closes it and brings back the archive query's hits.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from reader.core.articles.sanitize import sanitize_line


class FindBar(Input):
    """Find in this article."""

    BINDINGS = [Binding("escape", "close", "Close", show=False, id="find.close")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder="find in this article", **kwargs)  # type: ignore[arg-type]

    def validate_value(self, value: str) -> str:
        # Pasted text may hold control characters: show them as placeholders.
        return sanitize_line(value)

    def action_close(self) -> None:
        self.screen.action_close_find()  # type: ignore[attr-defined]
