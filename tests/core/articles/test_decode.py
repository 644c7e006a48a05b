"""Decoding: BOMs first, strict UTF-8, then Windows-1252; never a guess."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.articles.decode import decode_bytes

TEXT = "Élysée, l’OTAN, œuvre"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", TEXT),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", TEXT),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", TEXT),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", TEXT),
        (codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"), "utf-32-be", TEXT),
        ("Élysée œuvre".encode("cp1252"), "cp1252", "Élysée œuvre"),
        (b"caf\xe9 \x93ok\x94", "cp1252", "café “ok”"),
    ],
)
def test_decode_order(data: bytes, encoding: str, text: str) -> None:
    decoded = decode_bytes(data)
    assert (decoded.encoding, decoded.text, decoded.replaced) == (encoding, text, False)


def test_undefined_cp1252_bytes_become_replacement() -> None:
    decoded = decode_bytes(b"a\x81b\x8dc")
    assert decoded.text == "a\ufffdb\ufffdc"
    assert decoded.replaced


def test_broken_utf16_after_bom_is_replaced_not_raised() -> None:
    decoded = decode_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")
    assert decoded.encoding == "utf-16-le"
    assert decoded.replaced


@given(st.binary())
def test_decoding_never_raises(data: bytes) -> None:
    assert isinstance(decode_bytes(data).text, str)
