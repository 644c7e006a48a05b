"""The process-pool analysis gives exactly what the serial path gives."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import iter_load, load_file
from reader.core.entities import Mention, Recogniser
from reader.core.entities.catalogue import recognise_article
from reader.core.session.parallel import (
    AnalysisError,
    Batch,
    ParallelAnalysis,
    default_recogniser_factory,
    recogniser_factory,
)
from reader.core.session.workers import NICE, init_worker
from reader.core.store import codec
from reader.core.store.records import encode_entities, encode_record
from reader.core.store.scan import ArchiveRoots

REPO = Path(__file__).resolve().parents[3]

HOSTILE = {
    "é dir/Ünïcode name.md": "# Titre\n\nEmmanuel Macron à Paris.\n",
    "yaml.md": (
        "---\n"
        'title: "lone \\ud800 surrogate"\n'
        "tags: [a, b]\n"
        "blob: !!binary aGVsbG8=\n"
        "when: !!timestamp 2001-12-14t21:59:43.10-05:00\n"
        "set: !!set {x, y}\n"
        "pairs: !!omap [a: 1, b: 2]\n"
        "---\n"
        "Angela Merkel [red]not markup[/red] \x1b[31m escape.\n"
    ),
    "empty.txt": "",
    "binary.txt": "\x00" * 100,
    "deep/er/still.txt": "Line one\n\nVladimir Poutine et l’OTAN.\n",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Two roots with the same folder name (so ids collide and get #2),
    hostile names and texts, and the bundled articles."""
    base = tmp_path_factory.mktemp("hostile")
    roots = [base / "x" / "data", base / "y" / "data"]
    for root in roots:
        for name, text in HOSTILE.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
    with open(os.fsencode(roots[0]) + b"/caf\xe9.md", "w", encoding="utf-8") as handle:
        handle.write("# Café\n\nNot UTF-8 in the name.\n")
    shutil.copytree(REPO / "articles", roots[1] / "articles")
    return [str(root) for root in roots]


def run_all(analysis: ParallelAnalysis) -> list[Batch]:
    return list(analysis.run())


def test_pool_equals_the_serial_path(hostile: list[str]) -> None:
    scan = ArchiveRoots(hostile).scan()
    batches = run_all(ParallelAnalysis(scan.files, workers=2, read_chunk=3, entity_chunk=2))
    reads = [b for b in batches if b.stage == "read"]
    records = [r for b in reads for r in b.records]
    serial = list(iter_load(hostile))
    assert [r.article for r in records if r.article] == [
        a for a in serial if isinstance(a, Article)
    ]
    assert [p for r in records for p in r.problems] == [p for p in serial if isinstance(p, Problem)]
    assert [r.file for r in records] == scan.files
    assert any("#2" in r.article.id for r in records if r.article)
    encoded = [e for b in reads for e in b.encoded]
    for packed, record in zip(encoded, records, strict=True):
        # sets may come out in another order from another process: compare decoded
        assert replace(packed, detail=None) == replace(encode_record(record), detail=None)
        if record.article is not None:
            assert packed.row is not None and packed.detail is not None
            rebuilt = codec.build_article(packed.row, packed.detail, record.article.body)
            assert rebuilt == record.article
    recogniser = default_recogniser_factory()
    pairs = [p for b in batches if b.stage == "entities" for p in b.entities]
    expected = {a.id: recognise_article(a, recogniser) for r in records if (a := r.article)}
    assert {a.id: e for a, e in pairs} == expected
    assert len(pairs) == len(expected)
    packed = [p for b in batches if b.stage == "entities" for p in b.encoded_entities]
    assert sorted(packed) == sorted(encode_entities(a, e) for a, e in pairs)
    # progress: reads count up to every file, recognition to every article
    assert [b.read[0] for b in reads] == sorted(b.read[0] for b in reads)
    assert batches[-1].read == (len(scan.files), len(scan.files))
    assert max(b.recognised for b in batches) == (len(expected), len(expected))
    # all reads are reported before the last entity batch
    assert batches.index(reads[-1]) < len(batches) - 1


