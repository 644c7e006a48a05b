"""The cheap French/English detector, table-driven."""

from __future__ import annotations

import pytest

from reader.core.articles.langdetect import detect_language
from tests.conftest import SAMPLE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le président russe a ordonné aux forces armées de mener des opérations.", "fr"),
        ("L’OTAN et l’Union européenne s’inquiètent de la situation à Kiev.", "fr"),
        ("Les prix de l'énergie ont baissé cette année selon la BCE.", "fr"),
        ("The president said on Monday that the talks were over.", "en"),
        ("NATO leaders met in Vilnius and offered Ukraine a path to membership.", "en"),
        ("It was the first time the bank had raised its rates since 2008.", "en"),
        ("", "und"),
        ("42", "und"),
        ("Paris Moscou Kyiv", "und"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_the_users_sample_is_french() -> None:
    assert detect_language(SAMPLE.read_text(encoding="utf-8")) == "fr"


def test_deterministic() -> None:
    text = "Un texte court, mais en français, avec des mots."
    assert {detect_language(text) for _ in range(5)} == {"fr"}
