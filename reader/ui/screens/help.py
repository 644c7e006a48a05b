"""The help screen: every key the app answers to, read from the bindings
themselves so it can never disagree with the code.

The keys sit in a table of three columns (keys, what they do, the binding id
for the settings' ``keymap``); a long entry wraps or is cut inside its own
column, never back to the left edge. The screen scrolls with the keys of
every other view (j/k, Space/b, PgUp/PgDn, g/G, Home/End).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "exclamation_mark": "!",
    "escape": "Esc",
    "space": "Space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}
KEYS_WIDTH = 16
ID_WIDTH = 24


def _key_names(binding: Binding, keymap: Mapping[str, str]) -> str:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return ", ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


Row = tuple[str, str, str]
"""One key binding as shown: keys, what they do, binding id."""


def binding_rows(
    sections: Iterable[tuple[str, Iterable[BindingType]]],
    keymap: Mapping[str, str] | None = None,
) -> list[tuple[str, list[Row]]]:
    """Each section's title and rows: the keys in force (the keymap from the
    settings applied), the description and the binding id; bindings without a
    description are left out, and so are sections left empty."""
    keymap = keymap or {}
    out: list[tuple[str, list[Row]]] = []
    for title, bindings in sections:
        rows = [
            (_key_names(b, keymap), b.description, b.id or "")
            for b in bindings
            if isinstance(b, Binding) and b.description
        ]
        if rows:
            out.append((title, rows))
    return out


def describe_bindings(
    sections: Iterable[tuple[str, list[Row]]], *, show_ids: bool = True
) -> RenderableType:
    """The rows of :func:`binding_rows` as a table whose columns wrap (or, for
    the ids, are cut) within themselves."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column("keys", width=KEYS_WIDTH, overflow="fold", style="bold")
    table.add_column("does", ratio=1, overflow="fold")
    if show_ids:
        table.add_column("id", width=ID_WIDTH, overflow="ellipsis", no_wrap=True, style="dim")
    for title, rows in sections:
        table.add_row(Text(title, "bold underline", no_wrap=True, overflow="ellipsis"))
        for keys, does, binding_id in rows:
            cells = [Text(keys), Text(does)] + ([Text(binding_id)] if show_ids else [])
            table.add_row(*cells)
        table.add_row("")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key binding, grouped by where it applies."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
        Binding(
            "space,pagedown", "scroll('page_down')", "Page down", show=False, id="help.page_down"
        ),
        Binding("b,pageup", "scroll('page_up')", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("G,end", "scroll('end')", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(
        self,
        sections: list[tuple[str, Iterable[BindingType]]],
        intro: str,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.rows = binding_rows(sections, keymap)
        """What the screen lists: sections of (keys, description, binding id)."""
        self._intro = intro

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._text(show_ids=True), markup=False, id="help-text")

    def on_resize(self) -> None:
        # Under 60 columns the ids column would crush the descriptions.
        box = self.query_one(VerticalScroll)
        self.query_one("#help-text", Static).update(self._text(show_ids=box.size.width >= 60))

    def _text(self, *, show_ids: bool) -> RenderableType:
        return Group(
            Text(self._intro + "\n", end="\n"),
            describe_bindings(self.rows, show_ids=show_ids),
            Text("Ctrl+P opens the command palette: every command by name.", "dim"),
            Text("Esc, q or ? closes this screen.", "dim"),
        )

    def action_scroll(self, how: str) -> None:
        box = self.query_one(VerticalScroll)
        if how == "down":
            box.scroll_down(animate=False)
        elif how == "up":
            box.scroll_up(animate=False)
        elif how == "page_down":
            box.scroll_page_down(animate=False)
        elif how == "page_up":
            box.scroll_page_up(animate=False)
        elif how == "home":
            box.scroll_home(animate=False)
        else:
            box.scroll_end(animate=False)
