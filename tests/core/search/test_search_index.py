"""Search over a small French and English corpus, and over the sample articles."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.articles import loader
from reader.core.articles.article import Article
from reader.core.search import SearchIndex, analysis, highlight
from reader.core.search import index as index_module

ARTICLES = Path(__file__).resolve().parents[3] / "articles"


def art(id: str, title: str, body: str, lang: str = "fr", **kw: object) -> Article:
    return Article(id=id, path=f"{id}.txt", format="text", title=title, body=body, lang=lang, **kw)  # type: ignore[arg-type]


CORPUS = [
    art(
        "donbass",
        "Poutine ordonne le maintien de la paix dans le Donbass",
        "Le président russe a signé un décret. Selon l’OTAN, 150 000 soldats sont massés "
        "près de Louhansk. Les États-Unis et l'Élysée dénoncent une violation.",
        date="2022-02-21",
        date_valid=True,
        author=("Jean Dupont",),
        tags=("Ukraine", "Russie"),
        source="Le Courrier",
    ),
    art(
        "elysee",
        "Réunion à l’Élysée",
        "Le chef de l'État a reçu les ministres. Aucune décision sur Louhansk.",
        date="2022-03-02",
        date_valid=True,
        author=("Marie Curie",),
        tags=("politique",),
    ),
    art(
        "nato-en",
        "NATO allies meet in Brussels",
        "The United States and NATO allies discussed troops near Luhansk. "
        "Putin ordered peacekeeping troops into the Donbas region.",
        lang="en",
        date="2022-02-22",
        date_valid=True,
        tags=("NATO",),
        source="Northbridge Wire",
    ),
    art(
        "paix-titre",
        "La paix des braves",
        "Un texte sans rapport avec la guerre, sur les jardins et la cuisine.",
        date="2021-06-01",
        date_valid=True,
    ),
    art(
        "paix-corps",
        "Jardins et cuisine",
        "Un texte sur les jardins. Quelques mots sur la paix à la fin.",
        date="2021-07-01",
        date_valid=True,
    ),
    art(
        "typo",
        "Rapport",
        "Un rapport mentionne Louhnask par erreur, et Paris.",
        date="2023-01-01",
        date_valid=True,
    ),
    art("pari", "Le pari", "Un pari risqué sur les paris sportifs.", lang="fr"),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    built = SearchIndex()
    built.build(CORPUS)
    return built


def ids(index: SearchIndex, query: str, **kw: object) -> list[str]:
    return [h.id for h in index.search(query, **kw).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Élysée", {"donbass", "elysee"}),
        ("elysee", {"donbass", "elysee"}),
        ("l'Élysée", {"donbass", "elysee"}),
        ("l’elysee", {"donbass", "elysee"}),
        ("OTAN", {"donbass"}),
        ("l’OTAN", {"donbass"}),
        ("États-Unis", {"donbass"}),
        ("etats unis", {"donbass"}),
        ("etats-unis", {"donbass"}),
        ("150 000", {"donbass"}),
        ("150000", {"donbass"}),
        ("150\u202f000 soldats", {"donbass"}),
        ("soldat", {"donbass"}),
        ("Louhansk -Élysée", {"typo", "nato-en"}),  # Luhansk: one edit
        ("Louhansk", {"donbass", "elysee", "typo", "nato-en"}),
        ("louhansk OR luhansk", {"donbass", "elysee", "typo", "nato-en"}),
        ("(luhansk OR louhansk) otan", {"donbass"}),
        ('"maintien de la paix"', {"donbass"}),
        ('"la paix dans"', {"donbass"}),
        ('"paix la"', set()),
        ("troop", {"nato-en"}),
        ("united states", {"nato-en"}),
        ("paris", {"typo", "pari"}),
        ("pari", {"pari"}),  # the name "Paris" is not stemmed
        ("title:paix", {"donbass", "paix-titre"}),
        ('title:"maintien de la paix"', {"donbass"}),
        ("author:dupont", {"donbass"}),
        ("tag:ukraine", {"donbass"}),
        ("tag:nato", {"nato-en"}),
        ("source:courrier", {"donbass"}),
        ("lang:en", {"nato-en"}),
        ("lang:en putin", {"nato-en"}),
        ("date:2022-02", {"donbass", "nato-en"}),
        ("date:2022-02-22", {"nato-en"}),
        ("date:2022-01..2022-03", {"donbass", "nato-en", "elysee"}),
        ("date:..2021", {"paix-titre", "paix-corps"}),
        ("person:poutine", set()),
        ("a.*b [x] (?i) \\d+", set()),
    ],
)
def test_search(index: SearchIndex, query: str, expected: set[str]) -> None:
    results = index.search(query)
    assert {h.id for h in results.hits} == expected
    assert results.total == len(expected)
    assert not results.nothing_to_search


@pytest.mark.parametrize(
    "query",
    ["", "   ", "le la les", "the of", "!!!", "*", "-", "-paix", "((", '""', "foo:bar", "title:"],
)
def test_nothing_to_search(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert results.nothing_to_search
    assert results.total == 0 and not results.hits


def test_prefix(index: SearchIndex) -> None:
    assert set(ids(index, "louh", as_you_type=True)) == {"donbass", "elysee", "typo"}
    assert set(ids(index, "louh*")) == {"donbass", "elysee", "typo"}
    assert ids(index, "louh") == []
    assert ids(index, "louh ", as_you_type=True) == []
    assert set(ids(index, "poutine souver", as_you_type=True)) == set()
    assert set(ids(index, "poutine ordon", as_you_type=True)) == {"donbass"}


def test_typo_ranked_below_exact(index: SearchIndex) -> None:
    results = index.search("louhansk")
    order = [h.id for h in results.hits]
    # "Louhnask" (one transposition) and "Luhansk" (one deletion) come last
    assert set(order[-2:]) == {"typo", "nato-en"}
    assert [h.typos for h in results.hits] == [0, 0, 1, 1]
    assert ids(index, "Poutinne") == ["donbass"]
    assert ids(index, "otna") == []  # 4 letters: no typo tolerance


def test_suggestion(index: SearchIndex) -> None:
    results = index.search("otna")
    assert results.total == 0
    assert results.suggestion == "otan"
    assert index.search("zzzzzzzz").suggestion is None
    assert index.search("otan").suggestion is None


def test_title_outranks_body(index: SearchIndex) -> None:
    order = ids(index, "paix")
    assert order.index("paix-titre") < order.index("paix-corps")


def test_fields_and_offsets(index: SearchIndex) -> None:
    hit = index.search("Louhansk l’OTAN États-Unis 150 000").hits[0]
    assert hit.id == "donbass"
    assert hit.fields == ("body",)
    body = hit.article.body
    pieces = [body[s:e] for f, s, e in hit.offsets]
    assert pieces == ["OTAN", "150 000", "Louhansk", "États", "Unis"]
    snippet = hit.snippet
    assert snippet.text == body[snippet.start : snippet.end].replace("\n", " ")
    assert [snippet.text[s:e] for s, e in snippet.hits] == pieces
    assert len(snippet.text) <= 160


def test_title_offsets(index: SearchIndex) -> None:
    hit = next(h for h in index.search("title:paix").hits if h.id == "donbass")
    assert [(f, hit.article.title[s:e]) for f, s, e in hit.offsets] == [("title", "paix")]
    assert "title" in hit.fields


def test_highlight_matches_search(index: SearchIndex) -> None:
    for query in ["Louhansk l’OTAN", '"maintien de la paix"', "louh", "Poutinne", "paris -pari"]:
        for hit in index.search(query, as_you_type=True).hits:
            assert highlight(query, hit.article, as_you_type=True) == hit.offsets, query


def test_entities() -> None:
    built = SearchIndex()
    built.add(CORPUS[0], entities={"person": ["Vladimir Poutine"], "place": ["Louhansk"]})
    built.add(CORPUS[1])
    assert ids(built, "person:poutine") == ["donbass"]
    assert ids(built, 'person:"vladimir poutine"') == ["donbass"]
    assert ids(built, "place:louhansk") == ["donbass"]
    assert ids(built, "org:otan") == []
    assert ids(built, "vladimir") == ["donbass"]  # entity names are searched too


def test_update_and_remove() -> None:
    built = SearchIndex()
    built.build(CORPUS)
    assert len(built) == len(CORPUS)
    assert built.remove("donbass")
    assert not built.remove("donbass")
    assert "donbass" not in ids(built, "louhansk")
    changed = art("elysee", "Nouveau titre", "Plus rien sur la ville.")
    built.update(changed)
    assert len(built) == len(CORPUS) - 1
    assert set(ids(built, "louhansk")) == {"typo", "nato-en"}
    assert ids(built, "nouveau") == ["elysee"]


def test_build_progress_and_cancel() -> None:
    many = [art(f"a{i}", f"titre {i}", f"texte numéro {i} paix") for i in range(600)]
    calls: list[tuple[int, int]] = []
    built = SearchIndex()
    assert built.build(many, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (600, 600)
    assert built.search("paix").total == 600
    cancel = threading.Event()
    cancel.set()
    assert not built.build(many, cancel=cancel)
    assert len(built) == 0


# -- properties ---------------------------------------------------------------

QUERY_WORDS = [
    "paix",
    "louhansk",
    "Élysée",
    "otan",
    "troops",
    "le",
    "-paix",
    "OR",
    "(",
    ")",
    '"',
    "title:",
    "paris",
    "pou",
    "*",
    "150 000",
    "États-Unis",
    "lang:fr",
    "date:2022",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=60), st.lists(st.sampled_from(QUERY_WORDS), max_size=6).map(" ".join)
    )
)
def test_search_never_raises_and_offsets_are_tokens(index: SearchIndex, query: str) -> None:
    for as_you_type in (False, True):
        results = index.search(query, limit=10, as_you_type=as_you_type)
        assert results.total >= len(results.hits)
        wanted = set()
        for terms, _ in results.matcher.words:
            wanted |= terms
        for slots, _ in results.matcher.phrases:
            for slot in slots:
                wanted |= slot
        for hit in results.hits:
            # the index's offsets (from stored term ids) equal re-tokenising
            assert hit._hits() == results.matcher.offsets(hit.article)
            for field, start, end in hit.offsets:
                text = hit.article.title if field == "title" else hit.article.body
                tokens = analysis.tokens(text, hit.article.lang, names=field == "body")
                token = next(t for t in tokens if t.start == start)
                assert token.end == end
                assert token.term in wanted


def snapshot(index: SearchIndex) -> dict[str, list[tuple[str, float]]]:
    queries = ["paix", "louhansk", "le maintien", '"la paix"', "pou", "paris OR troops", "lang:fr"]
    out = {}
    for q in queries:
        out[q] = [
            (h.id, round(h.score, 9)) for h in index.search(q, limit=100, as_you_type=True).hits
        ]
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "remove"]), st.integers(0, len(CORPUS) - 1), st.booleans()
        ),
        max_size=25,
    )
)
def test_incremental_equals_rebuild(ops: list[tuple[str, int, bool]]) -> None:
    incremental = SearchIndex()
    incremental.build(CORPUS[:3])
    current = {a.id: a for a in CORPUS[:3]}
    for op, i, variant in ops:
        article = CORPUS[i]
        if op == "add":
            if variant:  # an edited version
                article = art(
                    article.id, article.title + " révisé", article.body + " Ajout.", article.lang
                )
            incremental.add(article)
            current[article.id] = article
        else:
            incremental.remove(article.id)
            current.pop(article.id, None)
    rebuilt = SearchIndex()
    rebuilt.build(sorted(current.values(), key=lambda a: a.id))
    assert len(incremental) == len(rebuilt)
    assert snapshot(incremental) == snapshot(rebuilt)


def test_block_max_equals_exhaustive(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    # close spellings (one edit apart) give typo forms, ranked below exact ones
    words = [f"mot{i}" for i in range(60)] + ["paix", "guerre", "otan", "maison", "maisom"]
    words += ["raison", "saisons", "bouton", "mouton"]
    weights = [1.0 / (i + 1) for i in range(len(words))]
    docs = [
        art(
            f"d{i:04}",
            " ".join(rng.choices(words, weights, k=5)),
            " ".join(rng.choices(words, weights, k=rng.randint(5, 80))),
        )
        for i in range(3000)
    ]
    built = SearchIndex()
    built.build(docs)
    queries = [
        "mot0",
        "mot1 mot2",
        "paix OR guerre",
        "mot",
        "mot3 -mot1",
        "guerre otan",
        '"mot0 mot1"',
        "maison",
        "maisom mot1",
        "raison OR mot2",
        "maisox mot0",
        "bouton mouton",
        "boutin (mot3 OR saison)",
    ]
    monkeypatch.setattr(index_module, "EXHAUSTIVE", 16)  # prune even small result sets
    pruned = {
        q: [(h.id, h.score) for h in built.search(q, limit=20, as_you_type=True).hits]
        for q in queries
    }
    monkeypatch.setattr(index_module, "EXHAUSTIVE", 10**9)
    for q in queries:
        full = [(h.id, h.score) for h in built.search(q, limit=20, as_you_type=True).hits]
        assert [round(s, 9) for _, s in pruned[q]] == [round(s, 9) for _, s in full], q
        assert built.search(q, as_you_type=True).total >= len(full)


# -- the sample articles --------------------------------------------------------


@pytest.fixture(scope="module")
def sample_index() -> SearchIndex:
    paths = sorted(p for p in ARTICLES.iterdir() if p.suffix in {".md", ".txt", ".yaml"})
    articles, _ = loader.load_articles(paths)
    if len(articles) < 20:
        pytest.skip("sample articles not there yet")
    built = SearchIndex()
    built.build(articles)
    return built


SAMPLE = "articles/fr-poutine-maintien-de-la-paix-donbass.txt"


@pytest.mark.parametrize(
    "query",
    [
        "Louhansk",
        "l’OTAN",
        "l'otan",
        "États-Unis",
        "etats unis",
        "150 000",
        "150000 soldats",
        "louh",
        "Poutinne",
    ],
)
def test_sample_article(sample_index: SearchIndex, query: str) -> None:
    results = sample_index.search(query, as_you_type=query == "louh")
    assert SAMPLE in [h.id for h in results.hits], query
    hit = next(h for h in results.hits if h.id == SAMPLE)
    assert hit.offsets


def test_sample_languages(sample_index: SearchIndex) -> None:
    fr = sample_index.search("lang:fr").total
    en = sample_index.search("lang:en").total
    assert fr >= 10 and en >= 10
    assert sample_index.search("luhansk lang:en").total >= 1
