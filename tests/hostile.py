"""A hostile archive, written byte by byte by the tests (nothing committed).

Every file that should load carries a unique marker (``MK00``, ``MK01``…) at
the start of its title, so a test can check from outside that it became
visible; files that must be refused are listed in :data:`REFUSED`.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

ESC = b"\x1b"

#: (file name as bytes, content) of files that load; the marker is in the title.
LOADED: list[tuple[bytes, bytes]] = [
    (b"01-osc-title.txt", b"MK01 title\n\n" + ESC + b"]0;pwned-title" + b"\x07 body\n"),
    (b"02-osc2-title.txt", b"MK02 " + ESC + b"]2;pwned2" + ESC + b"\\ title\n\nbody\n"),
    (b"03-osc52.txt", b"MK03 clipboard\n\n" + ESC + b"]52;c;cm0gLXJmIH4vKg==\x07 copy me\n"),
    (
        b"04-osc8.md",
        b"# MK04 link\n\n"
        + ESC
        + b"]8;;file:///etc/passwd"
        + ESC
        + b"\\click"
        + ESC
        + b"]8;;"
        + ESC
        + b"\\\n",
    ),
    (
        b"05-query.txt",
        b"MK05 queries\n\n" + ESC + b"[6n " + ESC + b"[c " + ESC + b"]11;?\x07 " + ESC + b"[21t\n",
    ),
    (
        b"06-dcs.txt",
        b"MK06 dcs\n\n" + ESC + b"P+q544e" + ESC + b"\\ then an unterminated " + ESC + b"Pqqqq\n",
    ),
    (b"07-apc.txt", b"MK07 apc\n\n" + ESC + b"_Gf=100;AAAA" + ESC + b"\\ kitty\n"),
    (b"08-c1-utf8.txt", "MK08 c1\n\n\u009b31mred\u009d0;x\u009c \u0090dcs\u009c\n".encode()),
    (b"09-c1-legacy.txt", b"MK09 legacy caf\xe9\n\n\x9b31m \x9d0;x\x9c \x90q\x9c\n"),
    (b"10-bel.txt", b"MK10 bell\n\n" + b"\x07" * 2000 + b"\n"),
    (b"11-cr.txt", b"MK11 overwrite\n\nbalance 1000\r9999 EUR\n"),
    (b"12-backspace.txt", b"MK12 backspace\n\nabc\x08\x08\x08XYZ\n"),
    (b"13-nul.txt", b"MK13 nul\n\na\x00b\n"),
    (
        b"14-markup.txt",
        b"MK14 [bold]x[/] [link=file:///etc/passwd]y[/link]\n\n[@click=app.quit]q[/] $variable [/] [red]\n",
    ),
    (
        b"15-markup.yaml",
        b"title: 'MK15 [@click=app.quit]z[/]'\nauthor: '[bold]a[/]'\ntags: ['[red]t']\nsource: '$var'\nbody: '[link=file:///etc/passwd]p[/link] [/]'\n",
    ),
    (
        b"16-bidi.txt",
        "MK16 bidi \u202eevil\u202c \u2066x\u2069\n\nabc\u202egnp.exe \u200f\u061c\n".encode(),
    ),
    (
        b"17-zero-width.txt",
        ("MK17 zw " + "\u200b" * 50 + "\n\n" + "e" + "\u0301" * 300 + "\n").encode(),
    ),
    (
        b"18-cjk.md",
        "---\ntitle: MK18 日本語のタイトル 🎉🎉 中文标题\n---\n漢字とかなと😀\n".encode(),
    ),
    (b"19-utf16.txt", codecs.BOM_UTF16_LE + "MK19 été\n\nUTF-16 body\n".encode("utf-16-le")),
    (b"20-utf32.txt", codecs.BOM_UTF32_BE + "MK20 été\n\nUTF-32 body\n".encode("utf-32-be")),
    (b"21-cp1252.txt", "MK21 Élysée œuvre\n\nCafé “quoted”\n".encode("cp1252")),
    (b"22-invalid-utf8.txt", b"MK22 bad \xff\xfe bytes\n\nbody \xc3\x28\n"),
    (b"23-newline\nname.txt", b"MK23 newline file\n\nbody\n"),
    (b"24-esc" + ESC + b"]0;fn" + b"\x07.txt", b"MK24 escape file name\n\nbody\n"),
    (b"25-bad-\xff-name.txt", b"MK25 invalid name\n\nbody\n"),
    (b"26-norway.yaml", b"title: NO\nbody: MK26 norway body\n"),
    (
        b"27-python-tag.md",
        b"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n# MK27 tag\n\nbody\n",
    ),
    (b"28-deep.md", b"---\ntitle: " + b"[" * 100 + b"]" * 100 + b"\n---\n# MK28 deep\n\nbody\n"),
    (b"29-unclosed.md", b"---\ntitle: x\n# MK29 unclosed front matter\n\nbody\n"),
    (b"30-crlf.txt", b"MK30 crlf\r\n\r\nline one\r\nline two\r\n"),
    (b"31-long-line.txt", b"MK31 long\n\n" + b"word " * 40000 + b"\n"),
]

#: File names (bytes) that must be refused, with a problem line.
REFUSED: list[tuple[bytes, bytes]] = [
    (
        b"90-bomb.yaml",
        b"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        b"e: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    ),
    (b"91-binary.txt", bytes(range(256)) * 8 + b"\x00" * 512),
    (b"92-empty.md", b""),
    (b"93-list.yaml", b"- just\n- a list\n"),
]

#: Byte strings from the contents that must never reach the terminal (their
#: sanitised forms, such as "␛]0;pwned", are expected and fine).
FORBIDDEN_OUTPUT = [
    b"\x1b]0;pwned",
    b"\x1b]2;pwned2",
    b"\x1b]52;c;",
    b"\x1b]8;;file:",
    b"\x1bP+q544e",
    b"\x1bPqqqq",
    b"\x1b_Gf=100",
    b"\xc2\x9b",  # C1 CSI, as UTF-8
    b"\xc2\x9d",  # C1 OSC, as UTF-8
    b"\x9b31m",
    b"\x07" * 3,
    b"\x1b[6n",
    b"\x1b[21t",
    b"\x1b]11;?",
    b"\x1b]0;fn",
    b"abc\x08",
    b"a\x00b",
]


def build(folder: Path) -> Path:
    """Write the hostile archive into ``folder`` (plus a FIFO and a loop)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = os.fsencode(folder)
    for name, data in LOADED + REFUSED:
        with open(os.path.join(base, name), "wb") as handle:
            handle.write(data)
    os.mkfifo(os.path.join(base, b"94-fifo.md"))
    os.symlink(os.path.join(base, b"95-loop.md"), os.path.join(base, b"95-loop.md"))
    os.symlink(b"/dev/zero", os.path.join(base, b"96-zero.txt"))
    return folder


def markers() -> list[str]:
    return [f"MK{name[:2].decode()}" for name, _ in LOADED]
