"""Gazetteers: known entities with aliases, and the word lists the rules use.

The default data ships in ``data/`` (built by ``scripts/build_gazetteers.py``;
sources and licences in ``data/SOURCES.md``). Users may extend it with a YAML
file, see :func:`load_user_gazetteer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..articles.yamlsafe import YamlError, load_yaml
from .model import NAME_LABELS, Label, as_label, fold, make_key

Entry = tuple[Label, str]  # (label, key)


@dataclass(slots=True)
class Gazetteer:
    """Known entity forms and word lists.

    ``exact`` maps a surface form to ``(label, key)``; ``folded`` maps the
    folded form of every form that is not an all-capitals acronym (acronyms
    match with their exact case only). ``display`` gives each key its display
    name. ``lexicon`` maps a category (``title``, ``firstname``, ``demonym``...)
    to a set of words. ``common_rank`` maps a language (``fr``, ``en``) to the
    frequency rank (0 = most frequent) of its common words, folded; known names
    are left out of it.
    """

    exact: dict[str, Entry] = field(default_factory=dict)
    folded: dict[str, Entry] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    lexicon: dict[str, frozenset[str]] = field(default_factory=dict)
    max_tokens: int = 1
    common_rank: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(
        self, label: Label, key: str, display: str, forms: list[str], override: bool = False
    ) -> None:
        """Record an entity; earlier forms win unless ``override``."""
        if override or key not in self.display:
            self.display[key] = display
        for form in forms:
            form = " ".join(form.split())
            if not form:
                continue
            if override or form not in self.exact:
                self.exact[form] = (label, key)
            if not (form.isupper() and len(form) <= 6):
                f = fold(form)
                if override or f not in self.folded:
                    self.folded[f] = (label, key)
            self.max_tokens = max(self.max_tokens, form.count(" ") + form.count("-") + 2)

    def merged(self, other: Gazetteer) -> Gazetteer:
        """A new gazetteer: this one with ``other``'s entries taking precedence."""
        out = Gazetteer(
            dict(self.exact),
            dict(self.folded),
            dict(self.display),
            dict(self.lexicon),
            self.max_tokens,
            self.common_rank,
        )
        for form, entry in other.exact.items():
            out.exact[form] = entry
        out.folded.update(other.folded)
        out.display.update(other.display)
        for cat, words in other.lexicon.items():
            out.lexicon[cat] = out.lexicon.get(cat, frozenset()) | words
        out.max_tokens = max(out.max_tokens, other.max_tokens)
        return out

    def words(self, category: str) -> frozenset[str]:
        return self.lexicon.get(category, frozenset())


def _parse_entities(text: str, gaz: Gazetteer) -> None:
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        label = as_label(parts[0])
        if label is None:
            continue
        gaz.add(label, parts[1], parts[2], parts[3].split("|"))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    data = resources.files(__package__).joinpath("data")
    gaz = Gazetteer()
    _parse_entities(data.joinpath("entities.tsv").read_text(encoding="utf-8"), gaz)
    lex: dict[str, frozenset[str]] = {}
    for line in data.joinpath("lexicon.tsv").read_text(encoding="utf-8").splitlines():
        cat, _, words = line.partition("\t")
        if cat:
            lex[cat] = frozenset(words.split("|"))
    gaz.lexicon = lex
    for line in data.joinpath("common_words.tsv").read_text(encoding="utf-8").splitlines():
        lang, _, words = line.partition("\t")
        if lang:
            gaz.common_rank[lang] = {w: r for r, w in enumerate(words.split("|"))}
    return gaz


def _str_list(value: Any, where: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list of strings")
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip() and len(item) <= 200 and "\n" not in item:
            out.append(" ".join(item.split()))
        else:
            problems.append(f"{where}[{i}]: expected a non-empty one-line string")
    return out


MAX_USER_GAZETTEER = 4 * 1024 * 1024


def load_user_gazetteer(path: str | Path) -> tuple[Gazetteer, list[str]]:
    """Read a user gazetteer extension (YAML) for the whole archive.

    Format::

        entities:                 # extra entities
          - name: Jeyhun Aliyev   # display name (also a surface form)
            label: PER            # PER, LOC, ORG or MISC
            aliases: [Aliyev]     # optional other surface forms
        aliases:                  # extra surface forms of known entities
          Vladimir Poutine: [V. Poutine, Vova]
        suppress: [Occident]      # forms never to mark (lexicon "suppress")

    Returns the additions (merge them with :meth:`Gazetteer.merged`) and a list
    of problems; invalid items are skipped, never raised.
    """
    problems: list[str] = []
    add = Gazetteer()
    from ..articles.loader import read_regular_file  # the loader imports nothing from here

    try:
        raw = read_regular_file(path, MAX_USER_GAZETTEER)
        data = load_yaml(raw.decode("utf-8", errors="replace"))
    except OSError as exc:
        return add, [f"{path}: cannot read: {exc.strerror or exc.__class__.__name__}"]
    except YamlError as exc:
        return add, [f"{path}: invalid YAML: {exc}"]
    except ValueError as exc:  # not a regular file, or too large
        return add, [f"{path}: {exc}"]
    if data is None:
        return add, problems
    if not isinstance(data, dict):
        return add, [f"{path}: expected a mapping at top level"]
    for extra in sorted(set(map(str, data)) - {"entities", "aliases", "suppress"}):
        problems.append(f"{path}: unknown section {extra!r} ignored")
    base = default_gazetteer()
    entities = data.get("entities") or []
    if not isinstance(entities, list):
        problems.append(f"{path}: entities: expected a list")
        entities = []
    for i, item in enumerate(entities):
        where = f"{path}: entities[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with name and label")
            continue
        names = _str_list(item.get("name"), f"{where}.name", problems)
        label = as_label(item.get("label"))
        if not names:
            problems.append(f"{where}: missing name")
            continue
        if label is None or label not in NAME_LABELS:
            problems.append(f"{where}: label must be one of {', '.join(NAME_LABELS)}")
            continue
        aliases = _str_list(item.get("aliases"), f"{where}.aliases", problems)
        key = make_key(label, names[0])
        add.add(label, key, names[0], [names[0], *aliases], override=True)
    aliases_map = data.get("aliases") or {}
    if not isinstance(aliases_map, dict):
        problems.append(f"{path}: aliases: expected a mapping name -> list of forms")
        aliases_map = {}
    for name, forms in aliases_map.items():
        where = f"{path}: aliases[{name!r}]"
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: the name must be a string")
            continue
        entry = add.exact.get(name) or base.exact.get(name) or base.folded.get(fold(name))
        if entry is None:
            problems.append(f"{where}: unknown entity (declare it under entities)")
            continue
        label, key = entry
        add.add(
            label,
            key,
            base.display.get(key, name),
            _str_list(forms, where, problems),
            override=True,
        )
    suppress = _str_list(data.get("suppress"), f"{path}: suppress", problems)
    if suppress:
        add.lexicon["suppress"] = frozenset(fold(s) for s in suppress)
    return add, problems
