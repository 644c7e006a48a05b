"""The scriptable CLI: list, show, check, with and without --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import ARTICLES, REPO


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json_has_the_bundled_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", str(ARTICLES), "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) >= 21
    assert {item["lang"] for item in items} >= {"fr", "en"}
    keys = {"id", "path", "title", "author", "date", "lang", "tags", "source", "url"}
    assert all(keys <= set(item) for item in items)
    sample = next(i for i in items if i["id"] == "fr-poutine-maintien-de-la-paix-donbass.txt")
    assert sample["title"].startswith("Poutine ordonne à son armée")
    assert sample["author"] == ["Jeyhun Aliyev"]
    assert {i["format"] for i in items} == {"markdown", "text", "yaml"}


def test_check_bundled_articles_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(ARTICLES))
    assert code == 0
    assert "no problems" in out


def test_sample_is_byte_identical_to_the_users_file() -> None:
    seed = REPO.parent / "shared" / "seeds" / "000_3798c51bf33ac030.txt"
    if not seed.exists():
        pytest.skip("shared/ not beside the repository")
    assert (
        ARTICLES / "fr-poutine-maintien-de-la-paix-donbass.txt"
    ).read_bytes() == seed.read_bytes()


def test_show_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "fr-poutine-maintien", str(ARTICLES))
    assert code == 0
    assert out.startswith("Poutine ordonne")
    assert "Author: Jeyhun Aliyev" in out
    assert "Louhansk" in out
    code, out, _ = run(
        capsys, "show", "fr-poutine-maintien-de-la-paix-donbass.txt", str(ARTICLES), "--json"
    )
    data = json.loads(out)
    assert data["lang"] == "fr" and "l’OTAN" in data["body"]


def test_show_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "no-such-article", str(ARTICLES))
    assert code == 2 and "no article matches" in err


def test_check_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.md").write_text("# Ok\n\nbody")
    (tmp_path / "bad.yaml").write_bytes(b"- not\n- a mapping\n")
    (tmp_path / "evil\x1b]0;x\x07.yaml").write_bytes(b"[")
    code, out, _ = run(capsys, "check", str(tmp_path))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("\x1b" not in line for line in lines)
    code, out, _ = run(capsys, "check", str(tmp_path), "--json")
    assert code == 1
    assert [Path(p["path"]).name for p in json.loads(out)] == ["bad.yaml", "evil␛]0;x␇.yaml"]


def test_module_entry_point_and_help() -> None:
    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0
    for word in ("reader list", "reader show", "reader check", "--json"):
        assert word in result.stdout


def test_app_refuses_missing_path(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "/nonexistent/folder")
    assert code == 2 and "no such file" in err


def test_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "Louhansk", str(ARTICLES), "--json", "--limit", "3")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "Louhansk" and data["total"] >= 2
    assert len(data["hits"]) <= 3
    top = data["hits"][0]
    assert top["id"] == "fr-poutine-maintien-de-la-paix-donbass.txt"
    assert {"id", "path", "title", "score", "snippet", "matches"} <= set(top)
    main(["show", top["id"], str(ARTICLES), "--json"])
    article = json.loads(capsys.readouterr().out)
    for match in top["matches"]:
        text = article[match["field"]][match["start"] : match["end"]]
        assert text == "Louhansk"


def test_search_text_and_nothing_to_search(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "l'OTAN", str(ARTICLES))
    assert code == 0 and "fr-poutine-maintien-de-la-paix-donbass.txt" in out
    code, out, _ = run(capsys, "search", "le la les", str(ARTICLES))
    assert "Nothing to search" in out


def test_entities_for_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entities", "fr-poutine-maintien", str(ARTICLES), "--json")
    assert code == 0
    (record,) = json.loads(out)
    found = {(e["label"], e["text"]) for e in record["entities"]}
    assert ("PER", "Vladimir Poutine") in found and ("ORG", "OTAN") in found
    assert ("LOC", "Louhansk") in found


def test_entities_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entities", str(ARTICLES), "--corpus", "--json")
    assert code == 0
    entities = {e["key"]: e for e in json.loads(out)}
    putin = entities["per:vladimir poutine"]
    assert {"Poutine", "Putin"} <= set(putin["aliases"])
    assert putin["articles"] >= 3


def test_entities_batch_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "Le président Emmanuel Macron est à Paris.", "lang": "fr"})
        + "\nnot json\n"
        + json.dumps({"id": "b", "text": "Joe Biden visited Kyiv."})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "entities", "--jsonl", str(source))
    assert code == 1 and "skipped" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert {"start": 13, "end": 28, "label": "PER", "text": "Emmanuel Macron"} in lines[0][
        "entities"
    ]


def test_user_gazetteer_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gazetteer = tmp_path / "gaz.yaml"
    gazetteer.write_text("suppress: [Occident]\nbogus: 1\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "entities",
        "fr-poutine-maintien",
        str(ARTICLES),
        "--gazetteer",
        str(gazetteer),
        "--json",
    )
    assert code == 0
    assert "unknown section 'bogus'" in err
    (record,) = json.loads(out)
    assert "Occident" not in {e["text"] for e in record["entities"]}
    code, out, _ = run(capsys, "entities", "fr-poutine-maintien", str(ARTICLES), "--json")
    assert "Occident" in {e["text"] for e in json.loads(out)[0]["entities"]}
