"""The persistent archive cache: round trips, changes, damage, versions, writers."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import threading
from pathlib import Path

import pytest

from reader.core.articles.loader import DEFAULT_MAX_BYTES
from reader.core.session.library import Library
from reader.core.store import cache as cache_module
from reader.core.store import cache_file
from reader.core.store.atomic import FileLock
from reader.core.store.cache import ArchiveCache, CacheReport
from reader.core.store.cache_file import MAGIC, cache_path, default_cache_dir, recogniser_id

REPO = Path(__file__).resolve().parents[3]
QUERIES = ["poutine", "paix", "russie OR ukraine", "title:europe", "person:putin", "inflat*"]
RID = recogniser_id(None)


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files made by a test are seconds old: cache them anyway (one test
    checks the racy rule with the real window)."""
    monkeypatch.setattr(cache_module, "RACY_NS", -(10**12))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    shutil.copytree(REPO / "articles", folder)
    (folder / "sub").mkdir()
    (folder / "sub" / "note.md").write_text(
        "# Note\n\nEmmanuel Macron à Paris.\n", encoding="utf-8"
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")  # a load problem, cached too
    return folder


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def fresh(roots: list[Path]) -> Library:
    library = Library.load(roots)
    library.analyse()
    return library


def through_cache(
    cache_dir: Path, roots: list[Path], rid: str = RID, save: bool = True, **kwargs: object
) -> tuple[Library, CacheReport]:
    cache = ArchiveCache(cache_dir, roots, recogniser_id=rid)
    library, report = cache.load_library(**kwargs)  # type: ignore[arg-type]
    if save:
        assert cache.save(library) == []
    return library, report


def assert_same(library: Library, expected: Library) -> None:
    assert library.articles == expected.articles
    assert [a.id for a in library.articles] == [a.id for a in expected.articles]
    assert library.problems == expected.problems
    for article in expected.articles:
        assert library.catalogue.get(article.id) == expected.catalogue.get(article.id)
    assert [(e.key, e.articles) for e in library.catalogue.entities()] == [
        (e.key, e.articles) for e in expected.catalogue.entities()
    ]
    assert len(library.index) == len(expected.index)
    for query in QUERIES:
        got, want = library.search(query), expected.search(query)
        assert got.total == want.total, query
        assert [(h.article.id, round(h.score, 9), h.fields) for h in got.hits] == [
            (h.article.id, round(h.score, 9), h.fields) for h in want.hits
        ], query


def test_round_trip_equals_a_fresh_load(archive: Path, cache_dir: Path) -> None:
    expected = fresh([archive])
    cold, report = through_cache(cache_dir, [archive])
    assert not report.used and report.reason == "no cache yet"
    assert report.reread == len(expected.articles) + 1  # and the empty file
    assert_same(cold, expected)
    warm, report = through_cache(cache_dir, [archive])
    assert report.used and report.reason == ""
    assert report.index_reused and report.entities_reused
    assert (report.reused, report.reread, report.dropped) == (len(expected.articles) + 1, 0, 0)
    assert_same(warm, expected)
    # the index holds the very article objects of the list (no duplicates)
    hit = warm.search("poutine").hits[0]
    assert hit.article is warm.get(hit.article.id)
    assert oct(cache_path(cache_dir, [archive]).stat().st_mode & 0o777) == "0o600"
    assert oct((cache_dir / "key").stat().st_mode & 0o777) == "0o600"


def test_a_save_after_a_full_hit_writes_nothing(archive: Path, cache_dir: Path) -> None:
    through_cache(cache_dir, [archive])
    path = cache_path(cache_dir, [archive])
    before = path.stat().st_mtime_ns, path.stat().st_ino
    through_cache(cache_dir, [archive])
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


def test_changed_added_and_removed_files(archive: Path, cache_dir: Path) -> None:
    through_cache(cache_dir, [archive])
    changed = archive / "fr-bce-taux-inflation.md"
    changed.write_text("# Zanzibar\n\nLe zanzibar remplace l'inflation.\n", encoding="utf-8")
    (archive / "sub" / "new.txt").write_text("Nouveau\n\nAngela Merkel à Berlin.\n", "utf-8")
    (archive / "en-eu-chips-act.yaml").unlink()
    library, report = through_cache(cache_dir, [archive])
    assert (report.reread, report.dropped) == (2, 1)
    assert report.entities_reused and not report.index_reused
    assert_same(library, fresh([archive]))
    assert library.search("zanzibar").total == 1
    assert library.get("en-eu-chips-act.yaml") is None
    assert library.search("merkel").hits[0].article.id == "sub/new.txt"
    # and the updated cache is whole again
    again, report = through_cache(cache_dir, [archive])
    assert report.index_reused and report.reread == 0
    assert_same(again, fresh([archive]))


def test_a_touched_file_with_the_same_size_is_read_again(archive: Path, cache_dir: Path) -> None:
    through_cache(cache_dir, [archive])
    target = archive / "sub" / "note.md"
    target.write_text("# Note\n\nAngela Merkel à Paris.\n", encoding="utf-8")  # same length
    library, report = through_cache(cache_dir, [archive])
    assert report.reread == 1
    assert library.search("merkel").total == 1
    assert_same(library, fresh([archive]))


def test_renamed_root_spelling_keeps_entities_and_fixes_paths(
    archive: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    through_cache(cache_dir, [archive])
    monkeypatch.chdir(archive.parent)
    relative = Path("archive")
    library, report = through_cache(cache_dir, [relative])
    assert report.used and report.reread == 0
    assert_same(library, fresh([relative]))
    assert all(a.path.startswith("archive/") for a in library.articles)


def test_several_roots_and_duplicate_ids(tmp_path: Path, cache_dir: Path) -> None:
    one, two = tmp_path / "x" / "same", tmp_path / "y" / "same"
    for root, text in ((one, "Paris"), (two, "Berlin")):
        root.mkdir(parents=True)
        (root / "a.txt").write_text(f"Titre\n\n{text} et Londres.\n", encoding="utf-8")
    roots = [one, two]
    through_cache(cache_dir, roots)
    library, report = through_cache(cache_dir, roots)
    assert report.index_reused
    assert [a.id for a in library.articles] == ["same/a.txt", "same/a.txt#2"]
    assert_same(library, fresh(roots))
    (one / "a.txt").unlink()  # the duplicate becomes the only one: its id changes
    library, report = through_cache(cache_dir, roots)
    assert [a.id for a in library.articles] == ["same/a.txt"]
    assert report.dropped == 1 and not report.index_reused
    assert_same(library, fresh(roots))


def damage_truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def damage_flip_payload(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))


def damage_flip_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(MAGIC) + 32 + 8 + 3] ^= 0x20
    path.write_bytes(bytes(data))


