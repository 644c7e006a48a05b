"""The article half of the main screen: showing an article, its hits and
entities, and the keys that act on the open article.

:class:`ReadingPane` is mixed into :class:`~reader.ui.screens.reader.ReaderScreen`;
it keeps the open article's :class:`Presentation` (from the session) and the
hit the reader stands on, and turns them into spans for the article view,
counts for the legend and the panel, and the ``hit i/N`` counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.timer import Timer

from reader.core.articles.article import Article
from reader.core.articles.labels import LABELS
from reader.core.entities.catalogue import ArticleEntities
from reader.core.session.marks import describe_sort, next_sort, reversed_sort
from reader.core.session.presentation import Presentation, mention_step
from reader.core.session.session import entity_query
from reader.ui import messages
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_legend import EntityLegend
from reader.ui.widgets.entity_panel import EntityPanel

if TYPE_CHECKING:
    from reader.ui.screens.reader import ReaderScreen

READ_AFTER_SECONDS = 3.0


class ReadingPane:
    """The open article: its presentation, hit, marks and entity keys."""

    PANE_BINDINGS = [
        Binding("n", "next_hit", "Next hit, else next unread", show=False, id="app.next_hit"),
        Binding(
            "N",
            "previous_hit",
            "Previous hit, else previous unread",
            show=False,
            id="app.previous_hit",
        ),
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
        Binding("O", "reverse_sort", "Reverse sort", show=False, id="app.reverse_sort"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="app.toggle_read"),
        Binding("s", "toggle_star", "Star", show=False, id="app.toggle_star"),
        Binding("c", "copy('text')", "Copy text", show=False, id="app.copy_text"),
        Binding("y", "copy('url')", "Copy URL", show=False, id="app.copy_url"),
        Binding("E", "copy('entities')", "Copy entities", show=False, id="app.copy_entities"),
    ]

    presentation: Presentation | None
    hit_index: int
    hidden: set[str]

    def init_pane(self: ReaderScreen) -> None:
        self.presentation = None
        """What the article pane shows (None: no article yet)."""
        self.hit_index = -1
        """The hit the reader stands on (-1: none)."""
        self.hidden = set(LABELS) - set(self.session.settings.config.entities_show)
        self._read_timer: Timer | None = None
        self._mention: tuple[str, int] = ("", -1)

    def mount_pane(self: ReaderScreen) -> None:
        view = self.article_view
        view.max_width = max(20, self.session.settings.text_width)
        self.watch(view, "scroll_y", self._on_article_scrolled, init=False)
        self.watch(view, "progress", self.status.set_progress)  # "45%" in the header
        self.update_legend_styles()

    @property
    def current(self) -> Article | None:
        """The open article."""
        return self.presentation.article if self.presentation is not None else None

    @property
    def article_view(self: ReaderScreen) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def legend(self: ReaderScreen) -> EntityLegend:
        return self.query_one(EntityLegend)

    @property
    def entity_panel(self: ReaderScreen) -> EntityPanel:
        return self.query_one(EntityPanel)

    # Showing ---------------------------------------------------------------

    def show_article(self: ReaderScreen, article: Article, *, force: bool = False) -> None:
        """Display ``article`` with its hits and entities under the query."""
        if article is self.current and not force:
            return
        if article is not self.current:
            self.remember_position()
        marks = self.session.marks
        marks.set_last_selected(article.id)
        # Read before the view resets its scroll: the scroll watcher would note
        # that top line as this article's position.
        position = marks.position(article)
        self.presentation = self.session.present(article, self.answer, frozenset(self.hidden))
        self.hit_index = -1
        self._mention = ("", -1)
        title, body = self.presentation.spans()
        self.article_view.show(article, self.presentation.document, body, title)
        self._refresh_entities()
        if position and not self.presentation.hits:
            # After the layout exists: before it, any scroll clamps to 0.
            self.call_after_refresh(self.restore_position, article, position)
        if self.presentation.entities is None:
            self._recognise(article)
        self.start_read_timer()

    def start_read_timer(self: ReaderScreen) -> None:
        """Mark the shown article read after :data:`READ_AFTER_SECONDS` on
        screen. Below 80 columns the open list covers the article: the time
        counts from when the article is in sight (the list closed)."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        article = self.current
        if article is None or not self.article_in_sight():
            return

        def read() -> None:
            if self.article_in_sight():
                self.mark_read(article.id, only_if_current=True)

        self._read_timer = self.set_timer(READ_AFTER_SECONDS, read)

    def article_in_sight(self: ReaderScreen) -> bool:
        """Whether the article pane is on screen (not under the narrow list)."""
        return not (self.has_class("-narrow") and self.has_class("-sidebar-open"))

    def clear_article(self: ReaderScreen) -> None:
        """Show no article (an empty list)."""
        if self.presentation is None:
            return
        self.remember_position()
        self.presentation = None
        self.hit_index = -1
        self.article_view.clear()
        self._refresh_entities()

    @work(thread=True, exclusive=True, group="entities")
    def _recognise(self: ReaderScreen, article: Article) -> None:
        """Recognise the open article's entities without blocking the UI."""
        entities = self.session.entities(article.id)
        if entities is not None:
            self.post_message(messages.EntitiesReady(article, entities))

    def on_entities_ready(self: ReaderScreen, message: messages.EntitiesReady) -> None:
        if self.presentation is None or self.current is not message.article:
            return
        self._take(self.presentation.with_entities(message.entities, self.answer.results))

    def _take(self: ReaderScreen, presentation: Presentation) -> None:
        """Replace the presentation of the open article, keeping the hit."""
        self.presentation = presentation
        if self.hit_index >= len(presentation.hits):
            self.hit_index = -1
        self.restyle()
        self._refresh_entities()

    def refresh_hits(self: ReaderScreen) -> None:
        """The open article under the list's query (the list does not
        re-show an article that is already open)."""
        if self.presentation is None:
            return
        article = self.presentation.article
        entities: ArticleEntities | None = self.presentation.entities
        fresh = self.session.present(article, self.answer, frozenset(self.hidden))
        if entities is not None and fresh.entities is None:
            fresh = fresh.with_entities(entities, self.answer.results)
        self.hit_index = -1
        self._take(fresh)

    def restyle(self: ReaderScreen) -> None:
        if self.presentation is None:
            return
        title, body = self.presentation.spans(self.hit_index)
        self.article_view.set_spans(body, title)
        self._update_counter()

    def _refresh_entities(self: ReaderScreen) -> None:
        presentation = self.presentation
        entities = presentation.entities if presentation is not None else None
        self.legend.counts = dict(presentation.label_counts) if presentation else {}
        self.legend.hidden = frozenset(self.hidden)
        self._update_counter()
        if self.has_class("-entities-open"):
            summaries = entities.summaries() if entities is not None else []
            self.entity_panel.set_entities(summaries, frozenset(self.hidden))

    def _update_counter(self: ReaderScreen) -> None:
        counter = self.presentation.counter(self.hit_index) if self.presentation else ""
        if self.presentation is not None and self.presentation.hits:
            counter += " (n/N)"
        self.status.position = counter

    def update_legend_styles(self: ReaderScreen) -> None:
        view = self.article_view
        self.legend.styles_by_label = {
            label: view.get_component_rich_style(f"article-view--{label.lower()}")
            for label in LABELS
        }
        self.legend.refresh()

    # Position and marks --------------------------------------------------------

    def remember_position(self: ReaderScreen) -> None:
        """Note the open article's scroll position in the marks."""
        if self.current is None:
            return
        try:
            top = int(self.article_view.scroll_offset.y)
        except NoMatches:  # shutting down: the widgets are gone
            return
        self.session.marks.set_position(self.current, top)

    def restore_position(self: ReaderScreen, article: Article, position: int) -> None:
        if self.current is article:
            self.article_view.scroll_to(y=position, animate=False, immediate=True)

    def _on_article_scrolled(self: ReaderScreen, _: float) -> None:
        """Every scroll is remembered (in memory; saved with the marks); an
        article scrolled to its end has been read."""
        view = self.article_view
        if self.current is None:
            return
        self.remember_position()
        if view.max_scroll_y > 0 and view.scroll_y >= view.max_scroll_y:
            self.mark_read(self.current.id)

    def mark_read(self: ReaderScreen, article_id: str, only_if_current: bool = False) -> None:
        if only_if_current and (self.current is None or self.current.id != article_id):
            return
        if self.session.mark_read(article_id):
            self.refresh_row(article_id)

    def action_toggle_read(self: ReaderScreen) -> None:
        entry = self.article_list.current
        if entry is not None and self.session.toggle_read(entry.key) is not None:
            self.refresh_row(entry.key)

    def action_toggle_star(self: ReaderScreen) -> None:
        entry = self.article_list.current
        if entry is not None and self.session.toggle_star(entry.key) is not None:
            self.refresh_row(entry.key)

    def action_cycle_sort(self: ReaderScreen) -> None:
        self._sort(next_sort(self.session.marks.sort))

    def action_reverse_sort(self: ReaderScreen) -> None:
        self._sort(reversed_sort(self.session.marks.sort))

    def _sort(self: ReaderScreen, order: str) -> None:
        self.session.marks.set_sort(order)
        self.status.detail = f"sorted by {describe_sort(order)}"
        if not self.answer.searching:
            self.show_browse()

    # Hits and mentions -----------------------------------------------------------

    def go_to_hit(self: ReaderScreen, index: int) -> None:
        presentation = self.presentation
        if presentation is None or not presentation.hits:
            return
        self.hit_index = index % len(presentation.hits)
        where, start, _ = presentation.hits[self.hit_index]
        self.restyle()
        if where == "body":
            self.article_view.scroll_to_offset(start)
        else:
            self.article_view.scroll_to(y=0, animate=False)

    def action_next_hit(self: ReaderScreen) -> None:
        """The next hit in the article (less); with none, the next unread
        article of the list (newsboat)."""
        if self.presentation is not None and self.presentation.hits:
            self.go_to_hit(self.presentation.step(self.hit_index, 1))
        else:
            self.next_unread(1)

    def action_previous_hit(self: ReaderScreen) -> None:
        if self.presentation is not None and self.presentation.hits:
            self.go_to_hit(self.presentation.step(self.hit_index, -1))
        else:
            self.next_unread(-1)

    # Named handlers, not @on: the decorator only registers handlers defined on
    # a Textual class, and this mixin is not one (its @on handlers never ran).
    def on_entity_panel_mention_requested(
        self: ReaderScreen, event: EntityPanel.MentionRequested
    ) -> None:
        summary = event.summary
        if not summary.spans or self.presentation is None:
            return
        key, index = self._mention
        index = mention_step(summary.spans, index if key == summary.key else -1)
        self._mention = (summary.key, index)
        start, end = summary.spans[index]
        title, body = self.presentation.spans(self.hit_index)
        body.append((start, end, "hit-current"))
        self.article_view.set_spans(body, title)
        self.article_view.scroll_to_offset(start)
        self.status.position = f"{summary.name}: mention {index + 1}/{len(summary.spans)}"

    def on_entity_panel_search_requested(
        self: ReaderScreen, event: EntityPanel.SearchRequested
    ) -> None:
        self.search_for(entity_query(event.summary.label, event.summary.name))

    def action_toggle_label(self: ReaderScreen, label: str) -> None:
        self.hidden.symmetric_difference_update({label})
        if self.presentation is not None:
            self.presentation = self.presentation.with_hidden(self.hidden)
        self.restyle()
        self._refresh_entities()

    def action_toggle_entities(self: ReaderScreen) -> None:
        opened = not self.has_class("-entities-open")
        self.set_class(opened, "-entities-open")
        if opened:
            self._refresh_entities()
            self.set_focus(self.entity_panel)
        else:
            self.set_focus(self.article_view)

    # Copy ---------------------------------------------------------------------------

    def action_copy(self: ReaderScreen, what: str) -> None:
        """Copy the open article's text, URL or entity list (OSC 52, so it
        works over SSH in terminals that allow it)."""
        article = self.current
        if article is None:
            return
        if what == "url":
            if not article.url:
                self.notify("This article has no URL.", markup=False)
                return
            text, label = article.url, "URL"
        elif what == "entities":
            entities = self.session.entities(article.id) or ArticleEntities()
            lines = [f"{s.label}\t{s.name}\t{s.count}" for s in entities.summaries()]
            text, label = "\n".join(lines), f"{len(lines)} entities"
        else:
            text, label = article.title + "\n\n" + article.body, "article text"
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {label} to the clipboard.", markup=False)
