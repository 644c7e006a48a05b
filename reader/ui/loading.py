"""Loading and refreshing the archive on the main screen.

:class:`ArchiveLoading` is mixed into :class:`~reader.ui.screens.reader.ReaderScreen`:
thread workers read the marks and the archive (rows arrive in batches),
analyse it (entities and index), save the marks, and apply live-reload
changes; each posts a :mod:`reader.ui.messages` message that the screen
turns into list and header updates.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

from textual import work

from reader.core.articles.article import Article, Problem
from reader.core.session.session import Applied
from reader.ui import messages
from reader.ui.groups import is_group_key

#: How often the marks are saved when they changed, at most (seconds).
SAVE_EVERY_SECONDS = 2.0
#: ...and at least this many times the last save's duration apart.
SAVE_SPACING = 20

if TYPE_CHECKING:
    from reader.ui.screens.reader import ReaderScreen


class ArchiveLoading:
    """Workers that load, analyse, save and refresh; their message handlers."""

    # Loading ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load(self: ReaderScreen) -> None:
        """Read the marks, then the archive, handing rows over in batches."""
        self.post_message(messages.MarksLoaded(self.session.load_marks()))

        def batch(articles: list[Article], problems: list[Problem], finished: bool) -> None:
            self.post_message(messages.BatchLoaded(articles, problems, finished))

        self.session.stream(batch, self._cancel)

    def on_marks_loaded(self: ReaderScreen, message: messages.MarksLoaded) -> None:
        marks = self.session.marks
        self.search_input.history = marks.history
        self._restore_key = marks.last_selected

    def on_batch_loaded(self: ReaderScreen, message: messages.BatchLoaded) -> None:
        # The articles just listed live as long as the archive: keep the
        # cyclic collector from walking them again on every full pass (its
        # pauses, growing with the archive, delayed keys by hundreds of ms).
        gc.freeze()
        session = self.session
        status = self.status
        waiting = self._waiting_for_restore()
        if not self.answer.query and session.marks.sort == "file" and not message.finished:
            entries = [self.entry(a) for a in message.articles]
            self.article_list.append_entries(entries, highlight=waiting is None)
        if waiting is not None and self.current is None:
            self.show_article(waiting)  # at once; selected in the list once listed
        status.articles = len(session.library)
        status.problems = len(session.problems) + len(session.settings_problems)
        if message.finished:
            status.stage = ""
        elif session.library.listing_rest:  # from the store: the rest of the list next
            status.stage = f"listing {len(session.library):,}…"
        else:
            status.stage = f"loading… {len(session.library):,} read"
        self._restore_selection()
        if not message.finished:
            return
        status.languages = " · ".join(session.languages())
        status.detail = session.opening.detail
        self.loaded.set()
        if self.answer.query:  # asked while loading: again, on the whole archive
            self.refresh_search(self.article_list_key())
        else:
            self.show_browse(select=self._restore_key or self.article_list_key())
        self._restore_selection()
        self._notify_problems()
        waiting, self._when_listed = self._when_listed, []
        for action in waiting:
            action()
        self._analyse()

    def _waiting_for_restore(self: ReaderScreen) -> Article | None:
        """The remembered article, when it exists but is not listed yet."""
        key = self._restore_key
        if key is None or self.article_list.index_of(key) is not None:
            return None
        return self.session.library.get(key)

    def _restore_selection(self: ReaderScreen) -> None:
        key = self._restore_key
        if key is None or self.session.library.get(key) is None:
            return
        index = self.article_list.index_of(key)
        if index is not None:
            self._restore_key = None
            self.article_list.cursor = index
            self.article_list.scroll_to_region_of(index)

    def _notify_problems(self: ReaderScreen) -> None:
        parts = []
        if self.session.settings_problems:
            parts.append("The settings file has problems")
        files = len(self.session.problems)
        if files:
            parts.append(f"{files} file(s) could not be loaded")
        if parts:
            self.notify("; ".join(parts) + ": press ! to see why", severity="warning", markup=False)

    @work(thread=True, exclusive=True, group="analyse")
    def _analyse(self: ReaderScreen) -> None:
        shown = -1

        def progress(done: int, total: int) -> None:
            nonlocal shown
            percent = 100 * done // max(1, total)
            if percent != shown:  # one message a percent, not one a batch
                shown = percent
                self.post_message(messages.Progress(f"entities {percent}%"))

        finished, warnings = self.session.analyse(
            progress, self._cancel, on_applied=self._on_applied
        )
        if finished:
            self.post_message(messages.Analysed(warnings))

    def on_progress(self: ReaderScreen, message: messages.Progress) -> None:
        self.status.stage = message.text

    def on_analysed(self: ReaderScreen, message: messages.Analysed) -> None:
        # Millions of long-lived objects now exist (articles, index, entities):
        # keep the cyclic collector from walking them all on every full pass.
        gc.freeze()
        self.status.stage = ""
        for warning in message.warnings:
            self.warn_once(warning)
        self.analysed.set()
        if self.answer.searching:  # entity fields now searched: ask again, keeping the row
            self.refresh_search(self.article_list_key())
        elif self.presentation is not None:
            self.show_article(self.presentation.article, force=True)

    def warn_once(self: ReaderScreen, warning: str) -> None:
        if warning not in self._said:  # a failing disk is reported once
            self._said.add(warning)
            self.notify(warning, severity="warning", markup=False)

    # Saving -------------------------------------------------------------------

    def save_marks(self: ReaderScreen) -> None:
        """Save the marks in a worker when something changed, at most one
        twentieth of the time: a state of 100k entries takes ~0.6 s of
        Python to write, which every 2 s would slow the keys."""
        spacing = max(SAVE_EVERY_SECONDS, SAVE_SPACING * self._save_cost)
        if self.session.marks.dirty and time.monotonic() - self._saved_at >= spacing:
            self._saved_at = time.monotonic()
            self._save()

    @work(thread=True, exclusive=True, group="save")
    def _save(self: ReaderScreen) -> None:
        began = time.monotonic()
        warnings = self.session.marks.save()
        self._save_cost = time.monotonic() - began
        self.post_message(messages.Saved(warnings))

    def on_saved(self: ReaderScreen, message: messages.Saved) -> None:
        for warning in message.warnings:
            self.warn_once(warning)

    # Live reload ----------------------------------------------------------------

    def _on_applied(self: ReaderScreen, applied: Applied) -> None:
        """Called on the watcher's thread once the session applied a change."""
        if not self._cancel.is_set():
            self.post_message(messages.ChangesApplied(applied))

    def refresh_search(self: ReaderScreen, keep: str | None) -> None:
        """Ask the query again (the archive changed), keeping the row of
        ``keep`` selected if the new answer still holds it."""
        query = self.search_input.value
        self._keep_on_answer = (query, keep) if keep is not None else None
        self._schedule_search(immediate=True)

    def _neighbour(self: ReaderScreen, removed: set[str]) -> str | None:
        """The key of the first row after the cursor, else before it, that
        was not removed (group headers skipped)."""
        entries = self.article_list.entries
        here = self.article_list.cursor
        after = range(here + 1, min(len(entries), here + 50))
        before = range(here - 1, max(-1, here - 50), -1)
        for index in (*after, *before):
            key = entries[index].key
            if key not in removed and not is_group_key(key):
                return key
        return None

    def on_changes_applied(self: ReaderScreen, message: messages.ChangesApplied) -> None:
        """Refresh the list, the results and the open article, keeping the
        selection, the scroll position and the query."""
        applied, session = message.applied, self.session
        self.status.articles = len(session.library)
        self.status.problems = len(session.problems) + len(session.settings_problems)
        self.status.languages = " · ".join(session.languages())
        if applied:
            self.status.detail = "files: " + applied.describe()
        current = self.current
        moved = session.moved_to(current, applied) if current is not None else None
        gone = current is not None and current.id in applied.removed and moved is None
        if self.answer.query:
            # The open article stays selected if it still answers the query.
            self.refresh_search(moved or (current.id if current is not None and not gone else None))
        elif current is None:
            self.show_browse()
        else:
            # The open article's file renamed: follow it; removed: the
            # article next to it in the list takes its place, as in a mailbox.
            keep = moved or (self._neighbour(set(applied.removed)) if gone else current.id)
            self.show_browse(select=keep)
        if current is None:
            return
        if moved is not None:
            if not self.answer.query:
                self._show_again(moved)
        elif gone:
            self.notify(
                "The open article's file was removed.",
                severity="warning",
                markup=False,
            )
        elif current.id in applied.updated:
            self._show_again(current.id)

    def _show_again(self: ReaderScreen, article_id: str) -> None:
        """Show the fresh version of the open article at the same place."""
        fresh = self.session.library.get(article_id)
        if fresh is not None:
            top = int(self.article_view.scroll_offset.y)
            self.show_article(fresh, force=True)
            self.call_after_refresh(self.restore_position, fresh, top)
