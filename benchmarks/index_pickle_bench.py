"""Search index serialisation benchmark: ``pickle.dumps``/``loads`` of a
built :class:`~reader.core.search.SearchIndex` through the archive cache's
own pickler and restricted unpickler (``reader.core.store.cache._dumps/_loads``).

Usage (from the repository root)::

    .venv/bin/python benchmarks/index_pickle_bench.py --sizes 10000 100000

Builds the index over the generated search corpus (``corpus_gen.load``)
with synthetic entity fields (a few capitalised word pairs of each body, as
``Catalogue.search_fields`` gives them: the same names under their label and
under ``entity``), then pickles ``{"articles": ..., "index": ...}`` (the
articles first, as in the cache) and the articles alone: the difference is
the index's share. Each time is the best of ``--repeat`` runs. Not a test.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import corpus_gen  # noqa: E402

from reader.core.articles.article import Article  # noqa: E402
from reader.core.search import SearchIndex  # noqa: E402
from reader.core.store.cache import _dumps, _loads  # noqa: E402

_NAME = re.compile(r"\b[A-ZÉ][a-zéèêàç]+(?:[ -][A-ZÉ][a-zéèêàç]+)+")
_LABELS = ("person", "place", "org")


def fake_entities(article: Article) -> dict[str, list[str]] | None:
    names = list(dict.fromkeys(_NAME.findall(article.body)))[:12]
    if not names:
        return None
    fields: dict[str, list[str]] = {}
    for i, name in enumerate(names):
        fields.setdefault(_LABELS[i % 3], []).append(name)
    fields["entity"] = names
    return fields


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        out = None  # not freed inside the timing
        gc.collect()
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def run(size: int, repeat: int) -> None:
    articles = corpus_gen.load(size)
    start = time.perf_counter()
    index = SearchIndex()
    index.build(articles, entities=fake_entities)
    build = time.perf_counter() - start
    for a in articles[: size // 100]:  # a few removals, as after an update
        index.remove(a.id)
    gc.freeze()
    both = {"articles": articles, "index": index}
    alone = {"articles": articles, "index": None}
    t_dump, data = best(lambda: _dumps(both), repeat)
    t_dump_a, data_a = best(lambda: _dumps(alone), repeat)
    t_load, restored = best(lambda: _loads(memoryview(data)), repeat)
    t_load_a, _ = best(lambda: _loads(memoryview(data_a)), repeat)
    assert isinstance(restored, dict)
    for q in ("ukraine", "guerre paix", '"président de la"', "prix -hausse", "ukr*"):
        a, b = index.search(q), restored["index"].search(q)
        assert (a.total, [(h.article.id, h.score) for h in a.hits]) == (
            b.total,
            [(h.article.id, h.score) for h in b.hits],
        ), q
    mb = 1024 * 1024
    print(
        f"size {size}: build {build:.1f} s | index share: dumps {t_dump - t_dump_a:.3f} s, "
        f"loads {t_load - t_load_a:.3f} s, {(len(data) - len(data_a)) / mb:.1f} MB | "
        f"total: dumps {t_dump:.3f} s, loads {t_load:.3f} s, {len(data) / mb:.1f} MB "
        f"(articles alone: loads {t_load_a:.3f} s, {len(data_a) / mb:.1f} MB)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        run(size, args.repeat)


if __name__ == "__main__":
    main()
