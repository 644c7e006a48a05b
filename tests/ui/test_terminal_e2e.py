"""End to end in a real terminal: the real `reader` in tmux on the hostile
archive, checked from outside (pane title, window name, paste buffers, the
raw bytes the app wrote, what is visible, and the terminal after `q`).

Needs tmux (`.ci/run` installs it from Debian packages when missing).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from reader.ui.terminal_background import QUERY
from tests.hostile import FORBIDDEN_OUTPUT, build, markers

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return result.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "e2e")

    def show(self, fmt: str) -> str:
        return self("display-message", "-p", "-t", "e2e", fmt).strip()

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")


def test_real_terminal_walk(tmp_path: Path) -> None:
    folder = build(tmp_path / "hostile")
    log = tmp_path / "pane.log"
    tmux = Tmux(f"reader-e2e-{uuid.uuid4().hex[:8]}")
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "COLORTERM", "NO_COLOR")}
    env["TERM"] = "xterm-256color"
    subprocess.run(
        [
            "tmux",
            "-L",
            tmux.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "100",
            "-y",
            "30",
            "bash --norc --noprofile",
        ],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        tmux("set-option", "-g", "set-clipboard", "on")
        tmux("set-option", "-g", "allow-rename", "on")
        tmux("set-window-option", "-t", "e2e", "automatic-rename", "off")
        tmux("rename-window", "-t", "e2e", "SAFEWINDOW")
        tmux("select-pane", "-t", "e2e", "-T", "SAFEPANE")
        tmux("pipe-pane", "-t", "e2e", "-o", f"cat >> {shlex.quote(str(log))}")
        command = f"{shlex.quote(sys.executable)} -m reader {shlex.quote(str(folder))}"
        tmux("send-keys", "-t", "e2e", f"PS1='$ '; {command}; echo EXITED=$?", "Enter")
        tmux.wait_for("articles")
        tmux.wait_for("MK01")
        seen = tmux.screen()
        for _ in range(len(markers()) + 2):
            tmux("send-keys", "-t", "e2e", "j")
            time.sleep(0.25)
            seen += tmux.screen()
        tmux("send-keys", "-t", "e2e", "!")
        time.sleep(0.5)
        problems = tmux.screen()
        tmux("send-keys", "-t", "e2e", "Escape")
        time.sleep(0.5)
        missing = [m for m in markers() if m not in seen]
        assert missing == [], f"not visible: {missing}"
        assert "90-bomb.yaml" in problems
        assert tmux.show("#{window_name}") == "SAFEWINDOW"
        assert tmux.show("#{pane_title}") == "SAFEPANE"
        assert tmux("list-buffers").strip() == ""
        tmux("send-keys", "-t", "e2e", "q")
        screen = tmux.wait_for("EXITED=0", timeout=20)
        assert tmux.show("#{alternate_on}") == "0"
        assert "EXITED=0" in screen
    finally:
        tmux("kill-server")
    raw = log.read_bytes()
    assert raw, "pipe-pane captured nothing"
    # The app itself asks the terminal for its background once, before it
    # takes the screen (light or dark theme); never again, never from text.
    ours = QUERY
    assert raw.count(ours) == 1 and raw.index(ours) < raw.index(b"\x1b[?1049h")
    raw = raw.replace(ours, b"", 1)
    for payload in FORBIDDEN_OUTPUT:
        assert payload not in raw, payload
