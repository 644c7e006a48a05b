"""A session over the archive store: filled by a first start, listed by the
next one without reading a file, reconciled with the folder, re-recognised
for another recogniser, rebuilt when the index or the store is lost, and
written by live reload. Every session is closed and collected before the
next one opens, as a new process would find the cache folder."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Problem
from reader.core.entities.catalogue import ArticleEntities
from reader.core.search import SearchIndex
from reader.core.session.changes import Applied, ChangeSet
from reader.core.session.library import Library
from reader.core.session.opening import Opening
from reader.core.session.session import Session
from reader.core.session.settings import Settings, resolve_settings
from reader.core.session.stored import index_folder
from reader.core.store import scan as scan_module
from reader.core.store.identity import store_path
from reader.core.store.lazy import StoredArticle, plain

FILES = {
    "fr-otan.md": (
        "---\ntitle: L’OTAN à Vilnius\nlang: fr\ndate: 2023-07-11\n---\n"
        "Emmanuel Macron est arrivé à Vilnius pour le sommet de l’OTAN.\n"
    ),
    "en-berlin.txt": "Berlin budget\n\nOlaf Scholz spoke in Berlin about the EU budget.\n",
    "en-un.md": "# The UN in Geneva\n\nAntonio Guterres spoke at the UN in Geneva today.\n",
    "fr-airbus.txt": "Airbus livre\n\nAirbus a livré des avions à Toulouse cette année.\n",
    "sub/fr-lyon.md": "# Sécheresse à Lyon\n\nLa préfecture limite l’usage de l’eau à Lyon.\n",
}
QUERIES = ("Scholz", "OTAN", "Lyon", "UN", "EU", "org:UN", "Vilnius", "avions")
HOUR_AGO = time.time() - 3600


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test just wrote get stat keys. Setting their mtime back is not
    enough: the stat key also holds the ctime, which ``os.utime`` sets to now."""
    monkeypatch.setattr(scan_module, "RACY_NS", -(10**12))


def write(path: Path, text: str, when: float = HOUR_AGO) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (when, when))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    for name, text in FILES.items():
        write(root / name, text)
    return root


def settings_for(root: Path, tmp_path: Path, *, cache: bool = True, **options: str) -> Settings:
    return resolve_settings(
        [str(root)],
        cache=cache,
        cache_dir=tmp_path / "cache",
        state_dir=tmp_path / "state",
        watch=False,
        **options,  # type: ignore[arg-type]
    )


@dataclass
class Seen:
    """What one session showed: ids in list order, hits per query, entities."""

    ids: list[str]
    hits: dict[str, list[str]]
    entities: dict[str, ArticleEntities]
    articles: dict[str, Article]


def look(session: Session) -> Seen:
    return Seen(
        [a.id for a in session.library.articles],
        {q: [a.id for a in session.search(q).articles] for q in QUERIES},
        {a.id: session.entities(a.id) or ArticleEntities() for a in session.library.articles},
        {a.id: plain(a) for a in session.library.articles},
    )


def done(session: Session) -> None:
    """Close a session and let go of its library: its store and its index
    writer (an index folder takes one writer at a time; a session never
    collected keeps it, and the next one would fall back to an index in RAM)."""
    session.close()
    session.library = Library()
    gc.collect()


def seen_once(settings: Settings) -> Seen:
    """Open (the CLI's way), analyse, look, close."""
    session = Session.open(settings)
    session.analyse()
    result = look(session)
    done(session)
    return result


def folder_seals(archive: Path, tmp_path: Path) -> dict[bytes, bool]:
    """Each stored folder of ``archive``: sealed or not (see
    :mod:`reader.core.store.folders`)."""
    db = sqlite3.connect(store_path(tmp_path / "cache", [str(archive)]))
    try:
        return {
            bytes(f): d is not None for f, d in db.execute("SELECT folder, digest FROM folders")
        }
    finally:
        db.close()


