"""The main screen: the sidebar list, the search bar, the article pane.

It turns widget messages and keys into :class:`~reader.core.session.Session`
calls and the session's answers (:class:`Answer`, :class:`Presentation`)
into widget updates. Slow calls run in thread workers that post
:mod:`reader.ui.messages`; tests wait on :attr:`ReaderScreen.loaded` and
:attr:`ReaderScreen.analysed` and read the public state
(:attr:`answer`, :attr:`presentation`, :attr:`hit_index`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from operator import attrgetter

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from reader.core.articles.article import Article
from reader.core.session.grouping import next_grouping
from reader.core.session.session import Answer, Session
from reader.ui import messages
from reader.ui.article_tools import ArticleTools
from reader.ui.groups import group_name, header_entry, is_group_key
from reader.ui.loading import SAVE_EVERY_SECONDS, ArchiveLoading
from reader.ui.reading import ReadingPane
from reader.ui.rows import entry_for, lazy_entry
from reader.ui.widgets.article_list import ArticleList, ListEntry
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_legend import EntityLegend
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.find_bar import FindBar
from reader.ui.widgets.list_rows import LazyRows
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_bar import StatusBar

NARROW = 80
SEARCH_DEBOUNCE = 0.1


class ReaderScreen(ReadingPane, ArticleTools, ArchiveLoading, Screen[None]):
    """The reader: list and search on the left, the article on the right."""

    #: Width classes for reader.tcss: from 80 to 119 columns ("-cramped") the
    #: entity panel takes the sidebar's place; under 80 the footer is compact.
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (NARROW, "-cramped"), (120, "-roomy")]

    # The footer shows this screen's keys, then the app's, each in the order
    # written: q / e t here, then ? from the app (q lives here so it comes first;
    # dialogs bind q to close themselves).
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="app.quit"),
        # A priority binding is handled as the key arrives, before later keys
        # of the same read are routed, so "/py" typed fast lands as "py".
        Binding("slash", "focus_search", "Search", priority=True, id="app.search"),
        Binding("escape", "escape", "Clear search", show=False, id="app.escape"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="app.focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="app.focus_prev"
        ),
        *ReadingPane.PANE_BINDINGS,
        Binding("t", "toggle_sidebar", "Sidebar", id="app.toggle_sidebar"),
        Binding("z", "cycle_grouping", "Group by", show=False, id="app.group"),
        *ArticleTools.TOOL_BINDINGS,
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.answer = Answer()
        """What the list shows now."""
        self.loaded = asyncio.Event()
        """Set once every file is read (or the cache is loaded)."""
        self.analysed = asyncio.Event()
        """Set once entities and the index are ready for every article."""
        self._cancel = threading.Event()
        self._search_timer: Timer | None = None
        self._browse_key: str | None = None
        # (query, article id): the row a refreshed answer to that query keeps
        self._keep_on_answer: tuple[str, str] | None = None
        self.collapsed: set[str] = set()
        """Names of the folded groups of a grouped list."""
        self._restore_key: str | None = None
        self._saved_at = 0.0  # when the marks were last saved (monotonic)
        self._save_cost = 0.0  # how long that took
        self._when_listed: list[Callable[[], None]] = []
        """Actions on the whole list asked for before it was whole (a second
        start's rest still being listed): run once it is."""
        self._said: set[str] = set()
        self.init_pane()

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield SearchBar(placeholder="/ search", id="search", select_on_focus=False)
                yield ArticleList(id="list")
            with Vertical(id="reading"):
                yield EntityLegend(id="legend")
                yield ArticleView(id="article")
                yield FindBar(id="find")
            yield EntityPanel(id="entities")
        yield Footer()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def search_input(self) -> SearchBar:
        return self.query_one(SearchBar)

    # Start and stop ---------------------------------------------------------

    def on_mount(self) -> None:
        self.mount_pane()
        self.article_list.empty_message = "Loading…"
        self._apply_width(self.app.size.width)
        self.set_focus(self.article_list)
        if self.session.settings.watch:
            self.session.watch(self._on_applied)
        self._load()
        self.set_interval(SAVE_EVERY_SECONDS, self.save_marks)

    def on_unmount(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the workers and the watcher; remember where the reader is
        (once: the app calls it when asked to quit, then again on unmount)."""
        if self._cancel.is_set():
            return
        self._cancel.set()
        if self._search_timer is not None:
            self._search_timer.stop()
        self.remember_position()
        self.session.close()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Below 120 columns the list and the entity panel do not both fit
        beside the article: going to the list closes the panel."""
        in_sidebar = event.widget in (self.search_input, self.article_list)
        if in_sidebar and self.has_class("-entities-open") and self.app.size.width < 120:
            self.remove_class("-entities-open")

    def on_resize(self) -> None:
        self._apply_width(self.app.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        was_narrow = self.has_class("-narrow")
        self.set_class(narrow, "-narrow")
        if narrow and not was_narrow:
            self.add_class("-sidebar-open")
        if narrow != was_narrow:
            self.start_read_timer()  # the article may have come into sight or left it

    # The list -----------------------------------------------------------------

    def entry(self, article: Article) -> ListEntry:
        marks = self.session.marks
        return entry_for(
            article, unread=not marks.is_read(article.id), starred=marks.is_starred(article.id)
        )

    def article_list_key(self) -> str | None:
        current = self.article_list.current
        return current.key if current is not None else None

    def show_browse(self, select: str | None = None) -> None:
        """The browse list (no query): every article, sorted, filtered."""
        self.show_answer(self.session.browse(), select=select)

    def show_answer(self, answer: Answer, *, select: str | None = None) -> None:
        """Put ``answer`` in the list and the header."""
        if not self.answer.query and answer.query:
            self._browse_key = self.current.id if self.current else None
        self.answer = answer
        status = self.status
        status.query = answer.query
        status.filter = answer.filters.describe()
        status.results = answer.total if answer.query else None
        if answer.warnings:
            status.detail = "; ".join(answer.warnings)
        entries: Sequence[ListEntry]
        if answer.searching:
            entries = [
                ListEntry(key=h.id, title=h.article.title, detail="", lazy=lazy_entry(h))
                for h in answer.hits
            ]
        elif answer.groups:
            entries = self._grouped_entries(answer)
        else:  # every article of the archive: rows made when drawn
            entries = LazyRows(answer.articles, self.entry, _ARTICLE_ID)
        wanted = select if select is not None else (None if answer.searching else self._keep())
        cursor = _position(entries, wanted)
        # an article of a browse list that is still being listed: selected once listed
        later = not answer.searching and cursor is None and wanted is not None
        later = later and not self.loaded.is_set()
        if later:
            self._restore_key = wanted
        self.article_list.empty_message = answer.message
        self.article_list.set_entries(entries, cursor=cursor or 0, highlight=not later)
        if cursor:
            self.article_list.scroll_to_region_of(cursor)
        shown = self.article_list.current
        if shown is None:
            self.clear_article()  # "No results." shows no stale article
        elif self.current is None:
            article = self.session.library.get(shown.key)
            if article is not None:
                self.show_article(article)
        self.refresh_hits()

    def _grouped_entries(self, answer: Answer) -> list[ListEntry]:
        marks = self.session.marks
        entries: list[ListEntry] = []
        for group in answer.groups:
            closed = group.name in self.collapsed
            unread = marks.unread_count(a.id for a in group.articles)
            entries.append(header_entry(group, collapsed=closed, unread=unread))
            if not closed:
                entries.extend(self.entry(a) for a in group.articles)
        return entries

    def action_cycle_grouping(self) -> None:
        """Group the list by folder, source, tag, or not at all (``z``)."""
        by = next_grouping(self.session.marks.group)
        self.session.marks.set_group(by)
        self.status.detail = "not grouped" if by == "none" else f"grouped by {by}"
        if not self.answer.searching:
            self.show_browse()

    def _keep(self) -> str | None:
        return self.current.id if self.current is not None else None

    def refresh_row(self, article_id: str) -> None:
        index = self.article_list.index_of(article_id)
        article = self.session.library.get(article_id)
        if index is None or article is None or self.answer.searching:
            return
        self.article_list.update_entry(index, self.entry(article))

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, event: ArticleList.Highlighted) -> None:
        shown = self.current
        if shown is not None and shown.id == self._restore_key != event.entry.key:
            # the remembered article, shown before it was listed: the
            # reader moved on, so it does not take the cursor back later
            self._restore_key = None
        article = self.session.library.get(event.entry.key)
        if article is not None and article is not self.current:
            self.show_article(article)

    @on(ArticleList.Selected)
    def _on_selected(self, event: ArticleList.Selected) -> None:
        key = event.entry.key
        if is_group_key(key):  # Enter on a group header folds or opens it
            self.collapsed.symmetric_difference_update({group_name(key)})
            self.show_answer(self.answer, select=key)
            return
        self.open_article_id(key)

    def open_article_id(self, article_id: str) -> None:
        """Show an article, mark it read and move the focus to it."""
        article = self.session.library.get(article_id)
        if article is None:
            return
        if article is not self.current:
            self.show_article(article)
        index = self.article_list.index_of(article_id)
        if index is not None and index != self.article_list.cursor:
            self.article_list.cursor = index
        self.mark_read(article_id)
        self.remove_class("-sidebar-open")
        self.set_focus(self.article_view)
        if self.presentation is not None and self.presentation.hits:
            self.go_to_hit(0)

    # Search ---------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _on_query_changed(self, event: Input.Changed) -> None:
        self._schedule_search()

    def _schedule_search(self, immediate: bool = False) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        if immediate:
            self._start_search()
        else:
            self._search_timer = self.set_timer(SEARCH_DEBOUNCE, self._start_search)

    def _start_search(self) -> None:
        if self._cancel.is_set() or not self.is_attached:
            return  # the app is closing: the widgets may be gone
        query = self.search_input.value
        if not query.strip():
            if self.answer.query:
                self.show_browse(select=self._browse_key)
            return
        self._search(query)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, submitted: bool = False) -> None:
        """Search in a thread; a newer query replaces this one."""
        answer = self.session.search(query)
        self.post_message(messages.Searched(answer, submitted))

    def on_searched(self, message: messages.Searched) -> None:
        if message.answer.query != self.search_input.value:
            return  # a newer query is on its way
        keep, self._keep_on_answer = self._keep_on_answer, None
        select = keep[1] if keep is not None and keep[0] == message.answer.query else None
        self.show_answer(message.answer, select=select)
        if message.submitted:
            self._open_first()

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self, event: Input.Submitted) -> None:
        query = event.value
        self.search_input.remember(query)
        self.session.marks.remember_query(query)
        if self._search_timer is not None:
            self._search_timer.stop()
        if query == self.answer.query:
            self._open_first()
        elif query.strip():
            self._search(query, submitted=True)
        else:
            self.set_focus(self.article_list)

    def _open_first(self) -> None:
        entry = self.article_list.current
        if entry is not None:
            self.open_article_id(entry.key)
        else:
            self.set_focus(self.article_list)

    def search_for(self, query: str) -> None:
        """Run ``query`` as if typed and submitted (entity panel, palette)."""
        self.add_class("-sidebar-open")
        self.remove_class("-sidebar-hidden")
        self.search_input.value = query
        self.search_input.remember(query)
        self.session.marks.remember_query(query)
        self.set_focus(self.article_list)
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search(query)

    # Keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":
            # Inside a text field or a dialog, "/" is just a character.
            return self.app.screen is self and not isinstance(self.focused, Input)
        return True

    def action_focus_search(self) -> None:
        """Focus the search bar at once, so keys already typed land in it."""
        self.add_class("-sidebar-open")
        self.remove_class("-sidebar-hidden")
        self.set_focus(self.search_input)

    def action_escape(self) -> None:
        if self.has_class("-finding"):
            self.action_close_find()
        elif self.search_input.value or self.answer.query:
            self.search_input.value = ""
            if self._search_timer is not None:
                self._search_timer.stop()
            self.show_browse(select=self._browse_key)
            self._show_sidebar()
            self.set_focus(self.article_list)
        elif self.focused is self.entity_panel:
            self.set_focus(self.article_view)
        elif self.focused is self.search_input:
            self._show_sidebar()
            self.set_focus(self.article_list)

    def _show_sidebar(self) -> None:
        """Make the list visible (and its cursor row) before it gets the focus."""
        self.remove_class("-sidebar-hidden")
        if self.has_class("-narrow"):
            self.add_class("-sidebar-open")
        index = self.article_list.cursor
        self.call_after_refresh(self.article_list.scroll_to_region_of, index)

    def action_toggle_sidebar(self) -> None:
        if self.has_class("-narrow"):
            self.toggle_class("-sidebar-open")
            opened = self.has_class("-sidebar-open")
            self.start_read_timer()  # the article comes into sight, or leaves it
        else:
            self.toggle_class("-sidebar-hidden")
            opened = not self.has_class("-sidebar-hidden")
        self.set_focus(self.article_list if opened else self.article_view)


_ARTICLE_ID: Callable[[Article], str] = attrgetter("id")


def _position(entries: Sequence[ListEntry], key: str | None) -> int | None:
    """Where the row with ``key`` is (None: not there, or no key)."""
    if key is None:
        return None
    if isinstance(entries, LazyRows):
        return entries.index_of(key)
    for index, entry in enumerate(entries):
        if entry.key == key:
            return index
    return None
