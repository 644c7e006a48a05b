"""The SQLite archive store: exact round trips, order, updates, versions, damage, threads."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import iter_load, load_file
from reader.core.entities import default_recogniser
from reader.core.entities.catalogue import recognise_article
from reader.core.store import codec
from reader.core.store import schema as schema_module
from reader.core.store.archive import ArchiveStore, StoreError
from reader.core.store.identity import content_key, store_path
from reader.core.store.records import ArticleRow, FileRecord, encode_entities, encode_record
from reader.core.store.scan import ArchiveRoots

REPO = Path(__file__).resolve().parents[3]
RID = "default"


pytestmark = pytest.mark.usefixtures("no_racy_window")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(REPO / "articles", folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "note.md").write_text("# Note\n\nEmmanuel Macron à Paris.\n", "utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def records_for(roots: list[Path]) -> list[FileRecord]:
    """Every file read and recognised serially (the reference)."""
    recogniser = default_recogniser(demonyms_as_misc=False)
    out = []
    for scanned in ArchiveRoots(roots).scan().files:
        article, problems = load_file(scanned.candidate, id_prefix=scanned.prefix)
        entities = recognise_article(article, recogniser) if article else None
        out.append(FileRecord(scanned, article, tuple(problems), entities))
    return out


def filled(cache_dir: Path, roots: list[Path]) -> tuple[ArchiveStore, list[FileRecord]]:
    store = ArchiveStore.open(roots, cache_dir=cache_dir, recogniser_id=RID)
    records = records_for(roots)
    store.put_many(records)
    return store, records


def test_round_trip_is_exact(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    assert store.report.reason == "no store yet" and not store.report.reused
    articles = [r.article for r in records if r.article is not None]
    assert len(articles) == len(records) - 1  # the empty file is a problem only
    for record in records:
        if record.article is not None:
            assert store.article(record.article.id) == record.article
            assert store.entities(record.article) == record.entities
    assert store.problems() == [p for r in records for p in r.problems]
    assert store.problems() == [Problem(str(archive / "empty.txt"), "empty file")]
    missing = Article(id="missing", path="m", format="text", title="", body="")
    assert store.article("missing") is None and store.entities(missing) is None
    assert [pair for batch in store.all_entities(batch=2) for pair in batch] == [
        (r.article.id, r.entities) for r in records if r.article is not None
    ]
    assert [pair for batch in store.iter_articles(batch=5) for pair in batch] == [
        (r.article, r.entities) for r in records if r.article is not None
    ]
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
    store.close()


def test_rows_list_in_load_order_with_the_list_fields(archive: Path, cache_dir: Path) -> None:
    store, _ = filled(cache_dir, [archive])
    loaded = [item for item in iter_load([archive]) if isinstance(item, Article)]
    rows = store.rows()
    assert [row.id for row in rows] == [a.id for a in loaded]
    for row, article in zip(rows, loaded, strict=True):
        assert (row.path, row.title, row.date, bool(row.date_valid), row.source, row.lang) == (
            article.path, article.title, article.date, article.date_valid, article.source, article.lang,
        )  # fmt: skip
        assert (row.tag_list, row.authors, row.size, row.mtime) == (
            article.tags, article.author, article.size, article.mtime,
        )  # fmt: skip
        assert row.content_key == content_key(article)
        assert ArticleRow.of(article) == row
    assert store.count() == len(loaded)


def test_row_values_first_rows_and_rows_by_id_or_content(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    articles = [r.article for r in records if r.article is not None]
    every = store.row_values()
    assert [values[0] for values in every] == [a.id for a in articles]
    for limit in (0, 1, 3, len(every), len(every) + 5):
        assert store.row_values(limit=limit) == every[:limit]
    by_key = {content_key(a): a.id for a in articles}
    first, middle, last = articles[0], articles[len(articles) // 2], articles[-1]
    cases = [
        ((), (), []),
        ((last.id, "missing.txt"), (), [last.id]),
        ((), (content_key(middle), "0" * 16), [middle.id]),
        # by id or by content, in file order, each row once
        (
            (last.id, first.id),
            (content_key(first), content_key(middle)),
            [first.id, middle.id, last.id],
        ),
        (("quote'\"; DROP TABLE files; --",), ("%",), []),
    ]
    for ids, keys, expected in cases:
        assert [v[0] for v in store.row_values_of(ids, keys)] == expected, (ids, keys)
    assert all(store.row_values_of([v[0]], []) == [v] for v in every)
    assert len(by_key) == len(articles)  # distinct texts: each key names one article
    store.close()


def test_a_second_open_reuses_everything(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    rows = store.rows()
    store.close()
    again = ArchiveStore.open([archive], cache_dir=cache_dir, recogniser_id=RID)
    assert again.report.reused and again.report.reason == ""
    assert again.rows() == rows
    assert again.pending_entities() == []
    first = next(r for r in records if r.article is not None)
    assert first.article is not None
    assert again.entities(first.article) == first.entities


def test_another_recogniser_keeps_articles_and_drops_entities(
    archive: Path, cache_dir: Path
) -> None:
    store, records = filled(cache_dir, [archive])
    store.close()
    other = ArchiveStore.open([archive], cache_dir=cache_dir, recogniser_id="rules:2")
    assert other.report.reused and other.report.entities_dropped
    ids = [r.article.id for r in records if r.article is not None]
    assert other.pending_entities() == sorted(ids, key=[row.id for row in other.rows()].index)
    assert all(other.entities(r.article) is None for r in records if r.article is not None)
    assert other.article(ids[0]) is not None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("code", "written by another code"),
        ("settings", "written by another settings"),
        ("roots", "written by another roots"),
        ("user_version", "written by another schema version"),
        ("application_id", "not a reader store"),
        ("trigger", "unexpected schema"),
        ("fresh", "asked for a fresh store"),
    ],
)
def test_a_mismatch_starts_empty(
    archive: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    change: str, reason: str,
) -> None:  # fmt: skip
    store, _ = filled(cache_dir, [archive])
    store.close()
    roots = [archive]
    settings = None
    if change == "code":
        monkeypatch.setattr(schema_module, "articles_code_version", lambda: "other")
    elif change == "settings":
        settings = {"max_bytes": 10}
    elif change == "roots":
        other = tmp_path / "second"
        shutil.copytree(archive, other)
        store = ArchiveStore.open([other, archive], cache_dir=cache_dir, recogniser_id=RID)
        store.close()
        roots = [archive, other]  # the same archive (same file), roots in another order
    elif change in ("user_version", "application_id", "trigger"):
        db = sqlite3.connect(store_path(cache_dir, roots))
        if change == "trigger":
            db.execute("CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM entities; END")
        else:
            db.execute(f"PRAGMA {change} = 7")
        db.commit()
        db.close()
    again = ArchiveStore.open(
        roots, cache_dir=cache_dir, recogniser_id=RID, settings=settings, fresh=change == "fresh"
    )
    assert not again.report.reused and again.report.reason == reason
    assert again.rows() == [] and again.stat_keys() == {} and again.problems() == []
    again.put_many(records_for(roots))  # and it works again
    assert again.count() > 0


@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "zeroed header", "directory", "world writable", "empty"]
)
def test_a_damaged_file_is_recreated(archive: Path, cache_dir: Path, damage: str) -> None:
    store, _ = filled(cache_dir, [archive])
    store.close()
    path = store.path
    (cache_dir / "key").write_bytes(b"k" * 32)  # other files in the folder are left alone
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "zeroed header":
        path.write_bytes(bytes(100) + data[100:])
    elif damage == "directory":
        path.unlink()
        (path / "inside").mkdir(parents=True)
    elif damage == "world writable":
        path.chmod(0o666)
    elif damage == "empty":
        path.write_bytes(b"")
    again = ArchiveStore.open([archive], cache_dir=cache_dir, recogniser_id=RID)
    assert not again.report.reused
    if damage != "empty":  # an empty file is simply a new database
        assert again.report.reason != ""
    assert again.rows() == []
    again.put_many(records_for([archive]))
    assert len(again.rows()) == len(store_rows(archive))
    assert (cache_dir / "key").read_bytes() == b"k" * 32


def store_rows(archive: Path) -> list[Article]:
    return [item for item in iter_load([archive]) if isinstance(item, Article)]


def test_damage_found_while_reading_raises_store_error(archive: Path, cache_dir: Path) -> None:
    store, _ = filled(cache_dir, [archive])
    db = sqlite3.connect(store.path)
    db.execute("UPDATE entities SET data = x'01'")
    db.commit()
    db.close()
    first = store.article(store.rows()[0].id)
    assert first is not None
    with pytest.raises(StoreError):
        store.entities(first)
    with pytest.raises(StoreError):
        list(store.all_entities())
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.rows()


def test_put_replaces_by_file_and_by_id(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    record = next(r for r in records if r.article is not None)
    assert record.article is not None
    edited = replace(record.article, title="Edited", body="New body")
    store.put_many([replace(record, article=edited, entities=None)])
    # stored for its id, but its file holds something else: not shown as it
    assert [row.title for row in store.rows() if row.id == edited.id] == ["Edited"]
    assert store.article(edited.id) is None and store.entities(edited) is None
    assert store.count() == len(records) - 1
    # another file taking the same id replaces the holder of that id
    other = next(r for r in reversed(records) if r.article is not None)
    store.put_many([replace(other, article=edited)])
    assert [row.id for row in store.rows()].count(edited.id) == 1
    assert store.count() == len(records) - 2
    # within one call the later of two records wins
    store.put_many([record, replace(record, problems=(Problem("p", "m"),))])
    assert Problem("p", "m") in store.problems()


def test_put_entities_only_for_the_stored_content(archive: Path, cache_dir: Path) -> None:
    store = ArchiveStore.open([archive], cache_dir=cache_dir, recogniser_id=RID)
    records = records_for([archive])
    store.put_many([replace(r, entities=None) for r in records])
    pairs = [(r.article, r.entities) for r in records if r.article and r.entities]
    assert len(store.pending_entities()) == len(pairs)
    assert [e for batch in store.iter_articles() for _, e in batch] == [None] * len(pairs)
    stale = replace(pairs[0][0], body=pairs[0][0].body + " changed")
    assert store.put_entities([(stale, pairs[0][1])]) == 0
    assert store.put_entities([encode_entities(*pairs[0]), *pairs[1:]]) == len(pairs)
    assert store.pending_entities() == []
    assert all(store.entities(a) == e for a, e in pairs)
    assert store.entities(stale) is None


def test_delete_many_returns_the_removed_ids(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    gone = [records[0].file.key, records[-1].file.key, (str(archive), "never-stored.md")]
    removed = store.delete_many(gone)
    assert removed == [r.article.id for r in (records[0], records[-1]) if r.article]
    assert set(store.stat_keys()) == {r.file.key for r in records[1:-1]}


def test_walk_problems_follow_the_file_problems(archive: Path, cache_dir: Path) -> None:
    store, _ = filled(cache_dir, [archive])
    store.put_walk_problems([Problem("broken", "not found (broken link or removed)")])
    store.put_walk_problems([Problem("dir", "cannot read: permission denied")])
    assert store.problems()[-1] == Problem("dir", "cannot read: permission denied")
    assert len(store.problems()) == 2


def test_unstorable_articles_are_left_to_be_read_again(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    record = next(r for r in records if r.article is not None)
    assert record.article is not None
    odd = replace(record.article, extra={"x": object()})
    store.put_many([replace(record, article=odd)])
    assert store.article(odd.id) is None
    assert store.stat_keys()[record.file.key] is None
    assert encode_record(replace(record, article=odd)).row is None


def test_readers_are_not_blocked_by_a_writer(archive: Path, cache_dir: Path) -> None:
    store, _ = filled(cache_dir, [archive])
    expected = store.rows()
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM files")  # not committed: readers see the last commit
    seen: list[object] = []

    def read() -> None:
        try:
            seen.append(store.rows())
        except StoreError as exc:
            seen.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    writer.execute("ROLLBACK")
    writer.close()
    assert seen == [expected]


def test_writes_from_threads_are_serialised(archive: Path, cache_dir: Path) -> None:
    store = ArchiveStore.open([archive], cache_dir=cache_dir, recogniser_id=RID)
    records = records_for([archive])
    halves = [records[::2], records[1::2]]
    errors: list[BaseException] = []

    def write(part: list[FileRecord]) -> None:
        try:
            for record in part:
                store.put_many([record])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [row.id for row in store.rows()] == [a.id for a in store_rows(archive)]
    store.close()


def test_articles_are_read_from_their_files(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    note = next(r for r in records if r.article is not None and r.article.id == "sub/note.md")
    assert note.article is not None
    path = Path(note.file.candidate.path)
    # no text in the store: the same file read again is the stored article
    assert store.article(note.article.id) == note.article
    # an edit not yet seen by a reconcile: the stored row is not shown as it
    path.write_text("# Note\n\nAutre chose.\n", "utf-8")
    assert store.article(note.article.id) is None
    assert store.entities(note.article) == note.entities  # still the stored text's
    path.unlink()
    assert store.article(note.article.id) is None
    pairs = [pair for batch in store.iter_articles() for pair in batch]
    gone = next(a for a, _ in pairs if a.id == note.article.id)
    assert (gone.title, gone.body) == (note.article.title, "")
    store.close()


def test_articles_keep_the_path_as_the_roots_were_given(
    archive: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(archive.parent)
    relative = Path(archive.name)
    store, records = filled(cache_dir, [relative])
    for record in records:
        if record.article is not None:
            assert not os.path.isabs(record.article.path)
            assert store.article(record.article.id) == record.article  # same path, not resolved
    assert [a for batch in store.iter_articles() for a, _ in batch] == [
        r.article for r in records if r.article is not None
    ]
    store.close()


def test_stored_entities_outside_the_text_are_not_trusted(archive: Path, cache_dir: Path) -> None:
    store, records = filled(cache_dir, [archive])
    record = next(r for r in records if r.article is not None and r.entities and r.entities.body)
    assert record.article is not None and record.entities is not None
    body = len(record.article.body)
    far = replace(record.entities.body[0], start=body + 5, end=body + 9)
    damaged = codec.entities_blob(replace(record.entities, body=(far,)))
    db = sqlite3.connect(store.path)
    db.execute(
        "UPDATE entities SET data = ? WHERE fid = (SELECT fid FROM files WHERE id = ?)",
        (damaged, record.article.id),
    )
    db.commit()
    db.close()
    with pytest.raises(StoreError):
        store.entities(record.article)
    store.close()
