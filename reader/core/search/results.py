"""Search results and snippets.

A :class:`Hit` computes its offsets, snippet, matched fields and typo count
the first time they are read, from the results' :class:`Matcher` (the same
match that ranked the list): a result list only pays for what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.search.matcher import Graded, Located, Matcher, located

#: Length of a snippet window, in characters.
SNIPPET_LENGTH = 160
_SNIPPET_LEAD = 40  # context kept before the first hit of a window
_WHITESPACE = str.maketrans({"\n": " ", "\t": " ", "\r": " "})

Offset = tuple[str, int, int]
"""(field, start, end): ``field`` is ``"title"`` or ``"body"``."""


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

    __slots__ = ("_graded", "_keys", "_matcher", "article", "id", "score")

    def __init__(
        self, article: Article, score: float, matcher: Matcher, keys: frozenset[str] = frozenset()
    ) -> None:
        self.id = article.id
        self.article = article
        self.score = score
        self._matcher = matcher
        self._keys = keys
        self._graded: list[Graded] | None = None

    def graded(self) -> list[Graded]:
        if self._graded is None:
            self._graded = self._matcher.graded(self.article)
        return self._graded

    def located(self) -> list[Located]:
        """(field, start, end, term) of every hit."""
        return located(self.graded())

    @property
    def offsets(self) -> list[Offset]:
        return [(name, start, end) for name, start, end, _ in self.located()]

    @property
    def snippet(self) -> Snippet:
        body = [(start, end, term) for name, start, end, term in self.located() if name == "body"]
        return make_snippet(self.article.body, body)

    @property
    def fields(self) -> tuple[str, ...]:
        return self._matcher.fields(self.article, self.graded(), self._keys)

    @property
    def typos(self) -> int:
        return self._matcher.typos(self.graded())

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
