"""Bytes to text, deterministically.

Order: a byte-order mark first (UTF-32 before UTF-16, since the UTF-32-LE BOM
starts with the UTF-16-LE one, then UTF-8-SIG); then strict UTF-8; then
Windows-1252, the usual encoding of legacy French files. There is never a
statistical guess. Bytes that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
0x90, 0x9D) become U+FFFD, as does anything a BOM-declared decoding cannot
read.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding that produced it."""

    text: str
    encoding: str
    replaced: bool = False
    """True when some bytes could not be decoded and became U+FFFD."""


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` following the module's fixed order."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            payload = data[len(bom) :]
            try:
                return Decoded(payload.decode(encoding), encoding)
            except UnicodeDecodeError:
                return Decoded(payload.decode(encoding, errors="replace"), encoding, True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    return Decoded(text, "cp1252", "\ufffd" in text)
