"""Search results, the matcher that locates hits, and snippets.

A :class:`Matcher` is what a query resolved to, as plain frozen data: for
each query word its folded form, its stem per language, a prefix and a typo
tolerance; for each phrase the forms of its tokens; and the entity keys the
query matched. It locates hits in *any* article by re-tokenising it with the
analysis chain that fed the index (:func:`reader.core.search.analysis.spans`)
and applying the same rules the index applied: a token matches a word when
its folded term equals the word's, its stemmed term equals the word's stem in
the article's language, its folded term starts with the prefix, or is within
the typo tolerance (optimal string alignment, as the index's automaton). A
phrase occurrence (all stems or all folded terms consecutive, as the index
checks positions) is **one** hit spanning its first to last token.

A :class:`Hit` computes its offsets, snippet, matched fields and typo count
the first time they are read: a result list only pays for what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.search.analysis import fold, lang_key, query_tokens, spans
from reader.core.search.fuzzy import distance
from reader.core.search.names import FIELD_OF_LABEL

#: Length of a snippet window, in characters.
SNIPPET_LENGTH = 160
_SNIPPET_LEAD = 40  # context kept before the first hit of a window
_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " "})
_EXACT, _PREFIX, _TYPO = 1, 2, 3

Offset = tuple[str, int, int]
"""(field, start, end): ``field`` is ``"title"`` or ``"body"``."""
Located = tuple[str, int, int, str]
"""(field, start, end, term): ``term`` is the matched folded term (for a
phrase, its folded terms joined by spaces)."""


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
    """One query word. ``field`` is None (title and body), ``"title"``,
    ``"body"``, or a field with no text to mark (``author``...). ``upper``:
    only tokens written in capitals match (``UN``, not *un*)."""

    form: Form
    field: str | None = None
    prefix: str = ""
    edits: int = 0
    upper: bool = False

    def grade(self, stemmed: str, folded: str, lang: str) -> int:
        form = self.form
        if folded == form.folded or stemmed == form.stem(lang):
            return _EXACT
        if self.prefix and folded.startswith(self.prefix):
            return _PREFIX
        if (
            self.edits
            and len(set(folded).symmetric_difference(form.folded)) <= 2 * self.edits
            and distance(folded, form.folded, self.edits) <= self.edits
        ):
            return _TYPO
        return 0


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Consecutive tokens: all matched by stem, or all by folded term."""

    forms: tuple[Form, ...]
    field: str | None = None

    def at(self, toks: list[tuple[str, str, int, int]], i: int, lang: str) -> bool:
        if i + len(self.forms) > len(toks):
            return False
        pairs = list(zip(self.forms, toks[i : i + len(self.forms)], strict=False))
        if all(form.folded == tok[1] for form, tok in pairs):
            return True
        return all(form.stem(lang) == tok[0] for form, tok in pairs)


def _where(rule_field: str | None, name: str) -> bool:
    return rule_field is None or rule_field == name


@dataclass(frozen=True, slots=True)
class Matcher:
    """The positive words and phrases of a query, and the entity keys it
    matched: (query field or None for a plain word, entity key)."""

    words: tuple[WordRule, ...] = ()
    phrases: tuple[PhraseRule, ...] = ()
    entity_keys: frozenset[tuple[str | None, str]] = frozenset()

    def _graded(self, article: Article) -> list[tuple[str, int, int, str, int, int]]:
        """(field, start, end, term, grade, word index or -1 for a phrase)."""
        out: list[tuple[str, int, int, str, int, int]] = []
        lang = lang_key(article.lang)
        for name, text, names in (("title", article.title, False), ("body", article.body, True)):
            words = [(w, rule) for w, rule in enumerate(self.words) if _where(rule.field, name)]
            phrases = [rule for rule in self.phrases if _where(rule.field, name)]
            if not (words or phrases) or not text:
                continue
            toks = spans(text, article.lang, names=names)
            covered: set[int] = set()
            for phrase in phrases:
                i = 0
                while i < len(toks):
                    if phrase.at(toks, i, lang):
                        j = i + len(phrase.forms) - 1
                        term = " ".join(tok[1] for tok in toks[i : j + 1])
                        out.append((name, toks[i][2], toks[j][3], term, _EXACT, -1))
                        covered.update(range(i, j + 1))
                        i = j + 1
                    else:
                        i += 1
            for i, (stemmed, folded, start, end) in enumerate(toks):
                if i in covered:
                    continue
                best = (0, -1)
                for w, rule in words:
                    if rule.upper and not text[start:end].isupper():
                        continue
                    grade = rule.grade(stemmed, folded, lang)
                    if grade and (not best[0] or grade < best[0]):
                        best = (grade, w)
                if best[0]:
                    out.append((name, start, end, folded, *best))
        out.sort(key=lambda hit: (hit[0] != "title", hit[1]))
        return out

    def offsets(self, article: Article) -> list[Located]:
        """Every hit in the title and body, title first, in text order."""
        return [(name, start, end, term) for name, start, end, term, *_ in self._graded(article)]

    def typos(self, article: Article) -> int:
        """How many words match the article's text only through a typo."""
        exact: set[int] = set()
        typo: set[int] = set()
        for *_, grade, w in self._graded(article):
            (typo if grade == _TYPO else exact).add(w)
        return len(typo - exact)

    def fields(self, article: Article, keys: frozenset[str]) -> tuple[str, ...]:
        """The fields of ``article`` that matched: ``title``, ``body``, the
        metadata fields whose values hold a query word, the entity fields of
        the matched keys that the article has (``keys``)."""
        found = {hit[0] for hit in self._graded(article)}
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


