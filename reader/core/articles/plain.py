"""An article as plain text: what `reader show` prints and what the app
pipes to a pager, a command or a file."""

from __future__ import annotations

from reader.core.articles.article import Article


def article_as_text(article: Article) -> str:
    """Title, underline, metadata lines, the standfirst (``summary``), body."""
    lines = [article.title, "=" * min(len(article.title), 72)]
    for label, value in (
        ("Author", article.authors_display),
        ("Date", article.date or ""),
        ("Source", article.source or ""),
        ("Language", article.lang),
        ("Tags", ", ".join(article.tags)),
        ("URL", article.url or ""),
    ):
        if value:
            lines.append(f"{label}: {value}")
    summary = f"\n\n{article.summary}" if article.summary else ""
    return "\n".join(lines) + summary + "\n\n" + article.body + "\n"
