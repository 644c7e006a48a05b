"""Inline Markdown: the runs of one block's lines (emphasis, strong, code
spans, links and images, autolinks, backslash escapes), with their source
offsets. One pass with a delimiter list (the CommonMark algorithm, with its
"openers bottom" bound), so hostile input stays near linear.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Any

from reader.core.document.model import EMPTY_STYLES, Run
from reader.core.document.plain import plain_runs

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


def inline_runs(body: str, segs: list[tuple[int, int]]) -> tuple[Run, ...]:
    if not segs:
        return ()
    if not any(_SPECIAL.search(body, a, b) for a, b in segs):
        return plain_runs(body, segs)
    return _InlineParser(body, segs).parse()
