"""Sidebar rows for articles and search hits (plain data for ArticleList)."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.articles.article import Article
from reader.core.search import Hit
from reader.ui.widgets.article_list import ListEntry


def entry_for(article: Article, unread: bool = False, starred: bool = False) -> ListEntry:
    """The sidebar row of an article: ● unread before the title, ★ starred
    before the detail line (both can show)."""
    parts = [article.date[:10] if article.date else "", article.lang]
    if article.source:
        parts.append(article.source)
    elif article.author:
        parts.append(article.authors_display)
    detail = " · ".join(part for part in parts if part)
    return ListEntry(
        key=article.id,
        title=article.title,
        detail=detail,
        marker="●" if unread else " ",
        flag="★" if starred else "",
    )


def entry_for_hit(hit: Hit) -> ListEntry:
    """The sidebar row of a search hit: title and snippet with hits marked."""
    article = hit.article
    offsets = hit.offsets
    snippet = hit.snippet
    lead = "…" if snippet.start > 0 else ""
    detail = lead + snippet.text + ("…" if snippet.end < len(article.body) else "")
    shift = len(lead)
    return ListEntry(
        key=article.id,
        title=article.title,
        detail=detail if snippet.text else "(matched in the title or metadata)",
        title_hits=tuple((a, b) for field, a, b in offsets if field == "title"),
        detail_hits=tuple((a + shift, b + shift) for a, b in snippet.hits),
        badge=str(len(offsets)) if offsets else "",
        marker="›",
    )


def sort_key(order: str, article: Article) -> tuple[str, ...]:
    if order == "date":
        # Newest first: invert by sorting on a negated string is awkward, so the
        # caller reverses; undated articles go last.
        return (article.date or "",)
    if order == "title":
        return (article.title.casefold(),)
    if order == "source":
        return ((article.source or "\uffff").casefold(), article.title.casefold())
    return ()


def lazy_entry(hit: Hit) -> Callable[[], ListEntry]:
    """A row computed the first time it is drawn (snippets cost a little)."""
    return lambda: entry_for_hit(hit)
