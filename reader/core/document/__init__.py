"""Article bodies as display blocks whose every character keeps its source offset.

:func:`parse_document` turns a body (Markdown, or plain text / YAML prose) into
a :class:`Document` of :class:`Block` objects holding :class:`Run` objects.
Any range of ``Article.body`` (an entity mention, a search hit) maps exactly
onto the displayed characters; ``docs/document.md`` states that invariant and
what Markdown is understood.

Modules: :mod:`.model` (the data types), :mod:`.plain` (text and YAML bodies),
:mod:`.inline` (inline runs), :mod:`.blocks` (Markdown blocks).
"""

from __future__ import annotations

import gc

from reader.core.document.blocks import MAX_NESTING, parse_blocks
from reader.core.document.model import Block, BlockKind, Document, Run
from reader.core.document.plain import plain_blocks

__all__ = [
    "MAX_NESTING",
    "Block",
    "BlockKind",
    "Document",
    "Run",
    "parse_document",
]


def parse_document(body: str, fmt: str) -> Document:
    """Parse ``body`` (format ``"markdown"``, ``"text"`` or ``"yaml"``).

    Never raises on any string input; the result satisfies the offset
    invariant of ``docs/document.md``.
    """
    # Parsing allocates many small objects that all stay alive; pausing the
    # cyclic GC meanwhile spares it pointless passes over the growing heap
    # (a third of the time on a 300k-word article). The only cycles made (the
    # inline delimiter list) are collected once it is back on.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        blocks = parse_blocks(body) if fmt == "markdown" else plain_blocks(body)
    finally:
        if was_enabled:
            gc.enable()
    return Document(tuple(blocks))
