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

Spans are ``(start, end, kind)`` in body offsets (title offsets for
``title_spans``); ``kind`` is an entity label or ``hit``/``hit-current``.
Every style is a component class (``article-view--…``) whose colours live in
``reader.tcss``; each entity type also has a cue that needs no colour (and no
italics where the terminal has none). Details: ``docs/article-view.md``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.articles.article import Article
from reader.core.document import Document
from reader.ui import terminal_caps
from reader.ui.article_layout import Layout, line_pieces, wrap_paras
from reader.ui.article_paragraphs import (
    ENTITY_KINDS,
    LAYER,
    SPAN_KINDS,
    ArticleParas,
    Para,
    Span,
    article_paras,
    map_spans,
)

__all__ = ["ENTITY_KINDS", "SPAN_KINDS", "ArticleView", "Span"]

RULE_CHAR = "─"


class ArticleView(ScrollView, can_focus=True):
    """Shows one article: title, metadata line, then the parsed document."""

    COMPONENT_CLASSES = {
        "article-view--heading",
        "article-view--meta",
        "article-view--standfirst",
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
    ArticleView.-no-italic > .article-view--misc { text-style: dim; }
    ArticleView.-no-italic > .article-view--date { text-style: dim underline; }
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

    progress: reactive[str] = reactive("")
    """How far through the article the view is, as ``less`` shows it: ``45%``
    (the share of lines down to the bottom of the view); empty with no article."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        italics: bool | None = None,
    ) -> None:
        """``italics``: whether the terminal shows italics (``None``: ask its
        terminfo entry); without them, the italic cues become dim ones."""
        super().__init__(name=name, id=id, classes=classes)
        self.article: Article | None = None
        self.document: Document | None = None
        self._italics = italics
        self._paras = ArticleParas([], Para(""), [], [])
        self._spans: tuple[Span, ...] = ()
        self._title_spans: tuple[Span, ...] = ()
        self._layout = Layout()
        self._strips: dict[int, Strip] = {}
        self._styles: dict[tuple[str, ...], Style] = {}
        self._pending_offset: tuple[int, bool] | None = None
        self._relayout_scheduled = False

    def on_mount(self) -> None:
        italics = self._italics
        if italics is None:
            italics = terminal_caps.terminal_has_italics()
        self.set_class(not italics, "-no-italic")

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
        self._paras = article_paras(article, document)
        self._pending_offset = None
        self._layout = Layout()
        self.set_spans(spans, title_spans)
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._update_progress()

    def clear(self) -> None:
        """Show nothing."""
        self.article = None
        self.document = None
        self._paras = ArticleParas([], Para(""), [], [])
        self._layout = Layout()
        self._relayout()
        self._update_progress()

    def set_spans(self, spans: Sequence[Span], title_spans: Sequence[Span] = ()) -> None:
        """Re-style entities and hits without re-parsing or re-wrapping."""
        self._spans = tuple(spans)
        self._title_spans = tuple(title_spans)
        paras = self._paras
        map_spans(paras.body, paras.body_keys, self._spans)
        if self.article is not None:
            map_spans([paras.title], [0], self._title_spans)
        self._strips.clear()
        self.refresh()

    def line_of_offset(self, offset: int) -> int:
        """The layout line showing body ``offset`` (the nearest one if hidden)."""
        body = self._paras.body
        if not body or self._layout.width < 0:
            return 0
        j = max(0, bisect_right(self._paras.body_keys, offset) - 1)
        para = body[j]
        index = para.display_index(offset)
        if index >= len(para.text) and j + 1 < len(body):
            # In markup between two blocks (a heading's "#", a list marker...):
            # the next block is where the offset belongs.
            j += 1
            para = body[j]
            index = 0
        if index >= len(para.text) and index > 0:
            index = len(para.text) - 1
        return self._layout.line_of_display(self._paras.body_first + j, index)

    def scroll_to_offset(self, offset: int, *, center: bool = True) -> None:
        """Scroll so the line holding body ``offset`` is visible (centred)."""
        if self._layout.width < 0:
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
    def layout_width(self) -> int:
        """The pane width the lines are wrapped for (-1 before any layout)."""
        return self._layout.width

    @property
    def line_count(self) -> int:
        """The number of wrapped lines at the current width."""
        return len(self._layout)

    def position(self) -> tuple[int, int, int]:
        """``(first, last, total)``: the 1-based lines on screen and the line count."""
        total = len(self._layout)
        if total == 0:
            return 0, 0, 0
        height = max(1, self.scrollable_content_region.height)
        first = min(total, int(self.scroll_offset.y) + 1)
        return first, min(total, first + height - 1), total

    # --------------------------------------------------------------- layout

    def _text_geometry(self) -> tuple[int, int]:
        """(text column width, left margin) for the current size."""
        width = self.scrollable_content_region.width
        text_width = max(1, min(self.max_width, width))
        return text_width, max(0, (width - text_width) // 2)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._layout = Layout()
            return
        anchor = self._layout.anchor(self.scroll_offset.y) if self._layout.width >= 0 else None
        text_width, _ = self._text_geometry()
        self._layout = wrap_paras(self._paras.paras, text_width, width)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._layout))
        if anchor is not None and anchor[0] < len(self._paras.paras):
            y = self._layout.line_of_display(*anchor)
            self.scroll_to(y=y, animate=False, force=True)
        if self._pending_offset is not None:
            offset, center = self._pending_offset
            self._pending_offset = None
            self.call_after_refresh(self.scroll_to_offset, offset, center=center)
        self.call_after_refresh(self._update_progress)
        self.refresh()

    def _relayout_if_needed(self) -> None:
        self._relayout_scheduled = False
        if self.scrollable_content_region.width != self._layout.width:
            self._relayout()

    def on_resize(self, event: Resize) -> None:
        if self.scrollable_content_region.width != self._layout.width:
            self._relayout()
        self._update_progress()

    def watch_max_width(self) -> None:
        if self.is_mounted:
            self._relayout()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._update_progress()

    def _update_progress(self) -> None:
        _, last, total = self.position()
        self.progress = f"{100 * last // total}%" if total and self.article else ""

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._strips = {}

    # ------------------------------------------------------------ rendering

    def _style(self, names: tuple[str, ...]) -> Style:
        style = self._styles.get(names)
        if style is None:
            style = self.rich_style
            for name in sorted(names, key=LAYER.__getitem__):
                style += self.get_component_rich_style(name, partial=True)
            self._styles[names] = style
        return style

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if width != self._layout.width and width > 0:
            # The size changed under us: draw blank and re-wrap right after.
            if not self._relayout_scheduled:
                self._relayout_scheduled = True
                self.call_later(self._relayout_if_needed)
            return Strip.blank(width, self._style(()))
        strip = self._strips.get(index)
        if strip is None:
            strip = self._render_layout_line(index, width)
            if len(self._strips) > 512:
                self._strips.clear()
            self._strips[index] = strip
        return strip

    def _render_layout_line(self, index: int, width: int) -> Strip:
        base = self._style(())
        layout = self._layout
        if index < 0 or index >= len(layout) or layout.line_para[index] < 0:
            return Strip.blank(width, base)
        para = self._paras.paras[layout.line_para[index]]
        start, end = layout.line_start[index], layout.line_end[index]
        text_width, margin = self._text_geometry()
        segments: list[Segment] = []
        if margin:
            segments.append(Segment(" " * margin, base))
        prefix = para.first_prefix if start == 0 else para.rest_prefix
        for text, cls in prefix:
            if text:
                segments.append(Segment(text, self._style((cls,)) if cls else base))
        block_names: tuple[str, ...] = (para.base,) if para.base else ()
        if para.rule:
            rule_width = max(0, text_width - para.prefix_width)
            segments.append(Segment(RULE_CHAR * rule_width, self._style(block_names)))
        else:
            segments.extend(
                Segment(text, self._style(names))
                for text, names in line_pieces(para, start, end, block_names)
            )
        return Strip(segments).adjust_cell_length(width, base)

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
        width = self._layout.width
        if width <= 0:
            return ""
        return self._render_layout_line(line, width).text

    def line_strip(self, line: int) -> Strip:
        """Layout line ``line`` as drawn (margin included; for tests and tools)."""
        return self._render_layout_line(line, max(0, self._layout.width))
