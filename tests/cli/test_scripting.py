"""For scripts (issue 13, item 16): a query from a file or stdin, shell
completion for bash, zsh and fish and a man page, all generated from the
argument parser, so every subcommand and option is in them."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.cli.docs import bash_script, fish_script, man_page, zsh_script
from reader.cli.parser import SUBCOMMANDS, build_parser
from tests.conftest import ARTICLES, REPO


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def all_flags() -> dict[str, set[str]]:
    parsers = {"": build_parser(), **{name: build_parser(name) for name in SUBCOMMANDS}}
    return {
        name: {flag for action in parser._actions for flag in action.option_strings}
        for name, parser in parsers.items()
    }


def test_query_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = tmp_path / "query.txt"
    query.write_text("-azovstal\n  louhansk\n", encoding="utf-8")
    code, out, _ = run(capsys, "search", "--query-file", str(query), str(ARTICLES), "--json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "-azovstal louhansk"
    _, out, _ = run(capsys, "search", "--json", "--", "-azovstal louhansk", str(ARTICLES))
    assert json.loads(out)["total"] == data["total"]
    # with --query-file, the first positional is a PATH, not the query
    code, out, _ = run(capsys, "search", str(ARTICLES), "--query-file", str(query))
    assert code == 0 and "articles" in out.splitlines()[0]


def test_query_file_longer_than_argv_allows(tmp_path: Path) -> None:
    query = tmp_path / "long.txt"
    query.write_text("louhansk" + " OR zzzz" * 30_000, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "--json", "--query-file", "-", str(ARTICLES)],
        stdin=query.open("rb"),
        capture_output=True,
        cwd=REPO,
        env=os.environ,
        check=False,
    )
    data = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert any("cut after" in warning for warning in data["warnings"])
    assert data["total"] > 0


def test_query_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stdin:
        buffer = io.BytesIO(b"zzzzqqq\n")

    monkeypatch.setattr(sys, "stdin", Stdin)
    code, out, _ = run(capsys, "search", "--query-file", "-", str(ARTICLES))
    assert code == 1 and out.startswith("0 articles")


def test_bash_completion_is_valid_and_complete() -> None:
    script = bash_script()
    bash = shutil.which("bash")
    assert bash is not None
    check = subprocess.run([bash, "-n"], input=script, text=True, capture_output=True, check=False)
    assert check.returncode == 0, check.stderr
    for name, flags in all_flags().items():
        assert name in script
        for flag in flags:
            assert flag in script, (name, flag)


def _complete(script: str, *words: str) -> list[str]:
    program = (
        script
        + "\nCOMP_WORDS=("
        + " ".join(f"'{w}'" for w in words)
        + f")\nCOMP_CWORD={len(words) - 1}\n_reader\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    )
    result = subprocess.run(
        ["bash", "-c", program], capture_output=True, text=True, check=True, cwd="/"
    )
    return result.stdout.split()


def test_bash_completion_answers() -> None:
    script = bash_script()
    assert set(_complete(script, "reader", "se")) == {"search", "serve"}
    assert _complete(script, "reader", "search", "--qu") == ["--query-file"]
    assert _complete(script, "reader", "show", "--format", "m") == ["markdown"]
    assert _complete(script, "reader", "completion", "") == ["bash", "zsh", "fish"]
    assert "--width" in _complete(script, "reader", "--w")
    assert "--width" not in _complete(script, "reader", "list", "--w")


def test_zsh_and_fish_completion_list_everything() -> None:
    zsh, fish = zsh_script(), fish_script()
    assert zsh.startswith("#compdef reader")
    for name, flags in all_flags().items():
        if name:
            assert f"\n        {name})" in zsh
            assert f"__fish_use_subcommand -f -a {name} " in fish
        for flag in flags:
            assert flag in zsh, flag
            if flag.startswith("--"):
                condition = (
                    f"'__fish_seen_subcommand_from {name}'" if name else "__fish_use_subcommand"
                )
                assert f"-n {condition} " in fish
                assert f"-l {flag[2:]} " in fish, flag
    assert zsh.index("\n        *)") > zsh.index("\n        man)")  # catch-all last
    for shell, script in (("zsh", zsh), ("fish", fish)):
        binary = shutil.which(shell)
        if binary is not None:
            flag = "-n" if shell == "zsh" else "--no-execute"
            result = subprocess.run([binary, flag], input=script, text=True, check=False)
            assert result.returncode == 0


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion_answers(tmp_path: Path) -> None:
    """What fish offers after sourcing the script (``complete -C``)."""
    script = tmp_path / "reader.fish"
    script.write_text(fish_script(), encoding="utf-8")

    def offered(line: str) -> list[str]:
        command = f"source {script}; complete -C '{line}'"
        result = subprocess.run(
            ["fish", "--no-config", "-c", command], capture_output=True, text=True, check=True
        )
        return [row.split("\t")[0] for row in result.stdout.splitlines()]

    assert set(offered("reader se")) == {"search", "serve"}
    assert offered("reader search --qu") == ["--query-file"]
    assert "--width" in offered("reader --w")
    assert "--width" not in offered("reader list --w")
    assert set(offered("reader completion ")) == {"bash", "zsh", "fish"}


def test_completion_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    for shell, generator in (("bash", bash_script), ("zsh", zsh_script), ("fish", fish_script)):
        code, out, _ = run(capsys, "completion", shell)
        assert code == 0 and out == generator()


def test_man_page_has_every_subcommand_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "man")
    assert code == 0 and out == man_page()
    assert out.startswith(".TH READER 1")
    for name, flags in all_flags().items():
        if name:
            assert f".SS reader {name}" in out
        for flag in flags:
            assert "\\fB" + flag.replace("-", "\\-") + "\\fR" in out, flag
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS"):
        assert f".SH {section}" in out
    groff = shutil.which("groff")
    if groff is not None:
        result = subprocess.run(
            [groff, "-man", "-Tutf8", "-ww", "-z"], input=out, text=True, capture_output=True
        )
        assert result.returncode == 0 and result.stderr == ""
