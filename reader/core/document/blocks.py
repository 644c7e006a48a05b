"""Markdown blocks: one pass over the lines with an explicit container
stack (block quotes and list items), producing headings, paragraphs, list
items, quotes, code blocks and rules; each leaf's text goes through
:func:`~reader.core.document.inline.inline_runs`. Never recurses.
"""

from __future__ import annotations

import re

from reader.core.document.inline import inline_runs
from reader.core.document.model import Block, BlockKind, Run
from reader.core.document.plain import BLANKS, line_spans, strip_blanks

#: Containers (block quotes and list items) nested deeper than this are not
#: opened: their markers show as text. Keeps hostile input linear.
MAX_NESTING = 16

#: Bullet shown for a bullet-list item, by list depth (cycled).
BULLETS = ("•", "◦", "▪")

_SPACES = re.compile(r"[ \t]*+")
_HR = re.compile(r"(?:(?:\*[ \t]*+){3,}|(?:-[ \t]*+){3,}|(?:_[ \t]*+){3,})$")
_HEADING = re.compile(r"(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r"(`{3,}+|~{3,}+)(.*)$")
_LIST = re.compile(r"([-+*]|(\d{1,9})[.)])(?=[ \t]|$)")


class _Container:
    __slots__ = ("col", "kind", "marker", "pending", "start")

    def __init__(self, kind: str, col: int = 0, marker: str = "", start: int = 0) -> None:
        self.kind = kind  # "quote" or "item"
        self.col = col  # an item's content column
        self.marker = marker
        self.pending = kind == "item"  # marker not yet emitted with a block
        self.start = start


class _BlockParser:
    def __init__(self, body: str) -> None:
        self.body = body
        self.blocks: list[Block] = []
        self.stack: list[_Container] = []
        # The open leaf: None, "para", "fence", "icode".
        self.leaf: str | None = None
        self.segs: list[tuple[int, int]] = []
        self.leaf_start = 0
        self.leaf_end = 0
        self.fence_char = ""
        self.fence_len = 0
        self.fence_indent = 0
        self.info = ""
        self.newlines: list[int] = []  # code: body offset of the newline ending each line

    # -- helpers
    def _ws(self, p: int, col: int, end: int) -> tuple[int, int]:
        """Skip spaces/tabs from ``p``: the first other position, its column."""
        body = self.body
        m = _SPACES.match(body, p, end)
        q = m.end() if m is not None else p
        if "\t" not in body[p:q]:
            return q, col + q - p
        for c in body[p:q]:
            col = col + 1 if c == " " else col + 4 - col % 4
        return q, col

    def _consume_cols(self, p: int, col: int, end: int, target: int) -> tuple[int, int]:
        """Consume whitespace until column ``target`` (or the first non-space)."""
        body = self.body
        while p < end and col < target:
            c = body[p]
            if c == " ":
                col += 1
            elif c == "\t":
                col += 4 - col % 4
            else:
                break
            p += 1
        return p, col

    def _depths(self, own_item: bool) -> tuple[int, int]:
        items = sum(1 for c in self.stack if c.kind == "item")
        quotes = len(self.stack) - items
        return (items - 1 if own_item else items), quotes

    def _emit(
        self, kind: BlockKind, runs: tuple[Run, ...], start: int, end: int, **kw: object
    ) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.pending:
            top.pending = False
            depth, quotes = self._depths(own_item=True)
            if kind == "paragraph":
                self.blocks.append(
                    Block("list_item", runs, 0, depth, quotes, top.marker, "", start, end)
                )
                return
            self.blocks.append(
                Block("list_item", (), 0, depth, quotes, top.marker, "", top.start, top.start)
            )
        depth, quotes = self._depths(own_item=False)
        if kind == "paragraph" and top is not None and top.kind == "quote":
            kind = "quote"
        level = kw.get("level", 0)
        info = kw.get("info", "")
        assert isinstance(level, int) and isinstance(info, str)
        self.blocks.append(Block(kind, runs, level, depth, quotes, "", info, start, end))

    def _flush_pending(self) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.pending:
            top.pending = False
            depth, quotes = self._depths(own_item=True)
            self.blocks.append(
                Block("list_item", (), 0, depth, quotes, top.marker, "", top.start, top.start)
            )

    def _close_leaf(self) -> None:
        leaf = self.leaf
        if leaf is None:
            return
        self.leaf = None
        segs = self.segs
        self.segs = []
        if leaf == "para":
            self._emit("paragraph", inline_runs(self.body, segs), self.leaf_start, self.leaf_end)
            return
        newlines = self.newlines
        self.newlines = []
        if leaf == "icode":
            body = self.body
            while segs and not body[segs[-1][0] : segs[-1][1]].strip():
                segs.pop()
        runs: list[Run] = []
        body = self.body
        for i, (a, b) in enumerate(segs):
            if i:
                nl = newlines[i - 1]
                runs.append(Run(nl, nl + 1, "\n"))
            if a < b:
                runs.append(Run(a, b, body[a:b]))
        self._emit("code", tuple(runs), self.leaf_start, self.leaf_end, info=self.info)

    def _close_containers(self, keep: int) -> None:
        while len(self.stack) > keep:
            self._flush_pending()
            self.stack.pop()

    def _open_leaf(self, leaf: str, ls: int) -> None:
        self.leaf = leaf
        self.leaf_start = ls
        self.segs = []
        self.newlines = []

    # -- the line loop
    def parse(self) -> list[Block]:
        body = self.body
        for ls, le in line_spans(body):
            self._line(ls, le)
        self._close_leaf()
        self._close_containers(0)
        return self.blocks

    def _is_interrupt(self, p: int, le: int) -> bool:
        """Would the text at ``p`` start a non-paragraph block (for laziness)?"""
        body = self.body
        q, _ = self._ws(p, 0, le)
        if q - p >= 4 or q >= le:
            return q >= le
        c = body[q]
        if c == ">":
            return True
        if c in "#" and _HEADING.match(body, q, le):
            return True
        if c in "`~" and _FENCE.match(body, q, le):
            return True
        if c in "*-_" and _HR.match(body, q, le):
            return True
        lm = _LIST.match(body, q, le)
        if lm is not None:
            rest_q, _ = self._ws(lm.end(), 0, le)
            if rest_q < le and (lm.group(2) is None or lm.group(2) == "1"):
                return True
        return False

    def _line(self, ls: int, le: int) -> None:
        body = self.body
        stack = self.stack
        if not stack and ls < le and self.leaf in (None, "para") and body[ls].isalpha():
            # Fast path: a line starting with a letter can only be paragraph text.
            if self.leaf is None:
                self._open_leaf("para", ls)
            self.segs.append(strip_blanks(body, ls, le))
            self.leaf_end = le
            return
        p, col = ls, 0
        matched = 0
        for cont in stack:
            if cont.kind == "quote":
                q, qcol = self._ws(p, col, le)
                if q < le and qcol - col < 4 and body[q] == ">":
                    p, col = q + 1, qcol + 1
                    if p < le and body[p] in BLANKS:
                        col = col + 1 if body[p] == " " else col + 4 - col % 4
                        p += 1
                else:
                    break
            else:
                q, qcol = self._ws(p, col, le)
                if q >= le:  # blank line: stays in the item
                    p, col = q, qcol
                elif qcol >= cont.col:
                    p, col = self._consume_cols(p, col, le, cont.col)
                else:
                    break
            matched += 1

        all_matched = matched == len(stack)
        if self.leaf == "fence" and all_matched:
            q, qcol = self._ws(p, col, le)
            fm = _FENCE.match(body, q, le) if qcol - col < 4 else None
            if (
                fm is not None
                and body[q] == self.fence_char
                and fm.end(1) - q >= self.fence_len
                and not fm.group(2).strip()
            ):
                self.leaf_end = le
                self._close_leaf()
                return
            p2, _ = self._consume_cols(p, col, le, col + self.fence_indent)
            self._add_code_line(p2, le)
            return

        # Open new containers.
        new: list[_Container] = []
        while len(stack) + len(new) < MAX_NESTING:
            q, qcol = self._ws(p, col, le)
            if q >= le or qcol - col >= 4:
                break
            c = body[q]
            if c == ">":
                p, col = q + 1, qcol + 1
                if p < le and body[p] in BLANKS:
                    col = col + 1 if body[p] == " " else col + 4 - col % 4
                    p += 1
                new.append(_Container("quote", start=ls))
                continue
            if c in "-+*0123456789":
                if c in "*-" and _HR.match(body, q, le):
                    break
                lm = _LIST.match(body, q, le)
                if lm is None:
                    break
                after, acol = self._ws(lm.end(), qcol + lm.end() - q, le)
                blank = after >= le
                in_para = self.leaf == "para" and not new
                # Only "1." and non-empty bullets may interrupt a paragraph.
                if (
                    in_para
                    and (blank or (lm.group(2) is not None and lm.group(2) != "1"))
                    and (all_matched or not stack)
                ):
                    break
                mcol = qcol + lm.end() - q
                if blank or acol - mcol > 4:
                    content = mcol + 1
                    p, col = self._consume_cols(lm.end(), mcol, le, content)
                else:
                    content = acol
                    p, col = after, acol
                number = lm.group(2)
                if number is not None:
                    marker = f"{int(number)}{body[lm.end() - 1]}"
                else:
                    items = sum(1 for x in (*stack[:matched], *new) if x.kind == "item")
                    marker = BULLETS[items % len(BULLETS)]
                new.append(_Container("item", content, marker, ls))
                if blank:
                    break
                continue
            break

        if not all_matched and not new and self.leaf == "para" and not self._is_interrupt(p, le):
            # Lazy continuation of a paragraph.
            self.segs.append(strip_blanks(body, p, le))
            self.leaf_end = le
            return

        if not all_matched or new:
            self._close_leaf()
            self._close_containers(matched)
            for cont in new:
                self._flush_pending()
                stack.append(cont)

        self._leaf_line(p, col, ls, le)

    def _add_code_line(self, a: int, le: int) -> None:
        """Add a code line ``body[a:le]`` (``le`` is where its newline is)."""
        if self.segs:
            self.newlines.append(self.segs[-1][1])
        self.segs.append((a, le))
        self.leaf_end = le

    def _leaf_line(self, p: int, col: int, ls: int, le: int) -> None:
        body = self.body
        q, qcol = self._ws(p, col, le)
        if q >= le:  # blank
            if self.leaf == "para":
                self._close_leaf()
            elif self.leaf == "icode":
                p2, _ = self._consume_cols(p, col, le, col + 4)
                self._add_code_line(p2, le)
            return
        indent = qcol - col
        if indent >= 4:
            if self.leaf == "para":
                self.segs.append(strip_blanks(body, q, le))
                self.leaf_end = le
                return
            if self.leaf != "icode":
                self._close_leaf()
                self._open_leaf("icode", ls)
                self.info = ""
            p2, _ = self._consume_cols(p, col, le, col + 4)
            self._add_code_line(p2, le)
            return
        if self.leaf == "icode":
            self._close_leaf()
        c = body[q]
        if c == "#":
            hm = _HEADING.match(body, q, le)
            if hm is not None:
                self._close_leaf()
                a, b = strip_blanks(body, hm.end(), le)
                j = b
                while j > a and body[j - 1] == "#":
                    j -= 1
                if j == a:
                    b = a
                elif j < b and body[j - 1] in BLANKS:
                    a, b = strip_blanks(body, a, j)
                runs = inline_runs(body, [(a, b)]) if a < b else ()
                self._emit("heading", runs, ls, le, level=hm.end() - hm.start())
                return
        if c in "`~":
            fm = _FENCE.match(body, q, le)
            if fm is not None and not (c == "`" and "`" in fm.group(2)):
                self._close_leaf()
                self._open_leaf("fence", ls)
                self.fence_char = c
                self.fence_len = fm.end(1) - q
                self.fence_indent = indent
                self.info = fm.group(2).strip()
                self.leaf_end = le
                return
        if c in "*-_" and _HR.match(body, q, le):
            self._close_leaf()
            self._emit("rule", (), ls, le)
            return
        if self.leaf != "para":
            self._close_leaf()
            self._open_leaf("para", ls)
        self.segs.append(strip_blanks(body, q, le))
        self.leaf_end = le


def parse_blocks(body: str) -> list[Block]:
    """The blocks of a Markdown ``body``, in source order."""
    return _BlockParser(body).parse()
