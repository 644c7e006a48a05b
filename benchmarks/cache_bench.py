"""Cache benchmark: cold start (read + analyse + write the cache) vs warm start.

Usage (from the repository root)::

    .venv/bin/python benchmarks/cache_bench.py --sizes 10000 100000

Uses the generated corpora ``benchmarks/corpora/ui-N/`` (written by
``ui_bench.py``; run it once first) and a private cache directory
(``--cache-dir``, default a fresh temporary one). Every phase runs in its own
interpreter, so times include nothing left over and peak RSS is per phase:

* cold: no cache file; ``ArchiveCache.load_library`` (stat walk, read and
  parse every file, recognise entities, build the index), then ``save``;
* warm: the same call with the cache in place (stat walk, verify and decode
  the cache, index reused), then one search to show it is ready;
* one-touched: one file's mtime bumped (then restored), so the cache is
  updated incrementally (one article re-read, re-analysed, re-indexed);
* parts: the warm start's pieces apart (stat walk; read + HMAC + unpickle).

Not a test: timings depend on the machine (and on the page cache: the warm
runs read the cache file and the folders from memory). Results go in the
commit message / report.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from reader.core.store.cache import ArchiveCache  # noqa: E402
from reader.core.store.cache_file import recogniser_id  # noqa: E402


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cache(folder: Path, cache_dir: Path) -> ArchiveCache:
    return ArchiveCache(cache_dir, [folder], recogniser_id=recogniser_id(None))


def phase(name: str, folder: Path, cache_dir: Path) -> dict[str, object]:
    cache = _cache(folder, cache_dir)
    out: dict[str, object] = {"phase": name}
    if name == "parts":
        start = time.perf_counter()
        scanned = sum(1 for _ in cache._scan())
        out["scan_s"] = round(time.perf_counter() - start, 3)
        out["files"] = scanned
        start = time.perf_counter()
        cache._read({"max_bytes": 5 * 1024 * 1024, "default_lang": None})
        out["read_verify_unpickle_s"] = round(time.perf_counter() - start, 3)
        out["rss_mb"] = round(_rss_mb())
        return out
    touched: tuple[str, os.stat_result] | None = None
    if name == "one-touched":
        first = next(iter(sorted((folder / "000").glob("*.md"))))
        info = first.stat()
        os.utime(first, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        touched = (str(first), info)
    try:
        start = time.perf_counter()
        library, report = cache.load_library()
        loaded = time.perf_counter()
        results = library.search("paix")
        searched = time.perf_counter()
        warnings = cache.save(library) if name != "warm" else []
        saved = time.perf_counter()
    finally:
        if touched is not None:
            os.utime(touched[0], ns=(touched[1].st_atime_ns, touched[1].st_mtime_ns))
    out.update(
        articles=len(library),
        load_s=round(loaded - start, 3),
        first_search_s=round(searched - loaded, 3),
        hits=results.total,
        save_s=round(saved - searched, 3),
        rss_mb=round(_rss_mb()),
        reused=report.reused,
        reread=report.reread,
        dropped=report.dropped,
        index_reused=report.index_reused,
        reason=report.reason,
        warnings=warnings,
        cache_mb=round(cache.path.stat().st_size / 1e6, 1) if cache.path.exists() else 0,
    )
    return out


def run(size: int, cache_dir: Path, phases: list[str]) -> None:
    folder = HERE / "corpora" / f"ui-{size}"
    if not (folder / ".complete").exists():
        sys.exit(f"{folder} is missing: run benchmarks/ui_bench.py --sizes {size} first")
    for name in phases:
        command = [sys.executable, __file__, "--phase", name, str(folder), str(cache_dir)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            sys.exit(done.returncode)
        result = json.loads(done.stdout)
        result["size"] = size
        result["process_s"] = round(time.perf_counter() - start, 3)
        print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--cache-dir", type=Path)
    parser.add_argument(
        "--phases", nargs="+", default=["cold", "warm", "warm", "parts", "one-touched", "warm"]
    )
    parser.add_argument("--phase", nargs=3, metavar=("NAME", "FOLDER", "CACHE_DIR"))
    args = parser.parse_args()
    if args.phase:
        name, folder, cache_dir = args.phase
        print(json.dumps(phase(name, Path(folder), Path(cache_dir))))
        return
    for size in args.sizes:
        cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix=f"reader-cache-bench-{size}-"))
        print(f"# {size} articles, cache in {cache_dir}", flush=True)
        run(size, cache_dir, args.phases)


if __name__ == "__main__":
    main()
