"""Plain bodies (``"text"`` and ``"yaml"``): paragraphs separated by blank
lines, no markup, soft-wrapped lines joined by a decoration space. Also the
line and blank-stripping helpers the Markdown parsers share.
"""

from __future__ import annotations

from collections.abc import Iterator

from reader.core.document.model import Block, Run


def line_spans(body: str) -> Iterator[tuple[int, int]]:
    pos = 0
    n = len(body)
    while True:
        nl = body.find("\n", pos)
        if nl < 0:
            yield pos, n
            return
        yield pos, nl
        pos = nl + 1


BLANKS = " \t"


def strip_blanks(body: str, a: int, b: int) -> tuple[int, int]:
    while a < b and body[a] in BLANKS:
        a += 1
    while b > a and body[b - 1] in BLANKS:
        b -= 1
    return a, b


def plain_runs(body: str, segs: list[tuple[int, int]]) -> tuple[Run, ...]:
    runs: list[Run] = []
    for i, (a, b) in enumerate(segs):
        if i:
            prev_end = segs[i - 1][1]
            runs.append(Run(prev_end, prev_end, " "))
        if a < b:
            runs.append(Run(a, b, body[a:b]))
    return tuple(runs)


def plain_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    segs: list[tuple[int, int]] = []
    first = last = 0
    for ls, le in line_spans(body):
        a, b = strip_blanks(body, ls, le)
        if a == b:
            if segs:
                blocks.append(Block("paragraph", plain_runs(body, segs), start=first, end=last))
                segs = []
            continue
        if not segs:
            first = ls
        segs.append((a, b))
        last = le
    if segs:
        blocks.append(Block("paragraph", plain_runs(body, segs), start=first, end=last))
    return blocks
