"""Command palette providers: open an article by title, find an entity, and
the reader's own commands (sort, star, mark read, sidebar, entity types).

They talk to the main screen and its session, found through the app at run
time (no import of the app module). The palette turns ``str`` prompts and
help texts into markup, so titles and names (untrusted) are passed as
:class:`~textual.content.Content` objects, and help texts as Content too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from reader.core.session.session import entity_query

if TYPE_CHECKING:
    from reader.ui.screens.reader import ReaderScreen

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


def _reader(provider: Provider) -> ReaderScreen:
    return provider.app.reader  # type: ignore[attr-defined, no-any-return]


class ArticleCommands(Provider):
    """Open an article by (part of) its title."""

    async def discover(self) -> Hits:
        reader = _reader(self)
        for article in reader.session.library.articles[:MAX_DISCOVERY]:
            yield DiscoveryHit(
                Content(article.title),
                partial(reader.open_article_id, article.id),
                help=_plain(f"open {article.id}"),
            )

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        found = 0
        for article in list(reader.session.library.articles):
            score, prompt = highlighted(self, query, article.title)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    prompt,
                    partial(reader.open_article_id, article.id),
                    help=_plain(f"open {article.id}"),
                )
                if found >= MAX_HITS:
                    return


class EntityCommands(Provider):
    """Search every article for an entity of the corpus."""

    async def search(self, query: str) -> Hits:
        reader = _reader(self)
        found = 0
        for entity in reader.session.library.catalogue.entities():
            if entity.label == "DATE":
                continue
            score, prompt = highlighted(self, query, entity.name)
            if score > 0:
                found += 1
                yield Hit(
                    score,
                    prompt,
                    partial(reader.search_for, entity_query(entity.label, entity.name)),
                    help=_plain(f"{entity.label} in {entity.article_count} article(s): search"),
                )
                if found >= MAX_HITS:
                    return


def _commands(reader: ReaderScreen) -> list[tuple[str, str, Callable[[], object]]]:
    """(name, help, callback) of the reader's own commands."""
    return [
        ("Sort: next order", "o — file, date, title, source", reader.action_cycle_sort),
        ("Sort: reverse", "O — the same order, the other way", reader.action_reverse_sort),
        ("Group by folder, source, tag, or not", "z", reader.action_cycle_grouping),
        ("Star or unstar the article", "s", reader.action_toggle_star),
        ("Mark the article read or unread", "u", reader.action_toggle_read),
        ("Show or hide the sidebar", "t", reader.action_toggle_sidebar),
        ("Show or hide the entity panel", "e", reader.action_toggle_entities),
        ("People on/off", "1", partial(reader.action_toggle_label, "PER")),
        ("Places on/off", "2", partial(reader.action_toggle_label, "LOC")),
        ("Organisations on/off", "3", partial(reader.action_toggle_label, "ORG")),
        ("Other names on/off", "4", partial(reader.action_toggle_label, "MISC")),
        ("Dates on/off", "5", partial(reader.action_toggle_label, "DATE")),
        ("Next unread article", "n (when the article has no hits)", partial(reader.next_unread, 1)),
        ("Mark every listed article read", "A", reader.action_mark_all_read),
        ("Unread articles only", "U — is:unread", partial(reader.action_toggle_filter, "unread")),
        (
            "Starred articles only",
            "S — is:starred",
            partial(reader.action_toggle_filter, "starred"),
        ),
        ("Find in this article", "f", reader.action_find),
        ("Outline of this article", "T", reader.action_outline),
        ("Open the article's URL", "w", reader.action_open_url),
        ("Pipe the article to a command", "|", reader.action_pipe),
        ("Save the article to a file", ">", reader.action_save),
    ]


class ReaderCommands(Provider):
    """The reader's own commands, by name."""

    async def discover(self) -> Hits:
        for name, keys, callback in _commands(_reader(self)):
            yield DiscoveryHit(Content(name), callback, help=_plain(keys))

    async def search(self, query: str) -> Hits:
        for name, keys, callback in _commands(_reader(self)):
            score, prompt = highlighted(self, query, name)
            if score > 0:
                yield Hit(score, prompt, callback, help=_plain(keys))
