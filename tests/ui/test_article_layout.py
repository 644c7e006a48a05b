"""The article's display paragraphs and their wrapping, without a widget."""

from __future__ import annotations

import pytest

from reader.core.articles.article import Article
from reader.core.document import parse_document
from reader.ui.article_layout import line_pieces, wrap, wrap_paras
from reader.ui.article_paragraphs import Para, article_paras, map_spans


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("aaa bbb cccccccccc d", 5, ["aaa", "bbb", "ccccc", "ccccc", "d"]),
        ("un deux trois", 80, ["un deux trois"]),
        ("un deux trois", 7, ["un deux", "trois"]),
        ("", 10, [""]),
        ("東京東京東 x", 4, ["東京", "東京", "東 x"]),
        ("été à l’est", 6, ["été à", "l’est"]),
        ("abc", 0, ["a", "b", "c"]),  # a width under one cell still progresses
    ],
)
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    out: list[tuple[int, int]] = []
    wrap(text, 0, len(text), width, out)
    assert [text[a:b] for a, b in out] == lines


def _paras(body: str) -> list[Para]:
    article = Article(id="a", path="a.md", format="markdown", title="Titre", body=body)
    return article_paras(article, parse_document(body, "markdown")).paras


def test_wrap_paras_puts_a_blank_line_between_blocks() -> None:
    paras = _paras("un deux trois\n\nquatre")
    layout = wrap_paras(paras, 7, 9)
    shown = [
        "" if p < 0 else paras[p].text[a:b]
        for p, a, b in zip(layout.line_para, layout.line_start, layout.line_end, strict=True)
    ]
    assert shown == ["Titre", "", "un deux", "trois", "", "quatre"]
    assert layout.width == 9
    assert layout.para_first_line == [0, 1, 4]
    # A place found again after re-wrapping: "trois" at another width.
    anchor = layout.anchor(3)
    assert anchor == (1, paras[1].text.index("trois"))
    wider = wrap_paras(paras, 40, 42)
    assert wider.line_of_display(*anchor) == 2
    assert layout.line_of_display(*anchor) == 3
    assert layout.anchor(0) is None  # the top needs no anchor


def test_line_pieces_layer_styles_and_spans() -> None:
    body = "le *grand* Paris"
    paras = _paras(body)
    para = paras[-1]
    start = body.index("Paris")
    map_spans([para], [para.key], [(start, start + 5, "LOC"), (start, start + 2, "hit")])
    pieces = line_pieces(para, 0, len(para.text), ())
    assert [text for text, _ in pieces] == ["le ", "grand", " ", "Pa", "ris"]
    names = dict(pieces)
    assert names["grand"] == ("article-view--emphasis",)
    assert set(names["Pa"]) == {"article-view--hit", "article-view--loc"}
    assert names["ris"] == ("article-view--loc",)
    map_spans([para], [para.key], [(start, start + 5, "hit"), (start, start + 2, "hit-current")])
    pieces = line_pieces(para, 0, len(para.text), ("article-view--quote",))
    assert dict(pieces)["Pa"] == ("article-view--quote", "article-view--hit-current")
    assert dict(pieces)["ris"] == ("article-view--quote", "article-view--hit")
    assert line_pieces(para, 3, 3, ()) == []
