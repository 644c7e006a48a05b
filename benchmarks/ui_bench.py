"""UI benchmark: start to first paint, full load, key latency, at scale.

Usage (from the repository root, with the test extra installed)::

    .venv/bin/python benchmarks/ui_bench.py --sizes 1000 10000 100000

For each size it writes that many generated Markdown articles (the search
benchmark's deterministic corpus, see ``corpus_gen.py``) under
``benchmarks/corpora/ui-N/`` (git-ignored; reused when present), then runs
the real app headless (``App.run_test``, 120x40) and measures:

* first paint: app start until the sidebar shows its first rows;
* all listed: until every file is read and listed;
* analysed: until entities and the search index are ready for every article;
* key latency: ``j`` pressed until the next article is shown, sampled while
  loading/analysis runs in the background and again when idle (p50 / max);
* search latency: a query typed until results are listed (after analysis);
* with ``--warm``: a second start in a fresh process from the archive cache
  the first one wrote (list shown, all listed, search ready), and peak RSS.

Not a test: timings depend on the machine. Results go in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402
from textual import events  # noqa: E402

from reader.core.store.cache import ArchiveCache  # noqa: E402
from reader.core.store.cache_file import recogniser_id  # noqa: E402
from reader.ui.app import ReaderApp  # noqa: E402


def write_corpus(n: int) -> Path:
    folder = HERE / "corpora" / f"ui-{n}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    generator = corpus_gen.Generator(0)
    for index in range(n):
        article = generator.article(index)
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        tags = ", ".join(article.tags)
        text = (
            f"---\ntitle: {json.dumps(article.title)}\ndate: {article.date or ''}\nlang: {article.lang}\n"
            f"source: {article.source or ''}\ntags: [{tags}]\n---\n{article.body}\n"
        )
        (sub / f"a{index:06d}.md").write_text(text, encoding="utf-8")
    done.write_text("ok")
    return folder


async def until_painted(app: ReaderApp) -> None:
    """Wait until the screen has been refreshed after the last change."""
    painted = asyncio.Event()
    app.call_after_refresh(painted.set)
    await painted.wait()


async def key_latency(app: ReaderApp, samples: int) -> list[float]:
    """Key event posted → next article shown and the screen refreshed."""
    out = []
    for _ in range(samples):
        before = app._current
        start = time.perf_counter()
        app.post_message(events.Key("j", "j"))
        while app._current is before:
            await asyncio.sleep(0.0005)
        await until_painted(app)
        out.append(time.perf_counter() - start)
        await asyncio.sleep(0.02)
    return out


async def measure(
    folder: Path, analyse_timeout: float, cache: ArchiveCache | None = None
) -> dict[str, float]:
    result: dict[str, float] = {}
    start = time.perf_counter()
    app = ReaderApp([folder], cache=cache, watch=False, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        marks: dict[str, float] = {}

        async def watch() -> None:
            # Record the moments the list is complete and search is ready,
            # whatever the key-latency loops are doing meanwhile.
            while "analysed" not in marks:
                now = time.perf_counter() - start
                if app._loaded:
                    marks.setdefault("all_listed", now)
                if app._analysed:
                    marks.setdefault("analysed", now)
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        while not app.article_list.entries:
            await asyncio.sleep(0.002)
        await until_painted(app)
        result["first_paint"] = time.perf_counter() - start
        app.screen.set_focus(app.article_list)
        busy = await key_latency(app, 20)
        result["key_busy_p50"] = statistics.median(busy)
        result["key_busy_max"] = max(busy)
        try:
            await asyncio.wait_for(watcher, analyse_timeout)
        except TimeoutError:
            marks.setdefault("analysed", float("nan"))
        result["all_listed"] = marks.get("all_listed", float("nan"))
        result["analysed"] = marks["analysed"]
        idle = await key_latency(app, 20)
        result["key_idle_p50"] = statistics.median(idle)
        result["key_idle_max"] = max(idle)
        if app._analysed:
            app.post_message(events.Key("slash", "/"))
            await pilot.pause()
            began = time.perf_counter()
            for char in "ukraine":
                app.post_message(events.Key(char, char))
            while app._query != "ukraine":
                await asyncio.sleep(0.001)
            await until_painted(app)
            # The debounce (SEARCH_DEBOUNCE) is part of what the user waits for.
            result["search"] = time.perf_counter() - began
        if cache is not None and not cache.path.exists():
            # The first start writes the cache after the analysis.
            while not cache.path.exists():
                await asyncio.sleep(0.1)
            result["cache_written"] = time.perf_counter() - start
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_once(folder: Path, timeout: float, cache_dir: Path | None) -> dict[str, float]:
    cache = None
    if cache_dir is not None:
        cache = ArchiveCache(cache_dir, [str(folder)], recogniser_id=recogniser_id(None))
    return asyncio.run(measure(folder, timeout, cache))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--analyse-timeout", type=float, default=900.0)
    parser.add_argument(
        "--warm",
        action="store_true",
        help="also start a second time from the archive cache (in a fresh process)",
    )
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "CACHE_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        size, cache_dir = int(args.one[0]), args.one[1]
        result = run_once(
            write_corpus(size), args.analyse_timeout, Path(cache_dir) if cache_dir != "-" else None
        )
        print(json.dumps(result))
        return
    print(
        "| articles | first paint | all listed | analysed | key p50/max (loading) | key p50/max (idle) | search 'ukraine' |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        write_corpus(n)
        cache_dir = tempfile.mkdtemp(prefix="reader-bench-cache-") if args.warm else "-"
        r = _child(n, cache_dir, args.analyse_timeout)
        print(
            f"| {n:,} | {r['first_paint']:.2f} s | {r['all_listed']:.1f} s | {r['analysed']:.1f} s "
            f"| {r['key_busy_p50'] * 1000:.0f} / {r['key_busy_max'] * 1000:.0f} ms "
            f"| {r['key_idle_p50'] * 1000:.0f} / {r['key_idle_max'] * 1000:.0f} ms "
            f"| {r.get('search', float('nan')) * 1000:.0f} ms |",
            flush=True,
        )
        print(f"  peak RSS {r['rss_mb']:.0f} MB", flush=True)
        if args.warm:
            w = _child(n, cache_dir, args.analyse_timeout)
            print(
                f"  warm start from the cache: list {w['first_paint']:.2f} s, "
                f"all listed {w['all_listed']:.2f} s, search ready {w['analysed']:.2f} s, "
                f"peak RSS {w['rss_mb']:.0f} MB",
                flush=True,
            )
            shutil.rmtree(cache_dir, ignore_errors=True)


def _child(n: int, cache_dir: str, timeout: float) -> dict[str, float]:
    """One start in a fresh process (so memory and caches are its own)."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(n), cache_dir, "--analyse-timeout", str(timeout)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    main()
