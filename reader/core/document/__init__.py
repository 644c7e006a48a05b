"""Article bodies as display blocks whose every character keeps its source offset.

:func:`parse_document` turns a body (Markdown, or plain text / YAML prose) into
a :class:`Document`: a flat tuple of :class:`Block` objects (headings,
paragraphs, list items, quotes, code blocks, rules), each holding
:class:`Run` objects — pieces of displayed text with a set of style names.

The offset invariant
--------------------
Everything else in the program (entity mentions, search hits) speaks in
character offsets into ``Article.body``. So that any body range maps onto the
displayed characters *exactly*:

* A run with ``start < end`` comes from the source and ``run.text ==
  body[run.start:run.end]``. Markup characters (``**``, ``#``, ``>``, the
  brackets of a link, list markers, a backslash before an escaped character,
  indentation removed by a container) simply belong to no run.
* A run with ``start == end`` is an inserted *decoration*: the space that
  joins two soft-wrapped lines (anchored at the end of the first line's
  text), and the ``" ⟨"`` / ``"⟩"`` brackets drawn around a link's target.
  Its ``start`` is an anchor: a body range ``[a, b)`` covers the decoration
  when ``a <= start < b``.
* Over the whole document, runs are in increasing, non-overlapping order:
  each run's ``start`` is ``>=`` the previous run's ``end``.

The target of ``[text](target)`` is shown after the text as ``text ⟨target⟩``;
the target itself is a *source* run (style ``"link-target"``), only the
brackets are decorations. List markers are not runs: they are
``Block.marker`` (``"•"``, ``"3."``), which the UI draws as a hanging prefix.

Styles are drawn from ``"emphasis"``, ``"strong"``, ``"code"``, ``"link"`` and
``"link-target"``; the block kind says the rest (heading, quote, code...).

Markdown support: ATX headings, paragraphs (soft breaks become a space),
bullet (``-``, ``*``, ``+``) and ordered (``1.``, ``1)``) lists nested by
indentation, block quotes (nested), fenced (backtick and tilde, with an info
string) and indented code blocks, thematic breaks, and inline emphasis,
strong emphasis, code spans, links and images (``![alt](src)`` shows like a
link), autolinks (``<https://…>``) and backslash escapes. Raw HTML is shown as
the text it is. Setext headings, tables, reference links and entities are
not interpreted.

The parser never raises and never recurses: block parsing is one pass over
the lines with an explicit container stack (nesting deeper than
:data:`MAX_NESTING` containers is shown as text), inline parsing is one pass
with a delimiter list (the CommonMark algorithm, with its "openers bottom"
bound, so hostile input such as ten thousand ``*`` or ``[`` stays near
linear). ``"text"`` and ``"yaml"`` bodies are paragraphs separated by blank
lines, with no markup.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

__all__ = [
    "MAX_NESTING",
    "Block",
    "BlockKind",
    "Document",
    "Run",
    "parse_document",
]

BlockKind = Literal["heading", "paragraph", "list_item", "quote", "code", "rule"]

#: Containers (block quotes and list items) nested deeper than this are not
#: opened: their markers show as text. Keeps hostile input linear.
MAX_NESTING = 16

#: Bullet shown for a bullet-list item, by list depth (cycled).
BULLETS = ("•", "◦", "▪")

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


def parse_document(body: str, fmt: str) -> Document:
    """Parse ``body`` (format ``"markdown"``, ``"text"`` or ``"yaml"``).

    Never raises on any string input; see the module docstring for the
    offset invariant the result satisfies.
    """
    # Parsing allocates many small objects that all stay alive; pausing the
    # cyclic GC meanwhile spares it pointless passes over the growing heap
    # (a third of the time on a 300k-word article). The only cycles made (the
    # inline delimiter list) are collected once it is back on.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        blocks = _BlockParser(body).parse() if fmt == "markdown" else _plain_blocks(body)
    finally:
        if was_enabled:
            gc.enable()
    return Document(tuple(blocks))


# --------------------------------------------------------------------------
# Plain text


def _lines(body: str) -> Iterator[tuple[int, int]]:
    pos = 0
    n = len(body)
    while True:
        nl = body.find("\n", pos)
        if nl < 0:
            yield pos, n
            return
        yield pos, nl
        pos = nl + 1


_WS = " \t"


def _strip(body: str, a: int, b: int) -> tuple[int, int]:
    while a < b and body[a] in _WS:
        a += 1
    while b > a and body[b - 1] in _WS:
        b -= 1
    return a, b


def _plain_runs(body: str, segs: list[tuple[int, int]]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for i, (a, b) in enumerate(segs):
        if i:
            prev_end = segs[i - 1][1]
            runs.append(Run(prev_end, prev_end, " "))
        if a < b:
            runs.append(Run(a, b, body[a:b]))
    return tuple(runs)


def _plain_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    segs: list[tuple[int, int]] = []
    first = last = 0
    for ls, le in _lines(body):
        a, b = _strip(body, ls, le)
        if a == b:
            if segs:
                blocks.append(Block("paragraph", _plain_runs(body, segs), start=first, end=last))
                segs = []
            continue
        if not segs:
            first = ls
        segs.append((a, b))
        last = le
    if segs:
        blocks.append(Block("paragraph", _plain_runs(body, segs), start=first, end=last))
    return blocks


# --------------------------------------------------------------------------
# Inline parsing

#: Characters that may start inline markup (searched for with a plain
#: character class, which the regex engine scans quickly).
_SPECIAL = re.compile(r"[\\`*_!\[\]<]")
_CHAR_RUN = {"`": re.compile(r"`+"), "*": re.compile(r"\*+"), "_": re.compile(r"_+")}
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*+)>")
_LINK_TAIL = re.compile(
    r"\(\s*+(?:<([^<>\n]*+)>|([^\s()]*+(?:\([^\s()]*+\)[^\s()]*+)*+))"
    r"(?:\s++(?:\"[^\"]*+\"|'[^']*+'|\([^()]*+\)))?+\s*+\)"
)

# token kinds
_TEXT = 0  # source text in paragraph coordinates
_DELIM = 1  # an emphasis delimiter run
_DECO = 2  # inserted text, anchored at a body offset
_HIDDEN = 3  # markup, not displayed
_BRACKET = 4  # "[" or "![", literal unless it opens a link


class _Delim:
    __slots__ = (
        "can_close",
        "can_open",
        "char",
        "count",
        "left_used",
        "next",
        "orig",
        "prev",
        "right_used",
        "tok",
    )

    def __init__(self, tok: int, char: str, count: int, can_open: bool, can_close: bool) -> None:
        self.tok = tok
        self.char = char
        self.count = count
        self.orig = count
        self.can_open = can_open
        self.can_close = can_close
        self.left_used = 0
        self.right_used = 0
        self.prev: _Delim | None = None
        self.next: _Delim | None = None


def _is_space(c: str) -> bool:
    return c == "" or c.isspace()


def _is_punct(c: str) -> bool:
    return c != "" and unicodedata.category(c)[0] in "PS"


class _InlineParser:
    """Inline Markdown over the concatenated text of one block's lines."""

    def __init__(self, body: str, segs: list[tuple[int, int]]) -> None:
        self.body = body
        self.segs = segs
        self.s = "\n".join(body[a:b] for a, b in segs)
        starts = []
        pos = 0
        for a, b in segs:
            starts.append(pos)
            pos += b - a + 1
        self.seg_starts = starts
        # token: [kind, a, b, text/anchor payload, extra style]
        self.toks: list[list[Any]] = []
        self.delims: dict[int, _Delim] = {}
        self.head: _Delim | None = None
        self.tail: _Delim | None = None
        self.intervals: list[tuple[int, int, str]] = []

    # -- delimiter list
    def _push(self, d: _Delim) -> None:
        d.prev = self.tail
        if self.tail is not None:
            self.tail.next = d
        else:
            self.head = d
        self.tail = d

    def _remove(self, d: _Delim) -> None:
        if d.prev is not None:
            d.prev.next = d.next
        else:
            self.head = d.next
        if d.next is not None:
            d.next.prev = d.prev
        else:
            self.tail = d.prev

    def _body_offset(self, si: int) -> int:
        k = bisect_right(self.seg_starts, si) - 1
        return self.segs[k][0] + (si - self.seg_starts[k])

    def _add_text(self, a: int, b: int, style: str | None = None) -> None:
        if a >= b:
            return
        toks = self.toks
        if toks and style is None:
            last = toks[-1]
            if last[0] == _TEXT and last[2] == a and last[4] is None:
                last[2] = b
                return
        toks.append([_TEXT, a, b, None, style])

    def parse(self) -> tuple[Run, ...]:
        s = self.s
        n = len(s)
        # Maximal backtick runs by length, for code-span closers.
        ticks: dict[int, list[int]] = {}
        if "`" in s:
            for m in _BACKTICKS.finditer(s):
                ticks.setdefault(m.end() - m.start(), []).append(m.start())
        tick_ptr: dict[int, int] = {}
        brackets: list[tuple[int, bool, _Delim | None]] = []  # tok, image, delim tail
        bracket_floor = 0  # brackets below this index are inactive
        pos = 0
        toks = self.toks
        while pos < n:
            found = _SPECIAL.search(s, pos)
            if found is None:
                self._add_text(pos, n)
                break
            a = found.start()
            c = s[a]
            if c in _CHAR_RUN:
                b = _CHAR_RUN[c].match(s, a).end()  # type: ignore[union-attr]
            elif (c == "\\" and a + 1 < n and s[a + 1] in _ASCII_PUNCT) or (
                c == "!" and a + 1 < n and s[a + 1] == "["
            ):
                b = a + 2
            elif c in "\\!":
                self._add_text(pos, a + 1)
                pos = a + 1
                continue
            else:
                b = a + 1
            self._add_text(pos, a)
            if c == "\\":
                self._add_text(a + 1, b)
                pos = b
            elif c == "`":
                length = b - a
                positions = ticks.get(length, [])
                i = tick_ptr.get(length, 0)
                while i < len(positions) and positions[i] < b:
                    i += 1
                tick_ptr[length] = i
                if i < len(positions):
                    close = positions[i]
                    tick_ptr[length] = i + 1
                    ca, cb = b, close
                    if (
                        cb - ca >= 2
                        and s[ca] in " \n"
                        and s[cb - 1] in " \n"
                        and s[ca:cb].strip(" \n")
                    ):
                        ca += 1
                        cb -= 1
                    toks.append([_TEXT, ca, cb, None, "code"])
                    pos = close + length
                else:
                    self._add_text(a, b)
                    pos = b
            elif c in "*_":
                before = s[a - 1] if a > 0 else ""
                after = s[b] if b < n else ""
                left = not _is_space(after) and (
                    not _is_punct(after) or _is_space(before) or _is_punct(before)
                )
                right = not _is_space(before) and (
                    not _is_punct(before) or _is_space(after) or _is_punct(after)
                )
                if c == "*":
                    can_open, can_close = left, right
                else:
                    can_open = left and (not right or _is_punct(before))
                    can_close = right and (not left or _is_punct(after))
                toks.append([_DELIM, a, b, None, None])
                if can_open or can_close:
                    d = _Delim(len(toks) - 1, c, b - a, can_open, can_close)
                    self.delims[d.tok] = d
                    self._push(d)
                pos = b
            elif c == "<":
                am = _AUTOLINK.match(s, a)
                if am is not None:
                    toks.append([_TEXT, a + 1, am.end() - 1, None, "link"])
                    pos = am.end()
                else:
                    self._add_text(a, b)
                    pos = b
            elif c == "]":
                pos = b
                if not brackets:
                    self._add_text(a, b)
                    continue
                otok, image, dtail = brackets.pop()
                index = len(brackets)
                active = image or index >= bracket_floor
                bracket_floor = min(bracket_floor, index)
                lm = _LINK_TAIL.match(s, b) if active else None
                if lm is None:
                    self._add_text(a, b)
                    continue
                # A link: emphasis inside it is settled first.
                self._process_emphasis(dtail)
                toks[otok][0] = _HIDDEN
                self.intervals.append((otok, len(toks), "link"))
                toks.append([_HIDDEN, a, b, None, None])
                g = 1 if lm.group(1) is not None else 2
                ta, tb = lm.span(g)
                if ta < tb and "\n" not in s[ta:tb]:
                    toks.append([_DECO, 0, 0, (" ⟨", self._body_offset(ta)), "link-target"])
                    toks.append([_TEXT, ta, tb, None, "link-target"])
                    toks.append([_DECO, 0, 0, ("⟩", self._body_offset(tb)), "link-target"])
                pos = lm.end()
                if not image:
                    bracket_floor = len(brackets)
            else:  # "[" or "!["
                toks.append([_BRACKET, a, b, None, None])
                brackets.append((len(toks) - 1, b - a == 2, self.tail))
                pos = b
        self._process_emphasis(None)
        return self._runs()

    def _process_emphasis(self, bottom: _Delim | None) -> None:
        openers_bottom: dict[tuple[str, bool, int], _Delim | None] = {}
        closer = bottom.next if bottom is not None else self.head
        while closer is not None:
            if not closer.can_close:
                closer = closer.next
                continue
            key = (closer.char, closer.can_open, closer.orig % 3)
            limit = openers_bottom.get(key, bottom)
            opener = closer.prev
            found = False
            while opener is not None and opener is not bottom and opener is not limit:
                if opener.char == closer.char and opener.can_open:
                    odd = (
                        (opener.can_close or closer.can_open)
                        and (opener.orig + closer.orig) % 3 == 0
                        and not (opener.orig % 3 == 0 and closer.orig % 3 == 0)
                    )
                    if not odd:
                        found = True
                        break
                opener = opener.prev
            if found and opener is not None:
                use = 2 if closer.count >= 2 and opener.count >= 2 else 1
                opener.count -= use
                closer.count -= use
                opener.right_used += use
                closer.left_used += use
                self.intervals.append(
                    (opener.tok, closer.tok, "strong" if use == 2 else "emphasis")
                )
                opener.next = closer
                closer.prev = opener
                if opener.count == 0:
                    self._remove(opener)
                if closer.count == 0:
                    following = closer.next
                    self._remove(closer)
                    closer = following
            else:
                openers_bottom[key] = closer.prev
                following = closer.next
                if not closer.can_open:
                    self._remove(closer)
                closer = following
        # Drop every delimiter above the bottom.
        if bottom is None:
            self.head = self.tail = None
        else:
            bottom.next = None
            self.tail = bottom

    def _runs(self) -> tuple[Run, ...]:
        starts: dict[int, list[str]] = {}
        ends: dict[int, list[str]] = {}
        for a, b, style in self.intervals:
            starts.setdefault(a + 1, []).append(style)
            ends.setdefault(b, []).append(style)
        active: dict[str, int] = {}
        cache: dict[tuple[frozenset[str], object], frozenset[str]] = {}
        current: frozenset[str] = EMPTY_STYLES
        out: list[Run] = []
        body = self.body
        seg_starts = self.seg_starts
        segs = self.segs
        delims = self.delims
        for i, tok in enumerate(self.toks):
            if i in starts or i in ends:
                for name in starts.get(i, ()):
                    active[name] = active.get(name, 0) + 1
                for name in ends.get(i, ()):
                    active[name] = active.get(name, 0) - 1
                current = frozenset(k for k, v in active.items() if v > 0)
            kind = tok[0]
            if kind == _HIDDEN:
                continue
            extra = tok[4]
            styles = current
            if extra is not None:
                key = (current, extra)
                found = cache.get(key)
                if found is None:
                    found = cache[key] = current | {extra}
                styles = found
            if kind == _DECO:
                text, anchor = tok[3]
                out.append(Run(anchor, anchor, text, styles))
                continue
            sa: int = tok[1]
            sb: int = tok[2]
            if kind == _DELIM:
                d = delims.get(i)
                if d is not None:
                    sa += d.left_used
                    sb -= d.right_used
            k = bisect_right(seg_starts, sa) - 1
            while sa < sb:
                seg_a, seg_b = segs[k]
                base = seg_starts[k]
                chunk = min(sb, base + (seg_b - seg_a))
                if chunk > sa:
                    a = seg_a + (sa - base)
                    b = seg_a + (chunk - base)
                    prev = out[-1] if out else None
                    if (
                        prev is not None
                        and prev.end == a
                        and prev.start != a
                        and prev.styles == styles
                    ):
                        out[-1] = Run(prev.start, b, body[prev.start : b], styles)
                    else:
                        out.append(Run(a, b, body[a:b], styles))
                if chunk < sb:  # the "\n" joining two lines: a decoration space
                    out.append(Run(seg_b, seg_b, " ", styles))
                sa = chunk + 1
                k += 1
        return tuple(out)


