"""The gazetteer prefilter never hides a form the lookup would find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.entities import default_recogniser
from reader.core.entities.rules import RuleRecogniser
from reader.core.entities.tokens import Tokens

_RECOGNISER = default_recogniser(demonyms_as_misc=False)
assert isinstance(_RECOGNISER, RuleRecogniser)
_LEX = _RECOGNISER.lex
_FORMS = sorted(_LEX.gaz.exact)[::50]
_PIECES = [
    *_FORMS,
    *(form.upper() for form in _FORMS[:40]),
    *(form.lower() for form in _FORMS[:40]),
    "Zorglub", "ÉLYSÉE", "Elysee", "l'", "d’", "™", "½", "\u0301", "'s", "-", ".", " ", "  ",
    "\n", "Union", "européenne", "Nations", "unies", "Apple™", "St", "Jr", "_x", "Ünïcode",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12), st.sampled_from(["", " "]))
def test_a_word_that_may_not_start_a_form_starts_none(pieces: list[str], glue: str) -> None:
    text = glue.join(pieces)
    tokens = Tokens(text, "fr", _LEX)
    for a in range(tokens.n):
        if _LEX.may_start(tokens.words[a]):
            continue
        for b in range(a + 1, min(tokens.n, a + _LEX.max_tokens) + 1):
            assert _LEX.lookup(tokens.form_of(a, b)) is None, (tokens.words[a], b)


def test_known_leading_words_may_start_and_unknown_ones_may_not() -> None:
    assert _LEX.may_start("Union") and _LEX.may_start("union")  # "Union européenne"
    assert _LEX.may_start("Élysée") or _LEX.may_start("Elysee")
    assert not _LEX.may_start("Zorglub")
    assert _LEX.may_start("l'") and _LEX.may_start("½")  # not plain words: always looked up
