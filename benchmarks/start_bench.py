"""Start benchmark: first start (process pool + archive store + tantivy) and second start.

Usage (from the repository root)::

    .venv/bin/python benchmarks/start_bench.py --sizes 1000 10000 100000

Writes (once) generated Markdown archives of ~400-word fr/en articles to
``benchmarks/corpora/ui-N/`` (the same files as ``ui_bench.py``) and runs each
phase in a fresh interpreter, timed from the moment the parent starts it
(interpreter start and imports included):

* ``first``: empty cache folder. Stat walk, then :class:`ParallelAnalysis`
  (reading and entity recognition in worker processes): read batches go into
  the :class:`ArchiveStore` and a tantivy index (without entity fields),
  committed when every file is read (*plain search ready*); entity batches go
  into the store and re-index their documents with entity fields, committed
  every 20,000 articles and at the end (*entities ready*).
* ``second``: the store opened and :meth:`ArchiveStore.rows` listed (*list
  shown*), the tantivy index opened from its folder (memory-mapped) and one
  query answered (*search ready*), the store asked for articles without
  entities (none: *entities ready*); then, as the app would do in the
  background, the stat walk and diff (*reconciled*).

The index stands in for the ``search`` branch's ``SearchIndex`` (not merged
when this was written): per-language stemmed body and title fields beside
folded unstemmed ones, entity fields by label, raw author/tags/source/lang.
Peak RSS is the phase's own process (``ru_maxrss``); the first start also
reports its workers' peak. Not a test: timings depend on the machine and its
load, which is printed with each run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import tantivy  # noqa: E402

FIELDS_FOLDED = ("title", "body", "person", "place", "org", "entity")
ENTITY_COMMIT_EVERY = 20_000


def write_corpus(n: int) -> Path:
    """The generated archive of ``n`` articles (written once)."""
    import corpus_gen

    folder = HERE / "corpora" / f"ui-{n}"
    if (folder / ".complete").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    generator = corpus_gen.Generator(0)
    for index in range(n):
        article = generator.article(index)
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        text = (
            f"---\ntitle: {json.dumps(article.title)}\ndate: {article.date or ''}\n"
            f"lang: {article.lang}\nsource: {article.source or ''}\n"
            f"tags: [{', '.join(article.tags)}]\n---\n{article.body}\n"
        )
        (sub / f"a{index:06d}.md").write_text(text, encoding="utf-8")
    (folder / ".complete").write_text("ok")
    return folder


# --- the stand-in index ----------------------------------------------------------


def _analyzer(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for item in (tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(), *filters):
        builder = builder.filter(item)
    return builder.build()


def open_index(folder: Path) -> tantivy.Index:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in FIELDS_FOLDED:
        builder.add_text_field(name, tokenizer_name="fold")
    for lang in ("fr", "en"):
        builder.add_text_field(f"title_{lang}", tokenizer_name=f"stem_{lang}")
        builder.add_text_field(f"body_{lang}", tokenizer_name=f"stem_{lang}")
    for name in ("author", "tags", "source", "lang", "date"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(builder.build(), path=str(folder))
    index.register_tokenizer("fold", _analyzer(tantivy.Filter.ascii_fold()))
    index.register_tokenizer(
        "stem_fr", _analyzer(tantivy.Filter.stemmer("french"), tantivy.Filter.ascii_fold())
    )
    index.register_tokenizer(
        "stem_en", _analyzer(tantivy.Filter.stemmer("english"), tantivy.Filter.ascii_fold())
    )
    return index


def document(article: object, entities: object | None) -> tantivy.Document:
    a = article  # an Article; typed loosely to keep the imports inside the phases
    lang = a.lang if a.lang in ("fr", "en") else "en"  # type: ignore[attr-defined]
    fields: dict[str, list[str]] = {
        "id": [a.id],  # type: ignore[attr-defined]
        "title": [a.title],  # type: ignore[attr-defined]
        "body": [a.body],  # type: ignore[attr-defined]
        f"title_{lang}": [a.title],  # type: ignore[attr-defined]
        f"body_{lang}": [a.body],  # type: ignore[attr-defined]
        "author": list(a.author),  # type: ignore[attr-defined]
        "tags": list(a.tags),  # type: ignore[attr-defined]
        "source": [a.source or ""],  # type: ignore[attr-defined]
        "lang": [a.lang],  # type: ignore[attr-defined]
        "date": [a.date or ""],  # type: ignore[attr-defined]
    }
    if entities is not None:
        fields.update(entities.search_fields())  # type: ignore[attr-defined]
    return tantivy.Document(**fields)


# --- phases ----------------------------------------------------------------------


def _rss_mb(who: int = resource.RUSAGE_SELF) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def _cpu_s(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return round(usage.ru_utime + usage.ru_stime, 1)


def _size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def first(folder: Path, cache: Path, events: dict[str, float]) -> dict[str, object]:
    from reader.core.session.parallel import ParallelAnalysis
    from reader.core.store.archive import ArchiveStore
    from reader.core.store.scan import ArchiveRoots

    store = ArchiveStore.open([folder], cache_dir=cache, recogniser_id="default")
    scan = ArchiveRoots([folder]).scan()
    events["scanned"] = time.time()
    store.put_walk_problems(scan.problems)
    index = open_index(cache / "index")
    writer = index.writer(heap_size=128_000_000, num_threads=2)
    since_commit = 0
    for batch in ParallelAnalysis(scan.files).run():
        if batch.stage == "read":
            events.setdefault("first_rows", time.time())
            store.put_many(batch.encoded)
            for record in batch.records:
                if record.article is not None:
                    writer.add_document(document(record.article, None))
            if batch.read[0] == batch.read[1]:
                events["all_listed"] = time.time()
                writer.commit()
                events["plain_search_ready"] = time.time()
            continue
        store.put_entities(batch.encoded_entities)
        for article, entities in batch.entities:
            writer.delete_documents_by_term("id", article.id)
            writer.add_document(document(article, entities))
        since_commit += len(batch.entities)
        if since_commit >= ENTITY_COMMIT_EVERY:
            writer.commit()
            since_commit = 0
    writer.commit()
    writer.wait_merging_threads()
    events["entities_ready"] = time.time()
    articles = store.count()
    store.close()
    return {
        "articles": articles,
        "rss_mb": _rss_mb(),
        "workers_rss_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "cpu_s": _cpu_s(),
        "workers_cpu_s": _cpu_s(resource.RUSAGE_CHILDREN),
    }


def second(folder: Path, cache: Path, events: dict[str, float]) -> dict[str, object]:
    from reader.core.store.archive import ArchiveStore
    from reader.core.store.scan import ArchiveRoots, diff

    store = ArchiveStore.open([folder], cache_dir=cache, recogniser_id="default")
    rows = store.rows()
    events["list_shown"] = time.time()
    index = open_index(cache / "index")
    index.reload()
    searcher = index.searcher()
    found = searcher.search(index.parse_query("paix", ["body_fr", "body"]), 10, count=True)
    first_hit = searcher.doc(found.hits[0][1])["id"][0]
    shown = store.article(first_hit)
    events["search_ready"] = time.time()
    pending = store.pending_entities()
    entities = store.entities(first_hit)
    events["entities_ready"] = time.time()
    changes = diff(store.stat_keys(), ArchiveRoots([folder]).scan())
    events["reconciled"] = time.time()
    store.close()
    return {
        "articles": len(rows),
        "hits": found.count,
        "shown": shown is not None,
        "pending_entities": len(pending),
        "entities_of_first_hit": 0 if entities is None else len(entities.all()),
        "changes": len(changes.new) + len(changes.changed) + len(changes.removed),
        "rss_mb": _rss_mb(),
        "cpu_s": _cpu_s(),
        "store_mb": _size_mb(store.path),
        "index_mb": _size_mb(cache / "index"),
    }


def run_phase(name: str, folder: Path, cache: Path) -> None:
    events: dict[str, float] = {}
    result = (first if name == "first" else second)(folder, cache, events)
    print(json.dumps({"events": events, **result}))


def run(size: int, keep: Path | None) -> None:
    folder = write_corpus(size)
    cache = keep or Path(tempfile.mkdtemp(prefix=f"reader-start-{size}-"))
    if keep is None or not (cache / "index").exists():
        shutil.rmtree(cache, ignore_errors=True)
        phases = ["first", "second", "second"]
    else:
        phases = ["second"]
    for name in phases:
        load = os.getloadavg()[0]
        start = time.time()
        command = [sys.executable, __file__, "--phase", name, str(folder), str(cache)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            sys.exit(done.returncode)
        result = json.loads(done.stdout)
        events = {k: round(v - start, 2) for k, v in result.pop("events").items()}
        print(
            json.dumps(
                {"size": size, "phase": name, "load_before": round(load, 1), **events, **result}
            ),
            flush=True,
        )
    if keep is None:
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--cache-dir", type=Path, help="keep the store and index here")
    parser.add_argument("--phase", nargs=3, metavar=("NAME", "FOLDER", "CACHE_DIR"))
    args = parser.parse_args()
    if args.phase:
        name, folder, cache = args.phase
        run_phase(name, Path(folder), Path(cache))
        return
    for size in args.sizes:
        keep = args.cache_dir / f"size-{size}" if args.cache_dir else None
        run(size, keep)


if __name__ == "__main__":
    main()