def _inline(body: str, segs: list[tuple[int, int]]) -> tuple[Run, ...]:
    if not segs:
        return ()
    if not any(_SPECIAL.search(body, a, b) for a, b in segs):
        return _plain_runs(body, segs)
    return _InlineParser(body, segs).parse()


# --------------------------------------------------------------------------
# Block parsing

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
            self._emit("paragraph", _inline(self.body, segs), self.leaf_start, self.leaf_end)
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
        for ls, le in _lines(body):
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
            self.segs.append(_strip(body, ls, le))
            self.leaf_end = le
            return
        p, col = ls, 0
        matched = 0
        for cont in stack:
            if cont.kind == "quote":
                q, qcol = self._ws(p, col, le)
                if q < le and qcol - col < 4 and body[q] == ">":
                    p, col = q + 1, qcol + 1
                    if p < le and body[p] in _WS:
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
                if p < le and body[p] in _WS:
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
            self.segs.append(_strip(body, p, le))
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
                self.segs.append(_strip(body, q, le))
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
                a, b = _strip(body, hm.end(), le)
                j = b
                while j > a and body[j - 1] == "#":
                    j -= 1
                if j == a:
                    b = a
                elif j < b and body[j - 1] in _WS:
                    a, b = _strip(body, a, j)
                runs = _inline(body, [(a, b)]) if a < b else ()
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
        self.segs.append(_strip(body, q, le))
        self.leaf_end = le