def test_a_second_start_lists_the_store_and_reads_no_file(
    archive: Path, tmp_path: Path, reads: list[str]
) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    names = sorted(Path(n).name for n in FILES)
    assert len(first.ids) == len(FILES) and sorted(set(reads)) == names
    assert first.hits["Scholz"] == ["en-berlin.txt"] and first.hits["OTAN"] == ["fr-otan.md"]
    reads.clear()
    second = Session.open(settings)
    assert second.opening.detail == f"cache: {len(FILES)} articles listed"
    assert all(type(a) is StoredArticle for a in second.library.articles)
    assert [a.id for a in second.library.articles] == first.ids
    assert second.library.store is not None and second.library.store.count() == len(FILES)
    assert second.library.index.path is not None  # memory-mapped from the cache folder
    assert second.analyse() == (True, [])
    assert reads == []  # listed, searchable and reconciled without reading a file
    assert look(second) == first  # hits, entities and texts
    assert second.problems == []
    assert sorted(reads) == names  # each text read from its file once, when asked for
    done(second)


def test_a_second_start_searches_before_analysing(archive: Path, tmp_path: Path) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    second = Session.open(settings)
    try:
        assert [a.id for a in second.search("Scholz").articles] == first.hits["Scholz"]
    finally:
        done(second)


def test_changes_between_two_starts_are_reconciled(
    archive: Path, tmp_path: Path, reads: list[str]
) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    # the first start sealed every folder: the next walk reads no stat key of them
    assert folder_seals(archive, tmp_path) == {b"": True, b"sub": True}
    write(archive / "en-new.txt", "Fresh news\n\nKeir Starmer visited Edinburgh.\n")
    write(
        archive / "en-berlin.txt",
        "Berlin budget\n\nEmmanuel Macron spoke in Hamburg about debt brakes.\n",
        HOUR_AGO + 60,
    )
    (archive / "fr-airbus.txt").unlink()
    write(archive / "sub" / "fr-lyon.md", " \n", HOUR_AGO + 60)  # no longer an article
    reads.clear()
    opening = Opening(settings)
    library = opening.new_library()
    assert opening.stream(library, None, threading.Event())
    assert [a.id for a in library.articles] == first.ids  # the stored list, as it was
    applied: list[Applied] = []
    assert opening.analyse(library, on_applied=applied.append) == (True, [])
    emptied = Problem(str(archive / "sub" / "fr-lyon.md"), "empty file")
    assert applied == [
        Applied(
            ("en-new.txt",), ("en-berlin.txt",), ("fr-airbus.txt", "sub/fr-lyon.md"), (emptied,)
        )
    ]
    assert sorted(reads) == ["en-berlin.txt", "en-new.txt", "fr-lyon.md"]
    assert opening.detail == "cache: 4 articles; 1 added, 1 changed, 2 removed since last time"
    assert library.problems == [emptied]
    ids = {a.id for a in library.articles}
    assert ids == set(first.ids) - {"fr-airbus.txt", "sub/fr-lyon.md"} | {"en-new.txt"}
    hits = {q: [h.id for h in library.search(q).hits] for q in ("Scholz", "Hamburg", "Starmer")}
    assert hits == {"Scholz": [], "Hamburg": ["en-berlin.txt"], "Starmer": ["en-new.txt"]}
    assert library.search("avions").hits == ()
    changed = library.entities_for("en-berlin.txt")
    assert "Emmanuel Macron" in {m.text for m in changed.body}
    assert "Olaf Scholz" in {m.text for m in first.entities["en-berlin.txt"].body}
    assert library.search("Lyon").hits == ()
    assert library.store is not None and library.store.count() == len(ids)
    # sealed again (sub/ holds the empty file, stored with its problem)
    assert folder_seals(archive, tmp_path) == {b"": True, b"sub": True}
    opening.close()
    del opening, library
    gc.collect()
    # the next start holds the reconciled archive: it reads only the texts
    # look() asks for, once each
    reads.clear()
    third = seen_once(settings)
    assert set(third.ids) == ids and third.hits["Scholz"] == []
    assert sorted(reads) == sorted(Path(i).name for i in ids)
    assert third.entities["en-berlin.txt"] == changed


def test_a_file_dated_in_the_future_is_not_read_again_at_every_start(
    archive: Path, tmp_path: Path, reads: list[str]
) -> None:
    """An mtime in the future (unpacked with another clock) is no reason to
    read the file again: every start reported it as changed."""
    write(archive / "en-un.md", FILES["en-un.md"], time.time() + 86_400)
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    for _ in range(2):
        reads.clear()
        session = Session.open(settings)
        assert session.analyse() == (True, [])
        assert session.opening.detail == f"cache: {len(FILES)} articles listed"
        assert reads == []
        done(session)