def test_the_settings_recogniser_goes_to_the_workers(tmp_path: Path) -> None:
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_text("entities:\n  - name: Zorglubistan\n    label: LOC\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "z.txt").write_text("Titre\n\nLe Zorglubistan parle.\n", encoding="utf-8")
    factory = recogniser_factory("rules", str(gazetteer))
    assert pickle.loads(pickle.dumps(factory))() is not None
    files = ArchiveRoots([root]).scan().files
    batches = run_all(ParallelAnalysis(files, recogniser=factory, workers=1))
    (_, entities) = next(p for b in batches for p in b.entities)
    assert [(m.label, m.text) for m in entities.body] == [("LOC", "Zorglubistan")]
    plain = run_all(ParallelAnalysis(files, recogniser=recogniser_factory(), workers=1))
    assert all(
        m.text != "Zorglub Quatremains" for b in plain for _, e in b.entities for m in e.body
    )


def test_without_a_recogniser_only_files_are_read(hostile: list[str]) -> None:
    files = ArchiveRoots(hostile).scan().files
    batches = run_all(ParallelAnalysis(files, recogniser=None, workers=1))
    assert {b.stage for b in batches} == {"read"}
    assert sum(len(b.records) for b in batches) == len(files)


def test_articles_already_read_are_only_recognised(hostile: list[str]) -> None:
    articles = [a for a in iter_load(hostile) if isinstance(a, Article)]
    batches = run_all(ParallelAnalysis([], articles=articles, workers=2, entity_chunk=5))
    assert {b.stage for b in batches} == {"entities"}
    recogniser = default_recogniser_factory()
    got = {a.id: (a, e) for b in batches for a, e in b.entities}
    assert got == {a.id: (a, recognise_article(a, recogniser)) for a in articles}
    assert batches[-1].recognised == (len(articles), len(articles))
    assert run_all(ParallelAnalysis([], articles=articles, recogniser=None)) == []


def test_taken_ids_are_not_reused(hostile: list[str]) -> None:
    files = ArchiveRoots(hostile[:1]).scan().files
    target = next(f for f in files if f.candidate.relative == "yaml.md")
    batches = run_all(ParallelAnalysis([target], recogniser=None, taken_ids={"yaml.md"}))
    article = batches[0].records[0].article
    assert article is not None and article.id == "yaml.md#2"
    assert batches[0].encoded[0].row is not None and batches[0].encoded[0].row[0] == "yaml.md#2"


def test_cancel_stops_early(hostile: list[str]) -> None:
    files = ArchiveRoots(hostile).scan().files
    analysis = ParallelAnalysis(files, workers=1, read_chunk=1, entity_chunk=1)
    seen = []
    for batch in analysis.run():
        seen.append(batch)
        analysis.cancel()
    assert analysis.cancelled
    assert len(seen) < len(files)


class Flaky:
    """A recogniser that fails on one text."""

    name = "flaky"
    version = "1"

    def recognise(self, text: str, lang: str) -> list[Mention]:
        if "Merkel" in text:
            raise RuntimeError("boom")
        return []


def flaky_factory() -> Recogniser:
    return Flaky()


def test_a_failing_article_is_reported_not_fatal(hostile: list[str]) -> None:
    files = ArchiveRoots(hostile[:1]).scan().files
    batches = run_all(ParallelAnalysis(files, recogniser=flaky_factory, workers=1))
    failures = [p for b in batches for p in b.failures]
    assert failures == [
        Problem(load_file(f.candidate)[0].path, "entity recognition failed: RuntimeError")  # type: ignore[union-attr]
        for f in files
        if f.candidate.relative == "yaml.md"
    ]
    recognised = [a.id for b in batches for a, _ in b.entities]
    assert "yaml.md" not in recognised and "deep/er/still.txt" in recognised


def test_records_go_straight_into_the_store(hostile: list[str], tmp_path: Path) -> None:
    from reader.core.store.archive import ArchiveStore

    scan = ArchiveRoots(hostile).scan()
    store = ArchiveStore.open(hostile, cache_dir=tmp_path, recogniser_id="default")
    articles: list[Article] = []
    for batch in ParallelAnalysis(scan.files, workers=2).run():
        store.put_many(batch.encoded)
        store.put_entities(batch.encoded_entities)
        articles += [r.article for r in batch.records if r.article]
    assert [store.article(a.id) for a in articles] == articles
    assert store.pending_entities() == []
    assert [row.id for row in store.rows()] == [a.id for a in articles]
    recogniser = default_recogniser_factory()
    assert all(store.entities(a) == recognise_article(a, recogniser) for a in articles)


def broken_factory() -> Recogniser:
    raise RuntimeError("no gazetteer")


def dying_factory() -> Recogniser:
    os._exit(3)


@pytest.mark.parametrize(
    ("factory", "message"),
    [(broken_factory, "analysis failed: RuntimeError"), (dying_factory, "worker process died")],
)
def test_failing_workers_raise_analysis_error(
    hostile: list[str], factory: Callable[[], Recogniser], message: str
) -> None:
    files = ArchiveRoots(hostile[:1]).scan().files
    batches: list[Batch] = []
    with pytest.raises(AnalysisError, match=message):
        batches.extend(ParallelAnalysis(files, recogniser=factory, workers=1).run())
    assert all(b.stage == "read" for b in batches)


def test_workers_run_at_a_lower_priority() -> None:
    # the app's keys and repaints come before the workers' reading
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=init_worker, initargs=(None,)
    ) as pool:
        assert pool.submit(os.nice, 0).result() == min(19, os.nice(0) + NICE)
