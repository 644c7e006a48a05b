"""Where a query matched in an article: the :class:`Matcher`.

A :class:`Matcher` is what a query resolved to, as plain frozen data: for
each query word its folded form, its stem per language, a prefix and a typo
tolerance; for each phrase the forms of its tokens; and the entity keys the
query matched. It locates hits in *any* article by analysing the text with
the very function that fed the index
(:func:`reader.core.search.analysis.index_terms`: one term per token, so a
term's index is its position) and applying the rules the index applied: a
token matches a word when its folded term equals the word's, its stemmed
term equals the word's stem in the article's language, its folded term
starts with the prefix, or is within the typo tolerance (optimal string
alignment, as the index's Levenshtein automaton). A phrase occurrence (all
stems or all folded terms at consecutive positions, as the index's phrase
query checks) is **one** hit spanning its first to last token. Offsets come
from :func:`~reader.core.search.analysis.token_spans` for the matched
positions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from reader.core.articles.article import Article
from reader.core.search.analysis import fold, lang_key, query_tokens, term_lists, token_spans
from reader.core.search.fuzzy import distance
from reader.core.search.names import FIELD_OF_LABEL

EXACT, PREFIX, TYPO = 1, 2, 3

Located = tuple[str, int, int, str]
"""(field, start, end, term): ``term`` is the matched folded term (for a
phrase, its folded terms joined by spaces)."""
Graded = tuple[str, int, int, str, int, int]
"""A located hit with its grade (exact, prefix, typo) and word index (-1:
a phrase)."""


@dataclass(frozen=True, slots=True)
class Form:
    """A query token: its folded term and its stem per language."""

    folded: str
    stems: tuple[tuple[str, str], ...] = ()

    def stem(self, lang: str) -> str | None:
        for code, value in self.stems:
            if code == lang:
                return value
        return None


@dataclass(frozen=True, slots=True)
class WordRule:
    """One query word. ``field`` is None (title and body), ``"title"``, or a
    field with no text to mark (``author``...). ``upper``: only tokens
    written in capitals match (``UN``, not *un*)."""

    form: Form
    field: str | None = None
    prefix: str = ""
    edits: int = 0
    upper: bool = False

    def grade(self, stemmed: str, folded: str, lang: str) -> int:
        form = self.form
        if folded == form.folded or stemmed == form.stem(lang):
            return EXACT
        if self.prefix and folded.startswith(self.prefix):
            return PREFIX
        if (
            self.edits
            and len(set(folded).symmetric_difference(form.folded)) <= 2 * self.edits
            and distance(folded, form.folded, self.edits) <= self.edits
        ):
            return TYPO
        return 0


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Consecutive tokens: all matched by stem, or all by folded term."""

    forms: tuple[Form, ...]
    field: str | None = None

    def starts(self, stems: list[str], folds: list[str], lang: str) -> list[int]:
        """The positions where an occurrence starts, not overlapping."""
        width = len(self.forms)
        folded = [form.folded for form in self.forms]
        stemmed = [form.stem(lang) for form in self.forms]
        first = {i for i, term in enumerate(folds) if term == folded[0]}
        first.update(i for i, term in enumerate(stems) if term == stemmed[0])
        out: list[int] = []
        for i in sorted(first):
            if out and i < out[-1] + width:
                continue
            if folds[i : i + width] == folded or stems[i : i + width] == stemmed:
                out.append(i)
        return out


def _where(rule_field: str | None, name: str) -> bool:
    return rule_field is None or rule_field == name


@lru_cache(maxsize=1024)
def _terms(text: str, lang: str, names: bool) -> tuple[list[str], list[str]]:
    """The terms of a text shown again and again (the open article, the top
    results while a query is typed) are analysed once."""
    return term_lists(text, lang, names=names)


Grade = tuple[int, int, bool]
"""(grade, word index, needs capitals)."""


def _better(new: Grade, old: Grade | None) -> bool:
    # a rule that needs capitals comes after any that does not
    return old is None or (new[2], new[0]) < (old[2], old[0])


def _grades(
    words: list[tuple[int, WordRule]],
    stems: list[str],
    folds: list[str],
    lang: str,
    memo: dict[tuple[str, int], bool],
) -> tuple[dict[str, Grade], dict[str, Grade]]:
    """The best grade of each matching folded term and of each matching
    stem: rules are tried on the distinct terms, typo distances computed
    once per query (``memo``, shared by its hits)."""
    by_fold: dict[str, Grade] = {}
    by_stem: dict[str, Grade] = {}
    distinct = set(folds)
    stem_set = set(stems)

    def offer(table: dict[str, Grade], terms: list[str], new: Grade) -> None:
        for term in terms:
            if _better(new, table.get(term)):
                table[term] = new

    for w, rule in words:
        form, upper = rule.form, rule.upper
        if form.folded in distinct:
            offer(by_fold, [form.folded], (EXACT, w, upper))
        stem = form.stem(lang)
        if stem is not None and stem in stem_set:
            offer(by_stem, [stem], (EXACT, w, upper))
        if rule.prefix:
            prefix = rule.prefix
            offer(by_fold, [t for t in distinct if t.startswith(prefix)], (PREFIX, w, upper))
        if rule.edits:
            edits, word, chars = rule.edits, form.folded, set(form.folded)
            low, high = len(word) - edits, len(word) + edits
            near = [
                t
                for t in distinct
                if low <= len(t) <= high and len(chars.symmetric_difference(t)) <= 2 * edits
            ]
            close = []
            for term in near:
                key = (term, w)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = distance(term, word, edits) <= edits
                if found:
                    close.append(term)
            offer(by_fold, close, (TYPO, w, upper))
    return by_fold, by_stem


