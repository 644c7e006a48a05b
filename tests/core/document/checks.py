"""Shared checks for the document tests: the offset invariant and compact
views of blocks (kind/level/depth/marker/text, text with styles)."""

from __future__ import annotations

from reader.core.document import Block, Document, parse_document


def check_invariant(body: str, doc: Document) -> None:
    """Every source run is a body slice; runs are increasing, non-overlapping."""
    last = 0
    for run in doc.iter_runs():
        assert run.start <= run.end
        assert run.start >= last, (run, last)
        if run.start < run.end:
            assert run.text == body[run.start : run.end], run
        else:
            assert run.text, "a decoration shows something"
        last = run.end


def parse(body: str, fmt: str = "markdown") -> Document:
    doc = parse_document(body, fmt)
    check_invariant(body, doc)
    return doc


def styled(block: Block) -> list[tuple[str, str]]:
    """A block's runs as (text, "+"-joined sorted styles), adjacent equal styles merged."""
    out: list[tuple[str, str]] = []
    for run in block.runs:
        key = "+".join(sorted(run.styles))
        if out and out[-1][1] == key:
            out[-1] = (out[-1][0] + run.text, key)
        else:
            out.append((run.text, key))
    return out


def shape(doc: Document) -> list[tuple[str, int, int, int, str, str]]:
    return [(b.kind, b.level, b.depth, b.quote_depth, b.marker, b.text) for b in doc.blocks]
