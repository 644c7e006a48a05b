"""The reading position survives every way a real session ends: ``q``,
``ctrl+c``, SIGTERM, and SIGHUP (the SSH connection drops: tmux kills the
pane). Driven in tmux against the real `reader` command.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ARTICLES

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _tmux(socket: str, *args: str) -> str:
    result = subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    return result.stdout


def _wait(predicate, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} never happened")


def _positions(state_dir: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in state_dir.glob("archive-*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, entry in data["articles"].items():
            if entry.get("position"):
                found[key] = entry["position"]
    return found


@pytest.mark.parametrize("ending", ["q", "ctrl+c", "SIGTERM", "SIGHUP"])
def test_position_saved_however_the_app_ends(tmp_path: Path, ending: str) -> None:
    state_dir = tmp_path / "state"
    socket = f"reader-exit-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "COLORTERM", "NO_COLOR")}
    env.update(TERM="xterm-256color", READER_STATE_DIR=str(state_dir))
    command = (
        f"exec {shlex.quote(sys.executable)} -m reader --no-cache {shlex.quote(str(ARTICLES))}"
    )
    _tmux(socket, "kill-server")
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "x"]
        + ["-x", "100", "-y", "30", command],
        check=True,
        env=env,
        timeout=30,
    )
    try:
        pid = int(_tmux(socket, "display-message", "-p", "-t", "x", "#{pane_pid}").strip())
        _wait(lambda: "articles" in _tmux(socket, "capture-pane", "-p", "-t", "x"), "start")
        time.sleep(1.0)
        _tmux(socket, "send-keys", "-t", "x", "Tab")
        for _ in range(12):
            _tmux(socket, "send-keys", "-t", "x", "j")
            time.sleep(0.05)
        time.sleep(0.5)
        if ending == "q":
            _tmux(socket, "send-keys", "-t", "x", "q")
        elif ending == "ctrl+c":
            _tmux(socket, "send-keys", "-t", "x", "C-c")
        elif ending == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
        else:
            _tmux(socket, "kill-server")  # the pane's process gets SIGHUP

        def gone() -> bool:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            return False

        _wait(gone, f"the app ending on {ending}", timeout=30)
    finally:
        _tmux(socket, "kill-server")
    positions = _positions(state_dir)
    assert positions and max(positions.values()) >= 10, positions