@dataclass(frozen=True, slots=True)
class Matcher:
    """The positive words and phrases of a query, and the entity keys it
    matched: (query field, or None for a plain word; entity key)."""

    words: tuple[WordRule, ...] = ()
    phrases: tuple[PhraseRule, ...] = ()
    entity_keys: frozenset[tuple[str | None, str]] = frozenset()
    # typo distances already computed (not part of the value)
    _memo: dict[tuple[str, int], bool] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def graded(self, article: Article) -> list[Graded]:
        """Every hit in the title and body with its grade, title first."""
        out: list[Graded] = []
        lang = lang_key(article.lang)
        for name, text, names in (("title", article.title, False), ("body", article.body, True)):
            words = [(w, rule) for w, rule in enumerate(self.words) if _where(rule.field, name)]
            phrases = [rule for rule in self.phrases if _where(rule.field, name)]
            if (words or phrases) and text:
                found = self._field(name, text, names, lang, words, phrases)
                out.extend(found)
        return out

    def _field(
        self,
        name: str,
        text: str,
        names: bool,
        lang: str,
        words: list[tuple[int, WordRule]],
        phrases: list[PhraseRule],
    ) -> list[Graded]:
        stems, folds = _terms(text, lang, names)
        found: dict[int, tuple[int, str, int, int, bool]] = {}  # start → end, term, grade, w
        for phrase in phrases:
            width = len(phrase.forms)
            for i in phrase.starts(stems, folds, lang):
                found[i] = (i + width - 1, " ".join(folds[i : i + width]), EXACT, -1, False)
        covered = {j for i, hit in found.items() for j in range(i, hit[0] + 1)}
        if len(self._memo) > 100_000:
            self._memo.clear()
        by_fold, by_stem = _grades(words, stems, folds, lang, self._memo) if words else ({}, {})
        marked = {i for i, term in enumerate(folds) if term in by_fold}
        marked.update(i for i, term in enumerate(stems) if term in by_stem)
        for i in marked - covered:
            options = [g for g in (by_fold.get(folds[i]), by_stem.get(stems[i])) if g]
            grade, w, upper = min(options, key=lambda g: (g[2], g[0]))
            found[i] = (i, folds[i], grade, w, upper)
        if not found:
            return []
        positions = sorted({p for i, hit in found.items() for p in (i, hit[0])})
        span = dict(zip(positions, token_spans(text, positions), strict=True))
        out: list[Graded] = []
        for i in sorted(found):
            end, term, grade, w, upper = found[i]
            start, stop = span[i][0], span[end][1]
            if upper and not text[start:stop].isupper():
                continue
            out.append((name, start, stop, term, grade, w))
        return out

    def offsets(self, article: Article) -> list[Located]:
        """Every hit in the title and body as (field, start, end, term), in
        document order, title first."""
        return located(self.graded(article))

    def typos(self, graded: list[Graded]) -> int:
        """How many words match only through a typo (in ``graded`` hits)."""
        exact: set[int] = set()
        typo: set[int] = set()
        for *_, grade, w in graded:
            (typo if grade == TYPO else exact).add(w)
        return len(typo - exact)

    def fields(
        self, article: Article, graded: list[Graded], keys: frozenset[str]
    ) -> tuple[str, ...]:
        """The fields of ``article`` that matched: ``title``/``body`` (from
        ``graded``), the metadata fields whose values hold a query word, and
        the entity fields of the matched keys the article has (``keys``)."""
        found = {hit[0] for hit in graded}
        lang = lang_key(article.lang)
        values: dict[str, tuple[str | None, ...]] = {
            "author": article.author,
            "tag": article.tags,
            "source": (article.source,),
        }
        for name, texts in values.items():
            terms = {fold(t) for text in texts if text for t in query_tokens(text)}
            rules = [
                r
                for r in self.words
                if r.field in (None, name) and (name != "source" or r.field) and not r.upper
            ]
            if any(rule.grade("", term, lang) for rule in rules for term in terms):
                found.add(name)
        for label_field, key in self.entity_keys:
            if key in keys:
                label = key.partition(":")[0].upper()
                found.add(label_field or FIELD_OF_LABEL.get(label, "entity"))
        order = ("title", "body", "author", "tag", "source", "person", "place", "org", "entity")
        return tuple(name for name in order if name in found)


def located(graded: list[Graded]) -> list[Located]:
    return [(name, start, end, term) for name, start, end, term, *_ in graded]
