"""The reader app: themes, stylesheet, keymap, and :func:`make_app`.

The app itself holds no reading logic: :func:`make_app` builds it from
resolved :class:`~reader.core.session.settings.Settings` (the CLI and every
test use it), it opens a :class:`~reader.core.session.session.Session` and
shows one :class:`~reader.ui.screens.reader.ReaderScreen`, which talks to
the session. All content reaches the screen through ``Text``/``Content``/
``Strip`` objects built from sanitised core strings, never through markup.

Quitting — ``q``, ``ctrl+q``, ``ctrl+c``, SIGTERM, or SIGHUP when an SSH
connection drops — saves the reading position, marks and sort order first.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal

from textual.app import App
from textual.binding import Binding

from reader.core.articles.article import Problem
from reader.core.articles.sanitize import display_path
from reader.core.session.session import Session
from reader.core.session.settings import Settings
from reader.ui.commands import ArticleCommands, EntityCommands, ReaderCommands
from reader.ui.entity_styles import entity_style_css
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.screens.reader import ReaderScreen
from reader.ui.themes import DEFAULT_THEME, THEMES, ansi_color_for
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entity_panel import EntityPanel
from reader.ui.widgets.search_bar import SearchBar

HELP_INTRO = (
    "reader — read a folder of articles from the keyboard. The sidebar lists the "
    "articles; Enter opens one.\n\n"
    '/ searches every article as you type: words (all must match), "exact phrase", '
    "-exclude, OR, (groups), prefix*, and the fields title: author: tag: source: "
    "lang:fr date:2022-02 date:2022-01..2022-03 person: place: org: entity:, and "
    "is:unread is:read is:starred. Accents, elisions (l'OTAN), plurals and small "
    "typos are forgiven. The word being typed also finds the words it begins, in the app and in `reader search` alike.\n\n"
    "Entities are marked by colour and by style: people bold, places underlined, "
    "organisations bold and underlined, other names italic, dates italic and "
    "underlined (where the terminal has no italics, other names are dim and dates "
    "dim and underlined). Keys 1 to 5 show or hide each type; e opens the entity panel."
)

#: Signals that end the app after the reading state is saved.
EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class ReaderApp(App[int]):
    """A keyboard-driven reader for a folder of articles."""

    CSS_PATH = "reader.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ArticleCommands, EntityCommands, ReaderCommands}

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.force_quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.interrupt"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
    ]

    def __init__(self, session: Session) -> None:
        # Under NO_COLOR no colour at all is sent (not greys): see ansi_color_for.
        super().__init__(ansi_color=ansi_color_for(os.environ))
        self.session = session
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME

    @property
    def reader(self) -> ReaderScreen:
        """The main screen (under any dialog)."""
        for screen in self.screen_stack:  # [0] is Textual's default screen
            if isinstance(screen, ReaderScreen):
                return screen
        raise LookupError("the reader screen is not shown yet")

    def on_mount(self) -> None:
        self._apply_config()
        self.push_screen(ReaderScreen(self.session))
        loop = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._on_exit_signal)

    def _on_exit_signal(self) -> None:
        """SIGTERM or SIGHUP: save first (the terminal may already be gone)."""
        self.save_now()
        self._stop_background()
        self.exit(0)

    def save_now(self) -> list[str]:
        """Remember the position and write the marks, at once."""
        with contextlib.suppress(LookupError):
            self.reader.remember_position()
        return self.session.marks.save()

    async def action_quit(self) -> None:
        self.save_now()
        self._stop_background()
        self.exit(0)

    def _stop_background(self) -> None:
        """Stop the loading, the analysis and the watcher now, while Textual
        winds down the screen: a large archive's listing stops at its next
        chunk instead of holding up the exit."""
        with contextlib.suppress(LookupError):
            self.reader.stop()

    def on_unmount(self) -> None:
        with contextlib.suppress(LookupError):
            self.reader.stop()
        self.session.marks.save()

    def watch_theme(self) -> None:
        with contextlib.suppress(LookupError):
            self.call_after_refresh(self.reader.update_legend_styles)

    def _apply_config(self) -> None:
        """Theme, entity styles and keymap from the settings; a bad value
        costs one problem line and keeps the default."""
        config = self.session.settings.config
        where = "settings file " + (display_path(str(config.source)) if config.source else "")
        problems = self.session.settings_problems
        if config.theme in self.available_themes:
            self.theme = config.theme
        else:
            problems.append(
                Problem(where, f"theme: no theme called {config.theme!r}; using {DEFAULT_THEME}")
            )
        css = entity_style_css(config.entity_styles)
        if css:
            try:
                self.stylesheet.add_source(css, read_from=(where, ""))
                self.refresh_css(animate=False)
            except Exception:
                problems.append(Problem(where, "entities.styles: not understood; ignored"))
        if config.keymap:
            known = known_binding_ids()
            keymap = {k: v for k, v in config.keymap.items() if k in known}
            for unknown in sorted(set(config.keymap) - known):
                problems.append(
                    Problem(where, f"keymap: no key binding with id {unknown!r}; ignored")
                )
            self.set_keymap(keymap)

    def action_help(self) -> None:
        sections = [
            ("Everywhere", [*ReaderScreen.BINDINGS, *self.BINDINGS]),
            ("Article list", ArticleList.BINDINGS),
            ("Article", ArticleView.BINDINGS),
            ("Search bar", SearchBar.BINDINGS),
            ("Entity panel (e)", EntityPanel.BINDINGS),
        ]
        self.push_screen(HelpScreen(sections, HELP_INTRO, self.session.settings.config.keymap))

    def action_problems(self) -> None:
        session = self.session
        self.push_screen(ProblemsScreen([*session.settings_problems, *session.problems]))


def make_app(settings: Settings, *, session: Session | None = None) -> ReaderApp:
    """The app for ``settings`` (the CLI and the tests build it this way)."""
    return ReaderApp(session or Session(settings))


def known_binding_ids() -> set[str]:
    """Every binding id a keymap may remap."""
    owners = (
        ReaderApp,
        ReaderScreen,
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
