"""Running one benchmark phase in a fresh process, and the machine's load.

:func:`run_child` starts a command, waits for it with ``os.wait4`` (so the
peak RSS is that process's and its reaped workers', not the parent's) and
returns its output, wall time and peak RSS. :func:`bench_env` points the
archive cache and the reading state at given folders, and
:func:`bench_settings` makes a phase's settings from them. :func:`load` is the
load average printed beside every result: the machine's two cores are
shared, so a loaded run is slower than the code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ChildRun:
    stdout: str
    stderr: str
    returncode: int
    started: float
    """``time.time()`` just before the process was started."""
    wall_s: float
    max_rss_mb: int
    """Peak RSS of the process, or of its largest reaped child (Linux)."""


def bench_env(cache: Path, state: Path) -> dict[str, str]:
    """The environment of a phase: its own cache and state folders."""
    env = dict(os.environ)
    env["READER_CACHE_DIR"] = str(cache)
    env["READER_STATE_DIR"] = str(state)
    env.pop("READER_CONFIG", None)
    # as on a person's machine, where Python caches the compiled modules
    # (this sandbox sets PYTHONDONTWRITEBYTECODE: every start would compile
    # the reader package's sources again, ~0.15 s)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_settings(folder: Path) -> Any:
    """The settings of a phase (in the child): the cache on, in the folders
    :func:`bench_env` gave, no watching (``BENCH_WATCH=1``: watching, as
    the app does by default)."""
    from reader.core.session.settings import resolve_settings

    return resolve_settings(
        [str(folder)],
        cache=True,
        cache_dir=os.environ["READER_CACHE_DIR"],
        state_dir=os.environ["READER_STATE_DIR"],
        watch=os.environ.get("BENCH_WATCH") == "1",
    )


def run_child(command: list[str], env: dict[str, str]) -> ChildRun:
    """Run ``command`` to its end; its output, wall time and peak RSS."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.time()
        begin = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - begin
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            out.read(),
            err.read(),
            process.returncode,
            started,
            round(wall, 2),
            round(usage.ru_maxrss / 1024),
        )


def run_measured(command: list[str], env: dict[str, str], what: str) -> dict[str, Any]:
    """Run a phase that prints its measures as JSON on its last line: those
    measures, its ``events`` as seconds since the process started, the load
    before it and its wall time. Exits when the phase fails."""
    before = load()
    child = run_child(command, env)
    if child.returncode:
        sys.stderr.write(child.stderr)
        raise SystemExit(f"{what} failed ({child.returncode})")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    events = {k: round(v - child.started, 2) for k, v in result.pop("events").items()}
    return {"load": before, **events, **result, "wall_s": child.wall_s}


def load() -> str:
    """``uptime``'s load averages (1, 5, 15 min)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
