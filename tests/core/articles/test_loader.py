"""Loading hostile folders: each bad file costs one clear problem line.

Every fixture is built byte by byte here; nothing hostile is committed.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from reader.core.articles.article import Problem
from reader.core.articles.loader import discover, load_articles
from reader.core.articles.sanitize import display_path

SAFE_BODY = "Un paragraphe en français pour l’article, avec des mots et des phrases.\n"


def write(folder: Path, name: str | bytes, data: bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    with open(os.fsencode(path), "wb") as handle:
        handle.write(data)
    return path


def load_one(folder: Path, name: str | bytes, data: bytes):  # type: ignore[no-untyped-def]
    write(folder, name, data)
    articles, problems = load_articles([folder])
    return articles, problems


def assert_clean(problems: list[Problem]) -> None:
    for problem in problems:
        assert "\n" not in problem.message and "\x1b" not in problem.message
        assert "\n" not in problem.path and "\x1b" not in problem.path


HOSTILE_BODIES = [
    ("csi.txt", b"Title\n\nclear \x1b[2J\x1b[31mred\x1b[0m\n", "␛[2J"),
    ("osc-title.txt", b"Title\n\n\x1b]0;owned\x07 set title\n", "␛]0;owned␇"),
    ("osc52.txt", b"Title\n\n\x1b]52;c;cm0gLXJmIH4=\x07 clipboard\n", "␛]52;c;"),
    ("osc8.md", b"# T\n\n\x1b]8;;file:///etc/passwd\x1b\\link\x1b]8;;\x1b\\\n", "␛]8;;file"),
    ("dcs.txt", b"Title\n\n\x1bP+q544e\x1b\\ unterminated \x1bPqqq\n", "␛P+q"),
    ("c1-utf8.txt", "Title\n\n\u009b31m C1 \u009d0;x\u009c\n".encode(), "\ufffd31m"),
    ("nul.txt", b"Title\n\na\x00b\n", "a␀b"),
    ("bel.txt", b"Title\n\n" + b"\x07" * 500 + b"\n", "␇" * 500),
    ("overwrite.txt", b"Title\n\n1000\r9999\n", "1000\n9999"),
    ("backspace.txt", b"Title\n\nabc\x08\x08\x08xyz\n", "abc␈␈␈xyz"),
    ("bidi.txt", "Title\n\nabc\u202egnp.exe\n".encode(), "abc\u2e2egnp.exe"),
    (
        "markup.txt",
        b"[bold]T[/]\n\n[link=file:///etc/passwd]x[/] [@click=app.quit]y[/] $var [/]\n",
        "[@click=app.quit]y[/]",
    ),
]


@pytest.mark.parametrize(("name", "data", "shown"), HOSTILE_BODIES)
def test_hostile_bodies_load_sanitised(tmp_path: Path, name: str, data: bytes, shown: str) -> None:
    articles, problems = load_one(tmp_path, name, data)
    assert problems == []
    (article,) = articles
    assert shown in article.body
    assert "\x1b" not in article.body and "\x00" not in article.body and "\x9b" not in article.body


def test_legacy_c1_byte_in_cp1252_file(tmp_path: Path) -> None:
    (article,), _ = load_one(tmp_path, "legacy.txt", b"Titre \xe9t\xe9\n\nCaf\xe9 \x9b \x81\n")
    assert article.title == "Titre été"
    # 0x9B is "›" in Windows-1252; 0x81 is undefined and becomes U+FFFD
    assert article.body == "Café › \ufffd"


def test_lone_cr_file_shows_both_readings(tmp_path: Path) -> None:
    (article,), _ = load_one(tmp_path, "cr.txt", b"Title\r\rline one 1000\r9999 end\r")
    assert article.body == "line one 1000\n9999 end"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "python.md",
            b"---\ntitle: !!python/object/apply:os.system [ls]\n---\nbody\n",
            "front matter ignored",
        ),
        ("deep.md", b"---\ntitle: " + b"[" * 100 + b"]" * 100 + b"\n---\nbody\n", "nesting"),
        ("nofence.md", b"---\ntitle: x\nbody without closing\n", "no closing"),
        ("badtitle.md", b"---\ntitle: [1, 2]\n---\nbody\n", "title"),
        ("baddate.md", b"---\ndate: 2022-02-30\ntitle: ok\nbody: x\n---\nbody\n", None),
    ],
)
def test_bad_front_matter_still_loads(
    tmp_path: Path, name: str, data: bytes, message: str | None
) -> None:
    articles, problems = load_one(tmp_path, name, data)
    assert len(articles) == 1
    assert_clean(problems)
    if message is None:
        assert problems == []
    else:
        assert len(problems) == 1 and message in problems[0].message


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.txt", b"  \n\n", "empty file"),
        ("junk.txt", bytes(range(256)) * 4 + b"\x00" * 64, "binary"),
        ("list.yaml", b"- a\n- b\n", "mapping"),
        (
            "bomb.yaml",
            b"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
            "aliases",
        ),
        ("tag.yaml", b"title: !!python/object/new:os.system [ls]\nbody: x\n", "constructor"),
        ("broken.yaml", b"title: [unclosed\nbody: x\n", "expected"),
    ],
)
def test_refused_files(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    articles, problems = load_one(tmp_path, name, data)
    assert articles == []
    assert len(problems) == 1
    assert message in problems[0].message
    assert problems[0].path.endswith(name)


def test_norway_and_non_string_titles(tmp_path: Path) -> None:
    write(tmp_path, "norway.yaml", b"title: NO\nbody: x\nlang: en\n")
    write(tmp_path, "number.yaml", b"title: {a: 1}\nbody: x\n")
    articles, problems = load_articles([tmp_path])
    titles = {a.id: a.title for a in articles}
    assert titles == {"norway.yaml": "NO", "number.yaml": "number"}
    assert [p.message for p in problems] == ["title: not a text value; using the file name"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + "Titre été\n\nCorps.\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Titre été\n\nCorps.\n".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "Titre été\n\nCorps.\n".encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF8 + "Titre été\n\nCorps.\n".encode(), "utf-8-sig"),
        ("Titre été\r\n\r\nCorps.\r\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    (article,), problems = load_one(tmp_path, "enc.txt", data)
    assert problems == []
    assert (article.title, article.body) == ("Titre été", "Corps.")


def test_invalid_utf8_falls_back_to_cp1252(tmp_path: Path) -> None:
    (article,), problems = load_one(tmp_path, "mixed.txt", "Titre\n\nété ".encode() + b"\xe9t\xe9")
    assert article.body == "Ã©tÃ© été"
    assert problems == []


def test_fifo_is_reported_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    write(tmp_path, "ok.md", b"# Fine\n\nbody")
    articles, problems = load_articles([tmp_path])
    assert [a.id for a in articles] == ["ok.md"]
    assert [(Path(p.path).name, p.message) for p in problems] == [("pipe.md", "skipped: a FIFO")]


def test_symlink_loop_and_dir_cycle(tmp_path: Path) -> None:
    os.symlink(tmp_path / "loop.md", tmp_path / "loop.md")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "back")
    write(tmp_path, "ok.txt", b"Title\n\nBody")
    articles, problems = load_articles([tmp_path])
    assert [a.id for a in articles] == ["ok.txt"]
    assert [p.message for p in problems] == ["symlink loop"]


def test_device_link_reported(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    articles, problems = load_articles([tmp_path])
    assert articles == []
    assert [p.message for p in problems] == ["skipped: a device"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path, "secret.md", b"# x\n\ny")
    write(tmp_path, "ok.md", b"# ok\n\ny")
    real_open = os.open

    def fake_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if os.fsdecode(path) == str(target):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", fake_open)
    articles, problems = load_articles([tmp_path])
    assert [a.id for a in articles] == ["ok.md"]
    assert [p.message for p in problems] == ["cannot read: permission denied"]


def test_size_cap_truncates_visibly(tmp_path: Path) -> None:
    body = ("é" * 1000 + "\n") * 10
    write(tmp_path, "big.txt", ("Big\n\n" + body).encode())
    articles, problems = load_articles([tmp_path], max_bytes=4096)
    (article,) = articles
    assert article.truncated
    assert "not loaded" in article.body
    assert "\ufffd" not in article.body
    assert [p.message for p in problems] == ["larger than 4 KB; truncated"]


def test_hostile_file_names(tmp_path: Path) -> None:
    write(tmp_path, b"new\nline.txt", b"Title one\n\nBody")
    write(tmp_path, b"esc\x1b]0;x\x07.txt", b"Title two\n\nBody")
    write(tmp_path, b"bad\xff\xfe.txt", b"Title three\n\nBody")
    articles, problems = load_articles([tmp_path])
    assert problems == []
    ids = sorted(a.id for a in articles)
    assert ids == sorted(["bad\ufffd\ufffd.txt", "esc␛]0;x␇.txt", "new␊line.txt"])
    for article in articles:
        article.path.encode("utf-8")  # printable: no lone surrogates
        assert "\x1b" not in article.path and "\n" not in article.path


def test_deterministic_order_and_ids(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    write(tmp_path / "b", "z.md", b"# z\n\nx")
    write(tmp_path / "a", "y.md", b"# y\n\nx")
    write(tmp_path, "c.txt", b"c\n\nx")
    write(tmp_path, ".hidden.md", b"# h\n\nx")
    write(tmp_path, "image.png", b"\x89PNG")
    ids = [a.id for a in load_articles([tmp_path])[0]]
    assert ids == ["c.txt", "a/y.md", "b/z.md"]
    assert ids == [a.id for a in load_articles([tmp_path])[0]]


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    articles, problems = load_articles([tmp_path / "nope"])
    assert articles == [] and problems[0].message.startswith("not found")


def test_one_bad_file_never_stops_the_rest(tmp_path: Path) -> None:
    for index, (name, data, _) in enumerate(HOSTILE_BODIES):
        write(tmp_path, f"{index:02d}-{name}", data)
    write(tmp_path, "zz-junk.txt", b"\x00" * 100)
    os.mkfifo(tmp_path / "zz-pipe.md")
    articles, problems = load_articles([tmp_path])
    assert len(articles) == len(HOSTILE_BODIES)
    assert len(problems) == 2


def test_display_path_handles_undecodable_bytes() -> None:
    assert display_path(os.fsdecode(b"a\xffb\x1b")) == "a\ufffdb␛"


def test_discover_single_file(tmp_path: Path) -> None:
    path = write(tmp_path, "one.md", b"# One\n\nx")
    (candidate,) = list(discover([path]))
    assert not isinstance(candidate, Problem)
    assert candidate.relative == "one.md"


def test_sparse_8_gib_file_is_read_only_up_to_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:
        handle.write(b"Big title\n\nSome text.\n")
        handle.truncate(8 * 1024**3)  # sparse: no disk used
    write(tmp_path, "ok.md", b"# Ok\n\nbody")
    articles, problems = load_articles([tmp_path], max_bytes=64 * 1024)
    assert [a.id for a in articles] == ["ok.md"]
    assert [(Path(p.path).name, p.message) for p in problems] == [
        ("huge.txt", "binary file (NUL bytes); skipped")
    ]
