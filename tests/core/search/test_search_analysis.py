"""The analysis chain: folding, elisions, hyphens, numbers, stems, offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.search import analysis
from reader.core.search.fuzzy import distance


def terms(text: str, lang: str = "fr", names: bool = True) -> list[str]:
    return [t.term for t in analysis.tokens(text, lang, names=names)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # accents, case, ligatures
        # (lang "und": no stemming)
        ("Élysée", "und", ["elysee"]),
        ("ÉCONOMIE économie", "und", ["economie", "economie"]),
        ("cœur Œuvre", "und", ["coeur", "oeuvre"]),
        ("Æsir straße", "und", ["aesir", "strasse"]),
        ("ﬁn", "fr", ["fin"]),
        ("e\u0301te\u0301", "und", ["ete"]),  # decomposed accents
        # elisions with both apostrophes
        ("l'Élysée", "fr", ["l", "elysee"]),
        ("l’Élysée", "fr", ["l", "elysee"]),
        (
            "d’Ukraine jusqu’ici lorsqu'il puisqu’on qu’il",
            "fr",
            ["d", "ukraine", "jusqu", "ici", "lorsqu", "il", "puisqu", "on", "qu", "il"],
        ),
        # hyphens split into consecutive tokens
        ("les États-Unis", "fr", ["le", "etats", "unis"]),
        ("États-Unis", "fr", ["etat", "unis"]),  # a sentence start is stemmed
        # numbers with separators
        ("150 000 soldats", "fr", ["150000", "soldat"]),
        ("150\u00a0000", "fr", ["150000"]),
        ("150\u202f000", "fr", ["150000"]),
        ("150\u2009000", "fr", ["150000"]),
        ("1 234 567", "fr", ["1234567"]),
        ("en 2022 150 chars", "fr", ["en", "2022", "150", "char"]),
        # stems per language
        ("soldats présidents", "fr", ["soldat", "president"]),
        ("troops ordered", "en", ["troop", "order"]),
        # names (capitalised inside a sentence) are not stemmed; sentence starts are
        ("à Paris", "en", ["a", "paris"]),
        ("Paris est loin.", "en", ["pari", "est", "loin"]),
        ("Il part. Soldats", "fr", ["il", "part", "soldat"]),
    ],
)
def test_terms(text: str, lang: str, expected: list[str]) -> None:
    assert terms(text, lang) == expected


def test_titles_are_always_stemmed() -> None:
    assert terms("Putin Orders Troops", "en", names=False) == ["putin", "order", "troop"]


@pytest.mark.parametrize(
    "text",
    [
        "Selon l’OTAN, les États-Unis ont envoyé 150 000 soldats à Louhansk.",
        "e\u0301te\u0301 ﬁn Straße « Paris » — l'Élysée",
        "tab\tnew\nline  ŒUVRE ǅemal",
    ],
)
def test_offsets_slice_the_original(text: str) -> None:
    for token in analysis.tokens(text, "fr"):
        piece = text[token.start : token.end]
        assert piece, token
        assert analysis.fold(piece) == token.term or analysis.stem(piece, "fr") == token.term


@given(st.text(max_size=200))
def test_offsets_always_slice_to_the_token(text: str) -> None:
    previous = -1
    for token in analysis.tokens(text, "en"):
        assert 0 <= token.start < token.end <= len(text)
        assert token.start > previous
        previous = token.start
        piece = text[token.start : token.end]
        assert token.term in (analysis.fold(piece), analysis.stem(piece, "en"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UN and the EU, says the WHO.", ["un", "eu", "who"]),
        ("Selon l’OTAN et l'ONU", ["otan", "onu"]),
        ("Les États-Unis, un pays", []),
        ("ÉTATS-UNIS", ["etats", "unis"]),
        ("A I", []),
    ],
)
def test_acronyms(text: str, expected: list[str]) -> None:
    assert analysis.acronyms(text) == expected


@pytest.mark.parametrize(
    ("word", "langs", "stop"),
    [
        ("le", ["fr", "en"], True),
        ("the", ["fr", "en"], True),
        ("but", ["fr"], False),
        ("poutine", ["fr", "en"], False),
        ("qu", ["fr"], True),
    ],
)
def test_stop_words(word: str, langs: list[str], stop: bool) -> None:
    assert analysis.is_stop_word(word, langs) is stop


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("poutine", "poutine", 0),
        ("poutine", "poutinne", 1),
        ("poutine", "pouitne", 1),
        ("soldat", "sodlat", 1),
        ("abc", "xyz", 3),
        ("kitten", "sitting", 3),
    ],
)
def test_distance(a: str, b: str, d: int) -> None:
    assert distance(a, b, 3) == d


# The indexing bulk path (one findall per text, raw keys mapped to terms
# through a dictionary, unseen keys analysed in batches) must give exactly the
# terms of the offset-keeping tokenizer used for highlighting and snippets.
_HARD = (
    "aeiouyzxAEZÉÈÊÀÇÔÎÛŒÆéèêàçôîûœæßİıǅ"  # accents, ligatures, odd cases
    "0123456789"
    " \u00a0\u2009\u202f\n\t"  # spaces, including thousands separators
    "'’ʼ-_.,;:!?…«»“”\"()#>*+/"  # apostrophes, hyphens, sentence boundaries
    "\u0301\u0327"  # combining marks
)
_words = st.sampled_from(
    ["Paris", "l’Élysée", "d'Ukraine", "États-Unis", "150 000", "1\u202f234", "qu’il", "OTAN"]
)
_texts = st.lists(st.text(alphabet=_HARD, max_size=30) | _words | st.text(max_size=10), max_size=20)


@given(
    st.lists(_texts.map("".join), min_size=1, max_size=6),
    st.sampled_from(["fr", "en", "und"]),
)
def test_bulk_indexing_terms_equal_tokenizer_terms(texts: list[str], lang: str) -> None:
    for text in texts:
        for names in (True, False):
            stemmed, folded = analysis.index_terms(text, analysis.lang_key(lang), names=names)
            tokens = analysis.tokens(text, lang, names=names)
            # one term per token, in order: positions in the index are tokens
            assert stemmed.split(" ") == [t.term for t in tokens] or not tokens
            folds = [analysis.fold(text[t.start : t.end]) for t in tokens]
            assert folded.split(" ") == folds or not tokens
            assert all(" " not in t.term and t.term for t in tokens)


@given(_texts.map("".join), st.data())
def test_token_spans_equal_tokens(text: str, data: st.DataObject) -> None:
    spans = [(t.start, t.end) for t in analysis.tokens(text, "fr")]
    assert analysis.token_spans(text, list(range(len(spans)))) == spans
    some = sorted(data.draw(st.sets(st.integers(0, max(0, len(spans) - 1)))) if spans else [])
    assert analysis.token_spans(text, some) == [spans[i] for i in some]