@dataclass(frozen=True, slots=True)
class Snippet:
    """A window of the body around the best cluster of hits.

    ``text`` is ``body[start:end]`` with newlines and tabs shown as spaces
    (one for one, so offsets hold); ``hits`` are (start, end) relative to
    ``text``. The UI adds "…" where ``start > 0`` or ``end < len(body)``.
    """

    text: str
    start: int
    end: int
    hits: tuple[tuple[int, int], ...] = ()


def make_snippet(body: str, hits: list[tuple[int, int, str]]) -> Snippet:
    """The best ~:data:`SNIPPET_LENGTH`-character window of ``body``: the one
    with the most distinct matched terms, then the most hits."""
    if not hits:
        end = _snap_end(body, min(len(body), SNIPPET_LENGTH), 0)
        return Snippet(body[:end].translate(_WHITESPACE), 0, end)
    best = (-1, -1, 0)
    for first, (start, _end, _term) in enumerate(hits):
        window_start = max(0, start - _SNIPPET_LEAD)
        window_end = window_start + SNIPPET_LENGTH
        inside = [h for h in hits[first:] if h[1] <= window_end]
        score = (len({h[2] for h in inside}), len(inside), -window_start)
        if score > best:
            best = score
    start = -best[2]
    first_hit = next(h for h in hits if h[0] >= start)
    start = _snap_start(body, start, first_hit[0])
    end = _snap_end(body, min(len(body), start + SNIPPET_LENGTH), first_hit[1])
    rel = tuple((s - start, e - start) for s, e, _ in hits if s >= start and e <= end)
    return Snippet(body[start:end].translate(_WHITESPACE), start, end, rel)


def _snap_start(body: str, start: int, limit: int) -> int:
    """Move ``start`` forward past a cut word, never beyond ``limit``."""
    if start == 0 or body[start - 1].isspace():
        return start
    space = start
    while space < limit and not body[space].isspace():
        space += 1
    return space + 1 if space < limit else start


def _snap_end(body: str, end: int, limit: int) -> int:
    """Move ``end`` back before a cut word, never before ``limit``."""
    if end >= len(body) or body[end].isspace():
        return end
    space = end
    while space > limit and not body[space - 1].isspace():
        space -= 1
    return space if space > limit else end


class Hit:
    """One result. ``offsets``, ``snippet``, ``fields`` and ``typos`` are
    computed when first read.

    ``offsets`` lists every hit in the title and body as (field, start, end),
    in document order, title first (a phrase occurrence is one hit).
    ``typos`` counts query words matched only through a typo-tolerant form
    (such hits rank below exact ones). ``score`` is the relevance, without
    the rank bonus exact words get.
    """

    __slots__ = ("_cache", "_keys", "_matcher", "article", "id", "score")

    def __init__(
        self, article: Article, score: float, matcher: Matcher, keys: frozenset[str] = frozenset()
    ) -> None:
        self.id = article.id
        self.article = article
        self.score = score
        self._matcher = matcher
        self._keys = keys
        self._cache: list[Located] | None = None

    def located(self) -> list[Located]:
        """(field, start, end, term) of every hit."""
        if self._cache is None:
            self._cache = self._matcher.offsets(self.article)
        return self._cache

    @property
    def offsets(self) -> list[Offset]:
        return [(name, start, end) for name, start, end, _ in self.located()]

    @property
    def snippet(self) -> Snippet:
        body = [(start, end, term) for name, start, end, term in self.located() if name == "body"]
        return make_snippet(self.article.body, body)

    @property
    def fields(self) -> tuple[str, ...]:
        return self._matcher.fields(self.article, self._keys)

    @property
    def typos(self) -> int:
        return self._matcher.typos(self.article)

    def __repr__(self) -> str:
        return f"Hit(id={self.id!r}, score={self.score:.3f})"


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The answer to one query.

    ``total`` counts every matching article (``hits`` holds at most the
    ``limit`` best). ``nothing_to_search`` is set when the query has nothing
    to look for (empty, only stop words or punctuation, only exclusions);
    ``suggestion`` is a corrected query when there are no hits but one with
    a close spelling would have some. ``matcher`` locates the hits of this
    very match in any article.
    """

    query: str
    total: int
    hits: tuple[Hit, ...] = ()
    nothing_to_search: bool = False
    suggestion: str | None = None
    matcher: Matcher = field(default_factory=Matcher, repr=False)
