"""The reader's own themes, built from the xterm 256-colour palette.

Over SSH, ``COLORTERM`` is usually not forwarded and the terminal gets 256
colours: a theme's near-identical dark greys then collapse into one, and the
panels vanish into the background. Every base colour here *is* an xterm-256
palette entry (grey ramp or colour cube), so downgrading changes nothing and
the layers stay apart. Textual's own themes (including ``ansi-dark`` and ``ansi-light``, which use the terminal's own 16 colours) stay
available from the command palette.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.theme import Theme

from reader.ui.terminal_background import RGB, is_light, query_background

READER_DARK = Theme(
    name="reader-dark",
    dark=True,
    background="#1c1c1c",  # 234
    surface="#262626",  # 235
    panel="#3a3a3a",  # 237
    foreground="#d0d0d0",  # 252
    primary="#5f87d7",  # 68
    secondary="#87afd7",  # 110
    accent="#d7af5f",  # 179
    warning="#d7af00",  # 178
    error="#d75f5f",  # 167
    success="#87af5f",  # 107
    variables={
        "block-cursor-background": "#5f87d7",
        "block-cursor-foreground": "#eeeeee",
        "block-cursor-blurred-background": "#444444",  # 238
        "foreground-muted": "#a8a8a8",  # 248
        "footer-background": "#303030",  # 236
        "input-selection-background": "#5f87d7 40%",
        "border": "#5f87d7",
        "border-blurred": "#4e4e4e",  # 239
    },
)

READER_LIGHT = Theme(
    name="reader-light",
    dark=False,
    background="#eeeeee",  # 255
    surface="#e4e4e4",  # 254
    panel="#d0d0d0",  # 252
    foreground="#262626",  # 235
    primary="#005faf",  # 25
    secondary="#5f5f87",  # 60
    accent="#af5f00",  # 130
    warning="#af8700",  # 136
    error="#af0000",  # 124
    success="#5f8700",  # 64
    variables={
        "block-cursor-background": "#005faf",
        "block-cursor-foreground": "#eeeeee",
        "block-cursor-blurred-background": "#c6c6c6",  # 251
        "foreground-muted": "#585858",  # 240
        "footer-background": "#dadada",  # 253
        "border": "#005faf",
        "border-blurred": "#b2b2b2",  # 249
    },
)

THEMES = (READER_DARK, READER_LIGHT)
DEFAULT_THEME = READER_DARK.name


def ansi_color_for(environ: Mapping[str, str]) -> bool | None:
    """The ``ansi_color`` argument for the app: ``True`` under ``NO_COLOR``.

    Textual greys every colour out under ``NO_COLOR`` unless the app runs in
    ANSI mode, where it sends no colour at all (only bold, underline,
    reverse, dim): a light terminal stays light. ``None`` lets the theme
    decide, as usual."""
    return True if "NO_COLOR" in environ else None


def theme_for_background(configured: str, background: RGB | None) -> str:
    """The theme to start with: when the configured theme is one of the
    reader's own, the terminal's background (if it told) picks the light or
    the dark one; any other configured theme is kept as chosen."""
    if background is None or configured not in (READER_DARK.name, READER_LIGHT.name):
        return configured
    return READER_LIGHT.name if is_light(background) else READER_DARK.name


def startup_theme(configured: str) -> str:
    """Ask the terminal (OSC 11, a short wait, only on a terminal) and choose:
    the one call to make before the app takes the terminal."""
    return theme_for_background(configured, query_background())
