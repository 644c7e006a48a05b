"""The article pane: a line-API view of one article's title, metadata and body.

Only the lines on screen are ever turned into segments (Textual's Line API,
:class:`~textual.scroll_view.ScrollView` with :meth:`ArticleView.render_line`).
Opening an article prepares each :class:`~reader.core.document.Block` once
(its display text and the display position of every run) and wraps it to
the pane; the wrapped layout is cached per width, so scrolling only renders
the visible lines and a resize only re-wraps.

Text is wrapped to at most :attr:`ArticleView.max_width` cells (88 by
default) and centred in wider panes; lines break at spaces, words longer
than a line are broken hard, wide characters (CJK, emoji) count two cells,
tabs in code blocks expand to 4-column stops (elsewhere a tab shows as one
space). Nothing is ever turned into markup: every line is a
:class:`~textual.strip.Strip` of :class:`~rich.segment.Segment` objects.

Offsets
-------
:meth:`ArticleView.show` and :meth:`ArticleView.set_spans` take spans as
``(start, end, kind)`` in *body* offsets (``title_spans`` in title offsets).
Thanks to the document's offset invariant (see :mod:`reader.core.document`)
a span covers exactly the displayed characters whose source offset lies in
``[start, end)`` (an inserted decoration counts as the character at its
anchor). ``kind`` is an entity label ``PER``, ``LOC``, ``ORG``, ``MISC``,
``DATE``, or ``hit`` / ``hit-current`` for search hits.

Styling scheme
--------------
Every style is a component class (``article-view--…``), so themes apply;
the rules live in ``reader.tcss`` between the ``article-view`` markers. Each
entity type has a colour *and* a non-colour cue, so the types stay apart at
16 colours, in 256-colour terminals and under ``NO_COLOR``:

========  ==========================  =================================
kind      cue without colour          colour (truecolor / ANSI themes)
========  ==========================  =================================
PER       bold                        blue
LOC       underline                   green
ORG       bold + underline            magenta
MISC      italic                      orange (ANSI: cyan)
DATE      italic + underline          teal (ANSI: red)
hit       reverse video               (reverse of the text colours)
current   reverse + bold, strong bg   accent background, bold
========  ==========================  =================================

Styles layer: block style (heading, quote, code...), then inline styles
(emphasis = italic, strong = bold, code, link), then entity, then hit; Rich
style addition keeps every attribute, so a hit inside an entity shows both.
Where a character is both ``hit`` and ``hit-current``, only the current-hit
style is used. The colours come from fixed light/dark palettes (chosen for
contrast on both backgrounds) selected with the ``:dark``/``:light`` pseudo
classes, and from the terminal's own palette (``ansi_*`` colours) under
``:ansi`` themes; ``:nocolor`` keeps just the cues.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.articles.article import Article
from reader.core.document import Block, Document, Run

Span = tuple[int, int, str]

TAB_SIZE = 4
LIST_INDENT = 3
QUOTE_BAR = "│ "
RULE_CHAR = "─"
META_SEPARATOR = " · "
ENTITY_KINDS = ("PER", "LOC", "ORG", "MISC", "DATE")
SPAN_KINDS = (*ENTITY_KINDS, "hit", "hit-current")

_STYLE_CLASS = {
    "emphasis": "article-view--emphasis",
    "strong": "article-view--strong",
    "code": "article-view--code",
    "link": "article-view--link",
    "link-target": "article-view--link-target",
}
_SPAN_CLASS = {kind: f"article-view--{kind.lower()}" for kind in SPAN_KINDS}
#: The order styles are layered in: later ones win a conflict (colours).
_LAYER = {
    name: i
    for i, name in enumerate(
        (
            "article-view--heading",
            "article-view--meta",
            "article-view--quote",
            "article-view--code",
            "article-view--rule",
            "article-view--marker",
            "article-view--emphasis",
            "article-view--strong",
            "article-view--link",
            "article-view--link-target",
            *(_SPAN_CLASS[k] for k in SPAN_KINDS),
        )
    )
}


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


def _wrap(text: str, a: int, b: int, width: int, out: list[tuple[int, int]]) -> None:
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
class _Para:
    """A block prepared for display (independent of the width)."""

    text: str
    base: str | None = None
    first_prefix: tuple[tuple[str, str | None], ...] = ()
    rest_prefix: tuple[tuple[str, str | None], ...] = ()
    prefix_width: int = 0
    source: str | None = None  # "body", "title" or None (no spans)
    # Per run: the last source key, display start, source start, tab-expanded?
    runs: Sequence[Run] = ()
    run_keys: list[int] = field(default_factory=list)
    run_dstart: list[int] = field(default_factory=list)
    tabbed: bool = False  # code runs with tabs expanded (display length differs)
    styles: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    gap_before: int = 1
    rule: bool = False
    key: int = 0  # the source key of the block (for offset look-ups)

    def display_index(self, offset: int) -> int:
        """The first display index whose source key is ``>= offset``."""
        j = bisect_left(self.run_keys, offset)
        if j >= len(self.run_keys):
            return len(self.text)
        run = self.runs[j]
        if run.start == run.end or offset <= run.start:
            return self.run_dstart[j]
        k = offset - run.start
        if self.tabbed and "\t" in run.text:
            return self.run_dstart[j] + len(run.text[:k].expandtabs(TAB_SIZE))
        return self.run_dstart[j] + k


def _prepare_runs(para: _Para, runs: Sequence[Run], code: bool) -> None:
    """Fill in the display text of ``para`` and where each run starts in it."""
    para.runs = runs
    para.run_keys = [r.start if r.start == r.end else r.end - 1 for r in runs]
    texts = [r.text for r in runs]
    if code and any("\t" in t for t in texts):
        # Code lines start right after a "\n" run, so each run's tabs expand
        # from column 0 of its line.
        texts = [t.expandtabs(TAB_SIZE) for t in texts]
        para.tabbed = True
    para.run_dstart = [0, *accumulate(map(len, texts))][:-1] if texts else []
    text = "".join(texts)
    para.text = text.replace("\t", " ") if "\t" in text else text
    styles = para.styles
    dstarts = para.run_dstart
    for j, run in enumerate(runs):
        if not run.styles:
            continue
        names = _style_names(run.styles)
        if not names:
            continue
        a = dstarts[j]
        b = a + len(texts[j])
        if styles and styles[-1][1] == a and styles[-1][2] == names:
            styles[-1] = (styles[-1][0], b, names)
        else:
            styles.append((a, b, names))


@lru_cache(maxsize=256)
def _style_names(styles: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(_STYLE_CLASS[s] for s in styles if s in _STYLE_CLASS))


def _block_para(block: Block, previous: Block | None) -> _Para:
    quote_prefix: tuple[tuple[str, str | None], ...] = (
        ((QUOTE_BAR * block.quote_depth, "article-view--quote"),) if block.quote_depth else ()
    )
    indent = " " * (LIST_INDENT * block.depth)
    first: tuple[tuple[str, str | None], ...]
    rest: tuple[tuple[str, str | None], ...]
    if block.kind == "list_item":
        marker = block.marker.ljust(LIST_INDENT - 1) + " "
        first = (*quote_prefix, (indent, None), (marker, "article-view--marker"))
        rest = (*quote_prefix, (indent + " " * len(marker), None))
    else:
        first = rest = (*quote_prefix, (indent, None)) if indent else quote_prefix
    base = {
        "heading": "article-view--heading",
        "quote": "article-view--quote",
        "code": "article-view--code",
        "rule": "article-view--rule",
    }.get(block.kind)
    para = _Para("", base, first, rest, sum(cell_len(t) for t, _ in first), "body")
    para.rule = block.kind == "rule"
    if block.kind == "list_item" and previous is not None:
        if previous.kind == "list_item" or previous.depth > 0:
            para.gap_before = 0
    elif block.depth > 0 and previous is not None and block.kind != "paragraph":
        para.gap_before = 0
    _prepare_runs(para, block.runs, code=block.kind == "code")
    para.key = block.runs[0].start if block.runs else block.start
    return para


def _meta_para(article: Article) -> _Para | None:
    parts: list[tuple[str, str | None]] = []
    fields: list[list[tuple[str, str | None]]] = []
    if article.author:
        fields.append([(article.authors_display, None)])
    if article.date:
        fields.append([(article.date, None)])
    if article.source:
        fields.append([(article.source, None)])
    if article.lang and article.lang != "und":
        fields.append([(article.lang, None)])
    if article.tags:
        fields.append([(" ".join(f"#{tag}" for tag in article.tags), None)])
    if article.url:
        fields.append([(article.url, "article-view--link")])
    if article.truncated:
        fields.append([("truncated", None)])
    if not fields:
        return None
    for i, pieces in enumerate(fields):
        if i:
            parts.append((META_SEPARATOR, None))
        parts.extend(pieces)
    runs = [Run(0, 0, text, frozenset()) for text, _ in parts]
    para = _Para("", "article-view--meta", gap_before=0)
    _prepare_runs(para, runs, code=False)
    pos = 0
    for text, cls in parts:
        if cls is not None:
            para.styles.append((pos, pos + len(text), (cls,)))
        pos += len(text)
    return para


def _map_spans(paras: Sequence[_Para], keys: Sequence[int], spans: Iterable[Span]) -> None:
    """Turn source-offset spans into display ranges on the paragraphs."""
    for para in paras:
        para.spans = []
    n = len(paras)
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[1])):
        if end <= start or kind not in _SPAN_CLASS:
            continue
        j = max(0, bisect_right(keys, start) - 1)
        while j < n and keys[j] < end:
            para = paras[j]
            lo = para.display_index(start)
            hi = para.display_index(end)
            if lo < hi:
                para.spans.append((lo, hi, kind))
            j += 1


class ArticleView(ScrollView, can_focus=True):
    """Shows one article: title, metadata line, then the parsed document."""

    COMPONENT_CLASSES = {
        "article-view--heading",
        "article-view--meta",
        "article-view--quote",
        "article-view--code",
        "article-view--link",
        "article-view--link-target",
        "article-view--emphasis",
        "article-view--strong",
        "article-view--rule",
        "article-view--marker",
        "article-view--per",
        "article-view--loc",
        "article-view--org",
        "article-view--misc",
        "article-view--date",
        "article-view--hit",
        "article-view--hit-current",
    }

    # Layout only, and the non-colour cues: colours live in reader.tcss.
    DEFAULT_CSS = """
    ArticleView {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        padding: 0 1;
    }
    ArticleView > .article-view--heading { text-style: bold; }
    ArticleView > .article-view--emphasis { text-style: italic; }
    ArticleView > .article-view--strong { text-style: bold; }
    ArticleView > .article-view--per { text-style: bold; }
    ArticleView > .article-view--loc { text-style: underline; }
    ArticleView > .article-view--org { text-style: bold underline; }
    ArticleView > .article-view--misc { text-style: italic; }
    ArticleView > .article-view--date { text-style: italic underline; }
    ArticleView > .article-view--hit { text-style: reverse; }
    ArticleView > .article-view--hit-current { text-style: reverse bold; }
    """

    BINDINGS = [
        Binding("j,down", "line_down", "Down", show=False, id="article.line_down"),
        Binding("k,up", "line_up", "Up", show=False, id="article.line_up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="article.half_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="article.half_up"),
        Binding("g,home", "top", "Top", show=False, id="article.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="article.bottom"),
    ]

    max_width: reactive[int] = reactive(88)
    """The widest the text column gets (cells); wider panes centre it."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.document: Document | None = None
        self._paras: list[_Para] = []
        self._body_paras: list[_Para] = []
        self._body_keys: list[int] = []
        self._title_para: _Para | None = None
        self._spans: tuple[Span, ...] = ()
        self._title_spans: tuple[Span, ...] = ()
        # The wrapped layout: one entry per line; para index -1 is a blank line.
        self._layout_width = -1
        self._line_para: list[int] = []
        self._line_start: list[int] = []
        self._line_end: list[int] = []
        self._para_first_line: list[int] = []
        self._strips: dict[int, Strip] = {}
        self._styles: dict[tuple[str, ...], Style] = {}
        self._pending_offset: tuple[int, bool] | None = None
        self._relayout_scheduled = False

    # ------------------------------------------------------------------ API

    def show(
        self,
        article: Article,
        document: Document,
        spans: Sequence[Span] = (),
        title_spans: Sequence[Span] = (),
    ) -> None:
        """Display ``article`` (whose body parsed to ``document``) from the top."""
        self.article = article
        self.document = document
        paras: list[_Para] = []
        title = _Para("", "article-view--heading", source="title", gap_before=0)
        _prepare_runs(title, [Run(0, len(article.title), article.title)], code=False)
        paras.append(title)
        meta = _meta_para(article)
        if meta is not None:
            paras.append(meta)
        body_paras: list[_Para] = []
        previous: Block | None = None
        for block in document.blocks:
            para = _block_para(block, previous)
            body_paras.append(para)
            previous = block
        paras.extend(body_paras)
        self._paras = paras
        self._title_para = title
        self._body_paras = body_paras
        self._body_keys = [p.key for p in body_paras]
        self._pending_offset = None
        self._layout_width = -1
        self.set_spans(spans, title_spans)
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)

    def clear(self) -> None:
        """Show nothing."""
        self.article = None
        self.document = None
        self._paras = []
        self._body_paras = []
        self._body_keys = []
        self._title_para = None
        self._layout_width = -1
        self._relayout()

    def set_spans(self, spans: Sequence[Span], title_spans: Sequence[Span] = ()) -> None:
        """Re-style entities and hits without re-parsing or re-wrapping."""
        self._spans = tuple(spans)
        self._title_spans = tuple(title_spans)
        _map_spans(self._body_paras, self._body_keys, self._spans)
        if self._title_para is not None:
            _map_spans([self._title_para], [0], self._title_spans)
        self._strips.clear()
        self.refresh()

    def line_of_offset(self, offset: int) -> int:
        """The layout line showing body ``offset`` (the nearest one if hidden)."""
        if not self._body_paras or self._layout_width < 0:
            return 0
        j = max(0, bisect_right(self._body_keys, offset) - 1)
        para = self._body_paras[j]
        index = para.display_index(offset)
        if index >= len(para.text) and j + 1 < len(self._body_paras):
            # In markup between two blocks (a heading's "#", a list marker...):
            # the next block is where the offset belongs.
            j += 1
            para = self._body_paras[j]
            index = 0
        if index >= len(para.text) and index > 0:
            index = len(para.text) - 1
        para_index = len(self._paras) - len(self._body_paras) + j
        return self._line_of_display(para_index, index)

    def scroll_to_offset(self, offset: int, *, center: bool = True) -> None:
        """Scroll so the line holding body ``offset`` is visible (centred)."""
        if self._layout_width < 0:
            self._pending_offset = (offset, center)
            return
        line = self.line_of_offset(offset)
        height = self.scrollable_content_region.height or self.size.height
        if center:
            y = line - height // 2
        elif line < self.scroll_offset.y:
            y = line
        elif line >= self.scroll_offset.y + height:
            y = line - height + 1
        else:
            return
        self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)

    @property
    def line_count(self) -> int:
        """The number of wrapped lines at the current width."""
        return len(self._line_para)

    # --------------------------------------------------------------- layout

    def _text_geometry(self) -> tuple[int, int]:
        """(text column width, left margin) for the current size."""
        width = self.scrollable_content_region.width
        text_width = max(1, min(self.max_width, width))
        return text_width, max(0, (width - text_width) // 2)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._layout_width = -1
            self._line_para, self._line_start, self._line_end = [], [], []
            self._para_first_line = []
            return
        text_width, _ = self._text_geometry()
        anchor = self._top_anchor()
        line_para: list[int] = []
        line_start: list[int] = []
        line_end: list[int] = []
        first_line: list[int] = []
        ranges: list[tuple[int, int]] = []
        for i, para in enumerate(self._paras):
            first_line.append(len(line_para))
            if i and para.gap_before:
                for _ in range(para.gap_before):
                    line_para.append(-1)
                    line_start.append(0)
                    line_end.append(0)
            available = max(text_width - para.prefix_width, min(text_width, 8))
            ranges.clear()
            text = para.text
            if para.rule or "\n" not in text:
                _wrap(text, 0, len(text), available, ranges)
            else:
                a = 0
                while True:
                    nl = text.find("\n", a)
                    if nl < 0:
                        _wrap(text, a, len(text), available, ranges)
                        break
                    _wrap(text, a, nl, available, ranges)
                    a = nl + 1
            for start, end in ranges:
                line_para.append(i)
                line_start.append(start)
                line_end.append(end)
        self._line_para, self._line_start, self._line_end = line_para, line_start, line_end
        self._para_first_line = first_line
        self._layout_width = width
        self._strips.clear()
        self.virtual_size = Size(width, len(line_para))
        if anchor is not None:
            para_index, index = anchor
            self.scroll_to(y=self._line_of_display(para_index, index), animate=False, force=True)
        if self._pending_offset is not None:
            offset, center = self._pending_offset
            self._pending_offset = None
            self.call_after_refresh(self.scroll_to_offset, offset, center=center)
        self.refresh()

    def _top_anchor(self) -> tuple[int, int] | None:
        """The paragraph and display index at the top of the view (to keep on rewrap)."""
        y = self.scroll_offset.y
        if self._layout_width < 0 or y <= 0 or y >= len(self._line_para):
            return None
        while y < len(self._line_para) - 1 and self._line_para[y] < 0:
            y += 1
        para_index = self._line_para[y]
        if para_index < 0 or para_index >= len(self._paras):
            return None
        return para_index, self._line_start[y]

    def _line_of_display(self, para_index: int, index: int) -> int:
        """The layout line showing display ``index`` of paragraph ``para_index``
        (the blank lines before the paragraph are skipped)."""
        first = self._para_first_line[para_index]
        last = (
            self._para_first_line[para_index + 1]
            if para_index + 1 < len(self._para_first_line)
            else len(self._line_para)
        )
        while first < last - 1 and self._line_para[first] != para_index:
            first += 1
        return max(first, bisect_right(self._line_start, index, first, last) - 1)

    def _relayout_if_needed(self) -> None:
        self._relayout_scheduled = False
        if self.scrollable_content_region.width != self._layout_width:
            self._relayout()

    def on_resize(self, event: Resize) -> None:
        if self.scrollable_content_region.width != self._layout_width:
            self._relayout()

    def watch_max_width(self) -> None:
        if self.is_mounted:
            self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._strips = {}

    # ------------------------------------------------------------ rendering

    def _style(self, names: tuple[str, ...]) -> Style:
        style = self._styles.get(names)
        if style is None:
            style = self.rich_style
            for name in sorted(names, key=_LAYER.__getitem__):
                style += self.get_component_rich_style(name, partial=True)
            self._styles[names] = style
        return style

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if width != self._layout_width and width > 0:
            # The size changed under us: draw blank and re-wrap right after.
            if not self._relayout_scheduled:
                self._relayout_scheduled = True
                self.call_later(self._relayout_if_needed)
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._render_layout_line(index, width)
            if len(self._strips) > 512:
                self._strips.clear()
            self._strips[index] = strip
        return strip

    def _render_layout_line(self, index: int, width: int) -> Strip:
        base = self.rich_style
        if index < 0 or index >= len(self._line_para) or self._line_para[index] < 0:
            return Strip.blank(width, base)
        para_index = self._line_para[index]
        para = self._paras[para_index]
        start, end = self._line_start[index], self._line_end[index]
        text_width, margin = self._text_geometry()
        segments: list[Segment] = []
        if margin:
            segments.append(Segment(" " * margin, base))
        first = start == 0
        prefix = para.first_prefix if first else para.rest_prefix
        for text, cls in prefix:
            if text:
                segments.append(Segment(text, self._style((cls,)) if cls else base))
        block_names: tuple[str, ...] = (para.base,) if para.base else ()
        if para.rule:
            rule_width = max(0, text_width - para.prefix_width)
            segments.append(Segment(RULE_CHAR * rule_width, self._style(block_names)))
        else:
            segments.extend(self._text_segments(para, start, end, block_names))
        return Strip(segments).adjust_cell_length(width, base)

    def _text_segments(
        self, para: _Para, start: int, end: int, block_names: tuple[str, ...]
    ) -> list[Segment]:
        text = para.text
        if start >= end:
            return []
        # Style ranges (non-overlapping, sorted) and spans crossing the line.
        styles = para.styles
        ranges: list[tuple[int, int, tuple[str, ...]]] = []
        if styles:
            j = bisect_right(styles, (start, 1 << 62)) - 1
            j = max(j, 0)
            while j < len(styles) and styles[j][0] < end:
                a, b, names = styles[j]
                if b > start:
                    ranges.append((max(a, start), min(b, end), names))
                j += 1
        spans = [(max(a, start), min(b, end), k) for a, b, k in para.spans if a < end and b > start]
        if not ranges and not spans:
            return [Segment(text[start:end], self._style(block_names))]
        cuts = {start, end}
        for a, b, _ in ranges:
            cuts.add(a)
            cuts.add(b)
        for a, b, _ in spans:
            cuts.add(a)
            cuts.add(b)
        points = sorted(cuts)
        segments: list[Segment] = []
        r = 0
        for a, b in pairwise(points):
            names: list[str] = list(block_names)
            while r < len(ranges) and ranges[r][1] <= a:
                r += 1
            if r < len(ranges) and ranges[r][0] <= a:
                names.extend(ranges[r][2])
            kinds = {k for sa, sb, k in spans if sa <= a and sb >= b}
            if "hit-current" in kinds:
                kinds.discard("hit")
            names.extend(_SPAN_CLASS[k] for k in sorted(kinds))
            segments.append(Segment(text[a:b], self._style(tuple(names))))
        return segments

    # -------------------------------------------------------------- actions

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def action_line_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_line_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_page_down(self) -> None:
        self.scroll_relative(y=max(1, self._page() - 1), animate=False)

    def action_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self._page() - 1), animate=False)

    def action_half_page_down(self) -> None:
        self.scroll_relative(y=max(1, self._page() // 2), animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self._page() // 2), animate=False)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # ------------------------------------------------------------- testing

    def line_text(self, line: int) -> str:
        """The plain text of layout line ``line`` (without margin; for tests and tools)."""
        width = self._layout_width
        if width <= 0:
            return ""
        return self._render_layout_line(line, width).text
