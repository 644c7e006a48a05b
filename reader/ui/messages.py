"""What workers and the folder watcher report to the main screen.

Workers run the session's slow calls (loading, analysis, search, entity
recognition, live reload, saving the marks) in threads and post one of these
messages when done; the screen turns each into widget updates. Tests wait on
the same events (see :class:`reader.ui.screens.reader.ReaderScreen`).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from reader.core.articles.article import Article, Problem
from reader.core.entities.catalogue import ArticleEntities
from reader.core.session.session import Answer, Applied


@dataclass
class MarksLoaded(Message):
    """The reading state was read (before any article arrives)."""

    problems: list[Problem]


@dataclass
class BatchLoaded(Message):
    """Articles and problems read so far; ``finished`` on the last batch."""

    articles: list[Article]
    problems: list[Problem]
    finished: bool


@dataclass
class Progress(Message):
    """A line for the header while something runs in the background."""

    text: str


@dataclass
class Analysed(Message):
    """Entities and index are ready for every article."""

    warnings: list[str]


@dataclass
class Searched(Message):
    """The list for a query (or the browse list)."""

    answer: Answer
    submitted: bool = False
    """The query was submitted with Enter (open the first result)."""


@dataclass
class EntitiesReady(Message):
    """An article's entities were recognised."""

    article: Article
    entities: ArticleEntities


@dataclass
class ChangesApplied(Message):
    """Files changed on disk and the library followed."""

    applied: Applied


@dataclass
class Saved(Message):
    """The marks were written; warnings when that failed."""

    warnings: list[str]
