"""UI benchmark: the real app with the archive cache on, first and second start.

Usage (from the repository root, with the test extra installed)::

    .venv/bin/python benchmarks/ui_bench.py --sizes 1000 10000
    .venv/bin/python benchmarks/ui_bench.py --sizes 100001 --warm --cli 2

Opens the generated archive ``benchmarks/corpora/ui-N/`` (``bench_corpus.py``;
a size ending in 1, like 100,001, is ``ui-(N-1)`` plus one last file whose
title alone holds a unique word) with ``make_app(settings)`` and
``App.run_test`` (120x40, headless), each start in a fresh process with its
own ``READER_CACHE_DIR`` / ``READER_STATE_DIR``. Times run from the moment the
parent starts the process (interpreter start and imports included).

* first start (empty cache): *first paint* (the list shows rows), *all
  listed* (every file read: the list is complete and plain search works),
  *analysed* (entities ready); key latency — ``j`` / ``k`` posted until the
  next article is shown and the screen refreshed — sampled every 0.2 s from
  the first paint until the analysis ends (p50, p99, max, keys over 100 ms),
  then 20 more when idle; a search typed after the analysis (debounce
  included); peak RSS of the app's process and of its worker processes.
* ``--warm [N]``: N second starts (default 1) on the cache the first one wrote: *list shown*,
  then ``/`` and the query typed at once — the unique word of the last file
  when the archive has one, else ``ukraine`` — until the list holds the last
  file (*found*); *reconciled* when the background reconcile (stat walk and
  diff) ends; peak RSS when found and at the end.
* ``--keep DIR``: the cache and state stay in ``DIR/size-N/``; a later run
  with the same ``DIR`` skips the first start.
* ``--cli K``: then ``reader search WORD ui-N/`` K times on that cache (wall
  time, peak RSS).

Every row prints the load average (the machine's cores are shared). Not a
test; results go in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_corpus import LAST_WORD, corpus  # noqa: E402
from bench_process import bench_env, bench_settings, load, run_child, run_measured  # noqa: E402

KEY_EVERY = 0.2
SLOW_KEY = 0.1


def _rss_mb(who: int = resource.RUSAGE_SELF) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def last_file(folder: Path) -> Path | None:
    """The extra last file of a ``ui-(N+1)`` archive, if it is one."""
    return next(folder.glob("*/zz-last.md"), None)


# --- in the child process ----------------------------------------------------------


async def until_painted(app: Any) -> None:
    """Wait until the screen has been refreshed after the last change."""
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)
    await painted.wait()


async def one_key(app: Any, screen: Any, key: str) -> float:
    """Key event posted → another article shown and the screen refreshed."""
    from textual import events

    before = screen.current
    start = time.perf_counter()
    app.post_message(events.Key(key, key))
    while screen.current is before:
        await asyncio.sleep(0.0005)
    await until_painted(app)
    return time.perf_counter() - start


def summary(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "over_100ms": sum(1 for s in ordered if s > SLOW_KEY),
    }


async def type_query(app: Any, query: str) -> None:
    from textual import events

    app.post_message(events.Key("slash", "/"))
    for char in query:
        app.post_message(events.Key(char, char))


async def start(folder: Path, warm: bool) -> dict[str, Any]:
    from reader.ui.app import make_app

    events: dict[str, float] = {"imported": time.time()}
    app = make_app(bench_settings(folder))
    out: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            try:
                screen = app.reader
                if screen.article_list.entries:
                    break
            except LookupError:
                pass
            await asyncio.sleep(0.002)
        await until_painted(app)
        events["first_paint"] = time.time()
        if warm:
            out.update(await second(app, screen, folder, events))
        else:
            out.update(await first(app, screen, events))
        out["detail"] = screen.status.detail
        out["articles"] = len(screen.session.library)
        await pilot.pause()
    out["rss_mb"] = _rss_mb()
    out["workers_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    out["events"] = events
    return out


async def first(app: Any, screen: Any, events: dict[str, float]) -> dict[str, Any]:
    screen.set_focus(screen.article_list)
    loading: list[float] = []
    analysing: list[float] = []
    keys = "jk"
    while not screen.analysed.is_set():
        if screen.loaded.is_set():
            events.setdefault("all_listed", time.time())
        (analysing if screen.loaded.is_set() else loading).append(
            await one_key(app, screen, keys[len(loading + analysing) % 2])
        )
        await asyncio.sleep(KEY_EVERY)
    events.setdefault("all_listed", time.time())
    events["analysed"] = time.time()
    idle = []
    for index in range(20):
        idle.append(await one_key(app, screen, keys[index % 2]))
        await asyncio.sleep(0.02)
    out: dict[str, Any] = {
        "rss_at_analysed_mb": _rss_mb(),
        "keys_loading": summary(loading),
        "keys_analysing": summary(analysing),
        "keys_idle": summary(idle),
    }
    began = time.perf_counter()
    await type_query(app, "ukraine")
    while screen.answer.query != "ukraine":
        await asyncio.sleep(0.001)
    await until_painted(app)
    out["search_ukraine_ms"] = round((time.perf_counter() - began) * 1000)
    out["search_ukraine_total"] = screen.answer.total
    return out


async def second(app: Any, screen: Any, folder: Path, events: dict[str, float]) -> dict[str, Any]:
    last = last_file(folder) is not None
    query = LAST_WORD if last else "ukraine"
    out: dict[str, Any] = {"query": query, "rss_at_paint_mb": _rss_mb()}
    await type_query(app, query)

    def found() -> bool:
        if screen.answer.query != query:
            return False
        if not last:
            return True
        return any(entry.key.endswith("zz-last.md") for entry in screen.article_list.entries)

    deadline = time.time() + 120
    while not found() and time.time() < deadline:
        await asyncio.sleep(0.001)
    if found():
        await until_painted(app)
        events["found"] = time.time()
        out["total"] = screen.answer.total
    out["rss_at_found_mb"] = _rss_mb()
    while not screen.analysed.is_set():
        await asyncio.sleep(0.01)
    events["reconciled"] = time.time()
    return out


# --- the parent -------------------------------------------------------------------


def run_start(name: str, folder: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", name, str(folder)]
    return {"start": name, **run_measured(command, env, f"{name} start")}


def run_cli(folder: Path, env: dict[str, str]) -> dict[str, Any]:
    before = load()
    word = LAST_WORD if last_file(folder) is not None else "europe"
    reader = str(Path(sys.executable).parent / "reader")
    child = run_child([reader, "search", word, str(folder)], env)
    return {
        "start": "cli",
        "query": word,
        "load": before,
        "wall_s": child.wall_s,
        "max_rss_mb": child.max_rss_mb,
        "status": child.returncode,
        "first_line": child.stdout.strip().splitlines()[0][:100] if child.stdout.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--warm", type=int, nargs="?", const=1, default=0, help="then N second starts (1)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep each size's cache and state in KEEP/size-N; reuse them (no first start)",
    )
    parser.add_argument("--cli", type=int, default=0, help="then K CLI searches on the cache")
    parser.add_argument("--one", nargs=2, metavar=("START", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        name, folder = args.one
        print(json.dumps(asyncio.run(start(Path(folder), warm=name == "second"))))
        return
    for size in args.sizes:
        folder = corpus(size)
        first = True
        if args.keep is None:
            root = Path(tempfile.mkdtemp(prefix=f"reader-ui-{size}-"))
        else:
            root = args.keep / f"size-{size}"
            first = not any((root / "cache").glob("*.index"))
        env = bench_env(root / "cache", root / "state")
        try:
            if first:
                print(json.dumps({"size": size, **run_start("first", folder, env)}), flush=True)
            for _ in range(args.warm):
                print(json.dumps({"size": size, **run_start("second", folder, env)}), flush=True)
            for _ in range(args.cli):
                print(json.dumps({"size": size, **run_cli(folder, env)}), flush=True)
        finally:
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
