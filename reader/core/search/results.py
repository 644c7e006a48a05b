"""Search results, hit offsets and snippets.

A :class:`Matcher` is what a query resolved to: for each query word the set
of terms it matches (its own forms, its stems, and the prefix and typo
expansions that were found), and for each phrase the term sets of its
consecutive tokens. Offsets are found by re-tokenising the article with the
same analysis chain, so they always slice the original text to a token.

A :class:`Hit` computes its snippet and offsets the first time they are
read: a result list only pays for the hits it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.search.analysis import spans

#: Length of a snippet window, in characters.
SNIPPET_LENGTH = 160
_SNIPPET_LEAD = 40  # context kept before the first hit of a window
_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " "})

Offset = tuple[str, int, int]
"""(field, start, end): ``field`` is ``"title"`` or ``"body"``."""


@dataclass(frozen=True, slots=True)
class Matcher:
    """The terms a query matched; ``field`` ``None`` means title and body."""

    words: tuple[tuple[frozenset[str], str | None], ...] = ()
    phrases: tuple[tuple[tuple[frozenset[str], ...], str | None], ...] = ()
    entity_keys: frozenset[tuple[str | None, str]] = frozenset()
    """(label or field or None, entity key) of every entity the query matched:
    their mentions are hits too (see :mod:`reader.core.session.presentation`)."""

    def offsets(self, article: Article) -> list[tuple[str, int, int, str]]:
        """Every hit in the title and body: (field, start, end, term)."""
        out: list[tuple[str, int, int, str]] = []
        for name, text, names in (("title", article.title, False), ("body", article.body, True)):
            words = [terms for terms, where in self.words if where in (None, name)]
            phrases = [slots for slots, where in self.phrases if where in (None, name)]
            if not (words or phrases) or not text:
                continue
            toks = spans(text, article.lang, names=names)
            marked = _mark(toks, words, phrases)
            out.extend((name, toks[i][1], toks[i][2], toks[i][0]) for i in sorted(marked))
        return out


def _mark(
    toks: list[tuple[str, int, int]],
    words: list[frozenset[str]],
    phrases: list[tuple[frozenset[str], ...]],
) -> set[int]:
    marked: set[int] = set()
    if words:
        wanted = frozenset().union(*words)
        marked.update(i for i, tok in enumerate(toks) if tok[0] in wanted)
    for slots in phrases:
        if not slots:
            continue
        width = len(slots)
        first = slots[0]
        for start in range(len(toks) - width + 1):
            if toks[start][0] in first and all(
                toks[start + j][0] in slots[j] for j in range(1, width)
            ):
                marked.update(range(start, start + width))
    return marked


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
    """One result. ``snippet`` and ``offsets`` are computed when first read.

    ``offsets`` lists every hit in the title and body as (field, start, end),
    in document order, title first. ``typos`` counts query words matched only
    through a typo-tolerant form (such hits rank below exact ones).
    """

    __slots__ = ("_cache", "_locate", "_matcher", "article", "fields", "id", "score", "typos")

    def __init__(
        self,
        article: Article,
        score: float,
        fields: tuple[str, ...],
        matcher: Matcher,
        typos: int = 0,
        locate: Callable[[], list[tuple[str, int, int, str]] | None] | None = None,
    ) -> None:
        self.id = article.id
        self.article = article
        self.score = score
        self.fields = fields
        self.typos = typos
        self._matcher = matcher
        # the index's faster way to the same offsets (from its stored term
        # ids); it may decline (None), then the article is re-tokenised
        self._locate = locate
        self._cache: list[tuple[str, int, int, str]] | None = None

    def _hits(self) -> list[tuple[str, int, int, str]]:
        if self._cache is None:
            found = self._locate() if self._locate is not None else None
            self._cache = found if found is not None else self._matcher.offsets(self.article)
        return self._cache

    @property
    def offsets(self) -> list[Offset]:
        return [(name, start, end) for name, start, end, _ in self._hits()]

    @property
    def snippet(self) -> Snippet:
        body = [(start, end, term) for name, start, end, term in self._hits() if name == "body"]
        return make_snippet(self.article.body, body)

    def __repr__(self) -> str:
        return f"Hit(id={self.id!r}, score={self.score:.3f}, fields={self.fields!r})"


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The answer to one query.

    ``total`` counts every matching article (``hits`` holds at most the
    ``limit`` best). ``nothing_to_search`` is set when the query has nothing
    to look for (empty, only stop words or punctuation, only exclusions);
    ``suggestion`` is a corrected query when there are no hits but one with
    a close spelling would have some.
    """

    query: str
    total: int
    hits: tuple[Hit, ...] = ()
    nothing_to_search: bool = False
    suggestion: str | None = None
    matcher: Matcher = field(default_factory=Matcher, repr=False)
