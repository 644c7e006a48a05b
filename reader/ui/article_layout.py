"""Wrapping an article's display paragraphs to a width, and cutting a line.

:func:`wrap_paras` turns the paragraphs of :mod:`reader.ui.article_paragraphs`
into lines for a text column of a given number of cells: lines break at
spaces (the space is dropped at the break), words longer than a line are
broken hard, wide characters (CJK, emoji) count two cells, and a blank line
goes between paragraphs. :func:`line_pieces` cuts one line's text where its
inline styles and spans change, naming the component classes of each piece.
Plain data and plain functions: the widget turns class names into styles.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rich.cells import get_character_cell_size

from reader.ui.article_paragraphs import SPAN_CLASS, Para

Piece = tuple[str, tuple[str, ...]]
"""A run of text and the component classes that style it."""


@lru_cache(maxsize=8192)
def _char_width(char: str) -> int:
    return get_character_cell_size(char)


_NARROW: set[str] = set()


def _all_narrow(text: str) -> bool:
    """True when every character of ``text`` is exactly one cell wide."""
    if text.isascii():
        return True
    unknown = set(text) - _NARROW
    for char in unknown:
        if _char_width(char) != 1:
            return False
        if len(_NARROW) < 65536:
            _NARROW.add(char)
    return True


def wrap(text: str, a: int, b: int, width: int, out: list[tuple[int, int]]) -> None:
    """Wrap ``text[a:b]`` (no newlines) into lines of ``width`` cells.

    Breaks after spaces (the space is dropped at the break), hard-breaks
    words longer than a line. Appends ``(start, end)`` display ranges.
    """
    width = max(width, 1)
    if a >= b:
        out.append((a, a))
        return
    piece = text[a:b]
    if _all_narrow(piece):
        p = a
        while b - p > width:
            cut = text.rfind(" ", p, p + width + 1)
            if cut <= p:
                out.append((p, p + width))
                p += width
            else:
                out.append((p, cut))
                p = cut + 1
        out.append((p, b))
        return
    # Slow path: per-character cell widths.
    p = a
    cells = 0
    last_space = -1
    i = a
    while i < b:
        c = text[i]
        w = _char_width(c)
        if cells + w > width and i > p:
            if c == " ":
                out.append((p, i))
                p = i + 1
                i = p
            elif last_space > p:
                out.append((p, last_space))
                p = last_space + 1
                i = p
            else:
                out.append((p, i))
                p = i
            cells = 0
            last_space = -1
            continue
        if c == " ":
            last_space = i
        cells += w
        i += 1
    out.append((p, b))


@dataclass(slots=True)
class Layout:
    """The wrapped lines: per line, its paragraph (-1 for a blank line) and
    the display range it shows; per paragraph, its first line."""

    width: int = -1
    line_para: list[int] = field(default_factory=list)
    line_start: list[int] = field(default_factory=list)
    line_end: list[int] = field(default_factory=list)
    para_first_line: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.line_para)

    def line_of_display(self, para_index: int, index: int) -> int:
        """The line showing display ``index`` of paragraph ``para_index``
        (the blank lines before the paragraph are skipped)."""
        first = self.para_first_line[para_index]
        last = (
            self.para_first_line[para_index + 1]
            if para_index + 1 < len(self.para_first_line)
            else len(self.line_para)
        )
        while first < last - 1 and self.line_para[first] != para_index:
            first += 1
        return max(first, bisect_right(self.line_start, index, first, last) - 1)

    def anchor(self, y: int) -> tuple[int, int] | None:
        """The paragraph and display index shown at line ``y`` (or the next
        text line), to find the same place again after a re-wrap."""
        if y <= 0 or y >= len(self.line_para):
            return None
        while y < len(self.line_para) - 1 and self.line_para[y] < 0:
            y += 1
        para_index = self.line_para[y]
        if para_index < 0:
            return None
        return para_index, self.line_start[y]


def wrap_paras(paras: Sequence[Para], text_width: int, width: int) -> Layout:
    """Wrap every paragraph to ``text_width`` cells (``width`` is the pane's,
    recorded so a changed pane can be noticed)."""
    layout = Layout(width)
    line_para, line_start, line_end = layout.line_para, layout.line_start, layout.line_end
    ranges: list[tuple[int, int]] = []
    for i, para in enumerate(paras):
        layout.para_first_line.append(len(line_para))
        if i and para.gap_before:
            for _ in range(para.gap_before):
                line_para.append(-1)
                line_start.append(0)
                line_end.append(0)
        available = max(text_width - para.prefix_width, min(text_width, 8))
        ranges.clear()
        text = para.text
        if para.rule or "\n" not in text:
            wrap(text, 0, len(text), available, ranges)
        else:
            a = 0
            while True:
                nl = text.find("\n", a)
                if nl < 0:
                    wrap(text, a, len(text), available, ranges)
                    break
                wrap(text, a, nl, available, ranges)
                a = nl + 1
        for start, end in ranges:
            line_para.append(i)
            line_start.append(start)
            line_end.append(end)
    return layout


def line_pieces(para: Para, start: int, end: int, block_names: tuple[str, ...]) -> list[Piece]:
    """The text of ``para[start:end]`` cut where its styles or spans change,
    each piece with its class names: block, inline styles, then span kinds
    (``hit-current`` replaces ``hit`` where both apply)."""
    text = para.text
    if start >= end:
        return []
    # Style ranges (non-overlapping, sorted) and spans crossing the line.
    styles = para.styles
    ranges: list[tuple[int, int, tuple[str, ...]]] = []
    if styles:
        j = max(bisect_right(styles, (start, 1 << 62)) - 1, 0)
        while j < len(styles) and styles[j][0] < end:
            a, b, inline = styles[j]
            if b > start:
                ranges.append((max(a, start), min(b, end), inline))
            j += 1
    spans = [(max(a, start), min(b, end), k) for a, b, k in para.spans if a < end and b > start]
    if not ranges and not spans:
        return [(text[start:end], block_names)]
    cuts = {start, end}
    for a, b, _ in ranges:
        cuts.add(a)
        cuts.add(b)
    for a, b, _ in spans:
        cuts.add(a)
        cuts.add(b)
    pieces: list[Piece] = []
    r = 0
    for a, b in pairwise(sorted(cuts)):
        names: list[str] = list(block_names)
        while r < len(ranges) and ranges[r][1] <= a:
            r += 1
        if r < len(ranges) and ranges[r][0] <= a:
            names.extend(ranges[r][2])
        kinds = {k for sa, sb, k in spans if sa <= a and sb >= b}
        if "hit-current" in kinds:
            kinds.discard("hit")
        names.extend(SPAN_CLASS[k] for k in sorted(kinds))
        pieces.append((text[a:b], tuple(names)))
    return pieces
