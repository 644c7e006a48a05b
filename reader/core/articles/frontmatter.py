"""Splitting optional YAML front matter off a Markdown or text file."""

from __future__ import annotations

from dataclasses import dataclass

MAX_FRONT_MATTER = 64 * 1024


@dataclass(frozen=True, slots=True)
class Split:
    """The front matter text (None when absent), the body, and a problem."""

    front: str | None
    body: str
    problem: str | None = None
    body_offset: int = 0
    """Where ``body`` starts in the original text."""


def split_front_matter(text: str) -> Split:
    """Split ``---`` front matter from ``text`` (newlines already normalised).

    The opening ``---`` must be the very first line; the block ends at the
    next line that is exactly ``---`` or ``...``. Without a closing line the
    whole text is the body and ``problem`` says so, so nothing is lost.
    """
    if not (text.startswith("---\n") or text == "---"):
        return Split(None, text)
    start = 4
    position = start
    limit = min(len(text), start + MAX_FRONT_MATTER)
    while position <= len(text):
        newline = text.find("\n", position)
        line_end = len(text) if newline == -1 else newline
        line = text[position:line_end].rstrip(" \t")
        if line in ("---", "..."):
            body_start = len(text) if newline == -1 else newline + 1
            return Split(text[start:position], text[body_start:], None, body_start)
        if newline == -1 or line_end > limit:
            break
        position = newline + 1
    if position > limit:
        reason = "front matter longer than 64 KB; read as text"
    else:
        reason = "front matter has no closing '---'; read as text"
    return Split(None, text, reason)
