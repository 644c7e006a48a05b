"""The help screen: every key the app answers to, read from the bindings
themselves so it can never disagree with the code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_names(binding: Binding, keymap: Mapping[str, str]) -> str:
    names = []
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    for key in keys.split(","):
        key = key.strip()
        names.append(
            {
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
            }.get(key, key)
        )
    return ", ".join(names)


def describe_bindings(
    sections: Iterable[tuple[str, Iterable[BindingType]]], keymap: Mapping[str, str] | None = None
) -> Text:
    """A key table, one section per widget: the keys in force (the keymap
    from the settings applied), what they do, and the binding id to use in
    the settings' ``keymap``."""
    keymap = keymap or {}
    text = Text(end="")
    for title, bindings in sections:
        rows = [b for b in bindings if isinstance(b, Binding) and b.description]
        if not rows:
            continue
        text.append(f"{title}\n", "bold underline")
        for binding in rows:
            text.append(f"  {_key_names(binding, keymap):<24}", "bold")
            text.append(f"{binding.description:<28}")
            text.append(f"{binding.id or ''}\n", "dim")
        text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Lists every key binding, grouped by where it applies."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(
        self,
        sections: list[tuple[str, Iterable[BindingType]]],
        intro: str,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._sections = sections
        self._intro = intro
        self._keymap = dict(keymap or {})

    def on_mount(self) -> None:
        # Focus the scroller so arrows, PgUp/PgDn, Home/End scroll the text.
        self.query_one(VerticalScroll).focus()

    def compose(self) -> ComposeResult:
        text = Text(self._intro + "\n\n", end="")
        text.append_text(describe_bindings(self._sections, self._keymap))
        text.append("Esc or ? closes this screen.", "dim")
        with VerticalScroll(id="help-box"):
            yield Static(text, markup=False)
