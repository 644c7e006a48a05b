"""Browser mode: the real app, served over HTTP by ``textual-serve``.

Every browser tab that opens the page gets its own ``python -m reader PATHS``
process (started by textual-serve through a shell, so the command is built
with :func:`shlex.join`). Only loopback (127.0.0.1) is listened on by
default: whoever reaches the page can read the articles.

textual-serve is optional: install the ``serve`` extra
(``pip install -e '.[serve]'``).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable, Sequence

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL_HINT = "pip install -e '.[serve]'"


class ServeUnavailable(RuntimeError):
    """textual-serve is not installed."""


def build_command(
    paths: Iterable[str | os.PathLike[str]],
    extra_args: Sequence[str] = (),
    *,
    python: str | None = None,
) -> str:
    """The shell command that runs the app on ``paths``, safely quoted.

    ``extra_args`` (app options such as ``--max-size``) come first, then
    ``--`` and the paths, so no path is read as an option or subcommand.
    """
    words = [python or sys.executable, "-m", "reader", *extra_args]
    path_list = [os.fspath(path) for path in paths]
    if path_list:
        words += ["--", *path_list]
    return shlex.join(words)


def serve(
    paths: Iterable[str | os.PathLike[str]],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    extra_args: Sequence[str] = (),
    *,
    title: str = "reader",
    public_url: str | None = None,
    debug: bool = False,
) -> None:
    """Serve the app at ``http://host:port`` until interrupted (Ctrl+C).

    Raises :class:`ServeUnavailable` when textual-serve is not installed.
    ``public_url`` is the address the page gives the browser for its
    websocket (set it when serving behind a proxy or on ``0.0.0.0``).
    """
    try:
        from textual_serve.server import Server
    except ImportError:
        raise ServeUnavailable(
            f"browser mode needs textual-serve; install the serve extra: {INSTALL_HINT}"
        ) from None
    command = build_command(paths, extra_args)
    server = Server(command, host=host, port=port, title=title, public_url=public_url)
    server.serve(debug=debug)
