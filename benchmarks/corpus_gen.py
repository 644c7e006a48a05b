"""Deterministic synthetic French + English news corpus for the search benchmark.

``generate(n, seed=0)`` yields ``n`` :class:`~reader.core.articles.article.Article`
objects (60 % French, 40 % English) of ~400 words: a Zipf-distributed
vocabulary per language (real function words and common words at the top,
then made-up words with accents), French elisions with both apostrophes,
recurring multi-word names (some hyphenated), numbers with thousands
separators, sentence capitals, paragraphs, tags, authors, sources and dates.

``python benchmarks/corpus_gen.py 1000`` writes the corpus as JSON lines to
``benchmarks/corpora/`` (git-ignored); :func:`load` reads it back (cached).
"""

from __future__ import annotations

import json
import random
import sys
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core.articles.article import Article

CORPORA = Path(__file__).resolve().parent / "corpora"
VOCABULARY = 30_000  # words per language
ZIPF_S = 1.05

FR_TOP = """de la le et les des à l en du un une que est pour qui dans a par plus pas au sur ne se
ce il sont ont été avec son aux sa mais ou comme leur elle nous on tout y ses cette selon après
entre deux ans président gouvernement ministre pays guerre russie ukraine armée soldats paix
accord sommet réforme économie énergie prix hausse baisse marché banque taux inflation emploi
élection parlement député loi projet budget dette croissance entreprise industrie usine ville
région habitants police justice tribunal enquête sécurité santé hôpital école université
recherche climat sécheresse chaleur eau agriculture été hiver année semaine mois jour nouvelle
nouveau grand grande premier première dernier dernière public publique national nationale
européen européenne international internationale russe français française américain""".split()
EN_TOP = """the of and to a in is that for on it with as was by at from be are has have not this
but an they which or his her their were had been will would its also after more than over new
year years president government minister country war russia ukraine army troops peace deal
summit reform economy energy prices rise fall market bank rates inflation jobs election
parliament law bill budget debt growth company industry factory city region residents police
court inquiry security health hospital school university research climate drought heat water
farming summer winter week month day first last public national european international russian
french american british chinese officials leaders talks report data analysts""".split()
NAMES = [
    "Vladimir Poutine",
    "Vladimir Putin",
    "Emmanuel Macron",
    "Olaf Scholz",
    "Joe Biden",
    "Volodymyr Zelensky",
    "Jean-Yves Le Drian",
    "Christine Lagarde",
    "Ursula von der Leyen",
    "Rishi Sunak",
    "Giorgia Meloni",
    "Pedro Sánchez",
    "États-Unis",
    "Royaume-Uni",
    "Louhansk",
    "Donetsk",
    "Marioupol",
    "Charm el-Cheikh",
    "Saint-Pétersbourg",
    "Île-de-France",
    "Nations unies",
    "Banque centrale européenne",
    "Organisation mondiale de la santé",
    "Élysée",
    "Bruxelles",
    "Strasbourg",
    "Luhansk",
    "Mariupol",
    "United Nations",
    "European Central Bank",
    "White House",
    "Downing Street",
]
TAGS = ["Ukraine", "Russie", "économie", "climat", "énergie", "politique", "Europe", "santé",
        "défense", "diplomatie", "industrie", "inflation", "NATO", "OTAN", "élections"]  # fmt: skip
AUTHORS = ["Jean Dupont", "Marie Lefèvre", "Hélène Duval-Caradec", "Tom Baker", "Amara Okafor",
           "Jonas Brenner", "Léa Bonnefoy", "Priya Natarajan"]  # fmt: skip
SOURCES = [
    "Le Courrier continental",
    "Northbridge Wire",
    "L’Écho continental",
    "Continental Ledger",
]
_FR_SYL = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu é è ê à ç ô î û ou an on in en ai eu oi au ch qu tr pl gr br cr fl".split()
_EN_SYL = "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu th sh ch st tr pl gr br ing er ed ly ow ea ou".split()
_FR_ENDS = ["", "", "s", "e", "es", "ment", "tion", "ité", "eur", "er", "ée"]
_EN_ENDS = ["", "", "s", "ed", "ing", "er", "ly", "tion", "ness"]
_VOWELS = set("aeiouyéèêàâîôûœh")


