"""``reader search`` over the archive store: a second run answers the same
from the cache folder without reading an article file, and acronyms that
are also stop words (``EU``, ``UN``) are found."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.store import scan as scan_module
from reader.core.store.identity import store_path
from tests.conftest import ARTICLES


@pytest.fixture(autouse=True)
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The copies were just made (ctime now): let them get stat keys anyway,
    as files older than the racy window do."""
    monkeypatch.setattr(scan_module, "RACY_NS", -(10**12))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    gc.collect()  # as if the process ended: the next run takes the index folder
    return code, out, err


@pytest.mark.parametrize("output", [(), ("--json",)], ids=["text", "json"])
def test_a_second_search_answers_from_the_store(
    archive: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    reads: list[str],
    output: tuple[str, ...],
) -> None:
    cache = tmp_path / "cache"
    command = ("search", "EU", str(archive), "--cache-dir", str(cache), *output)
    first = run(capsys, *command)
    assert first[0] == 0 and first[2] == ""
    assert sorted(set(reads)) == sorted(p.name for p in archive.iterdir())
    assert store_path(cache, [str(archive)]).is_file()
    reads.clear()
    second = run(capsys, *command)
    assert second == first
    # only the texts of the hits it prints (for their snippets), once each
    assert len(reads) == len(set(reads)) < len(list(archive.iterdir()))
    if output:
        found = json.loads(first[1])
        assert found["total"] > 0
        assert "en-eu-ai-act-vote.md" in [hit["id"] for hit in found["hits"]]
        assert sorted(reads) == sorted(Path(hit["id"]).name for hit in found["hits"])
    else:
        assert "en-eu-ai-act-vote.md" in first[1]


@pytest.mark.parametrize("cache", ["--no-cache", "--cache-dir"])
def test_org_un_finds_the_seven_articles(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: str
) -> None:
    options = [cache] if cache == "--no-cache" else [cache, str(tmp_path / "cache")]
    totals = []
    for _ in range(2):  # the first start, then from the store
        code, out, _ = run(capsys, "search", "org:UN", str(archive), "--json", *options)
        assert code == 0
        totals.append(json.loads(out)["total"])
    assert totals == [7, 7]


def test_a_second_search_takes_the_walk_it_started_before_importing(
    archive: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``reader search`` starts the stat walk right after reading its
    arguments; the session must take that walk, not start a second one (two
    children would stat the archive at once), and find what changed."""
    from reader.core.session.walk import Walk

    cache = tmp_path / "cache"
    command = ("search", "Starmer", str(archive), "--cache-dir", str(cache))
    assert run(capsys, *command)[0] == 1  # first start: no walk before the store exists
    (archive / "en-new.txt").write_text("Fresh\n\nKeir Starmer visited Leeds.\n", "utf-8")
    started: list[Walk] = []
    original = Walk.__init__

    def counted(self: Walk, *args: object, **options: object) -> None:
        started.append(self)
        original(self, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(Walk, "__init__", counted)
    code, out, _ = run(capsys, *command)
    assert code == 0 and "en-new.txt" in out
    assert len(started) == 1  # the early one, taken by the session
    code, out, _ = run(capsys, "search", "Starmer", str(archive), "--no-cache")
    assert code == 0 and len(started) == 1  # no cache: no walk started early


def test_a_query_file_search_walks_the_paths_given(
    archive: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``--query-file`` the QUERY argument is the first PATH: the walk
    started early must not take the settings before that is known."""
    monkeypatch.chdir(tmp_path)  # no ./articles here to fall back on
    query = tmp_path / "query.txt"
    query.write_text("EU\n", encoding="utf-8")
    command = ("search", str(archive), "--query-file", str(query), "--cache-dir", "cache")
    first = run(capsys, *command)
    assert first[0] == 0 and first[2] == ""
    assert run(capsys, *command) == first
