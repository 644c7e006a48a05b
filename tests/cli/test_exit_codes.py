"""Exit statuses scripts can trust (issue 13, items 8 and 16): a missing path
is an error (2) with a plain message and no cache written; ``search`` answers
like grep: 0 found, 1 nothing found, 2 error, in text and JSON alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import ARTICLES


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["check"],
        ["search", "otan"],
        ["search", "otan", "--json"],
        ["show", "fr-bce"],
        ["entities", "--corpus"],
        [],
    ],
    ids=lambda c: " ".join(c) or "app",
)
def test_missing_path_is_an_error(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    missing = str(tmp_path / "nonexistent")
    code, out, err = run(capsys, *command, missing, "--cache-dir", str(cache))
    assert code == 2
    assert err.startswith(f"reader: {missing}: no such file or directory")
    assert err.count("\n") == 1
    assert out == ""
    assert not cache.exists() or not any(cache.iterdir())


def test_missing_second_path_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", str(ARTICLES), "/nonexistent")
    assert code == 2 and "/nonexistent: no such file or directory" in err


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("otan", 0),
        ("zzzzqqq", 1),
        ("le la les", 1),
        ("-russie", 1),
        ("is:starred", 1),
        ("date:2022-11", 0),
    ],
)
def test_search_status_is_grep_like(
    query: str, status: int, json_flag: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", *json_flag, "--", query, str(ARTICLES))
    assert code == status
    if json_flag:
        assert (json.loads(out)["total"] > 0) == (status == 0)


def test_search_error_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search", "--query-file", str(tmp_path / "absent"), str(ARTICLES))
    assert code == 2 and "no such file or directory" in err
    code, _, err = run(capsys, "search", str(ARTICLES), "--json", "--query-file", "/")
    assert code == 2 and "reader: /:" in err


def test_ambiguous_id_lists_the_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "fr-p", str(ARTICLES))
    assert code == 2
    for candidate in (
        "fr-paris-2024-preparatifs.yaml",
        "fr-parlement-europeen-strasbourg.md",
        "fr-poutine-maintien-de-la-paix-donbass.txt",
        "fr-prix-energie-europe.md",
    ):
        assert candidate in err
    assert err.count("\n") == 1
    code, _, err = run(capsys, "show", "fr", str(ARTICLES))
    assert code == 2 and "12 articles match" in err and "and 2 more" in err
    code, _, err = run(capsys, "entities", "en-", str(ARTICLES))
    assert code == 2 and "en-eu-chips-act.yaml" in err


def test_two_paths_prefix_the_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.md").write_text("# A note\n\nbody\n", encoding="utf-8")
    code, out, _ = run(capsys, "list", str(ARTICLES), str(other), "--json")
    ids = {item["id"] for item in json.loads(out)}
    assert "articles/fr-bce-taux-inflation.md" in ids and "other/note.md" in ids
    code, out, _ = run(capsys, "show", "other/note.md", str(ARTICLES), str(other))
    assert code == 0 and out.startswith("A note")