def damage_foreign(path: Path) -> None:
    path.write_bytes(os.urandom(5000))


def damage_empty(path: Path) -> None:
    path.write_bytes(b"")


def damage_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "junk").write_text("x")


def damage_key(path: Path) -> None:
    (path.parent / "key").write_bytes(os.urandom(32))  # another key: nothing verifies


def damage_key_permissions(path: Path) -> None:
    (path.parent / "key").chmod(0o644)  # others could read it: not trusted


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncate,
        damage_flip_payload,
        damage_flip_header,
        damage_foreign,
        damage_empty,
        damage_directory,
        damage_key,
        damage_key_permissions,
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    archive: Path, cache_dir: Path, damage: object
) -> None:
    through_cache(cache_dir, [archive])
    path = cache_path(cache_dir, [archive])
    damage(path)  # type: ignore[operator]
    library, report = through_cache(cache_dir, [archive])
    assert not report.used and report.reason
    assert report.reused == 0 and not report.index_reused
    assert_same(library, fresh([archive]))
    library, report = through_cache(cache_dir, [archive])
    assert report.used and report.index_reused
    assert path.is_file()


def signed_file(cache: ArchiveCache, payload_bytes: bytes) -> None:
    """A file written with the user's key around arbitrary pickle bytes."""
    header = json.dumps(
        cache._header_base({"max_bytes": DEFAULT_MAX_BYTES, "default_lang": None})
    ).encode()
    assert cache._write(header, payload_bytes) == []


class Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch pwned",))


def test_unsigned_pickles_never_run(
    archive: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    through_cache(cache_dir, [archive])
    path = cache_path(cache_dir, [archive])
    evil = pickle.dumps(Boom())
    data = path.read_bytes()
    start = len(MAGIC) + 32
    length = int.from_bytes(data[start : start + 8], "little")
    path.write_bytes(data[: start + 8 + length] + evil)  # header kept, payload swapped
    monkeypatch.chdir(tmp_path)
    _library, report = through_cache(cache_dir, [archive], save=False)
    assert report.reason == "bad checksum"
    # even a signed file may only name reader classes and plain containers
    signed_file(ArchiveCache(cache_dir, [archive], recogniser_id=RID), evil)
    _library, report = through_cache(cache_dir, [archive], save=False)
    assert report.reason.startswith("cannot decode")
    assert not (tmp_path / "pwned").exists()


def test_another_recogniser_keeps_articles_but_not_entities(archive: Path, cache_dir: Path) -> None:
    through_cache(cache_dir, [archive])
    library, report = through_cache(cache_dir, [archive], rid=RID + "|other")
    assert report.used and report.reason == "recogniser changed"
    assert report.reread == 0 and not report.entities_reused and not report.index_reused
    assert_same(library, fresh([archive]))


def test_another_code_version_or_settings_discard_everything(
    archive: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    through_cache(cache_dir, [archive])
    library, report = through_cache(cache_dir, [archive], save=False, max_bytes=1000)
    assert not report.used and report.reason == "written by another settings"
    assert any("truncated" in p.message for p in library.problems)
    monkeypatch.setattr(cache_module, "code_version", lambda: "9.9.9+other")
    library, report = through_cache(cache_dir, [archive], save=False)
    assert not report.used and report.reason == "written by another code"
    assert report.reused == 0
    assert_same(library, fresh([archive]))


def test_code_version_names_the_package_version() -> None:
    import reader

    assert cache_file.code_version().startswith(reader.__version__ + "+")


def test_recogniser_id_follows_the_gazetteer(tmp_path: Path) -> None:
    gazetteer = tmp_path / "g.yaml"
    gazetteer.write_text("a: 1\n")
    first = recogniser_id(None, gazetteer=gazetteer)
    gazetteer.write_text("a: 2\n")
    assert recogniser_id(None, gazetteer=gazetteer) != first
    assert recogniser_id(None, options="demonyms=True") != recogniser_id(None)


def test_recent_files_are_not_trusted(
    archive: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 2_000_000_000)
    old = 1_600_000_000_000_000_000
    for path in archive.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old, old))
    os.utime(archive / "sub" / "note.md")  # just now: its mtime may not tick again
    through_cache(cache_dir, [archive])
    _library, report = through_cache(cache_dir, [archive])
    assert report.reread == 1 and not report.index_reused


