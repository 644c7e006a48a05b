"""Start benchmark: first and second start of the real opening path, and the CLI.

Usage (from the repository root)::

    .venv/bin/python benchmarks/start_bench.py --sizes 1000 10000 100000

Opens the generated archives ``benchmarks/corpora/ui-N/`` (see
``bench_corpus.py``; written once) the way the app does — ``Session(settings)``
with the archive cache on, ``session.stream(on_batch, cancel)`` then
``session.analyse()`` — each phase in a fresh interpreter with
``READER_CACHE_DIR`` / ``READER_STATE_DIR`` pointing at temporary folders, and
times it from the moment the parent starts the process (interpreter start and
imports included):

* ``first`` (empty cache): *listed* when the last batch reaches ``on_batch``,
  *search* when ``session.search('europe')`` has answered after ``stream``
  returned (plain search ready), *entities* when ``analyse()`` returned;
  peak RSS of the process (``ru_maxrss``) and of its worker processes
  (``RUSAGE_CHILDREN`` once they are reaped), and their CPU seconds (less
  sensitive to the machine's load than wall times); store and index on disk.
* ``second`` (run twice): *first_rows* when the first rows reach
  ``on_batch`` (the list is shown), *search_at_first_rows* when
  ``session.search('europe')`` answered right then (the rest not listed
  yet), *listed* when ``stream`` returned (every stored article listed),
  *search* when the same search answered after it, *shown* when the first hit's article is presented (its text read
  from the file, parsed, entities from the store), *reconciled* when
  ``analyse()`` returned (stat walk of the folders and diff with the store);
  peak RSS.
* ``cli``: ``reader search europe ui-N/`` on the cache the first start wrote
  (a second start for the CLI: it reconciles too), twice; wall time and peak
  RSS (``os.wait4``).

With ``--keep DIR`` the cache and state of each size stay in
``DIR/size-N/``; a later run with the same ``DIR`` skips the first start
(second starts and the CLI only, e.g. after a change to the second start).

Every row prints the load average: the machine's cores are shared, and a
loaded run is slower than the code. Not a test; results go in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_corpus import corpus  # noqa: E402
from bench_process import bench_env, bench_settings, load, run_child, run_measured  # noqa: E402

QUERY = "europe"
ENTITY_QUERY = "person:putin"


def _rss_mb(who: int = resource.RUSAGE_SELF) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def _cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return round(usage.ru_utime + usage.ru_stime, 1)


def _size_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


# --- phases (in the child process) -------------------------------------------------


def _session(folder: Path) -> object:
    from reader.core.session.session import Session

    session = Session(bench_settings(folder))
    session.load_marks()  # as the app does before the archive
    return session


def phase(name: str, folder: Path) -> dict[str, object]:
    from reader.core.session.session import Session
    from reader.core.session.stored import index_folder

    events: dict[str, float] = {"imported": time.time()}
    session = _session(folder)
    assert isinstance(session, Session)
    batches = 0
    first_search: dict[str, int] = {}

    def on_batch(articles: list[object], problems: list[object], finished: bool) -> None:
        nonlocal batches
        batches += 1
        if articles and "first_rows" not in events:
            events["first_rows"] = time.time()
            if name == "second" and not finished:  # the first rows, the rest next
                first_search["hits"] = session.search(QUERY).total
                events["search_at_first_rows"] = time.time()
        if finished:
            events["listed"] = time.time()

    session.stream(on_batch, threading.Event())
    events["stream_returned"] = time.time()
    answer = session.search(QUERY)
    events["search"] = time.time()
    out: dict[str, object] = {
        "articles": len(session.library),
        "batches": batches,
        "hits": answer.total,
        "hits_at_first_rows": first_search.get("hits"),
        "rss_at_search_mb": _rss_mb(),
        "detail": session.opening.detail,
    }
    if name == "second" and answer.hits:
        presentation = session.present(answer.hits[0].article, answer)
        events["shown"] = time.time()
        out["shown_paragraphs"] = len(presentation.document.blocks)
    finished, warnings = session.analyse()
    events["entities" if name == "first" else "reconciled"] = time.time()
    out["analysed"] = finished
    out["warnings"] = warnings
    out["still_unrecognised"] = len(session.library.unrecognised)
    out["entity_hits"] = session.search(ENTITY_QUERY).total
    store = session.library.store
    session.close()
    out["rss_mb"] = _rss_mb()
    out["workers_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    out["cpu_s"] = _cpu_s()
    out["workers_cpu_s"] = _cpu_s(resource.RUSAGE_CHILDREN)
    if store is not None:
        stored = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
        out["store_mb"] = round(sum(_size_mb(p) for p in stored), 1)
        out["index_mb"] = _size_mb(index_folder(store))
    out["events"] = events
    return out


# --- the parent -------------------------------------------------------------------


def run_phase(name: str, folder: Path, env: dict[str, str]) -> dict[str, object]:
    command = [sys.executable, __file__, "--phase", name, str(folder)]
    return {"phase": name, **run_measured(command, env, name)}


def run_cli(folder: Path, env: dict[str, str]) -> dict[str, object]:
    before = load()
    reader = str(Path(sys.executable).parent / "reader")
    child = run_child([reader, "search", QUERY, str(folder)], env)
    return {
        "phase": "cli",
        "load": before,
        "wall_s": child.wall_s,
        "max_rss_mb": child.max_rss_mb,
        "status": child.returncode,
        "stderr": child.stderr.strip()[-300:],
    }


def run(size: int, phases: list[str], cli_runs: int, keep: Path | None) -> None:
    folder = corpus(size)
    if keep is None:
        root = Path(tempfile.mkdtemp(prefix=f"reader-start-{size}-"))
    else:
        root = keep / f"size-{size}"
        if any((root / "cache").glob("*.index")):
            phases = [name for name in phases if name != "first"]  # a second start
    env = bench_env(root / "cache", root / "state")
    try:
        for name in phases:
            print(json.dumps({"size": size, **run_phase(name, folder, env)}), flush=True)
        for _ in range(cli_runs):
            print(json.dumps({"size": size, **run_cli(folder, env)}), flush=True)
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seconds", type=int, default=2, help="second starts per size")
    parser.add_argument("--cli", type=int, default=2, help="CLI searches per size")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep each size's cache and state in KEEP/size-N; reuse them (second starts only)",
    )
    parser.add_argument("--phase", nargs=2, metavar=("NAME", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, folder = args.phase
        print(json.dumps(phase(name, Path(folder))))
        return
    for size in args.sizes:
        run(size, ["first", *["second"] * args.seconds], args.cli, args.keep)


if __name__ == "__main__":
    main()
