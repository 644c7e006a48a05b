"""Search over the bundled articles, with their recognised entities: the
cases of issues 11 and 12 (acronyms, entity keys, typing, phrases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article
from reader.core.search import analysis
from reader.core.session.library import Library

ARTICLES = Path(__file__).resolve().parents[3] / "articles"
DONBASS = "fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.fixture(scope="module")
def library() -> Library:
    built = Library.load([ARTICLES])
    if len(built) < 20:
        pytest.skip("sample articles not there yet")
    built.analyse()
    return built


def ids(library: Library, query: str, *, as_you_type: bool = False) -> set[str]:
    return {h.id for h in library.search(query, limit=100, as_you_type=as_you_type).hits}


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("Louhansk", {DONBASS}, set()),
        ("l’OTAN", {DONBASS, "en-nato-vilnius-summit.md"}, set()),
        ("l'otan", {DONBASS}, set()),
        ("États-Unis", {DONBASS}, set()),
        ("etats unis", {DONBASS}, set()),
        ("150 000", {DONBASS}, set()),
        ("150000 soldats", {DONBASS}, set()),
        ("Poutinne", {DONBASS}, set()),
        # acronyms are never dropped as stop words, and match in capitals
        ("EU", {"en-eu-chips-act.yaml", "en-eu-ai-act-vote.md"}, set()),
        ("UN", {"en-black-sea-grain-deal.yaml"}, {"fr-reforme-retraites-manifestations.txt"}),
        ("WHO", {"en-oxford-malaria-vaccine.txt"}, {"en-nato-vilnius-summit.md"}),
        ("AI", {"en-eu-ai-act-vote.md"}, {"fr-bce-taux-inflation.md"}),
        ("org:UN", {"en-black-sea-grain-deal.yaml"}, {"en-eu-chips-act.yaml"}),
        ("title:EU", {"en-eu-chips-act.yaml"}, {"en-eu-ai-act-vote.md"}),
        ("luhansk lang:en", {"en-putin-recognises-donetsk-luhansk.txt"}, {DONBASS}),
    ],
)
def test_finds(library: Library, query: str, present: set[str], absent: set[str]) -> None:
    found = ids(library, query)
    assert present <= found, query
    assert not absent & found, query


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("place:kiev", "place:Kyiv"),
        ("person:putin", 'person:"Vladimir Putin"'),
        ("person:putin", "person:poutine"),
        ("org:otan", "org:nato"),
    ],
)
def test_entity_fields_match_by_key(library: Library, one: str, other: str) -> None:
    assert ids(library, one) == ids(library, other)
    assert ids(library, one)


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("person:poutine", "person", "Poutine"),
        ('place:"Ukraine"', "place", "Ukraine"),
        ("place:kiev", "place", "Kyiv"),
        ("otan", None, "NATO"),  # a plain word, through the entity key (OTAN = NATO)
    ],
)
def test_matcher_entity_keys(library: Library, query: str, field: str | None, text: str) -> None:
    results = library.search(query)
    # the keys of the entity as it is mentioned in some article found
    keys = {
        m.key
        for hit in results.hits
        for m in library.entities_for(hit.id).all()
        if m.text == text or m.key.endswith(":" + analysis.fold(text))
    }
    assert keys
    assert {(field, key) for key in keys} & results.matcher.entity_keys


def test_otan_finds_the_english_nato_article_with_its_key(library: Library) -> None:
    results = library.search("otan")
    nato = next(h for h in results.hits if h.id == "en-nato-vilnius-summit.md")
    mentions = [m for m in library.entities_for(nato.id).all() if m.text == "NATO"]
    assert mentions
    assert {(None, mentions[0].key)} <= results.matcher.entity_keys


@pytest.mark.parametrize("query", ["etats unis", "Louhanks", "poutnie", "kiev", "otan", "EU"])
def test_a_typed_query_is_the_same_while_typing(library: Library, query: str) -> None:
    plain = library.search(query, limit=100)
    typing = library.search(query, limit=100, as_you_type=True)
    assert plain.total, query
    done = {h.id for h in plain.hits}
    more = {h.id: h for h in typing.hits if h.id not in done}
    assert done <= {h.id for h in typing.hits}
    last = analysis.fold(query.split()[-1])
    for hit in more.values():  # only completions of the last word as typed
        texts = {"title": hit.article.title, "body": hit.article.body}
        pieces = [analysis.fold(texts[f][s:e]) for f, s, e in hit.offsets]
        assert any(p.startswith(last) and p != last for p in pieces), (query, hit.id)


def test_the_word_being_typed_completes_its_surface_not_its_stem(library: Library) -> None:
    # "unis" used to be read as a prefix of its stem "uni": University, Union
    extra = ids(library, "etats unis", as_you_type=True) - ids(library, "etats unis")
    assert extra == set()
    assert ids(library, "mosc", as_you_type=True)
    assert not ids(library, "mosc")


def test_a_phrase_occurrence_is_one_hit(library: Library) -> None:
    results = library.search('"maintien de la paix"')
    hit = next(h for h in results.hits if h.id == DONBASS)
    texts = {"title": hit.article.title, "body": hit.article.body}
    pieces = [texts[f][s:e].lower() for f, s, e in hit.offsets]
    assert pieces and set(pieces) == {"maintien de la paix"}
    assert len(pieces) == hit.article.title.lower().count("maintien de la paix") + (
        hit.article.body.lower().count("maintien de la paix")
    )


def test_the_matcher_locates_hits_in_any_article(library: Library) -> None:
    results = library.search("louhansk", limit=1)
    other = Article(
        id="x",
        path="x",
        format="text",
        title="Louhansk",
        body="Près de Louhansk, Luhansk.",
        lang="fr",
    )
    assert [(f, s, e) for f, s, e, _ in results.matcher.offsets(other)] == [
        ("title", 0, 8),
        ("body", 8, 16),
        ("body", 18, 25),
    ]


def test_languages(library: Library) -> None:
    assert library.search("lang:fr").total >= 10
    assert library.search("lang:en").total >= 10
