"""What the list shows for a query: an :class:`Answer`, and the query of an entity.

:meth:`Session.search <reader.core.session.session.Session.search>` and
:meth:`Session.browse <reader.core.session.session.Session.browse>` return an
:class:`Answer` (the rows, their hits, the exact total, the message of an
empty list); :func:`entity_query` is the query the entity panel and the
command palette type to list an entity's articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.articles.article import Article
from reader.core.entities.catalogue import FIELD_OF_LABEL
from reader.core.search import Hit, SearchResults
from reader.core.session.filters import Filters
from reader.core.session.grouping import Group


@dataclass(frozen=True, slots=True)
class Answer:
    """What the list shows for a query (or for none: the browse list)."""

    query: str = ""
    """The query as typed (``is:`` filters included)."""
    filters: Filters = field(default_factory=Filters)
    results: SearchResults | None = None
    """The search behind the list; None for a browse list."""
    articles: tuple[Article, ...] = ()
    """The rows, in order (at most the limit)."""
    hits: tuple[Hit, ...] = ()
    """For a search, the hit of each row (same order as ``articles``)."""
    total: int = 0
    """Every article that matches, the ``is:`` filters applied."""
    message: str = ""
    """What an empty list says."""
    warnings: tuple[str, ...] = ()
    """Query parts left out, one line each (``date:banana: not a date``)."""
    groups: tuple[Group, ...] = ()
    """For a grouped browse list: its groups (``articles`` stays flat)."""

    @property
    def searching(self) -> bool:
        return self.results is not None

    def index_of(self, article_id: str) -> int | None:
        for index, article in enumerate(self.articles):
            if article.id == article_id:
                return index
        return None


def entity_query(label: str, name: str) -> str:
    """The query that finds every article naming an entity
    (``person:"Vladimir Poutine"``)."""
    quoted = '"' + name.replace('"', " ") + '"'
    field_name = FIELD_OF_LABEL.get(label)
    return f"{field_name}:{quoted}" if field_name else quoted
