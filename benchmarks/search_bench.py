"""Search benchmark: reader's index against raw tantivy, SQLite FTS5 and bm25s.

Usage::

    python benchmarks/search_bench.py --sizes 1000 10000
    python benchmarks/search_bench.py --sizes 100000 --engines ours fts5

Each (engine, size) runs in a fresh subprocess: it loads the synthetic corpus
(``benchmarks/corpus_gen.py``, cached under ``benchmarks/corpora/``), reads
its RSS, builds the index, reads the RSS again (the difference is the index
memory: for FTS5 it includes the copy of the text FTS5 stores, for ours the
articles are shared with the caller), then times each query class: 30
queries × 5 rounds; p50 and p99 in milliseconds.

Query classes: ``common`` (one of the most frequent content words), ``rare``
(a word of rank 3 000–20 000), ``two`` (two mid-frequency words), ``prefix3``
(three letters, typed: ``as_you_type``), ``phrase`` (a recurring name,
quoted), ``typo`` (a mid-frequency word with two letters swapped; FTS5 and
bm25s have no typo tolerance and find nothing), ``field`` (``title:word``).

Every engine answers the same thing in the main table: the ranked top 10
(ids and scores).

* ours: ``search(q, limit=10)`` → ``[(hit.id, hit.score)]``; it always computes
  the exact total as well (``results.total``);
* FTS5: ``SELECT rowid, rank ... MATCH ? ORDER BY rank LIMIT 10`` with
  ``rank`` configured as ``bm25(3.0, 1.0)`` (title ×3); no total;
* raw: tantivy on the very index ours builds (same schema and analysis),
  one plain tantivy query per class, ``count=True`` (see :func:`engine_raw`);
* tantivy: tantivy with its default tokenizer, ``searcher.search(query, 10,
  count=False)`` (top-k only, so block-max pruning is allowed);
* bm25s: ``retrieve(k=10)`` (bag of words only; no total).

A second measurement, "snip", adds what a result list shows: the snippet of
each of the 10 hits — ours ``hit.snippet`` (and the hit offsets it uses);
FTS5 ``snippet(docs, 1, '[', ']', '…', 24)`` in the same statement. raw,
tantivy and bm25s store no text here, so they have no snip column.

bm25s is used when installed (``pip install bm25s``, the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402

CLASSES = ["common", "rare", "two", "prefix3", "phrase", "typo", "field"]
ENGINES = ["ours", "raw", "fts5", "tantivy", "bm25s"]
ROUNDS = 5
PER_CLASS = 30


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def queries(seed: int = 0) -> dict[str, list[str]]:
    """The same queries for every engine (drawn from the generator's vocabulary)."""
    gen = corpus_gen.Generator(seed)
    rng = random.Random(42)
    out: dict[str, list[str]] = {c: [] for c in CLASSES}
    for vocab, top in ((gen.fr, corpus_gen.FR_TOP), (gen.en, corpus_gen.EN_TOP)):
        content = [w for w in top[40:] if len(w) >= 4]
        mid = [w for w in vocab[300:3000] if len(w) >= 6 and w.isalpha()]
        rare = [w for w in vocab[3000:20000] if w.isalpha()]
        for _ in range(PER_CLASS // 2):
            out["common"].append(rng.choice(content[:25]))
            out["rare"].append(rng.choice(rare))
            out["two"].append(f"{rng.choice(mid)} {rng.choice(mid)}")
            out["prefix3"].append(rng.choice(mid)[:3])
            out["phrase"].append(f'"{rng.choice([n for n in corpus_gen.NAMES if " " in n])}"')
            word = rng.choice(mid)
            k = rng.randint(1, len(word) - 3)
            out["typo"].append(word[:k] + word[k + 1] + word[k] + word[k + 2 :])
            out["field"].append(f"title:{rng.choice(vocab[30:3000])}")
    return out


# -- engines ------------------------------------------------------------------


Runner = Callable[[str, str, bool], int]


def engine_ours(articles: list) -> tuple[Runner, object]:
    from reader.core.search import SearchIndex

    index = SearchIndex()
    index.build(articles)

    def run(cls: str, q: str, snip: bool) -> int:
        results = index.search(q, limit=10, as_you_type=cls == "prefix3")
        top = [(hit.id, hit.score) for hit in results.hits]
        if snip:
            for hit in results.hits:
                hit.snippet  # noqa: B018 - what a result list shows
        return len(top)

    return run, index


def engine_raw(articles: list) -> tuple[Runner, object]:
    """Raw tantivy on our schema: the index ``SearchIndex`` builds (same
    fields, same analysis), queried with the plain tantivy query of each
    class and ``count=True`` (exact totals, as ours), without our query
    language: no exact-before-typo bonus, no entity-name lookup, no hit
    objects. The target is ours ≤ 3 × this."""
    import tantivy

    from reader.core.search import SearchIndex, analysis

    index = SearchIndex()
    index.build(articles)
    searcher = index._searcher  # the committed index
    schema = index._schema
    langs = [lang for lang in ("fr", "en") if searcher.doc_freq("lang", lang)]
    term, boost = tantivy.Query.term_query, tantivy.Query.boost_query
    should, must = tantivy.Occur.Should, tantivy.Occur.Must

    def word(w: str, fields: tuple[str, ...] = ("title", "body")) -> tantivy.Query:
        clauses = []
        for name in fields:
            weight = 3.0 if name == "title" else 1.0
            clauses.append((should, boost(term(schema, name, analysis.fold(w)), weight)))
            for lang in langs:
                stem = analysis.stem(w, lang)
                clauses.append((should, boost(term(schema, f"{name}_{lang}", stem), weight)))
        return tantivy.Query.boolean_query(clauses)

    def run(cls: str, q: str, snip: bool) -> int:
        if snip:
            raise NotImplementedError
        if cls == "typo":
            query = tantivy.Query.fuzzy_term_query(schema, "body", analysis.fold(q), 1, True)
        elif cls == "prefix3":
            query = tantivy.Query.regex_query(schema, "body", analysis.fold(q) + ".*")
        elif cls == "phrase":
            words = [analysis.fold(w) for w in analysis.query_tokens(q)]
            query = tantivy.Query.phrase_query(schema, "body", words)
        elif cls == "field":
            query = word(q.partition(":")[2], ("title",))
        else:
            query = tantivy.Query.boolean_query([(must, word(w)) for w in q.split()])
        return len(searcher.search(query, 10, count=True).hits)

    return run, index


def _fts_quote(q: str, cls: str) -> str:
    if cls == "phrase":
        return q
    if cls == "prefix3":
        return f'"{q}"*'
    if cls == "field":
        field, _, word = q.partition(":")
        return f'{field} : "{word}"'
    return " ".join(f'"{w}"' for w in q.split())


def engine_fts5(articles: list) -> tuple[Runner, object]:
    con = sqlite3.connect(":memory:", check_same_thread=False)
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    with con:
        con.executemany(
            "INSERT INTO docs(title, body) VALUES (?, ?)", ((a.title, a.body) for a in articles)
        )
        con.execute("INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(3.0, 1.0)')")
    top = "SELECT rowid, rank FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
    snip = (
        "SELECT rowid, rank, snippet(docs, 1, '[', ']', '…', 24) FROM docs"
        " WHERE docs MATCH ? ORDER BY rank LIMIT 10"
    )

    def run(cls: str, q: str, snippets: bool) -> int:
        rows = con.execute(snip if snippets else top, (_fts_quote(q, cls),)).fetchall()
        return len(rows)

    return run, con


def engine_tantivy(articles: list) -> tuple[Runner, object]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("title", stored=False)
    builder.add_text_field("body", stored=False)
    builder.add_integer_field("n", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=256_000_000, num_threads=2)
    for i, a in enumerate(articles):
        writer.add_document(tantivy.Document(title=a.title, body=a.body, n=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def run(cls: str, q: str, snip: bool) -> int:
        if snip:
            raise NotImplementedError
        if cls == "typo":
            query = tantivy.Query.fuzzy_term_query(schema, "body", q.lower(), distance=1)
        elif cls == "prefix3":
            query = tantivy.Query.regex_query(schema, "body", q.lower() + ".*")
        else:  # all words must match, as for the other engines; title boosted ×3
            query = index.parse_query(
                q.lower(), ["title", "body"], {"title": 3.0}, conjunction_by_default=True
            )
        return len(searcher.search(query, 10, count=False).hits)

    return run, (index, searcher)


def engine_bm25s(articles: list) -> tuple[Runner, object]:
    import bm25s

    texts = [f"{a.title} {a.body}" for a in articles]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)

    def run(cls: str, q: str, snip: bool) -> int:
        if snip or cls in ("prefix3", "phrase", "field"):
            raise NotImplementedError
        tokens = bm25s.tokenize([q], show_progress=False)
        docs, _ = retriever.retrieve(tokens, k=10, show_progress=False)
        return len(docs[0])

    return run, retriever


def worker(engine: str, size: int) -> dict[str, object]:
    articles = corpus_gen.load(size)
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    run, keep = globals()[f"engine_{engine}"](articles)
    build = time.perf_counter() - start
    gc.collect()
    memory = rss_mb() - before
    result: dict[str, object] = {"engine": engine, "size": size, "build_s": build, "mem_mb": memory}
    for snip in (False, True):
        for cls, qs in queries().items():
            key = f"snip_{cls}" if snip else cls
            times: list[float] = []
            found = 0
            try:
                for q in qs:  # warm-up round (and first-use caches)
                    found += run(cls, q, snip) > 0
                for _ in range(ROUNDS):
                    for q in qs:
                        t = time.perf_counter()
                        run(cls, q, snip)
                        times.append((time.perf_counter() - t) * 1000)
            except (NotImplementedError, ValueError) as exc:
                result[key] = None
                result[f"{key}_error"] = type(exc).__name__
                continue
            times.sort()
            result[key] = {
                "p50": times[len(times) // 2],
                "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
                "found": f"{found}/{len(qs)}",
            }
    del keep
    return result


# -- driver -------------------------------------------------------------------


def available(engine: str) -> bool:
    if engine in ("ours", "fts5", "raw"):
        return True
    try:
        __import__(engine)
    except ImportError:
        return False
    return True


def table(results: list[dict], snip: bool = False) -> str:
    """Markdown rows: top-10 latencies, or (``snip``) top 10 with snippets."""
    lines = []
    head = "| size | engine | build s | mem MB | " + " | ".join(f"{c} p50/p99 ms" for c in CLASSES)
    if snip:
        head = "| size | engine | " + " | ".join(f"{c} +snip p50/p99 ms" for c in CLASSES)
    lines.append(head + " |")
    lines.append("|" + "---|" * head.count("|"))
    for r in results:
        if snip and all(r.get(f"snip_{c}") is None for c in CLASSES):
            continue
        cells = [f"{r['size']:,}", r["engine"]]
        if not snip:
            cells += [f"{r['build_s']:.2f}", f"{r['mem_mb']:.0f}"]
        for c in CLASSES:
            v = r.get(f"snip_{c}" if snip else c)
            cells.append("n/a" if v is None else f"{v['p50']:.2f} / {v['p99']:.2f} ({v['found']})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=ENGINES)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.size)))
        return
    results = []
    for size in args.sizes:
        corpus_gen.write(size)
        for engine in args.engines:
            if not available(engine):
                print(f"skip {engine}: not installed", file=sys.stderr)
                continue
            out = subprocess.run(
                [sys.executable, __file__, "--worker", engine, "--size", str(size)],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(f"{engine} {size} failed:\n{out.stderr}", file=sys.stderr)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
    print(f"\n{time.strftime('%Y-%m-%d')} — {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}\n")  # fmt: skip
    print(table(results))
    print()
    print(table(results, snip=True))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
