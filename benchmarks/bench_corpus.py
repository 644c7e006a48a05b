"""The generated archives the start and UI benchmarks open.

:func:`write_corpus` writes (once) ``benchmarks/corpora/ui-N/``: ``N``
Markdown articles of ~400 words, 60 % French, 40 % English (the search
benchmark's deterministic generator, :mod:`corpus_gen`), 1,000 per folder.
:func:`with_last_file` makes ``ui-(N+1)/`` from ``ui-N/`` without copying:
hard links to its files plus one more, ``099/zz-last.md``, the last file by
path, whose title alone holds :data:`LAST_WORD` (so a search for it finds
that file and nothing else). The corpora are git-ignored.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpora"

#: Seconds after which a changed file gets a stat key (the store's racy window, 2 s).
RACY_S = 3.0

#: The word only the extra last file holds (in its title and its body).
LAST_WORD = "zanzibarquokka"

LAST_FILE = f"""---
title: "The {LAST_WORD} file, the last one of the archive"
date: 2023-01-01
lang: en
source: Benchmark
tags: [benchmark]
---
This article is the one extra file of the generated archive. Its title holds
a word that no other article contains, {LAST_WORD}, so that searching for it
finds this file, the last one by path, and nothing else.
"""


def write_corpus(n: int) -> Path:
    """The generated archive of ``n`` articles (written once)."""
    folder = CORPORA / f"ui-{n}"
    if (folder / ".complete").exists():
        return folder
    sys.path.insert(0, str(HERE))
    import corpus_gen

    folder.mkdir(parents=True, exist_ok=True)
    generator = corpus_gen.Generator(0)
    for index in range(n):
        article = generator.article(index)
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        text = (
            f"---\ntitle: {json.dumps(article.title)}\ndate: {article.date or ''}\n"
            f"lang: {article.lang}\nsource: {article.source or ''}\n"
            f"tags: [{', '.join(article.tags)}]\n---\n{article.body}\n"
        )
        (sub / f"a{index:06d}.md").write_text(text, encoding="utf-8")
    (folder / ".complete").write_text("ok")
    return folder


def with_last_file(n: int) -> Path:
    """``ui-(n+1)``: hard links to ``ui-n``'s files and one extra last file."""
    source = write_corpus(n)
    folder = CORPORA / f"ui-{n + 1}"
    if (folder / ".complete").exists():
        return folder
    for sub in sorted(p for p in source.iterdir() if p.is_dir()):
        target = folder / sub.name
        target.mkdir(parents=True, exist_ok=True)
        for file in sub.iterdir():
            link = target / file.name
            if not link.exists():
                os.link(file, link)
    last_dir = folder / f"{(n - 1) // 1000:03d}"
    last_dir.mkdir(parents=True, exist_ok=True)
    last = last_dir / "zz-last.md"
    last.write_text(LAST_FILE, encoding="utf-8")
    # Old like the others: a file changed in the last seconds is never cached.
    hour_ago = time.time() - 3600
    os.utime(last, (hour_ago, hour_ago))
    (folder / ".complete").write_text("ok")
    # Linking set the files' ctime (theirs in ui-n too): a file changed less
    # than the racy window before a walk gets no stat key and would be read
    # again on every start until it is older. Let the window pass.
    time.sleep(RACY_S)
    return folder


def corpus(size: int) -> Path:
    """``ui-size``: generated, or (a size ending in 1, like 100,001) the
    generated ``ui-(size-1)`` plus the last file."""
    if size % 10 == 1 and size > 1:
        return with_last_file(size - 1)
    return write_corpus(size)
