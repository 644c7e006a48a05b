"""The text the recognisers see: an article body with its code blanked out.

Code is never entity text: in a Markdown body, fenced and indented code
blocks and inline code spans are replaced by spaces (line breaks kept), so the
text keeps its length and every mention's offsets index the original body.
Other formats are returned unchanged.
"""

from __future__ import annotations

from reader.core.document import parse_document


def _may_hold_code(body: str) -> bool:
    return "`" in body or "~~~" in body or "\n    " in body or "\n\t" in body


def code_ranges(body: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the code blocks and inline code spans of a Markdown body."""
    if not _may_hold_code(body):
        return []
    ranges: list[tuple[int, int]] = []
    for block in parse_document(body, "markdown").blocks:
        if block.kind == "code":
            ranges.append((block.start, block.end))
            continue
        ranges.extend(
            (r.start, r.end) for r in block.runs if "code" in r.styles and r.start < r.end
        )
    return ranges


def entity_text(body: str, fmt: str) -> str:
    """``body`` with its code blanked (same length, same line breaks) if ``fmt``
    is ``"markdown"``, else ``body`` itself."""
    if fmt != "markdown":
        return body
    ranges = code_ranges(body)
    if not ranges:
        return body
    parts: list[str] = []
    pos = 0
    for start, end in ranges:
        parts.append(body[pos:start])
        parts.append("".join(c if c == "\n" else " " for c in body[start:end]))
        pos = end
    parts.append(body[pos:])
    return "".join(parts)
