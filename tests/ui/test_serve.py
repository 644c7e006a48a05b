"""Browser mode: the command is quoted safely and the server serves the app."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.ui.serve import ServeUnavailable, build_command, serve
from tests.conftest import ARTICLES, REPO

TIMEOUT = 60.0  # generous: only reached when something is broken
HOSTILE_DIR = "my articles; $(touch PWNED) `touch PWNED` 'q' \"dq\" -x"


def test_command_quotes_paths() -> None:
    command = build_command(["a b", "$(rm -rf x)", "-x", "list"], ["--max-size", "10"])
    words = shlex.split(command)
    assert words[:3] == [sys.executable, "-m", "reader"]
    assert words[3:] == ["--max-size", "10", "--", "a b", "$(rm -rf x)", "-x", "list"]
    assert shlex.split(build_command([])) == [sys.executable, "-m", "reader"]


def test_command_paths_reach_the_cli_as_paths() -> None:
    from reader.cli import build_parser

    words = shlex.split(build_command(["list", "-x", "a b"], ["--max-size", "10"]))
    args = build_parser().parse_args(words[3:])
    assert args.paths == ["list", "-x", "a b"]
    assert args.max_size == 10


def test_missing_textual_serve_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    with pytest.raises(ServeUnavailable, match=r"pip install -e '\.\[serve\]'"):
        serve(["articles"])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str:
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8", "replace"))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    pytest.importorskip("textual_serve")
    folder = tmp_path / HOSTILE_DIR
    folder.mkdir()
    for name in ("fr-marioupol-azovstal.yaml", "en-eu-chips-act.yaml"):
        shutil.copy(ARTICLES / name, folder / name)
    port = _free_port()
    code = (
        "import sys; from reader.ui.serve import serve; "
        "serve([sys.argv[1]], port=int(sys.argv[2]), extra_args=['--no-state'])"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the server, the shell and the app
    )
    try:
        yield f"127.0.0.1:{port}", tmp_path
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass


def test_page_is_served(server: tuple[str, Path]) -> None:
    address, _ = server
    page = _get(f"http://{address}/")
    assert "<div>reader</div>" in page  # the app's name, as the page title
    assert f"ws://{address}/ws" in page


async def _app_output(address: str, needle: bytes) -> bytes:
    import aiohttp

    received = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://{address}/ws?width=120&height=40") as websocket,
    ):
        await websocket.send_json(["resize", {"width": 120, "height": 40}])
        async with asyncio.timeout(TIMEOUT):
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data
                elif message.type == aiohttp.WSMsgType.TEXT:
                    received += message.data.encode()
                else:
                    break
                if needle in received:
                    break
    return received


def test_app_runs_in_the_browser_session(server: tuple[str, Path]) -> None:
    """A websocket session starts the real app on the quoted folder."""
    address, cwd = server
    _get(f"http://{address}/")
    output = asyncio.run(_app_output(address, b"Marioupol"))
    assert b"Marioupol" in output
    assert not (cwd / "PWNED").exists()