def test_a_session_reports_the_reconcile_and_notes_the_marks(archive: Path, tmp_path: Path) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    write(archive / "en-new.txt", "Fresh news\n\nKeir Starmer visited Edinburgh.\n")
    session = Session(settings)
    reported: list[Applied] = []
    assert session.watch(reported.append) is None  # how the app hears of changes
    session.stop_watching()  # only the reconcile reports here
    batches: list[tuple[int, bool]] = []
    assert session.stream(lambda a, p, f: batches.append((len(a), f)), threading.Event())
    # the first rows (all five here: fewer than FIRST_ROWS), then the whole list
    assert batches == [(len(FILES), False), (0, True)]
    session.analyse()
    assert reported == [Applied(("en-new.txt",))]
    assert session.search("Starmer").articles[0].id == "en-new.txt"
    assert session.toggle_read("en-new.txt") is True
    done(session)


def test_stored_entities_and_another_recogniser(archive: Path, tmp_path: Path) -> None:
    write(archive / "fr-zorglub.txt", "Zorglub\n\nLe Zorglubistan parle à Angela Merkel.\n")
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    session = Session.open(settings)
    assert session.library.unrecognised == set()  # every stored article has entities
    assert {i: session.entities(i, recognise=False) for i in first.ids} == first.entities
    done(session)
    gazetteer = tmp_path / "gazetteer.yaml"
    gazetteer.write_text("entities:\n  - name: Zorglubistan\n    label: LOC\n", encoding="utf-8")
    other = settings_for(archive, tmp_path, gazetteer=str(gazetteer))
    session = Session.open(other)
    store = session.library.store
    assert store is not None and store.report.reused and store.report.entities_dropped
    assert [a.id for a in session.library.articles] == first.ids  # the articles are kept
    assert session.entities("fr-zorglub.txt", recognise=False) is None
    assert session.analyse() == (True, [])
    found = session.entities("fr-zorglub.txt")
    assert found is not None
    assert ("LOC", "Zorglubistan") in {(m.label, m.text) for m in found.body}
    assert "Zorglubistan" not in {m.text for m in first.entities["fr-zorglub.txt"].body}
    assert [a.id for a in session.search("place:Zorglubistan").articles] == ["fr-zorglub.txt"]
    done(session)
    again = seen_once(other)  # the new entities were stored
    assert again.entities["fr-zorglub.txt"] == found


def _remove_one_document(folder: Path) -> None:
    index = SearchIndex(folder)
    index.resolve_with(lambda article_id: None)  # look the id up in the folder
    assert index.remove("en-berlin.txt")
    index.commit()
    del index
    gc.collect()


@pytest.mark.parametrize("damage", ["deleted", "one document missing", "junk stamp"])
def test_a_lost_index_is_rebuilt_on_analyse(archive: Path, tmp_path: Path, damage: str) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    seen_once(settings)  # an index the next start can reuse
    folder = index_folder_of(settings)
    if damage == "deleted":
        shutil.rmtree(folder)
    elif damage == "one document missing":
        _remove_one_document(folder)
    else:
        (folder / "VERSION").write_text("junk", encoding="utf-8")
    session = Session.open(settings)
    assert [a.id for a in session.library.articles] == first.ids
    assert session.analyse() == (True, [])
    assert len(session.library.index) == len(FILES)
    assert look(session) == first
    done(session)


def index_folder_of(settings: Settings) -> Path:
    opening = Opening(settings)
    library = opening.new_library()
    assert library.store is not None
    folder = index_folder(library.store)
    library.store.close()
    del opening, library
    gc.collect()
    assert folder.is_dir()
    return folder


@pytest.mark.parametrize("damage", ["junk", "empty", "directory"])
def test_a_damaged_store_still_opens_every_article(
    archive: Path, tmp_path: Path, damage: str
) -> None:
    settings = settings_for(archive, tmp_path)
    first = seen_once(settings)
    path = store_path(tmp_path / "cache", [str(archive)])
    assert path.is_file()
    if damage == "junk":
        path.write_bytes(b"not a database " * 500)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        (path / "inside").mkdir(parents=True)
    session = Session.open(settings)
    assert [a.id for a in session.library.articles] == first.ids
    assert session.analyse()[0]
    assert look(session) == first
    assert [p for p in session.problems if p.path != "cache"] == []
    done(session)


