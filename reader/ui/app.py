"""The reader app: sidebar list, article view, search bar, status and footer.

The app holds a :class:`reader.core.library.Library`. Loading runs in a
thread worker and fills the sidebar progressively; nothing slow runs on the
UI thread. All content reaches the screen through ``Text``/``Strip`` objects
built from sanitised core strings, never through markup.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from reader.core.article import Article, Problem
from reader.core.document import parse_document
from reader.core.library import Library
from reader.core.loader import DEFAULT_MAX_BYTES, iter_load
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.widgets.article_list import ArticleList, ListEntry
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.status_bar import StatusBar

NARROW = 80
BATCH_SECONDS = 0.1

HELP_INTRO = (
    "reader — read a folder of articles from the keyboard.\n"
    "The sidebar lists the articles; Enter opens one; / searches."
)


def entry_for(article: Article) -> ListEntry:
    """The sidebar row of an article."""
    parts = [article.date[:10] if article.date else "", article.lang]
    if article.source:
        parts.append(article.source)
    elif article.author:
        parts.append(article.authors_display)
    detail = " · ".join(part for part in parts if part)
    return ListEntry(key=article.id, title=article.title, detail=detail)


class ReaderApp(App[int]):
    """A keyboard-driven reader for a folder of articles."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
        # A priority binding is handled as the key arrives, before later keys
        # of the same read are routed, so "/py" typed fast lands as "py".
        Binding("slash", "focus_search", "Search", priority=True, id="app.search"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("t", "toggle_sidebar", "Sidebar", id="app.toggle_sidebar"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app.focus_next"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app.focus_prev"),
    ]

    def __init__(
        self,
        paths: Sequence[str | Path] = ("articles",),
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        super().__init__()
        self.paths = [str(path) for path in paths]
        self.max_bytes = max_bytes
        self.library = Library()
        self._current: Article | None = None
        self._loaded = False

    # Layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="/ search", id="search", select_on_focus=False)
                yield ArticleList(id="list")
            yield ArticleView(id="article")
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
    def search_input(self) -> Input:
        return self.query_one("#search", Input)

    def on_mount(self) -> None:
        self.article_list.empty_message = "Loading…"
        self._apply_width(self.size.width)
        self.screen.set_focus(self.article_list)
        self.load_library()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        was_narrow = self.screen.has_class("-narrow")
        self.screen.set_class(narrow, "-narrow")
        if narrow and not was_narrow:
            self.screen.add_class("-sidebar-open")

    # Loading --------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_library(self) -> None:
        """Read every file in a thread; hand rows to the UI in batches."""
        worker = get_current_worker()
        articles: list[Article] = []
        problems: list[Problem] = []
        pending_articles: list[Article] = []
        pending_problems: list[Problem] = []
        last = time.monotonic()
        seen: dict[str, int] = {}
        for item in iter_load(self.paths, max_bytes=self.max_bytes):
            if worker.is_cancelled:
                return
            if isinstance(item, Problem):
                problems.append(item)
                pending_problems.append(item)
            else:
                count = seen.get(item.id, 0) + 1
                seen[item.id] = count
                if count > 1:
                    continue
                articles.append(item)
                pending_articles.append(item)
            if time.monotonic() - last > BATCH_SECONDS:
                self.call_from_thread(self._add_batch, pending_articles, pending_problems, False)
                pending_articles, pending_problems = [], []
                last = time.monotonic()
        self.call_from_thread(self._add_batch, pending_articles, pending_problems, True)

    def _add_batch(self, articles: list[Article], problems: list[Problem], finished: bool) -> None:
        self.library.articles.extend(articles)
        self.library.problems.extend(problems)
        self.library.__post_init__()
        self.article_list.append_entries([entry_for(article) for article in articles])
        status = self.status
        status.articles = len(self.library)
        status.problems = len(self.library.problems)
        status.loading = "" if finished else "loading…"
        if finished:
            self._loaded = True
            status.languages = " · ".join(self.library.languages())
            self.article_list.empty_message = "No articles found in " + ", ".join(self.paths)
            self.article_list.refresh()
            if self.library.problems:
                self.notify(
                    f"{len(self.library.problems)} file(s) could not be loaded: press ! to see why",
                    severity="warning",
                    markup=False,
                )

    # Showing articles -----------------------------------------------------

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, event: ArticleList.Highlighted) -> None:
        article = self.library.get(event.entry.key)
        if article is not None and article is not self._current:
            self.show_article(article)

    @on(ArticleList.Selected)
    def _on_selected(self, event: ArticleList.Selected) -> None:
        article = self.library.get(event.entry.key)
        if article is None:
            return
        if article is not self._current:
            self.show_article(article)
        self.screen.remove_class("-sidebar-open")
        self.screen.set_focus(self.article_view)

    def show_article(self, article: Article) -> None:
        """Display ``article`` in the article pane."""
        self._current = article
        self.article_view.show(article, parse_document(article.body, article.format))

    # Actions --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_search":
            # Inside a text field or a dialog, "/" is just a character.
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        return True

    def action_focus_search(self) -> None:
        """Focus the search bar at once, so keys already typed land in it."""
        self.screen.add_class("-sidebar-open")
        self.screen.set_focus(self.search_input)

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
        ]
        self.push_screen(HelpScreen(sections, HELP_INTRO))

    def action_problems(self) -> None:
        self.push_screen(ProblemsScreen(self.library.problems))

    @on(Input.Submitted, "#search")
    def _on_search_submitted(self) -> None:
        self.screen.set_focus(self.article_list)
