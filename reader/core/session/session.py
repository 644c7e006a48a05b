"""The session: the facade the app and the CLI call.

A :class:`Session` holds the resolved settings, the :class:`Opening` that
loads and refreshes the archive, the :class:`Library` (articles, entities,
index) and the :class:`Marks`. It answers the questions both front ends
ask — which articles does this query list, and in what order
(:meth:`Session.search`, :meth:`Session.browse`); what does the article pane
show for one of them (:meth:`Session.present`) — as plain data, so neither
front end re-derives what the session knows.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Sequence

from reader.core.articles.article import Article, Problem
from reader.core.articles.sanitize import display_path
from reader.core.entities.catalogue import ArticleEntities
from reader.core.search import SearchResults
from reader.core.search.query import NOTHING_TO_INCLUDE, check
from reader.core.search.stopwords import BY_LANG as STOP_WORDS
from reader.core.session.answer import Answer, entity_query
from reader.core.session.changes import Applied, ChangeSet
from reader.core.session.filters import Filters, split_filters
from reader.core.session.grouping import group_articles
from reader.core.session.library import Library, Progress
from reader.core.session.marks import Marks, sort_articles
from reader.core.session.opening import Batch, Opening
from reader.core.session.presentation import Presentation, present
from reader.core.session.settings import Settings
from reader.core.session.stored import note_marks
from reader.core.session.walk import Walk
from reader.core.session.watch import FolderWatcher
from reader.core.store.identity import content_key

__all__ = ["LIST_LIMIT", "Answer", "Applied", "Session", "entity_query"]

#: The most rows a list shows.
LIST_LIMIT = 500


class Session:
    """One archive, opened with one set of settings."""

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        self.settings = settings
        self.opening = Opening(settings, batch=batch)
        self.library = Library(recogniser=self.opening.library_recogniser())
        self.marks = Marks(None)
        self.analysed = False
        self.settings_problems: list[Problem] = list(settings.problems)
        """The settings file's problems (the app adds its own findings)."""
        self._watcher: FolderWatcher | None = None
        self._watch_lock = threading.Lock()
        self._loaded = False
        self._pending: list[ChangeSet] = []
        self._on_applied: Callable[[Applied], None] | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        batch: bool = False,
        marks: bool = True,
        on_batch: Batch | None = None,
        deferred: bool = False,
        walk: Walk | None = None,
    ) -> Session:
        """A session with the whole library loaded (the CLI's way);
        ``on_batch`` sees the load's batches (progress). ``deferred``: stored
        articles are listed, and their marks taken, only when first asked
        for (a search that needs only its hits). ``walk``: the stat walk,
        started before the session (used if it walks this archive's store)."""
        session = cls(settings, batch=batch)
        if marks:
            session.load_marks()
        library = session.library = session.opening.load(on_batch, deferred=deferred, walk=walk)
        if library.listing_deferred:
            session.marks.note_later(lambda: library.articles)
        else:
            session.marks.note(library.articles)
        return session

    def close(self) -> None:
        """Stop what still runs in the background (analysis, watcher)."""
        self.stop_watching()
        self.opening.close()
        self.library.close()

    @property
    def problems(self) -> list[Problem]:
        return self.library.problems

    def load_marks(self) -> list[Problem]:
        """Read the reading state (in a worker: a large file takes a moment),
        before the archive is loaded: its problems join the load's."""
        settings = self.settings
        self.marks, problems = Marks.load(
            settings.paths, settings.state_dir, remember=settings.remember
        )
        self.opening.problems.extend(problems)
        return problems

    def stream(self, on_batch: Batch, cancel: threading.Event) -> bool:
        """Load the archive, handing each batch of articles to ``on_batch``
        as it arrives (from the cache: the first rows, then the whole list,
        each article found by a search meanwhile). The session's library
        grows before each call. False when cancelled."""
        library = self.opening.new_library()
        whole_list_marks = False  # many marks: taken with the whole list

        def batch(articles: list[Article], problems: list[Problem], finished: bool) -> None:
            nonlocal whole_list_marks
            if library.listing_rest:  # the first stored rows: every stored article's marks
                if not note_marks(self.marks, library):
                    self.marks.note(articles)
                    whole_list_marks = True
            elif whole_list_marks and finished:  # (it comes as no articles)
                self.marks.note(library.articles)
            else:
                self.marks.note(articles)
            self.library = library
            on_batch(articles, problems, finished)

        if not self.opening.stream(library, batch, cancel, staged=True):
            return False
        self.library = library
        self._loading_done()
        return True

    def analyse(
        self,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        on_applied: Callable[[Applied], None] | None = None,
    ) -> tuple[bool, list[str]]:
        """Everything brought up to date (see :meth:`Opening.analyse`); a
        listed archive's reconcile is reported like live-reload changes, to
        ``on_applied`` (default: the :meth:`watch` callback); (finished,
        warnings)."""
        if on_applied is not None:
            self._on_applied = on_applied
        finished, warnings = self.opening.analyse(
            self.library, progress, cancel, on_applied=self._reconciled
        )
        self.analysed = self.analysed or finished
        return finished, warnings

    def _reconciled(self, applied: Applied) -> None:
        changed = [self.library.get(i) for i in (*applied.added, *applied.updated)]
        self.marks.note(a for a in changed if a is not None)
        self._report(applied)

    def languages(self) -> list[str]:
        """The languages of the archive, most frequent first, without
        ``und`` (texts too short to tell are not a language)."""
        return [lang for lang in self.library.languages() if lang != "und"]

    # Lists ------------------------------------------------------------------

    def browse(
        self, filters: Filters | None = None, query: str = "", limit: int | None = None
    ) -> Answer:
        """Every article passing ``filters``, in the chosen sort order (the
        first ``limit``; ``total`` counts them all)."""
        filters = filters or Filters()
        if filters.active:
            articles = [a for a in self.library.articles if self.marks.accepts(filters, a.id)]
        else:  # every article: no call per article (100k at a start)
            articles = list(self.library.articles)
        ordered = sort_articles(articles, self.marks.sort)
        total = len(ordered)
        if limit is not None:
            ordered = ordered[:limit]
        if filters.active:
            message = f"No {filters.describe()} articles."
        elif self.library.articles or self.problems:
            message = "No articles."
        else:
            message = "No articles found in " + describe_paths(self.settings.paths)
        groups = tuple(group_articles(ordered, self.marks.group))
        return Answer(query, filters, None, tuple(ordered), (), total, message, (), groups)

    def search(self, query: str, *, limit: int | None = None) -> Answer:
        """The list for ``query``: ranked hits, ``is:`` filters applied
        before the limit (so ``total`` is exact). A query of filters only is
        the browse list, narrowed (all of it unless ``limit`` is given;
        ranked hits stop at :data:`LIST_LIMIT` by default).

        One rule for the app and the CLI: the last word, unless a space
        follows it, is the word being typed — it also matches the words it
        begins — so a query typed slowly, pasted, submitted with Enter or
        given to ``reader search`` always lists the same articles."""
        text, filters = split_filters(query)
        if not text.strip():
            return self.browse(filters, query, limit)
        limit = LIST_LIMIT if limit is None else limit
        wanted = max(limit, len(self.library)) if filters.active else limit
        text = finish_common_word(text)
        results = self.library.search(text, limit=max(1, wanted), as_you_type=True)
        hits = list(results.hits)
        if filters.active:  # the marks are taken (and the list made) only then
            hits = [h for h in hits if self.marks.accepts(filters, h.id)]
        total = len(hits) if filters.active else results.total
        hits = hits[:limit]
        warnings = tuple(check(text))
        return Answer(
            query,
            filters,
            results,
            tuple(h.article for h in hits),
            tuple(hits),
            total,
            self._empty_message(results, warnings),
            warnings,
        )

    def _empty_message(self, results: SearchResults, warnings: tuple[str, ...]) -> str:
        if NOTHING_TO_INCLUDE in warnings:
            return NOTHING_TO_INCLUDE
        if results.nothing_to_search and warnings:
            return "Nothing to search: " + "; ".join(warnings)
        if results.nothing_to_search:
            return "Nothing to search: only common words or punctuation."
        if results.suggestion:
            return f"No results. Did you mean: {results.suggestion}?"
        if not self.analysed:
            return "No results yet: still indexing…"
        return "No results."

    # The article pane ----------------------------------------------------------

    def entities(self, article_id: str, *, recognise: bool = True) -> ArticleEntities | None:
        """The article's entities; None when not yet recognised and
        ``recognise`` is False."""
        if not recognise and not self.library.is_analysed(article_id):
            return None
        return self.library.entities_for(article_id)

    def present(
        self,
        article: Article,
        answer: Answer | None,
        hidden: frozenset[str] = frozenset(),
        *,
        recognise: bool = False,
    ) -> Presentation:
        """What the article pane shows for ``article`` under ``answer``'s
        query: hits from the same match that ranked the list."""
        entities = self.entities(article.id, recognise=recognise)
        results = answer.results if answer is not None else None
        return present(article, entities, results, hidden)

    # Marks -----------------------------------------------------------------------

    def toggle_read(self, article_id: str) -> bool | None:
        """Flip read/unread; the new value, or None for an unknown id."""
        article = self.library.get(article_id)
        if article is None:
            return None
        value = not self.marks.is_read(article_id)
        self.marks.set_read(article, value)
        return value

    def toggle_star(self, article_id: str) -> bool | None:
        article = self.library.get(article_id)
        if article is None:
            return None
        value = not self.marks.is_starred(article_id)
        self.marks.set_starred(article, value)
        return value

    def mark_read(self, article_id: str) -> bool:
        """Mark read; True when it was unread."""
        article = self.library.get(article_id)
        return article is not None and self.marks.set_read(article, True)

    def mark_all_read(self, answer: Answer) -> int:
        """Mark every article of ``answer`` read (all of its matches, not
        only the rows shown); the number that changed."""
        ids = [a.id for a in answer.articles]
        if answer.results is not None and answer.total > len(ids):
            full = self.search(answer.query, limit=max(answer.total, 1))
            ids = [a.id for a in full.articles]
        changed = 0
        for article_id in ids:
            changed += self.mark_read(article_id)
        return changed

    def next_unread(self, answer: Answer, after: str | None, step: int = 1) -> str | None:
        """The next unread article of ``answer`` after ``after`` (``step``
        -1: the previous one), wrapping around; None when all are read."""
        ids = [a.id for a in answer.articles]
        if step < 0:
            ids.reverse()
        start = ids.index(after) + 1 if after in ids else 0
        for article_id in ids[start:] + ids[:start]:
            if article_id != after and not self.marks.is_read(article_id):
                return article_id
        return None

    # Live reload ------------------------------------------------------------------

    def watch(self, on_applied: Callable[[Applied], None]) -> Problem | None:
        """Follow the archive's folders: every change on disk is applied
        (the ones seen while the archive still loads, once it has loaded)
        and reported to ``on_applied`` from the watcher's thread. A problem
        when the folders cannot be watched."""
        self._on_applied = on_applied
        found = self.opening.watch(self._changed)
        if isinstance(found, Problem):
            # With the opening's problems, which every load starts from (a
            # start from the cache replaces the library). Call before loading.
            self.opening.problems.append(found)
            return found
        self._watcher = found
        return None

    def stop_watching(self) -> None:
        """Stop the watcher. Its thread is a daemon, so a watcher still
        setting up (watchfiles' recursive setup cannot be interrupted: about
        a second at 100k files) gets a moment to end, then is left to end on
        its own: it does not hold up a quitting app."""
        if self._watcher is not None:
            self._watcher.stop(timeout=0.1)
            self._watcher = None

    def _changed(self, changes: ChangeSet) -> None:
        with self._watch_lock:
            if not self._loaded:
                self._pending.append(changes)
                return
        self._report(self.apply(changes))

    def _loading_done(self) -> None:
        with self._watch_lock:
            self._loaded = True
            pending, self._pending = self._pending, []
        for changes in pending:
            self._report(self.apply(changes))

    def _report(self, applied: Applied) -> None:
        if (applied or applied.problems) and self._on_applied is not None:
            self._on_applied(applied)

    def apply(self, changes: ChangeSet) -> Applied:
        """Apply changes on disk; marks follow the changed articles."""
        applied = self.opening.apply(self.library, changes)
        changed = [self.library.get(i) for i in (*applied.added, *applied.updated)]
        self.marks.note(a for a in changed if a is not None)
        return applied

    def moved_to(self, article: Article, applied: Applied) -> str | None:
        """Where ``article`` went if ``applied`` removed it: the id of an
        article it added with the same title and text (its file renamed or
        moved), else None. The reading state follows such a move too."""
        if article.id not in applied.removed:
            return None
        key = content_key(article)
        for added in applied.added:
            found = self.library.get(added)
            if found is not None and content_key(found) == key:
                return added
        return None


def finish_common_word(text: str) -> str:
    """``text`` with a space after it when its last word is a common word
    (``les``, ``the``): such a word is taken as typed, not completed into
    ``lesquels`` or ``theatre`` — only words that say something complete."""
    words = text.split()
    if not words or text[-1:].isspace():
        return text
    last = unicodedata.normalize("NFKD", words[-1].casefold())
    folded = "".join(c for c in last if not unicodedata.combining(c)).strip("'’\"“”«»()")
    if any(folded in words_of_lang for words_of_lang in STOP_WORDS.values()):
        return text + " "
    return text


def describe_paths(paths: Sequence[str]) -> str:
    """The archive's folders for a message (``No articles found in …``)."""
    return ", ".join(display_path(path) for path in paths)
