"""Query problems are reported, not silently searched (issue 13, item 9):
each unusable part is named in a warning (and in ``warnings`` in JSON) and
left out; ``is:`` filters use the reading state; a bad settings file says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.articles.loader import load_articles
from reader.core.store.state import open_state
from tests.conftest import ARTICLES, REPO

SAMPLE = "fr-poutine-maintien-de-la-paix-donbass.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def search_json(capsys: pytest.CaptureFixture[str], query: str, *extra: str) -> dict[str, object]:
    code, out, _ = run(capsys, "search", "--json", *extra, "--", query, str(ARTICLES))
    data = json.loads(out)
    assert code == (0 if data["total"] else 1)
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("query", "part"),
    [
        ("foo:bar otan", "foo:bar"),
        ("is:bogus otan", "is:bogus"),
        ("date:banana otan", "date:banana"),
        ("date:2022-13 otan", "date:2022-13"),
        ("person: otan", "person:"),
        ("date: otan", "date:"),
    ],
)
def test_bad_part_is_named_and_the_rest_searched(
    query: str, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = search_json(capsys, "otan")
    data = search_json(capsys, query)
    warnings = data["warnings"]
    assert isinstance(warnings, list) and len(warnings) == 1
    assert warnings[0].startswith(part)
    assert data["total"] == plain["total"] > 0
    code, out, err = run(capsys, "search", "--", query, str(ARTICLES))
    assert code == 0
    assert err.startswith(f"reader: query: {part}")
    assert out.startswith(f"{plain['total']} articles")


def test_good_query_has_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert search_json(capsys, "otan date:2022..2023")["warnings"] == []


def test_only_exclusions_say_nothing_to_include(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "--", "-russie", str(ARTICLES))
    assert code == 1
    assert out == "Nothing to include: add a word to search for.\n"
    assert "common words" not in out + err
    data = search_json(capsys, "-russie")
    assert data["nothing_to_search"] is True
    assert data["warnings"] == ["nothing to include: add a word to search for"]


def test_dash_query_error_hints_at_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "-russie", str(ARTICLES)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "reader search -- -russie" in err


def test_empty_field_does_not_suggest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "title:", str(ARTICLES))
    assert code == 1
    assert "Did you mean" not in out
    assert "title: has no value" in err
    assert search_json(capsys, "title:")["suggestion"] is None


def _mark(state_dir: Path, starred: list[str], read: list[str]) -> None:
    articles, _ = load_articles([str(ARTICLES)])
    by_id = {a.id: a for a in articles}
    state, _ = open_state(state_dir, [str(ARTICLES)])
    for ident in starred:
        state.set_starred(by_id[ident])
    for ident in read:
        state.set_read(by_id[ident])
    assert state.save() == []


def test_reading_state_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state_dir = tmp_path / "state"
    _mark(state_dir, starred=[SAMPLE, "fr-bce-taux-inflation.md"], read=[SAMPLE])
    where = ("--state-dir", str(state_dir))
    starred = search_json(capsys, "is:starred", *where)
    assert {h["id"] for h in starred["hits"]} == {SAMPLE, "fr-bce-taux-inflation.md"}
    assert starred["total"] == 2 and starred["filters"] == ["starred"]
    assert starred["warnings"] == []
    both = search_json(capsys, "is:starred louhansk", *where)
    assert [h["id"] for h in both["hits"]] == [SAMPLE]
    unread = search_json(capsys, "is:unread louhansk", *where)
    everything = search_json(capsys, "louhansk")
    assert unread["total"] == everything["total"] - 1
    assert SAMPLE not in {h["id"] for h in unread["hits"]}
    limited = search_json(capsys, "is:unread", "--limit", "3", *where)
    assert limited["total"] == 21 and len(limited["hits"]) == 3
    code, out, _ = run(capsys, "search", "is:starred", str(ARTICLES), *where)
    assert code == 0 and out.startswith("2 articles (starred)")
    empty = search_json(capsys, "is:starred", "--state-dir", str(tmp_path / "fresh"))
    assert empty["total"] == 0


def test_bad_settings_file_names_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("theme: 5\ntext_width: abc\nbogus: 1\n", encoding="utf-8")
    code, out, err = run(capsys, "check", str(ARTICLES), "--config", str(config))
    assert code == 0 and "no problems" in out
    lines = err.splitlines()
    assert lines and all(line.startswith(f"reader: settings file {config}: ") for line in lines)
    code, out, err = run(capsys, "list", str(ARTICLES), "--config", str(config), "--json")
    assert code == 0 and len(json.loads(out)) == 22
    assert all(line.startswith("reader: settings file ") for line in err.splitlines())
    config.write_text("[[[", encoding="utf-8")
    _, _, err = run(capsys, "list", str(ARTICLES), "--config", str(config))
    assert err.startswith(f"reader: settings file {config}: invalid YAML")


def test_search_help_tells_the_exit_statuses() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert "0 when something was found, 1 when nothing was" in result.stdout
    assert "reader search -- -russie" in result.stdout
    assert "--query-file" in result.stdout
