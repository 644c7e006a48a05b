"""The sidebar: a virtual, line-rendered list of articles.

Only the rows on screen are ever turned into segments (the Line API), so the
list paints 100k articles as fast as 10, and a resize or a scroll costs only
the visible rows. Each entry takes :data:`ROW_HEIGHT` lines: a title line and
a detail line (date, language, source, or a search snippet with its hits).
"""

from __future__ import annotations

from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

ROW_HEIGHT = 2

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One row of the list: display strings (already sanitised) and the
    character ranges to highlight in them."""

    key: str
    title: str
    detail: str
    title_hits: Spans = ()
    detail_hits: Spans = ()
    badge: str = ""
    marker: str = ""
    """One cell before the title (``●`` unread, ``›`` a search result)."""
    flag: str = ""
    """One cell before the detail line (``★`` starred), so a starred unread
    article shows both marks."""
    lazy: Callable[[], ListEntry] | None = field(default=None, compare=False, hash=False)
    """When set, called the first time the row is drawn to get the full entry
    (search results compute their snippets only for the rows seen)."""


def _spans_to_segments(text: str, base: Style, hits: Spans, hit_style: Style) -> list[Segment]:
    if not hits:
        return [Segment(text, base)]
    segments: list[Segment] = []
    position = 0
    for start, end in sorted(hits):
        start = max(start, position)
        end = min(end, len(text))
        if start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], base))
        segments.append(Segment(text[start:end], base + hit_style))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], base))
    return segments


def _fit(segments: list[Segment], width: int, fill: Style) -> Strip:
    """Crop to ``width`` cells with an ellipsis, or pad to it."""
    strip = Strip(segments)
    if strip.cell_length > width and width > 1:
        strip = Strip(list(strip.crop(0, width - 1)) + [Segment("…", segments[-1].style)])
    return strip.extend_cell_length(width, fill).crop(0, width)


class ArticleList(ScrollView, can_focus=True):
    """A keyboard-driven list of :class:`ListEntry` rows."""

    COMPONENT_CLASSES = {
        "article-list--title",
        "article-list--detail",
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--hit",
        "article-list--marker",
        "article-list--badge",
        "article-list--empty",
    }

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown,space,ctrl+f", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup,b,ctrl+b", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="list.half_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="list.half_up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter,l", "select", "Open", id="list.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another entry."""

        def __init__(self, entry: ListEntry, index: int) -> None:
            super().__init__()
            self.entry = entry
            self.index = index

    class Selected(Message):
        """An entry was chosen (Enter or click)."""

        def __init__(self, entry: ListEntry, index: int) -> None:
            super().__init__()
            self.entry = entry
            self.index = index

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: MutableSequence[ListEntry] = []
        self._cache: dict[tuple[int, int, int, bool], Strip] = {}
        # the widget's style and its components' (a walk of the ancestors'
        # styles each: too slow to ask for on every row drawn)
        self._styles: dict[str | None, Style] = {}
        self.empty_message = "No articles."

    # Data -----------------------------------------------------------------

    @property
    def entries(self) -> Sequence[ListEntry]:
        return self._entries

    def set_entries(
        self, entries: Sequence[ListEntry], *, cursor: int = 0, highlight: bool = True
    ) -> None:
        """Replace all rows (a mutable sequence such as
        :class:`~reader.ui.widgets.list_rows.LazyRows` is kept as it is:
        its rows are made when drawn); put the cursor at ``cursor`` and
        highlight that row, unless ``highlight`` is False (the article to
        select is not listed yet)."""
        lazy = isinstance(entries, MutableSequence) and hasattr(entries, "index_of")
        self._entries = entries if lazy else list(entries)  # type: ignore[assignment]
        self._changed()
        row = max(0, min(cursor, len(self._entries) - 1))
        if highlight:
            self.cursor = row
        else:
            self.set_reactive(ArticleList.cursor, row)
            self.refresh()

    def append_entries(self, entries: Sequence[ListEntry], *, highlight: bool = True) -> None:
        """Add rows at the end (progressive loading) without moving the
        cursor; the first rows added are highlighted unless ``highlight``
        is False (another article is to be selected once listed)."""
        first = not self._entries
        if not isinstance(self._entries, list):
            self._entries = list(self._entries)
        self._entries.extend(entries)
        self._changed()
        if first and self._entries and highlight:
            self.cursor = 0

    def update_entry(self, index: int, entry: ListEntry) -> None:
        """Replace one row in place."""
        if 0 <= index < len(self._entries):
            self._entries[index] = entry
            self._cache = {key: strip for key, strip in self._cache.items() if key[0] != index}
            self.refresh_lines(index * ROW_HEIGHT, ROW_HEIGHT)

    def resolve(self, index: int) -> ListEntry:
        """The entry at ``index``, computing a lazy one now."""
        entry = self._entries[index]
        if entry.lazy is not None:
            entry = entry.lazy()
            self._entries[index] = entry
        return entry

    def index_of(self, key: str) -> int | None:
        finder = getattr(self._entries, "index_of", None)
        if finder is not None:
            found: int | None = finder(key)
            return found
        for index, entry in enumerate(self._entries):
            if entry.key == key:
                return index
        return None

    @property
    def current(self) -> ListEntry | None:
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def _changed(self) -> None:
        self._cache.clear()
        self._size_rows()
        self.refresh()

    def _size_rows(self) -> None:
        """The scrollable height: the rows, and a blank line below them when
        the view's height is odd, so that the end of the list (the furthest
        scroll) still starts on a whole row instead of half a row."""
        lines = len(self._entries) * ROW_HEIGHT
        height = self.scrollable_content_region.height
        if lines > height > 0:
            lines += -(lines - height) % ROW_HEIGHT
        self.virtual_size = Size(self.size.width, lines)

    # Rendering ------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_styles()

    def _forget_styles(self) -> None:
        self._cache.clear()
        self._styles.clear()

    def _style(self, component: str | None = None) -> Style:
        """The widget's rich style (``component`` None) or a component's
        own rules (partial), remembered until the styles change."""
        style = self._styles.get(component)
        if style is None:
            if component is None:
                style = self.rich_style
            else:
                style = self.get_component_rich_style(component, partial=True)
            self._styles[component] = style
        return style

    def on_resize(self) -> None:
        self._cache.clear()
        self._size_rows()
        # Shown again (after Esc below 80 columns) or resized: the cursor stays in view.
        self.call_after_refresh(self._show_cursor)

    def on_focus(self) -> None:
        self._forget_styles()
        self.refresh()

    def on_blur(self) -> None:
        self._forget_styles()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._style()
        if not self._entries:
            if y == 0:
                style = base + self.get_component_rich_style("article-list--empty")
                return _fit([Segment(" " + self.empty_message, style)], width, base)
            return Strip.blank(width, base)
        index, part = divmod(line, ROW_HEIGHT)
        if index >= len(self._entries):
            return Strip.blank(width, base)
        selected = index == self.cursor
        key = (index, part, width, selected)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._render_row(self.resolve(index), part, width, selected)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def _part_style(self, name: str, cursor: Style | None) -> Style:
        """The widget's style, then the component's own rules, then the
        cursor's (last, so its background and colour show in every cell)."""
        style = self._style() + self._style(name)
        return style if cursor is None else style + cursor

    def _render_row(self, entry: ListEntry, part: int, width: int, selected: bool) -> Strip:
        cursor: Style | None = None
        base = self._style()
        if selected:
            name = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            cursor = self._style(name)
            base = base + cursor
        hit = self._style("article-list--hit")
        if cursor is not None and cursor.reverse and hit.reverse:
            # Reverse on a reversed row would vanish: underline the hits there.
            hit += Style(reverse=False, underline=True)
        if part == 0:
            marker_style = self._part_style("article-list--marker", cursor)
            segments = [Segment((entry.marker or " ")[:1] + " ", marker_style)]
            title_style = self._part_style("article-list--title", cursor)
            segments += _spans_to_segments(entry.title, title_style, entry.title_hits, hit)
            if entry.badge:
                badge_style = self._part_style("article-list--badge", cursor)
                room = width - cell_len(entry.badge) - 1
                head = _fit(segments, max(1, room), base)
                return (
                    Strip(list(head) + [Segment(" " + entry.badge, badge_style)])
                    .extend_cell_length(width, base)
                    .crop(0, width)
                )
            return _fit(segments, width, base)
        detail_style = self._part_style("article-list--detail", cursor)
        flag_style = self._part_style("article-list--marker", cursor)
        segments = [Segment((entry.flag or " ")[:1] + " ", flag_style)]
        segments += _spans_to_segments(entry.detail, detail_style, entry.detail_hits, hit)
        return _fit(segments, width, base)

    # Cursor ---------------------------------------------------------------

    def select(self, index: int) -> None:
        """Move the cursor to ``index`` (clamped) and scroll it into view,
        also when the list is not laid out yet or hidden (it is scrolled
        again once it has its size)."""
        if self._entries:
            self.cursor = max(0, min(index, len(self._entries) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        # Only the rows left and reached change (a row's cache key says
        # whether it has the cursor): the others are drawn from the cache.
        self.refresh_lines(old * ROW_HEIGHT, ROW_HEIGHT)
        self.refresh_lines(new * ROW_HEIGHT, ROW_HEIGHT)
        if not self._entries:
            return
        self.scroll_to_region_of(new)
        # Rows just added or a size not known yet: the scroll range is only
        # right after the next refresh.
        self.call_after_refresh(self._show_cursor)
        self.post_message(self.Highlighted(self._entries[new], new))

    def _show_cursor(self) -> None:
        if self._entries and 0 <= self.cursor < len(self._entries):
            self.scroll_to_region_of(self.cursor)

    def scroll_to_region_of(self, index: int) -> None:
        """Scroll the least that shows row ``index`` whole."""
        top = index * ROW_HEIGHT
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        _, scroll_y = self.scroll_offset
        if top < scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + ROW_HEIGHT > scroll_y + height:
            # Scroll by whole rows, so the top row is never cut in half.
            excess = top + ROW_HEIGHT - height
            y = -(-excess // ROW_HEIGHT) * ROW_HEIGHT
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _move(self, delta: int) -> None:
        if self._entries:
            self.cursor = max(0, min(len(self._entries) - 1, self.cursor + delta))

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(self._page())

    def action_page_up(self) -> None:
        self._move(-self._page())

    def action_half_page_down(self) -> None:
        self._move(max(1, self._page() // 2))

    def action_half_page_up(self) -> None:
        self._move(-max(1, self._page() // 2))

    def action_first(self) -> None:
        self._move(-len(self._entries))

    def action_last(self) -> None:
        self._move(len(self._entries))

    def action_select(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(self.Selected(entry, self.cursor))

    def on_click(self, event: Click) -> None:
        _, scroll_y = self.scroll_offset
        index = (event.y + scroll_y) // ROW_HEIGHT
        if 0 <= index < len(self._entries):
            self.cursor = index
            self.post_message(self.Selected(self._entries[index], index))