def test_without_the_cache_nothing_is_written(archive: Path, tmp_path: Path) -> None:
    settings = settings_for(archive, tmp_path, cache=False)
    session = Session.open(settings)
    assert session.library.store is None
    session.analyse()
    assert session.search("Scholz").articles[0].id == "en-berlin.txt"
    session.apply(ChangeSet(removed=frozenset({str(archive / "en-un.md")}), roots=(str(archive),)))
    done(session)
    cache = tmp_path / "cache"
    assert not cache.exists() or list(cache.iterdir()) == []


def test_live_reload_writes_the_store(archive: Path, tmp_path: Path, reads: list[str]) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    session = Session.open(settings)
    session.analyse()
    root = str(archive)
    write(archive / "en-new.txt", "Fresh news\n\nKeir Starmer visited Edinburgh.\n")
    write(
        archive / "en-un.md", "# The UN in Geneva\n\nVolker Türk spoke in Geneva.\n", HOUR_AGO + 60
    )
    write(archive / "bad.txt", "")
    (archive / "fr-airbus.txt").unlink()
    changes = ChangeSet(
        added=frozenset({os.path.join(root, "en-new.txt"), os.path.join(root, "bad.txt")}),
        modified=frozenset({os.path.join(root, "en-un.md")}),
        removed=frozenset({os.path.join(root, "fr-airbus.txt")}),
        roots=(root,),
    )
    applied = session.apply(changes)
    assert (applied.added, applied.updated, applied.removed) == (
        ("en-new.txt",),
        ("en-un.md",),
        ("fr-airbus.txt",),
    )
    assert [a.id for a in session.search("Türk").articles] == ["en-un.md"]
    live = look(session)
    done(session)
    assert folder_seals(archive, tmp_path) == {b"": False, b"sub": True}
    reads.clear()
    after = Session.open(settings)
    assert after.opening.detail == f"cache: {len(FILES)} articles listed"
    assert after.analyse() == (True, [])
    assert reads == []  # the store already held every change
    assert folder_seals(archive, tmp_path) == {b"": True, b"sub": True}  # resealed
    shown = look(after)
    assert sorted(shown.ids) == sorted(live.ids)  # in file order now
    assert (shown.hits, shown.entities, shown.articles) == (live.hits, live.entities, live.articles)
    assert after.problems == [Problem(str(archive / "bad.txt"), "empty file")]
    assert after.search("avions").articles == ()
    done(after)


def test_worker_processes_give_what_the_inline_path_gives(
    archive: Path, tmp_path: Path, reads: list[str]
) -> None:
    def streamed(pool_from: int, cache: Path) -> tuple[Seen, list[bool], list[str]]:
        settings = settings_for(archive, cache)
        session = Session(settings)
        session.opening.pool_from = pool_from
        finished: list[bool] = []
        reads.clear()
        assert session.stream(lambda a, p, f: finished.append(f), threading.Event())
        assert session.analyse() == (True, [])
        here = sorted(reads)
        result = look(session)
        done(session)
        return result, finished, here

    inline, inline_batches, read_here = streamed(10_000, tmp_path / "inline")
    assert read_here == sorted(Path(name).name for name in FILES)
    pooled, pooled_batches, read_here = streamed(1, tmp_path / "pooled")
    assert read_here == []  # every file was read in the worker processes
    assert pooled == inline
    assert inline_batches[-1] is True and pooled_batches[-1] is True
    assert inline.hits["org:UN"] == ["en-un.md"]


@pytest.mark.parametrize("pool_from", [10_000, 1], ids=["inline", "pooled"])
def test_a_file_changed_before_its_entities_is_left_unrecognised(
    archive: Path, tmp_path: Path, pool_from: int
) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    db = sqlite3.connect(store_path(tmp_path / "cache", [str(archive)]))
    db.execute("DELETE FROM entities")  # as after a recogniser change
    db.commit()
    db.close()
    session = Session.open(settings)  # listed and reconciled: nothing changed yet
    session.opening.pool_from = pool_from
    assert "en-berlin.txt" in session.library.unrecognised
    write(archive / "en-berlin.txt", "Hamburg budget\n\nOlaf Scholz spoke in Hamburg.\n")
    try:
        assert session.analyse()[0]
        # the stand-in shown for it meanwhile is neither recognised nor indexed
        assert "en-berlin.txt" in session.library.unrecognised
        assert session.search("longer").articles == ()
        assert [a.id for a in session.search("Scholz").articles] == ["en-berlin.txt"]
        assert session.entities("fr-otan.md", recognise=False) is not None
    finally:
        done(session)
