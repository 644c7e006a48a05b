"""What a reader does with the list and the open article beyond reading it:
next unread and mark all read (newsboat), one-key filters, find in the
article (less ``/``), the outline of its headings (glow), open its URL, pipe
it to a command or the pager (mutt ``|``), save it to a file.

:class:`ArticleTools` is mixed into :class:`~reader.ui.screens.reader.ReaderScreen`.
"""

from __future__ import annotations

import os
import subprocess
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import work
from textual.binding import Binding

from reader.core.articles.plain import article_as_text
from reader.core.articles.sanitize import sanitize_line
from reader.core.session.presentation import find_in, outline
from reader.ui.screens.outline import OutlineScreen
from reader.ui.screens.prompt import PromptScreen
from reader.ui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from reader.ui.screens.reader import ReaderScreen


def is_remote() -> bool:
    """True over SSH or without a display: no local browser to open."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return True
    return os.name == "posix" and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a browser may open, else None
    (an article's ``url:`` is untrusted: no file:, javascript: or data:)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


class ArticleTools:
    """Keys that act on the list or the open article as a whole."""

    TOOL_BINDINGS = [
        Binding("A", "mark_all_read", "Mark all read", show=False, id="app.mark_all_read"),
        Binding("U", "toggle_filter('unread')", "Unread only", show=False, id="app.only_unread"),
        Binding("S", "toggle_filter('starred')", "Starred only", show=False, id="app.only_starred"),
        Binding("f", "find", "Find in article", show=False, id="app.find"),
        Binding("T", "outline", "Outline", show=False, id="app.outline"),
        Binding("w", "open_url", "Open URL", show=False, id="app.open_url"),
        Binding("vertical_line", "pipe", "Pipe to command", show=False, id="app.pipe"),
        Binding("greater_than_sign", "save", "Save to file", show=False, id="app.save"),
    ]

    # The list ----------------------------------------------------------------

    def next_unread(self: ReaderScreen, step: int) -> bool:
        """Open the next (step -1: previous) unread article of the list."""
        after = self.current.id if self.current is not None else None
        found = self.session.next_unread(self.answer, after, step)
        if found is None:  # only the first rows listed yet: look in the whole list then

            def again() -> None:
                self.next_unread(step)

            if self._when_whole(again, "Still listing: the next unread article once listed."):
                return False
        if found is None:
            self.notify("No other unread article in this list.", markup=False)
            return False
        self.open_article_id(found)
        return True

    def _when_whole(self: ReaderScreen, action: Callable[[], None], message: str) -> bool:
        """While the browse list holds only a second start's first rows
        (about a second at 100k), queue ``action`` on the whole list for
        when it is listed, say ``message`` and return True."""
        if self.answer.query or not self.session.library.listing_rest:
            return False
        if action not in self._when_listed:
            self._when_listed.append(action)
        self.notify(message, markup=False)
        return True

    def action_mark_all_read(self: ReaderScreen) -> None:
        message = "Still listing: every article will be marked read once listed."
        if self._when_whole(self.action_mark_all_read, message):
            return
        changed = self.session.mark_all_read(self.answer)
        if self.answer.query:
            self._schedule_search(immediate=True)  # is:unread lists change
        else:
            self.show_browse(select=self.article_list_key())
        self.notify(f"Marked {changed} article(s) read.", markup=False)

    def action_toggle_filter(self: ReaderScreen, word: str) -> None:
        """Add or remove ``is:unread`` / ``is:starred`` in the query."""
        token = f"is:{word}"
        words = self.search_input.value.split()
        if token in words:
            words = [w for w in words if w != token]
        else:
            words.append(token)
        self.search_for(" ".join(words))

    # Find and outline ------------------------------------------------------------

    def action_find(self: ReaderScreen) -> None:
        if self.presentation is None:
            return
        self.add_class("-finding")
        self.query_one(FindBar).focus()

    def on_input_changed(self: ReaderScreen, event: FindBar.Changed) -> None:
        if not isinstance(event.input, FindBar) or self.presentation is None:
            return
        event.stop()
        self._take(find_in(self.presentation, event.value))
        self.hit_index = -1
        self.restyle()

    def on_input_submitted(self: ReaderScreen, event: FindBar.Submitted) -> None:
        if not isinstance(event.input, FindBar):
            return
        event.stop()
        self.set_focus(self.article_view)
        if self.presentation is not None and self.presentation.hits:
            self.go_to_hit(0)

    def action_close_find(self: ReaderScreen) -> None:
        bar = self.query_one(FindBar)
        bar.value = ""
        self.remove_class("-finding")
        self.set_focus(self.article_view)
        self.refresh_hits()

    def action_outline(self: ReaderScreen) -> None:
        if self.presentation is None:
            return
        headings = outline(self.presentation.document)
        if not headings:
            self.notify("This article has no headings.", markup=False)
            return
        top = self.article_view.scroll_offset.y
        current = sum(1 for h in headings if self.article_view.line_of_offset(h.offset) <= top)
        self.app.push_screen(OutlineScreen(headings, max(0, current - 1)), self._jump)

    def _jump(self: ReaderScreen, offset: int | None) -> None:
        if offset is not None:  # the heading goes to the top, as in glow
            view = self.article_view
            self.set_focus(view)
            view.scroll_to(y=view.line_of_offset(offset), animate=False, force=True)

    # Out of the app ------------------------------------------------------------

    def action_open_url(self: ReaderScreen) -> None:
        """Open the URL in a browser here; over SSH, show and copy it."""
        article = self.current
        if article is None:
            return
        url = web_url(article.url)
        if url is None:
            shown = "no URL" if not article.url else "a URL that is not http(s)"
            self.notify(f"This article has {shown}.", markup=False)
            return
        if is_remote():
            self.app.copy_to_clipboard(url)
            self.notify(f"{sanitize_line(url)} (copied)", title="URL", markup=False, timeout=10)
            return
        self._browse(url)

    @work(thread=True, group="browser")
    def _browse(self: ReaderScreen, url: str) -> None:
        opened = webbrowser.open(url)
        if not opened:
            self.app.call_from_thread(self.app.copy_to_clipboard, url)
        message = "Opened in the browser." if opened else "No browser found; URL copied."
        self.app.call_from_thread(self.notify, message, markup=False)

    def action_pipe(self: ReaderScreen) -> None:
        if self.current is None:
            return
        pager = os.environ.get("PAGER") or "less"
        question = f"Pipe the article to which command? (empty: {pager})"
        self.app.push_screen(PromptScreen(question, placeholder=pager), self._pipe_to)

    def _pipe_to(self: ReaderScreen, command: str | None) -> None:
        article = self.current
        if command is None or article is None:
            return
        command = command.strip() or os.environ.get("PAGER") or "less"
        text = article_as_text(article).encode("utf-8", "surrogateescape")
        try:
            with self.app.suspend():
                result = subprocess.run(command, input=text, shell=True, check=False)
        except Exception as exc:  # no terminal to hand over (browser, tests)
            self.notify(f"Cannot run a command here: {exc.__class__.__name__}", markup=False)
            return
        self.app.refresh(layout=True)
        if result.returncode:
            self.notify(
                f"{sanitize_line(command)} exited with {result.returncode}",
                severity="warning",
                markup=False,
            )

    def action_save(self: ReaderScreen) -> None:
        article = self.current
        if article is None:
            return
        name = Path(article.id).with_suffix(".txt").name
        self.app.push_screen(PromptScreen("Save the article as:", f"~/{name}"), self._save_to)

    def _save_to(self: ReaderScreen, answer: str | None) -> None:
        article = self.current
        if not answer or article is None:
            return
        path = Path(answer.strip()).expanduser()
        try:
            with path.open("x", encoding="utf-8", errors="surrogateescape") as out:
                out.write(article_as_text(article))
        except FileExistsError:
            self.notify(f"Not overwritten: {sanitize_line(str(path))} exists.", markup=False)
            return
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            self.notify(f"Not saved: {sanitize_line(reason)}", severity="error", markup=False)
            return
        self.notify(f"Saved to {sanitize_line(str(path))}", markup=False)
