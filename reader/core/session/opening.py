"""Opening: the one path that opens, refreshes and saves an archive.

:class:`Opening` is made from the resolved :class:`Settings` and is used by
the CLI and the app alike, so every load — from the files, from the archive
cache, or one changed file during live reload — uses the same size cap,
default language, recogniser and id rules.

* :meth:`Opening.load` — the whole library at once (the CLI);
* :meth:`Opening.stream_files` — the files read in batches (the app's first
  start fills its list as they come);
* :meth:`Opening.analyse` — entities and search index for what is not yet
  analysed, then the cache is written (aside, in a forked child);
* :meth:`Opening.apply` — live-reload changes; :meth:`Opening.watch` starts
  the watcher that reports them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from reader.core.articles.article import Article, Problem
from reader.core.articles.loader import iter_load
from reader.core.articles.sanitize import display_path, sanitize_line
from reader.core.entities import Recogniser
from reader.core.session.cache_writer import save_cache_aside
from reader.core.session.changes import Applied, ChangeSet, apply_changes
from reader.core.session.library import Library, Progress
from reader.core.session.settings import Settings
from reader.core.session.watch import FolderWatcher
from reader.core.store.cache import ArchiveCache, recogniser_id

#: How often :meth:`Opening.stream` hands a batch over, in seconds.
BATCH_SECONDS = 0.1

Batch = Callable[[list[Article], list[Problem], bool], None]
"""``(articles, problems, finished)``: called with each batch of a load."""


def make_recogniser(
    name: str, gazetteer: str | None, *, batch: bool = False
) -> tuple[Recogniser, list[Problem]]:
    """The recogniser the settings ask for, and the problems of the user
    gazetteer. The batch mode follows the CoNLL convention of the evaluation
    sets (English nationality words are MISC); the reader does not mark them."""
    from reader.core.entities import default_recogniser, load_user_gazetteer, recogniser_with

    demonyms: Any = frozenset({"en"}) if batch else False
    problems: list[Problem] = []
    if name == "spacy":
        from reader.core.entities.spacy_backend import SpacyRecogniser, available

        if available():
            return SpacyRecogniser(), problems
        problems.append(Problem("recogniser", "no spaCy model installed; using the rules"))
    if gazetteer:
        additions, messages = load_user_gazetteer(gazetteer)
        shown = display_path(gazetteer)
        for message in messages:
            text = message.removeprefix(f"{gazetteer}: ")
            problems.append(Problem(shown, sanitize_line(text)))
        return recogniser_with(additions, demonyms_as_misc=demonyms), problems
    return default_recogniser(demonyms_as_misc=demonyms), problems


class Opening:
    """How one archive is opened, kept up to date and saved."""

    def __init__(self, settings: Settings, *, batch: bool = False) -> None:
        self.settings = settings
        self.recogniser, problems = make_recogniser(
            settings.recogniser, settings.gazetteer, batch=batch
        )
        self.problems: list[Problem] = problems
        """The recogniser's problems (a user gazetteer's), shown with the
        archive's; the settings file's stay in ``settings.problems``."""
        self.cache: ArchiveCache | None = None
        if settings.cache:
            ident = recogniser_id(
                self.recogniser, gazetteer=settings.gazetteer, options=f"batch={batch}"
            )
            self.cache = ArchiveCache(settings.cache_dir, settings.paths, recogniser_id=ident)
        self.from_cache = False
        self.detail = ""
        """A one-line note on how the archive was loaded (cache reuse)."""

    # Loading ----------------------------------------------------------------

    def load(self) -> Library:
        """The whole library, from the cache where it is still valid (not
        analysed: call :meth:`analyse` or let a search do it)."""
        if self.cache is None:
            articles: list[Article] = []
            problems: list[Problem] = list(self.problems)
            for item in self._items():
                if isinstance(item, Problem):
                    problems.append(item)
                else:
                    articles.append(item)
            return Library(articles, problems, self.recogniser)
        return self._from_cache(None)

    @property
    def has_cache(self) -> bool:
        """True when a cache of this archive exists (a load starts from it)."""
        return self.cache is not None and self.cache.path.exists()

    def stream_files(self, on_batch: Batch, cancel: threading.Event) -> bool:
        """Read the files, handing batches to ``on_batch`` every
        :data:`BATCH_SECONDS` (the last with ``finished``; the first problems
        are the settings'). False when cancelled."""
        articles: list[Article] = []
        problems: list[Problem] = list(self.problems)
        last = time.monotonic()
        for item in self._items():
            if cancel.is_set():
                return False
            if isinstance(item, Problem):
                problems.append(item)
            else:
                articles.append(item)
            if time.monotonic() - last > BATCH_SECONDS:
                on_batch(articles, problems, False)
                articles, problems = [], []
                last = time.monotonic()
        on_batch(articles, problems, True)
        return True

    def _items(self) -> Iterator[Article | Problem]:
        settings = self.settings
        return iter_load(
            settings.paths, max_bytes=settings.max_bytes, default_lang=settings.default_lang
        )

    def _from_cache(self, reading: Progress | None) -> Library:
        assert self.cache is not None
        library, report = self.cache.load_library(
            max_bytes=self.settings.max_bytes,
            default_lang=self.settings.default_lang,
            recogniser=self.recogniser,
            analyse=False,
            reading=reading,
        )
        self.from_cache = True
        library.problems[:0] = self.problems
        library.problems.extend(Problem("cache", warning) for warning in report.warnings)
        if report.used:
            self.detail = f"cache: {report.reused:,} reused, {report.reread:,} read again"
        return library

    # Analysis and saving ----------------------------------------------------

    def analyse(
        self,
        library: Library,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        *,
        aside: bool = True,
    ) -> tuple[bool, list[str]]:
        """Recognise and index what is not yet done, then write the cache
        (``aside``: from a forked child, so a long write never stalls the
        caller's process). Returns (finished, warnings)."""
        finished = library.analyse(progress, cancel)
        if not finished or self.cache is None or (cancel is not None and cancel.is_set()):
            return finished, []
        if not self.from_cache:
            self.cache.remember(
                library, max_bytes=self.settings.max_bytes, default_lang=self.settings.default_lang
            )
        warnings = save_cache_aside(self.cache, library) if aside else self.cache.save(library)
        return True, warnings

    def save(self, library: Library) -> list[str]:
        """Write the cache for a library :meth:`load` read from it (the
        CLI's commands); warnings. A no-op without a cache."""
        if self.cache is None or not self.from_cache:
            return []
        return self.cache.save(library)

    # Live reload --------------------------------------------------------------

    def apply(self, library: Library, changes: ChangeSet) -> Applied:
        """Read what changed on disk, with the same settings as the load."""
        return apply_changes(
            library,
            changes,
            max_bytes=self.settings.max_bytes,
            default_lang=self.settings.default_lang,
        )

    def watch(self, on_changes: Callable[[ChangeSet], None]) -> FolderWatcher | Problem:
        """Start watching the archive's folders; a problem when that fails."""
        try:
            return FolderWatcher(list(self.settings.paths), on_changes).start()
        except Exception as exc:
            return Problem("live reload", f"cannot watch the folders: {exc.__class__.__name__}")


def describe_paths(paths: Sequence[str]) -> str:
    """The archive's folders for a message (``No articles found in …``)."""
    return ", ".join(display_path(path) for path in paths)