def test_a_writer_holding_the_lock_wins(archive: Path, cache_dir: Path) -> None:
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    library, _report = cache.load_library()
    cache_dir.mkdir(exist_ok=True)
    with FileLock(cache.path):
        warnings = cache.save(library)
    assert warnings and "another instance" in warnings[0]
    assert not cache.path.exists()
    assert cache.save(library) == []


def test_concurrent_writers_leave_a_valid_file(archive: Path, cache_dir: Path) -> None:
    loaded = []
    for _ in range(4):
        cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
        loaded.append((cache, cache.load_library()[0]))
    barrier = threading.Barrier(len(loaded))
    results: list[list[str]] = []

    def write(cache: ArchiveCache, library: Library) -> None:
        barrier.wait()
        for _ in range(3):
            results.append(cache.save(library))

    threads = [threading.Thread(target=write, args=pair) for pair in loaded]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert any(r == [] for r in results)
    assert all(r == [] or "another instance" in r[0] for r in results)
    library, report = through_cache(cache_dir, [archive])
    assert report.index_reused
    assert_same(library, fresh([archive]))
    assert not [p for p in cache_dir.iterdir() if p.name.endswith(".tmp")]


def test_save_leaves_out_articles_changed_since_the_load(archive: Path, cache_dir: Path) -> None:
    from dataclasses import replace

    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    library, _report = cache.load_library()
    article = library.get("sub/note.md")
    assert article is not None
    library.add(replace(article, body="Changé en mémoire."))  # as live reload would
    assert cache.save(library) == []
    library, report = through_cache(cache_dir, [archive])
    assert report.reread == 1
    assert_same(library, fresh([archive]))


def test_cancelled_analysis_saves_articles_only(archive: Path, cache_dir: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    library, _report = cache.load_library(cancel=cancel)
    assert not library.is_analysed(library.articles[0].id)
    assert cache.save(library) == []
    library, report = through_cache(cache_dir, [archive])
    assert report.reread == 0 and not report.entities_reused
    assert_same(library, fresh([archive]))


def test_default_cache_dir_honours_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("READER_CACHE_DIR")
    assert default_cache_dir().name == "reader"
    assert ArchiveCache(None, [tmp_path], recogniser_id=RID).cache_dir == default_cache_dir()


def test_one_cache_file_per_archive(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert cache_path(tmp_path, [a]) != cache_path(tmp_path, [b])
    assert cache_path(tmp_path, [a, b]) == cache_path(tmp_path, [b, a, a])


def test_the_caller_may_analyse(archive: Path, cache_dir: Path) -> None:
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    seen: list[tuple[int, int]] = []
    library, report = cache.load_library(analyse=False, reading=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (report.reread, report.reread)
    assert not library.is_analysed(library.articles[0].id)
    library.analyse()
    assert cache.save(library) == []
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    library, report = cache.load_library(analyse=False)
    assert report.index_reused and library.is_analysed(library.articles[0].id)
    assert_same(library, fresh([archive]))


def test_remember_a_library_loaded_without_the_cache(archive: Path, cache_dir: Path) -> None:
    expected = fresh([archive])
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    cache.remember(expected)
    assert cache.save(expected) == []
    warm, report = through_cache(cache_dir, [archive])
    assert report.used and report.index_reused and report.reread == 0
    assert_same(warm, expected)


def test_remember_skips_files_changed_since_they_were_read(archive: Path, cache_dir: Path) -> None:
    expected = fresh([archive])
    target = archive / "fr-poutine-maintien-de-la-paix-donbass.txt"
    target.write_text(
        target.read_text(encoding="utf-8") + "\nEt une ligne de plus.\n", encoding="utf-8"
    )
    cache = ArchiveCache(cache_dir, [archive], recogniser_id=RID)
    cache.remember(expected)
    assert cache.save(expected) == []
    warm, report = through_cache(cache_dir, [archive], save=False)
    assert report.reread == 1
    assert "Et une ligne de plus." in (warm.get(target.name) or expected.articles[0]).body
