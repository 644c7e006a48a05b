"""The article model: plain, immutable data the rest of the program shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Format = Literal["markdown", "text", "yaml"]
EntityAction = Literal["add", "relabel", "suppress"]


@dataclass(frozen=True, slots=True)
class EntityAnnotation:
    """A manual entity annotation from an article's ``entities:`` metadata.

    ``action`` is ``add`` (mark every occurrence of ``text`` as ``label``),
    ``relabel`` (give recognised mentions of ``text`` another label) or
    ``suppress`` (never mark ``text``; ``label`` is then ``None``).
    """

    text: str
    label: str | None
    action: EntityAction = "add"


@dataclass(frozen=True, slots=True)
class Article:
    """One loaded article.

    Every string here is already sanitised (see :mod:`reader.core.articles.sanitize`):
    ``body`` keeps newlines and tabs, the one-line fields keep neither. All
    character offsets elsewhere in the program index into ``title`` and
    ``body`` as stored here.
    """

    id: str
    path: str
    format: Format
    title: str
    body: str
    author: tuple[str, ...] = ()
    date: str | None = None
    """ISO ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]`` when it parsed,
    else the original text (see ``date_valid``)."""
    date_valid: bool = False
    source: str | None = None
    url: str | None = None
    lang: str = "und"
    lang_detected: bool = False
    tags: tuple[str, ...] = ()
    summary: str | None = None
    entities: tuple[EntityAnnotation, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    truncated: bool = False
    size: int = 0
    mtime: float = 0.0

    @property
    def authors_display(self) -> str:
        """The authors joined for display."""
        return ", ".join(self.author)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file that could not be loaded (or loaded only in part), and why.

    ``path`` and ``message`` are sanitised one-line strings.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
