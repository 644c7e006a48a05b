"""The display model: a :class:`Document` of :class:`Block` objects holding
:class:`Run` objects, each run a piece of displayed text with its source
offsets and style names. Plain data, compared with ``==``; the offset
invariant the parsers keep is described in ``docs/document.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "code", "rule"]

EMPTY_STYLES: frozenset[str] = frozenset()


class Run(NamedTuple):
    """A piece of displayed text (an immutable named tuple, cheap to make).

    ``start < end``: source text, ``text == body[start:end]``.
    ``start == end``: an inserted decoration anchored at ``start``.
    """

    start: int
    end: int
    text: str
    styles: frozenset[str] = EMPTY_STYLES

    @property
    def is_decoration(self) -> bool:
        """True for inserted text that is not in the body."""
        return self.start == self.end


@dataclass(frozen=True, slots=True)
class Block:
    """One displayed block.

    ``level`` is the heading level (1–6, else 0). ``depth`` is the number of
    list items that contain the block (a ``list_item`` block does not count
    itself: a top-level item has depth 0, its second paragraph depth 1).
    ``quote_depth`` is the number of enclosing block quotes (paragraphs
    directly inside a quote have kind ``"quote"``). ``marker`` is the list
    marker of a ``list_item``. ``info`` is a fenced code block's info string.
    ``start``/``end`` delimit the source lines the block came from. Code
    blocks keep their source newlines as ``"\\n"`` runs (hard breaks).
    """

    kind: BlockKind
    runs: tuple[Run, ...] = ()
    level: int = 0
    depth: int = 0
    quote_depth: int = 0
    marker: str = ""
    info: str = ""
    start: int = 0
    end: int = 0

    @property
    def text(self) -> str:
        """The displayed text of the block (without marker)."""
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed body: its blocks, in source order."""

    blocks: tuple[Block, ...] = ()

    def iter_runs(self) -> Iterator[Run]:
        """Every run of every block, in order."""
        for block in self.blocks:
            yield from block.runs
