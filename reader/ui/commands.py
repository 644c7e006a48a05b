"""Command palette providers: open an article by title, find an entity.

The palette turns ``str`` prompts and help texts into markup, so titles and
names (untrusted) are passed as :class:`~textual.content.Content` objects and
help texts are passed as Content too.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

MAX_DISCOVERY = 20
MAX_HITS = 200


def _plain(text: str) -> str:
    """Help text as plain Content. The palette calls ``Content.from_markup``
    on it, which returns a Content unchanged (``markup.escape`` is not enough:
    it leaves ``[ @click=...]`` and ``[Link=...]`` live)."""
    return Content(text)  # type: ignore[return-value]


def highlighted(provider: Provider, query: str, candidate: str) -> tuple[float, Content]:
    """Fuzzy score of ``candidate`` and the candidate as plain Content with
    the matched characters styled (never parsed as markup)."""
    matcher = provider.matcher(query)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    content = Content(candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return score, content


class ArticleCommands(Provider):
    """Open an article by (part of) its title."""

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for article in self.reader.library.articles[:MAX_DISCOVERY]:
            yield DiscoveryHit(
                Content(article.title),
                partial(self.reader.open_article_id, article.id),
                help=_plain(f"open {article.id}"),
            )

    async def search(self, query: str) -> Hits:
        found = 0
        for article in list(self.reader.library.articles):
            score, prompt = highlighted(self, query, article.title)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    prompt,
                    partial(self.reader.open_article_id, article.id),
                    help=_plain(f"open {article.id}"),
                )
                if found >= MAX_HITS:
                    return


class EntityCommands(Provider):
    """Search every article for an entity of the corpus."""

    @property
    def reader(self) -> ReaderApp:
        return self.app  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        found = 0
        for entity in self.reader.library.catalogue.entities():
            if entity.label == "DATE":
                continue
            score, prompt = highlighted(self, query, entity.name)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    prompt,
                    partial(self.reader.search_entity, entity.label, entity.name),
                    help=_plain(f"{entity.label} in {entity.article_count} article(s): search"),
                )
                if found >= MAX_HITS:
                    return