def _vocabulary(
    rng: random.Random, top: list[str], syllables: list[str], ends: list[str]
) -> list[str]:
    words = list(dict.fromkeys(top))
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + rng.choice(ends)
        if word not in seen and len(word) >= 3:
            seen.add(word)
            words.append(word)
    return words


class Generator:
    def __init__(self, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.seed = seed
        self.fr = _vocabulary(rng, FR_TOP, _FR_SYL, _FR_ENDS)
        self.en = _vocabulary(rng, EN_TOP, _EN_SYL, _EN_ENDS)
        weights = [1.0 / (rank + 1) ** ZIPF_S for rank in range(VOCABULARY)]
        self.cum = list(accumulate(weights))

    def article(self, i: int) -> Article:
        rng = random.Random(self.seed * 1_000_003 + i)
        lang = "fr" if rng.random() < 0.6 else "en"
        vocab = self.fr if lang == "fr" else self.en
        words = rng.choices(vocab, cum_weights=self.cum, k=400)
        parts: list[str] = []
        sentence_start = True
        sentence_left = rng.randint(8, 20)
        for word in words:
            if rng.random() < 0.02:
                word = rng.choice(NAMES)
            elif lang == "fr" and word[0] in _VOWELS and rng.random() < 0.5:
                word = rng.choice(["l’", "l'", "d’", "d'", "qu’", "jusqu’", "s’", "n’"]) + word
            elif rng.random() < 0.004:
                sep = rng.choice([" ", "\u00a0", "\u202f", "\u2009"])
                word = f"{rng.randint(1, 999)}{sep}{rng.randint(0, 999):03}"
            if sentence_start:
                word = word[:1].upper() + word[1:]
                sentence_start = False
            sentence_left -= 1
            if sentence_left == 0:
                word += rng.choice([".", ".", ".", " ?", " !"]) if lang == "fr" else "."
                word += "\n\n" if rng.random() < 0.25 else ""
                sentence_start = True
                sentence_left = rng.randint(8, 20)
            elif rng.random() < 0.06:
                word += ","
            parts.append(word)
        body = " ".join(parts).replace("\n\n ", "\n\n")
        title_words = rng.choices(vocab[30:3000], k=rng.randint(5, 9))
        if rng.random() < 0.3:
            title_words.insert(rng.randint(0, len(title_words)), rng.choice(NAMES))
        title = " ".join(title_words)
        title = title[:1].upper() + title[1:]
        year, month, day = rng.randint(2020, 2024), rng.randint(1, 12), rng.randint(1, 28)
        return Article(
            id=f"synthetic/{i:06}.txt",
            path=f"synthetic/{i:06}.txt",
            format="text",
            title=title,
            body=body,
            author=(rng.choice(AUTHORS),),
            date=f"{year}-{month:02}-{day:02}",
            date_valid=True,
            source=rng.choice(SOURCES),
            lang=lang,
            tags=tuple(rng.sample(TAGS, 3)),
            size=len(body),
        )


def path_for(n: int, seed: int = 0) -> Path:
    return CORPORA / f"corpus-{n}-{seed}.jsonl"


def write(n: int, seed: int = 0) -> Path:
    path = path_for(n, seed)
    if path.exists():
        return path
    CORPORA.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for i in range(n):
            a = generator.article(i)
            row = [a.id, a.title, a.body, list(a.author), a.date, a.source, a.lang, list(a.tags)]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.rename(path)
    return path


def load(n: int, seed: int = 0) -> list[Article]:
    articles = []
    with write(n, seed).open(encoding="utf-8") as lines:
        for line in lines:
            id_, title, body, author, date, source, lang, tags = json.loads(line)
            articles.append(
                Article(
                    id=id_,
                    path=id_,
                    format="text",
                    title=title,
                    body=body,
                    author=tuple(author),
                    date=date,
                    date_valid=True,
                    source=source,
                    lang=lang,
                    tags=tuple(tags),
                    size=len(body),
                )
            )
    return articles


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1000"]:
        print(write(int(arg)))
