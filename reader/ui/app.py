"""The reader app: sidebar list, article view, search bar, entities.

The app holds a :class:`reader.core.session.library.Library`. Loading and analysis
(entities, search index) run in thread workers; the sidebar fills
progressively and the first screen never waits for them. All content reaches
the screen through ``Text``/``Content``/``Strip`` objects built from
sanitised core strings, never through markup.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import DEFAULT_MAX_BYTES, display_path, iter_load
from reader.core.document import parse_document
from reader.core.entities import Recogniser
from reader.core.entities.catalogue import ArticleEntities
from reader.core.search import SearchResults, highlight
from reader.core.session.cache_writer import save_cache_aside
from reader.core.session.config import Config
from reader.core.session.filters import Filters, split_filters
from reader.core.session.library import Library
from reader.core.session.watch import Applied, ChangeSet, FolderWatcher, apply_changes
from reader.core.store.cache import ArchiveCache
from reader.core.store.state import ReadingState, default_state_dir, state_path
from reader.ui.commands import ArticleCommands, EntityCommands
from reader.ui.entity_styles import entity_style_css
from reader.ui.rows import entry_for, lazy_entry, sort_key
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.themes import DEFAULT_THEME, THEMES, ansi_color_for
from reader.ui.widgets.article_list import ArticleList, ListEntry
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_legend import LABELS, EntityLegend
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_bar import StatusBar

NARROW = 80
BATCH_SECONDS = 0.1
SEARCH_DEBOUNCE = 0.1
SEARCH_LIMIT = 500
READ_AFTER_SECONDS = 3.0
SAVE_EVERY_SECONDS = 2.0
SORTS = ("file", "date", "title", "source")
FIELD_OF_LABEL = {"PER": "person", "LOC": "place", "ORG": "org", "MISC": "entity"}

HELP_INTRO = (
    "reader — read a folder of articles from the keyboard. The sidebar lists the "
    "articles; Enter opens one.\n\n"
    '/ searches every article as you type: words (all must match), "exact phrase", '
    "-exclude, OR, (groups), prefix*, and the fields title: author: tag: source: "
    "lang:fr date:2022-02 date:2022-01..2022-03 person: place: org: entity:. "
    "Accents, elisions (l'OTAN), plurals and small typos are forgiven.\n\n"
    "Entities are marked by colour and by style: people bold, places underlined, "
    "organisations bold and underlined, other names italic, dates italic and "
    "underlined. Keys 1 to 5 show or hide each type; e opens the entity panel."
)


class ReaderApp(App[int]):
    """A keyboard-driven reader for a folder of articles."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ArticleCommands, EntityCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (80, "-cramped"), (120, "-roomy")]  # ui branch

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
        # A priority binding is handled as the key arrives, before later keys
        # of the same read are routed, so "/py" typed fast lands as "py".
        Binding("slash", "focus_search", "Search", priority=True, id="app.search"),
        Binding("escape", "escape", "Clear search", show=False, id="app.escape"),
        Binding("n", "next_hit", "Next hit", show=False, id="app.next_hit"),
        Binding("N", "previous_hit", "Previous hit", show=False, id="app.previous_hit"),
        Binding("e", "toggle_entities", "Entities", id="app.entities"),
        Binding("1", "toggle_label('PER')", "People on/off", show=False, id="app.toggle_per"),
        Binding("2", "toggle_label('LOC')", "Places on/off", show=False, id="app.toggle_loc"),
        Binding(
            "3", "toggle_label('ORG')", "Organisations on/off", show=False, id="app.toggle_org"
        ),
        Binding(
            "4", "toggle_label('MISC')", "Other names on/off", show=False, id="app.toggle_misc"
        ),
        Binding("5", "toggle_label('DATE')", "Dates on/off", show=False, id="app.toggle_date"),
        Binding("o", "cycle_sort", "Sort", show=False, id="app.sort"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="app.toggle_read"),
        Binding("s", "toggle_star", "Star", show=False, id="app.toggle_star"),
        Binding("c", "copy('text')", "Copy text", show=False, id="app.copy_text"),
        Binding("y", "copy('url')", "Copy URL", show=False, id="app.copy_url"),
        Binding("E", "copy('entities')", "Copy entities", show=False, id="app.copy_entities"),
        Binding("t", "toggle_sidebar", "Sidebar", id="app.toggle_sidebar"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app.focus_next"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app.focus_prev"),
    ]

    def __init__(
        self,
        paths: Sequence[str | Path] = ("articles",),
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        text_width: int = 88,
        recogniser: Recogniser | None = None,
        problems: Sequence[Problem] = (),
        state_dir: Path | None = None,
        remember: bool = True,
        config: Config | None = None,
        default_lang: str | None = None,
        watch: bool = True,
        cache: ArchiveCache | None = None,
    ) -> None:
        super().__init__(ansi_color=ansi_color_for(os.environ))  # ui branch: NO_COLOR
        self.cache = cache
        self._from_cache = False
        self.watch_folders = watch
        self._watcher: FolderWatcher | None = None
        self._early_changes: list[ChangeSet] = []
        self.config = config or Config()
        self.default_lang = default_lang
        self.state_dir = state_dir
        self.remember_state = remember
        self.state: ReadingState | None = None
        self._restore_key: str | None = None
        self._said: set[str] = set()
        self.paths = [str(path) for path in paths]
        self.max_bytes = max_bytes
        self.text_width = text_width
        self.library = Library(recogniser=recogniser, problems=list(problems))
        self.hidden_labels: set[str] = set()
        self.sort_order = "file"
        self.read_ids: set[str] = set()
        self.starred_ids: set[str] = set()
        self._reading_filter = Filters()
        self._current: Article | None = None
        self._current_entities: ArticleEntities | None = None
        self._loaded = False
        self._analysed = False
        self._query = ""
        self._results: SearchResults | None = None
        self._hits: list[tuple[str, int, int]] = []
        self._hit_index = -1
        self._browse_key: str | None = None
        self._mention_cycle: dict[str, int] = {}
        self._search_timer: Timer | None = None
        self._read_timer: Timer | None = None
        self._cancel = threading.Event()
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME
        self.hidden_labels = set(LABELS) - set(self.config.entities_show)

    # Layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield SearchBar(placeholder="/ search", id="search", select_on_focus=False)
                yield ArticleList(id="list")
            with Vertical(id="reading"):
                yield EntityLegend(id="legend")
                yield ArticleView(id="article")
            yield EntityPanel(id="entities")
        yield Footer()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def search_input(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def legend(self) -> EntityLegend:
        return self.query_one(EntityLegend)

    @property
    def entity_panel(self) -> EntityPanel:
        return self.query_one(EntityPanel)

    def _read_state(self) -> None:
        """Load the archive's reading state (read, starred, positions,
        history) — called from the loading thread, as a large state file
        takes a moment to parse — and hand it to the interface."""
        if not self.remember_state:
            return
        directory = self.state_dir or default_state_dir()
        path = state_path(directory, self.paths)
        state, warnings = ReadingState.load(path)
        self.call_from_thread(self._state_ready, state, warnings, display_path(str(path)))

    def _state_ready(self, state: ReadingState, warnings: list[str], shown: str) -> None:
        self.state = state
        self.library.problems.extend(Problem(shown, warning) for warning in warnings)
        self.search_input.history = list(state.history)
        self._restore_key = state.last_selected
        self.set_interval(SAVE_EVERY_SECONDS, self._save_state)

    def _save_state(self) -> None:
        if self.state is None or not self.state.dirty:
            return
        for warning in self.state.save():
            if warning not in self._said:  # a failing disk is reported once
                self._said.add(warning)
                self.notify(warning, severity="warning", markup=False)

    def _remember_position(self) -> None:
        if self.state is None or self._current is None:
            return
        try:
            top = int(self.article_view.scroll_offset.y)
        except NoMatches:  # shutting down: the widgets are gone
            return
        self.state.set_position(self._current, top)

    def _restore_position(self, article: Article, position: int) -> None:
        if self._current is article:
            self.article_view.scroll_to(y=position, animate=False, immediate=True)

    def _apply_config(self) -> None:
        """Theme, entity styles and keymap from the settings file; a bad value
        costs one problem line and keeps the default."""
        config = self.config
        where = display_path(str(config.source)) if config.source else "config"
        if config.theme in self.available_themes:
            self.theme = config.theme
        else:
            self.library.problems.append(
                Problem(where, f"theme: no theme called {config.theme!r}; using {DEFAULT_THEME}")
            )
        css = entity_style_css(config.entity_styles)
        if css:
            try:
                self.stylesheet.add_source(css, read_from=(where, ""))
                self.refresh_css(animate=False)
            except Exception:
                self.library.problems.append(
                    Problem(where, "entities.styles: not understood; ignored")
                )
        if config.keymap:
            known = known_binding_ids()
            keymap = {k: v for k, v in config.keymap.items() if k in known}
            for unknown in sorted(set(config.keymap) - known):
                self.library.problems.append(
                    Problem(where, f"keymap: no key binding with id {unknown!r}; ignored")
                )
            self.set_keymap(keymap)

    # Live reload -------------------------------------------------------------

    def _start_watching(self) -> None:
        """Watch the folders (started before loading, so nothing is missed)."""
        if not self.watch_folders:
            return
        try:
            self._watcher = FolderWatcher(self.paths, self._on_folder_changes).start()
        except Exception as exc:
            self.library.problems.append(
                Problem("live reload", f"cannot watch the folders: {exc.__class__.__name__}")
            )

    def _on_folder_changes(self, changes: ChangeSet) -> None:
        """Called on the watcher's thread: apply, then tell the UI."""
        if self._cancel.is_set():
            return
        if not self._loaded:
            self._early_changes.append(changes)
            return
        applied = apply_changes(self.library, changes, max_bytes=self.max_bytes)
        if applied or applied.problems:
            self.call_from_thread(self._changes_applied, applied)

    def _apply_early_changes(self) -> None:
        pending, self._early_changes = self._early_changes, []
        for changes in pending:
            self._on_folder_changes_worker(changes)

    @work(thread=True, group="reload")
    def _on_folder_changes_worker(self, changes: ChangeSet) -> None:
        self._on_folder_changes(changes)

    def _changes_applied(self, applied: Applied) -> None:
        """Refresh the list, the results and the open article after a change
        on disk, keeping the selection, the scroll position and the query."""
        if self.state is not None:
            for article_id in (*applied.added, *applied.updated):
                article = self.library.get(article_id)
                if article is None:
                    continue
                self.read_ids.discard(article_id)
                self.starred_ids.discard(article_id)
                if self.state.is_read(article):
                    self.read_ids.add(article_id)
                if self.state.is_starred(article):
                    self.starred_ids.add(article_id)
        self.status.articles = len(self.library)
        self.status.problems = len(self.library.problems)
        self.status.languages = " · ".join(self.library.languages())
        parts = [
            f"{len(ids)} {word}"
            for ids, word in (
                (applied.added, "added"),
                (applied.updated, "changed"),
                (applied.removed, "removed"),
            )
            if ids
        ]
        if parts:
            self.status.detail = "files: " + ", ".join(parts)
        current = self._current
        if self._results is not None:
            self._schedule_search(immediate=True)
        else:
            keep = current.id if current else None
            self._show_browse_list(select=keep)
        if current is None:
            return
        if current.id in applied.removed:
            self.notify(
                "The open article's file was removed or renamed; what you see is the last version.",
                severity="warning",
                markup=False,
            )
        elif current.id in applied.updated:
            fresh = self.library.get(current.id)
            if fresh is not None:
                top = self.article_view.scroll_offset.y
                self.show_article(fresh)
                self.call_after_refresh(self._restore_position, fresh, int(top))

    # Copy -------------------------------------------------------------------

    def action_copy(self, what: str) -> None:
        """Copy the open article's text, URL or entity list (OSC 52, so it
        works over SSH in terminals that allow it)."""
        article = self._current
        if article is None:
            return
        if what == "url":
            if not article.url:
                self.notify("This article has no URL.", markup=False)
                return
            text, label = article.url, "URL"
        elif what == "entities":
            entities = self._current_entities or self.library.entities_for(article.id)
            lines = [f"{s.label}\t{s.name}\t{s.count}" for s in entities.summaries()]
            text, label = "\n".join(lines), f"{len(lines)} entities"
        else:
            text, label = article.title + "\n\n" + article.body, "article text"
        self.copy_to_clipboard(text)
        self.notify(f"Copied the {label} to the clipboard.", markup=False)

    def _on_article_scrolled(self, _: float) -> None:
        """An article scrolled to its end has been read."""
        view = self.article_view
        if (
            self._current is not None
            and view.max_scroll_y > 0
            and view.scroll_y >= view.max_scroll_y
        ):
            self._mark_read(self._current.id)

    def on_mount(self) -> None:
        self._apply_config()
        self._start_watching()
        self.watch(self.article_view, "scroll_y", self._on_article_scrolled, init=False)
        self.watch(self.article_view, "progress", self.status.set_progress)  # ui branch: 45%
        self.article_view.max_width = max(20, self.text_width)
        self.article_list.empty_message = "Loading…"
        self._apply_width(self.size.width)
        self._update_legend_styles()
        self.screen.set_focus(self.article_list)
        self.load_library()

    def on_unmount(self) -> None:
        self._cancel.set()
        if self._watcher is not None:
            self._watcher.stop(timeout=1.0)
        self._remember_position()
        if self.state is not None and self.state.dirty:
            self.state.save()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        was_narrow = self.screen.has_class("-narrow")
        self.screen.set_class(narrow, "-narrow")
        if narrow and not was_narrow:
            self.screen.add_class("-sidebar-open")

    def _update_legend_styles(self) -> None:
        view = self.article_view
        self.legend.styles_by_label = {
            label: view.get_component_rich_style(f"article-view--{label.lower()}")
            for label in LABELS
        }
        self.legend.refresh()

    def watch_theme(self) -> None:
        self.call_after_refresh(self._update_legend_styles)

    # Loading and analysis --------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        """Read every file in a thread; hand rows to the UI in batches.

        When a cache of this archive exists, it is used instead (only new or
        changed files are read again) and the list arrives at once."""
        worker = get_current_worker()
        self._read_state()  # before any row, so rows show read and starred marks
        if self.cache is not None and self.cache.path.exists():
            self._from_cache = True
            self._load_from_cache()
            return
        pending_articles: list[Article] = []
        pending_problems: list[Problem] = []
        last = time.monotonic()
        for item in iter_load(self.paths, max_bytes=self.max_bytes, default_lang=self.default_lang):
            if worker.is_cancelled or self._cancel.is_set():
                return
            if isinstance(item, Problem):
                pending_problems.append(item)
            else:
                pending_articles.append(item)
            if time.monotonic() - last > BATCH_SECONDS:
                self.call_from_thread(self._add_batch, pending_articles, pending_problems, False)
                pending_articles, pending_problems = [], []
                last = time.monotonic()
        self.call_from_thread(self._add_batch, pending_articles, pending_problems, True)

    def _load_from_cache(self) -> None:
        assert self.cache is not None

        def reading(done: int, total: int) -> None:
            self.call_from_thread(setattr, self.status, "loading", f"loading… {done:,} read")

        library, report = self.cache.load_library(
            max_bytes=self.max_bytes,
            default_lang=self.default_lang,
            recogniser=self.library.recogniser,
            analyse=False,
            reading=reading,
        )
        if self._cancel.is_set():
            return
        library.problems[:0] = self.library.problems
        library.problems.extend(Problem("cache", warning) for warning in report.warnings)
        detail = (
            f"cache: {report.reused:,} reused, {report.reread:,} read again" if report.used else ""
        )
        self.call_from_thread(self._adopt_library, library, detail)

    def _adopt_library(self, library: Library, detail: str) -> None:
        """Take a library loaded from the cache, in one batch."""
        self.status.detail = detail
        articles, problems = list(library.articles), list(library.problems)
        library.articles.clear()
        library.problems.clear()
        library.__post_init__()
        self.library = library
        self._add_batch(articles, problems, True)

    def _add_batch(self, articles: list[Article], problems: list[Problem], finished: bool) -> None:
        known = len(self.library)
        self.library.extend(articles, problems)
        added = self.library.articles[known:]
        if self.state is not None:
            for article in added:
                if self.state.is_read(article):
                    self.read_ids.add(article.id)
                if self.state.is_starred(article):
                    self.starred_ids.add(article.id)
        if not self._query and self.sort_order == "file" and not self._reading_filter.active:
            self.article_list.append_entries([self._entry(a) for a in added])
        status = self.status
        status.articles = len(self.library)
        status.problems = len(self.library.problems)
        status.loading = "" if finished else f"loading… {len(self.library):,} read"
        if self._restore_key is not None and self.library.get(self._restore_key) is not None:
            index = self.article_list.index_of(self._restore_key)
            if index is not None:
                self._restore_key = None
                self.article_list.cursor = index
        if finished:
            self._loaded = True
            status.languages = " · ".join(self.library.languages())
            shown = ", ".join(display_path(path) for path in self.paths)
            self.article_list.empty_message = "No articles found in " + shown
            if self.sort_order != "file":
                self._show_browse_list()
            self.article_list.refresh()
            if self.library.problems:
                self.notify(
                    f"{len(self.library.problems)} file(s) could not be loaded: press ! to see why",
                    severity="warning",
                    markup=False,
                )
            self.analyse_library()
            self._apply_early_changes()

    @work(thread=True, exclusive=True, group="analyse")
    def analyse_library(self) -> None:
        """Recognise entities and build the search index in a thread."""

        def progress(done: int, total: int) -> None:
            percent = 100 * done // max(1, total)
            self.call_from_thread(setattr, self.status, "loading", f"indexing {percent}%")

        finished = self.library.analyse(progress, self._cancel)
        if finished:
            self.call_from_thread(self._analysis_done)
            if self.cache is not None and not self._cancel.is_set():
                if not self._from_cache:
                    self.cache.remember(
                        self.library, max_bytes=self.max_bytes, default_lang=self.default_lang
                    )
                for warning in save_cache_aside(self.cache, self.library):
                    self.call_from_thread(self._warn_once, warning)

    def _warn_once(self, warning: str) -> None:
        if warning not in self._said:
            self._said.add(warning)
            self.notify(warning, severity="warning", markup=False)

    def _analysis_done(self) -> None:
        self._analysed = True
        # Millions of long-lived objects now exist (articles, index, entities):
        # keep the cyclic collector from walking them all on every full pass.
        gc.freeze()
        self.status.loading = ""
        if self._query:
            self._schedule_search(immediate=True)

    # Sidebar contents -------------------------------------------------------

    def _entry(self, article: Article) -> ListEntry:
        return entry_for(
            article,
            unread=article.id not in self.read_ids,
            starred=article.id in self.starred_ids,
        )

    def _passes(self, article_id: str) -> bool:
        return self._reading_filter.accepts(
            read=article_id in self.read_ids, starred=article_id in self.starred_ids
        )

    def _sorted_articles(self) -> list[Article]:
        articles = list(self.library.articles)
        if self._reading_filter.active:
            articles = [a for a in articles if self._passes(a.id)]
        if self.sort_order == "file":
            return articles
        dated = sorted(articles, key=lambda a: sort_key(self.sort_order, a))
        if self.sort_order == "date":
            undated = [a for a in dated if not a.date]
            dated = [a for a in dated if a.date][::-1] + undated
        return dated

    def _show_browse_list(self, select: str | None = None) -> None:
        articles = self._sorted_articles()
        entries = [self._entry(a) for a in articles]
        cursor = 0
        wanted = select or (self._current.id if self._current else None)
        if wanted is not None:
            for index, article in enumerate(articles):
                if article.id == wanted:
                    cursor = index
                    break
        if self._reading_filter.active:
            self.article_list.empty_message = f"No {self._reading_filter.describe()} articles."
        else:
            self.article_list.empty_message = "No articles."
        self.article_list.set_entries(entries, cursor=cursor)

    # Showing articles -----------------------------------------------------

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, event: ArticleList.Highlighted) -> None:
        article = self.library.get(event.entry.key)
        if article is not None and article is not self._current:
            self.show_article(article)

    @on(ArticleList.Selected)
    def _on_selected(self, event: ArticleList.Selected) -> None:
        self.open_article_id(event.entry.key)

    def open_article_id(self, article_id: str) -> None:
        """Show an article, mark it read and move the focus to it."""
        article = self.library.get(article_id)
        if article is None:
            return
        if article is not self._current:
            self.show_article(article)
        index = self.article_list.index_of(article_id)
        if index is not None and index != self.article_list.cursor:
            self.article_list.cursor = index
        self._mark_read(article_id)
        self.screen.remove_class("-sidebar-open")
        self.screen.set_focus(self.article_view)
        if self._hits:
            self._go_to_hit(0)

    def show_article(self, article: Article) -> None:
        """Display ``article`` in the article pane, with hits and entities."""
        self._remember_position()
        self._current = article
        if self.state is not None:
            self.state.set_last_selected(article.id)
        self._current_entities = None
        self._mention_cycle = {}
        if self.library.is_analysed(article.id):
            self._current_entities = self.library.entities_for(article.id)
        self._compute_hits()
        title_spans, spans = self._spans()
        self.article_view.show(
            article, parse_document(article.body, article.format), spans, title_spans
        )
        self._refresh_entities()
        if self.state is not None and not self._hits:
            position = self.state.position(article)
            if position:
                # After the layout exists: before it, any scroll clamps to 0.
                self.call_after_refresh(self._restore_position, article, position)
        if self._current_entities is None:
            self.recognise_current(article)
        if self._read_timer is not None:
            self._read_timer.stop()
        self._read_timer = self.set_timer(
            READ_AFTER_SECONDS, lambda: self._mark_read(article.id, only_if_current=True)
        )

    @work(thread=True, exclusive=True, group="entities")
    def recognise_current(self, article: Article) -> None:
        """Recognise the open article's entities without blocking the UI."""
        entities = self.library.entities_for(article.id)
        self.call_from_thread(self._entities_ready, article, entities)

    def _entities_ready(self, article: Article, entities: ArticleEntities) -> None:
        if self._current is not article:
            return
        self._current_entities = entities
        self._restyle()
        self._refresh_entities()

    def _compute_hits(self) -> None:
        self._hits = []
        self._hit_index = -1
        text = split_filters(self._query)[0]
        if self._current is not None and text.strip():
            self._hits = highlight(text, self._current)

    def _spans(self) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        title: list[tuple[int, int, str]] = []
        body: list[tuple[int, int, str]] = []
        entities = self._current_entities
        if entities is not None:
            title += [
                (m.start, m.end, m.label)
                for m in entities.title
                if m.label not in self.hidden_labels
            ]
            body += [
                (m.start, m.end, m.label)
                for m in entities.body
                if m.label not in self.hidden_labels
            ]
        for index, (field, start, end) in enumerate(self._hits):
            kind = "hit-current" if index == self._hit_index else "hit"
            (title if field == "title" else body).append((start, end, kind))
        return title, body

    def _restyle(self) -> None:
        title, body = self._spans()
        self.article_view.set_spans(body, title)

    def _refresh_entities(self) -> None:
        entities = self._current_entities
        counts = entities.label_counts() if entities is not None else {}
        self.legend.counts = dict(counts)
        self.legend.hidden = frozenset(self.hidden_labels)
        self._update_hit_counter()
        if self.screen.has_class("-entities-open"):
            summaries = entities.summaries() if entities is not None else []
            self.entity_panel.set_entities(summaries, frozenset(self.hidden_labels))

    def _update_hit_counter(self) -> None:
        if self._hits:
            shown = self._hit_index + 1 if self._hit_index >= 0 else 0
            self.status.position = f"hit {shown}/{len(self._hits)} (n/N)"
        elif split_filters(self._query)[0].strip() and self._current is not None:
            self.status.position = "no hit in this article"
        else:
            self.status.position = ""

    def _mark_read(self, article_id: str, only_if_current: bool = False) -> None:
        if only_if_current and (self._current is None or self._current.id != article_id):
            return
        if article_id in self.read_ids:
            return
        self.read_ids.add(article_id)
        self._store("read", article_id, True)
        self._refresh_row(article_id)

    def _store(self, what: str, article_id: str, value: bool) -> None:
        article = self.library.get(article_id)
        if self.state is None or article is None:
            return
        if what == "read":
            self.state.set_read(article, value)
        else:
            self.state.set_starred(article, value)

    def _refresh_row(self, article_id: str) -> None:
        index = self.article_list.index_of(article_id)
        article = self.library.get(article_id)
        if index is None or article is None or self._results is not None:
            return
        self.article_list.update_entry(index, self._entry(article))

    # Search ---------------------------------------------------------------

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
        query = self.search_input.value
        rest, filters = split_filters(query)
        if not rest.strip() and not filters.active:
            self._clear_results()
            return
        if not rest.strip():
            self._show_filtered(query, filters)
            return
        self.run_search(query, rest, filters)

    def _show_filtered(self, query: str, filters: Filters) -> None:
        """A query of filters only: the whole list, narrowed."""
        if not self._query:
            self._browse_key = self._current.id if self._current else None
        self._query = query
        self._results = None
        self._reading_filter = filters
        self.status.query = query
        self.status.filter = filters.describe()
        self._show_browse_list(select=self._browse_key)
        self.status.results = len(self.article_list.entries)
        self._refresh_hits()

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, text: str, filters: Filters) -> None:
        """Search in a thread; a newer query cancels this one."""
        worker = get_current_worker()
        limit = SEARCH_LIMIT * 10 if filters.active else SEARCH_LIMIT
        results = self.library.search(text, limit=limit, as_you_type=True)
        if not worker.is_cancelled:
            self.call_from_thread(self._show_results, query, filters, results)

    def _show_results(self, query: str, filters: Filters, results: SearchResults) -> None:
        if query != self.search_input.value:
            return  # a newer query is on its way
        if not self._query:
            self._browse_key = self._current.id if self._current else None
        self._query = query
        self._results = results
        self._reading_filter = filters
        hits = [h for h in results.hits if self._passes(h.id)]
        status = self.status
        status.query = query
        status.filter = filters.describe()
        status.results = len(hits) if filters.active else results.total
        entries = [
            ListEntry(key=h.id, title=h.article.title, detail="", lazy=lazy_entry(h))
            for h in hits[:SEARCH_LIMIT]
        ]
        if results.nothing_to_search:
            message = "Nothing to search: only common words or punctuation."
        elif results.suggestion:
            message = f"No results. Did you mean: {results.suggestion}?"
        elif not self._analysed:
            message = "No results yet: still indexing…"
        else:
            message = "No results."
        self.article_list.empty_message = message
        self.article_list.set_entries(entries, cursor=0)
        self._refresh_hits()

    def _refresh_hits(self) -> None:
        """Recompute the open article's hits for the current query (the list
        does not re-show an article that is already open)."""
        if self._current is None:
            return
        self._compute_hits()
        self._restyle()
        self._update_hit_counter()

    def _clear_results(self) -> None:
        if not self._query:
            return
        self._query = ""
        self._results = None
        self._reading_filter = Filters()
        self.status.query = ""
        self.status.filter = ""
        self.status.results = None
        self._show_browse_list(select=self._browse_key)
        if self._current is not None:
            self._compute_hits()
            self._restyle()
            self._update_hit_counter()

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self, event: Input.Submitted) -> None:
        query = event.value
        self.search_input.remember(query)
        if self.state is not None:
            self.state.remember_query(query)
        if query != self._query:
            # Enter typed before the debounced search ran: search now.
            if self._search_timer is not None:
                self._search_timer.stop()
            rest, filters = split_filters(query)
            if rest.strip():
                results = self.library.search(rest, limit=SEARCH_LIMIT, as_you_type=False)
                self._show_results(query, filters, results)
            elif filters.active:
                self._show_filtered(query, filters)
        entry = self.article_list.current
        if entry is not None and self._query:
            self.open_article_id(entry.key)
        else:
            self.screen.set_focus(self.article_list)

    def search_entity(self, label: str, name: str) -> None:
        """Search every article for an entity (``person:"…"`` etc.)."""
        field = FIELD_OF_LABEL.get(label)
        quoted = '"' + name.replace('"', " ") + '"'
        query = f"{field}:{quoted}" if field else quoted
        self.screen.add_class("-sidebar-open")
        self.search_input.value = query
        self.search_input.remember(query)
        if self.state is not None:
            self.state.remember_query(query)
        self.screen.set_focus(self.article_list)
        self._schedule_search(immediate=True)

    # Hits and mentions ------------------------------------------------------

    def _go_to_hit(self, index: int) -> None:
        if not self._hits:
            return
        self._hit_index = index % len(self._hits)
        field, start, _ = self._hits[self._hit_index]
        self._restyle()
        if field == "body":
            self.article_view.scroll_to_offset(start)
        else:
            self.article_view.scroll_to(y=0, animate=False)
        self._update_hit_counter()

    def action_next_hit(self) -> None:
        self._go_to_hit(self._hit_index + 1)

    def action_previous_hit(self) -> None:
        self._go_to_hit(self._hit_index - 1 if self._hit_index >= 0 else -1)

    @on(EntityPanel.MentionRequested)
    def _on_mention(self, event: EntityPanel.MentionRequested) -> None:
        summary = event.summary
        if not summary.spans:
            return
        index = self._mention_cycle.get(summary.key, -1) + 1
        index %= len(summary.spans)
        self._mention_cycle = {summary.key: index}
        start, end = summary.spans[index]
        title, body = self._spans()
        body.append((start, end, "hit-current"))
        self.article_view.set_spans(body, title)
        self.article_view.scroll_to_offset(start)
        self.status.position = f"{summary.name}: mention {index + 1}/{len(summary.spans)}"

    @on(EntityPanel.SearchRequested)
    def _on_entity_search(self, event: EntityPanel.SearchRequested) -> None:
        self.search_entity(event.summary.label, event.summary.name)

    # Actions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":
            # Inside a text field or a dialog, "/" is just a character.
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        return True

    def action_focus_search(self) -> None:
        """Focus the search bar at once, so keys already typed land in it."""
        self.screen.add_class("-sidebar-open")
        self.screen.remove_class("-sidebar-hidden")
        self.screen.set_focus(self.search_input)

    def action_escape(self) -> None:
        if self.search_input.value or self._query:
            self.search_input.value = ""
            if self._search_timer is not None:
                self._search_timer.stop()
            self._clear_results()
            self._show_sidebar()
            self.screen.set_focus(self.article_list)
        elif self.focused is self.entity_panel:
            self.screen.set_focus(self.article_view)
        elif self.focused is self.search_input:
            self._show_sidebar()
            self.screen.set_focus(self.article_list)

    def _show_sidebar(self) -> None:
        """Make the list visible before it gets the focus."""
        self.screen.remove_class("-sidebar-hidden")
        if self.screen.has_class("-narrow"):
            self.screen.add_class("-sidebar-open")

    def action_toggle_label(self, label: str) -> None:
        if label in self.hidden_labels:
            self.hidden_labels.discard(label)
        else:
            self.hidden_labels.add(label)
        self._restyle()
        self._refresh_entities()

    def action_toggle_entities(self) -> None:
        opened = not self.screen.has_class("-entities-open")
        self.screen.set_class(opened, "-entities-open")
        if opened:
            self._refresh_entities()
            self.screen.set_focus(self.entity_panel)
        else:
            self.screen.set_focus(self.article_view)

    def action_cycle_sort(self) -> None:
        self.sort_order = SORTS[(SORTS.index(self.sort_order) + 1) % len(SORTS)]
        self.status.detail = f"sorted by {self.sort_order}"
        if self._results is None:
            self._show_browse_list()

    def action_toggle_read(self) -> None:
        entry = self.article_list.current
        if entry is None:
            return
        if entry.key in self.read_ids:
            self.read_ids.discard(entry.key)
        else:
            self.read_ids.add(entry.key)
        self._store("read", entry.key, entry.key in self.read_ids)
        self._refresh_row(entry.key)

    def action_toggle_star(self) -> None:
        entry = self.article_list.current
        if entry is None:
            return
        if entry.key in self.starred_ids:
            self.starred_ids.discard(entry.key)
        else:
            self.starred_ids.add(entry.key)
        self._store("starred", entry.key, entry.key in self.starred_ids)
        self._refresh_row(entry.key)

    def action_toggle_sidebar(self) -> None:
        narrow = self.screen.has_class("-narrow")
        if narrow:
            self.screen.toggle_class("-sidebar-open")
            opened = self.screen.has_class("-sidebar-open")
        else:
            self.screen.toggle_class("-sidebar-hidden")
            opened = not self.screen.has_class("-sidebar-hidden")
        self.screen.set_focus(self.article_list if opened else self.article_view)

    def action_help(self) -> None:
        sections = [
            ("Everywhere", self.BINDINGS),
            ("Article list", ArticleList.BINDINGS),
            ("Article", ArticleView.BINDINGS),
            ("Search bar", SearchBar.BINDINGS),
            ("Entity panel (e)", EntityPanel.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections, HELP_INTRO, self.config.keymap))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.library.problems))


def known_binding_ids() -> set[str]:
    """Every binding id a keymap may remap."""
    owners = (
        ReaderApp,
        ArticleList,
        ArticleView,
        SearchBar,
        EntityPanel,
        HelpScreen,
        ProblemsScreen,
    )
    return {
        binding.id
        for owner in owners
        for binding in owner.BINDINGS
        if isinstance(binding, Binding) and binding.id
    }
