"""Every subcommand survives any article text, any file name and any output
encoding: one bad file costs one line, never a traceback, and JSON stays
valid JSON (issue 13, item 8)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from tests import hostile
from tests.conftest import REPO

#: A YAML article whose title and body decode to lone surrogates, which no
#: encoder accepts, plus C1, bidi and an astral character.
SURROGATES = (
    b'title: "MKSU lone \\ud800 surrogate \\U0001F600 \\u202e bidi"\n'
    b'body: "body \\udcff and \\x9b31m C1 and \\u2066 isolate"\n'
)
ENCODINGS = ["utf-8", "ascii", "latin-1"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = hostile.build(tmp_path_factory.mktemp("cli-hostile") / "hostile")
    (folder / "zz-surrogates.yaml").write_bytes(SURROGATES)
    with open(os.path.join(os.fsencode(folder), b"zz-\xfe\xff-\xe9t\xe9.txt"), "wb") as handle:
        handle.write(b"MKNM latin-1 name\n\nbody\n")
    return folder


def run_encoded(encoding: str, *args: str) -> tuple[int, bytes, bytes]:
    """``main(args)`` with stdout and stderr in ``encoding`` (strict, as a
    terminal would be): exit status and the bytes written."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdout, sys.stderr
    streams = [
        io.TextIOWrapper(buffer, encoding=encoding, errors="strict", newline="\n")
        for buffer in (out, err)
    ]
    sys.stdout, sys.stderr = streams
    try:
        code = main(list(args))
    finally:
        sys.stdout, sys.stderr = saved
        for stream in streams:
            stream.flush()
            stream.detach()
    return code, out.getvalue(), err.getvalue()


def _article_count(archive: Path) -> int:
    _, out, _ = run_encoded("utf-8", "list", str(archive), "--json", "--no-cache")
    return len(json.loads(out))


def _no_terminal_control(data: bytes) -> None:
    for forbidden in hostile.FORBIDDEN_OUTPUT:
        assert forbidden not in data


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_list_text_one_line_per_article(archive: Path, encoding: str) -> None:
    code, out, err = run_encoded(encoding, "list", str(archive), "--no-cache")
    assert code == 0
    lines = out.decode(encoding).split("\n")[:-1]
    assert len(lines) == _article_count(archive) == len(hostile.LOADED) + 2
    for marker in ["MK01", "MK16", "MK22", "MK23", "MK24", "MK25", "MKSU", "MKNM"]:
        assert sum(marker in line for line in lines) == 1, marker
    _no_terminal_control(out)
    assert b"Traceback" not in err


JSON_COMMANDS = [
    ["list", "--json"],
    ["check", "--json"],
    ["search", "MKSU OR body", "--json"],
    ["show", "zz-surrogates.yaml", "--json"],
    ["entities", "--json"],
    ["entities", "--corpus", "--json"],
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("command", JSON_COMMANDS, ids=lambda c: " ".join(c))
def test_json_stays_valid(archive: Path, encoding: str, command: list[str]) -> None:
    code, out, err = run_encoded(encoding, *command[:-1], str(archive), command[-1], "--no-cache")
    assert code in (0, 1)
    data = json.loads(out.decode(encoding))
    assert data  # something was printed
    _no_terminal_control(out)
    assert b"Traceback" not in err


def test_list_json_keeps_the_surrogate_article(archive: Path) -> None:
    for encoding in ENCODINGS:
        _, out, _ = run_encoded(encoding, "list", str(archive), "--json", "--no-cache")
        items = json.loads(out.decode(encoding))
        assert len(items) == len(hostile.LOADED) + 2
        (item,) = [i for i in items if i["title"].startswith("MKSU")]
        assert "\ud800" in item["title"]  # escaped in JSON, decoded back intact
        assert any(i["title"].startswith("MKNM") for i in items)


TEXT_COMMANDS = [
    ["check"],
    ["search", "MKSU OR body"],
    ["show", "zz-surrogates.yaml"],
    ["show", "zz-surrogates.yaml", "--format", "markdown"],
    ["show", "16-bidi"],
    ["entities"],
    ["entities", "--corpus"],
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("command", TEXT_COMMANDS, ids=lambda c: " ".join(c))
def test_text_output_never_fails(archive: Path, encoding: str, command: list[str]) -> None:
    code, out, err = run_encoded(encoding, *command, str(archive), "--no-cache")
    assert code in (0, 1)
    assert out
    out.decode(encoding)
    _no_terminal_control(out)
    assert b"Traceback" not in err


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_batch_jsonl_with_lone_surrogates(tmp_path: Path, encoding: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a\\ud800", "text": "Emmanuel Macron \\udcff \\u009b31m Paris.", "lang": "fr"}\n'
        '{"id": "b", "text": "Joe Biden visited Kyiv."}\n',
        encoding="ascii",
    )
    code, out, err = run_encoded(encoding, "entities", "--jsonl", str(source))
    assert code == 0, err
    lines = [json.loads(line) for line in out.decode(encoding).splitlines()]
    assert [line["id"] for line in lines] == ["a\ud800", "b"]
    _no_terminal_control(out)


def test_hostile_query_and_reference_echo(archive: Path) -> None:
    code, out, err = run_encoded("ascii", "show", "\udcff\u202e", str(archive), "--no-cache")
    assert code == 2 and b"no article matches" in err and b"Traceback" not in err
    code, out, err = run_encoded(
        "ascii", "search", "\udcff \u202e caf\u00e9", str(archive), "--json", "--no-cache"
    )
    assert code in (0, 1)
    assert json.loads(out)["query"] == "\udcff \u202e caf\u00e9"


def _subprocess(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, **env_extra)
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, env=env, cwd=REPO, check=False
    )


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"PYTHONIOENCODING": "latin-1"}, {"LANG": "C", "LC_ALL": "C"}],
    ids=["ascii", "latin-1", "C-locale"],
)
def test_real_streams(archive: Path, env: dict[str, str]) -> None:
    result = _subprocess(env, "list", str(archive), "--json", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert len(json.loads(result.stdout)) == len(hostile.LOADED) + 2
    result = _subprocess(env, "list", str(archive), "--no-cache")
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert result.stdout.count(b"\n") == len(hostile.LOADED) + 2
