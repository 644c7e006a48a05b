"""A second start that lists the stored articles only when asked for
(``reader search``): its hits, totals, marks and reconcile are those of a
session that lists them at once, and a search without ``is:`` filters
never makes the list."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.session.opening import Opening
from reader.core.session.session import Session
from reader.core.session.stored import Walk
from reader.core.store.lazy import StoredArticle, plain
from tests.core.session.test_stored import (
    FILES,
    QUERIES,
    done,
    seen_once,
    settings_for,
    write,
)

# the fixtures of those tests (a written archive, stat keys for fresh files)
from tests.core.session.test_stored import archive as archive
from tests.core.session.test_stored import no_racy_window as no_racy_window


def answers(session: Session, query: str) -> tuple[list[str], int, list[str]]:
    """The ids, total and snippets a search shows."""
    answer = session.search(query)
    return [a.id for a in answer.articles], answer.total, [h.snippet.text for h in answer.hits]


def test_a_search_without_filters_never_lists_the_archive(
    archive: Path, tmp_path: Path, reads: list[str]
) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    eager = Session.open(settings)
    eager.analyse()
    expected = {q: answers(eager, q) for q in QUERIES}
    done(eager)
    reads.clear()
    session = Session.open(settings, deferred=True)
    library = session.library
    assert library.listing_deferred and len(library) == len(FILES)
    assert session.analyse() == (True, [])
    assert {q: answers(session, q) for q in QUERIES} == expected
    assert library.listing_deferred  # the hits came from the store, one row each
    hit = library.get("fr-otan.md")
    assert type(hit) is StoredArticle and hit is library.get("fr-otan.md")
    assert plain(hit).title == "L’OTAN à Vilnius"
    assert library.get("nothing.md") is None
    # asking for the list makes it, keeping the very articles handed out
    assert [a.id for a in library.articles][:2] == ["en-berlin.txt", "en-un.md"]
    assert not library.listing_deferred and library.get("fr-otan.md") is hit
    assert len(library.articles) == len(FILES) and library.unrecognised == set()
    done(session)


@pytest.mark.parametrize("query", ["is:unread", "is:read", "is:starred Lyon", "is:unread UN"])
def test_filters_take_the_marks_of_the_listed_archive(
    archive: Path, tmp_path: Path, query: str
) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    marking = Session.open(settings)
    marking.analyse()
    assert marking.toggle_read("en-un.md") and marking.toggle_read("sub/fr-lyon.md")
    assert marking.toggle_star("sub/fr-lyon.md")
    assert marking.marks.save() == []
    expected = answers(marking, query)
    done(marking)
    session = Session.open(settings, deferred=True)
    session.analyse()
    assert session.library.listing_deferred
    assert answers(session, query) == expected
    assert not session.library.listing_deferred  # the filters needed the marks, so the list
    done(session)


def test_changes_found_by_the_reconcile_list_the_archive(archive: Path, tmp_path: Path) -> None:
    settings = settings_for(archive, tmp_path)
    seen_once(settings)
    write(archive / "en-new.txt", "Fresh news\n\nKeir Starmer visited Edinburgh.\n")
    (archive / "en-berlin.txt").unlink()
    session = Session.open(settings, deferred=True)
    assert session.analyse() == (True, [])
    assert not session.library.listing_deferred
    assert answers(session, "Starmer")[0] == ["en-new.txt"]
    assert answers(session, "Scholz")[1] == 0
    assert "en-berlin.txt" not in {a.id for a in session.library.articles}
    done(session)


@pytest.mark.parametrize("extra_root", [False, True])
def test_a_shared_walk_finds_what_a_whole_walk_finds(
    archive: Path, tmp_path: Path, extra_root: bool
) -> None:
    """``reader search`` stats half the folders itself, the child the other
    half; with a root that is a file, the child walks it all."""
    loose = tmp_path / "loose.txt"
    write(loose, "Loose\n\nA loose article about Lyon.\n")
    roots = [str(archive), str(loose)] if extra_root else [str(archive)]
    settings = replace(settings_for(archive, tmp_path), paths=tuple(roots))
    seen_once(settings)
    for folder in ("a", "b", "c"):
        write(archive / folder / "x.md", f"# {folder}\n\nText.\n")
    (archive / "sub" / "fr-lyon.md").unlink()
    write(archive / "fr-airbus.txt", "Airbus livre\n\nAirbus a livré cent avions.\n")
    library = Opening(settings).new_library()  # over the store, not reconciled
    try:
        whole = Walk.of(library).result()
        shared = Walk.of(library, shared=True).result()
    finally:
        library.close()
    assert shared == whole
    changes = whole[0]
    assert [f.candidate.relative for f in changes.new] == ["a/x.md", "b/x.md", "c/x.md"]
    assert [f.candidate.relative for f in changes.changed] == ["fr-airbus.txt"]
    assert [key[1] for key in changes.removed] == ["sub/fr-lyon.md"]
