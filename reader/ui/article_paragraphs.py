"""An article turned into display paragraphs, before any wrapping.

Each :class:`~reader.core.document.Block` of the parsed body (and the title
and the metadata line) becomes one :class:`Para`: its display text, where each
source run starts in it, its inline style ranges (component-class names of
:class:`~reader.ui.widgets.article_view.ArticleView`), its prefixes (quote
bars, list markers, indents) and the entity/hit spans mapped from source
offsets to display indices. Nothing here knows the pane's width; wrapping is
:mod:`reader.ui.article_layout`. Plain data: no widget, no Textual.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from rich.cells import cell_len

from reader.core.articles.article import Article
from reader.core.document import Block, Document, Run

Span = tuple[int, int, str]
"""``(start, end, kind)`` in source offsets (body, or title for the title)."""

Prefix = tuple[tuple[str, str | None], ...]
"""Pieces drawn before a line: ``(text, component class or None)``."""

TAB_SIZE = 4
LIST_INDENT = 3
QUOTE_BAR = "│ "
META_SEPARATOR = " · "
ENTITY_KINDS = ("PER", "LOC", "ORG", "MISC", "DATE")
SPAN_KINDS = (*ENTITY_KINDS, "hit", "hit-current")

STYLE_CLASS = {
    "emphasis": "article-view--emphasis",
    "strong": "article-view--strong",
    "code": "article-view--code",
    "link": "article-view--link",
    "link-target": "article-view--link-target",
}
SPAN_CLASS = {kind: f"article-view--{kind.lower()}" for kind in SPAN_KINDS}
BLOCK_CLASS = {
    "heading": "article-view--heading",
    "quote": "article-view--quote",
    "code": "article-view--code",
    "rule": "article-view--rule",
}
#: The order styles are layered in: later ones win a conflict (colours).
LAYER = {
    name: i
    for i, name in enumerate(
        (
            "article-view--heading",
            "article-view--meta",
            "article-view--standfirst",
            "article-view--quote",
            "article-view--code",
            "article-view--rule",
            "article-view--marker",
            "article-view--emphasis",
            "article-view--strong",
            "article-view--link",
            "article-view--link-target",
            *(SPAN_CLASS[k] for k in SPAN_KINDS),
        )
    )
}


@dataclass(slots=True)
class Para:
    """A block prepared for display (independent of the width)."""

    text: str
    base: str | None = None
    first_prefix: Prefix = ()
    rest_prefix: Prefix = ()
    prefix_width: int = 0
    source: str | None = None  # "body", "title" or None (no spans)
    # Per run: the last source key, display start, source start, tab-expanded?
    runs: Sequence[Run] = ()
    run_keys: list[int] = field(default_factory=list)
    run_dstart: list[int] = field(default_factory=list)
    tabbed: bool = False  # code runs with tabs expanded (display length differs)
    styles: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    gap_before: int = 1
    rule: bool = False
    key: int = 0  # the source key of the block (for offset look-ups)

    def display_index(self, offset: int) -> int:
        """The first display index whose source key is ``>= offset``."""
        j = bisect_left(self.run_keys, offset)
        if j >= len(self.run_keys):
            return len(self.text)
        run = self.runs[j]
        if run.start == run.end or offset <= run.start:
            return self.run_dstart[j]
        k = offset - run.start
        if self.tabbed and "\t" in run.text:
            return self.run_dstart[j] + len(run.text[:k].expandtabs(TAB_SIZE))
        return self.run_dstart[j] + k


@dataclass(slots=True)
class ArticleParas:
    """Every paragraph of one article, in display order."""

    paras: list[Para]
    title: Para
    body: list[Para]
    body_keys: list[int]

    @property
    def body_first(self) -> int:
        """The index in :attr:`paras` of the first body paragraph."""
        return len(self.paras) - len(self.body)


def prepare_runs(para: Para, runs: Sequence[Run], code: bool) -> None:
    """Fill in the display text of ``para`` and where each run starts in it."""
    para.runs = runs
    para.run_keys = [r.start if r.start == r.end else r.end - 1 for r in runs]
    texts = [r.text for r in runs]
    if code and any("\t" in t for t in texts):
        # Code lines start right after a "\n" run, so each run's tabs expand
        # from column 0 of its line.
        texts = [t.expandtabs(TAB_SIZE) for t in texts]
        para.tabbed = True
    para.run_dstart = [0, *accumulate(map(len, texts))][:-1] if texts else []
    text = "".join(texts)
    para.text = text.replace("\t", " ") if "\t" in text else text
    styles = para.styles
    dstarts = para.run_dstart
    for j, run in enumerate(runs):
        if not run.styles:
            continue
        names = _style_names(run.styles)
        if not names:
            continue
        a = dstarts[j]
        b = a + len(texts[j])
        if styles and styles[-1][1] == a and styles[-1][2] == names:
            styles[-1] = (styles[-1][0], b, names)
        else:
            styles.append((a, b, names))


@lru_cache(maxsize=256)
def _style_names(styles: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(STYLE_CLASS[s] for s in styles if s in STYLE_CLASS))


def block_para(block: Block, previous: Block | None) -> Para:
    """The paragraph of one body block (``previous`` decides the gap before it)."""
    quote_prefix: Prefix = (
        ((QUOTE_BAR * block.quote_depth, "article-view--quote"),) if block.quote_depth else ()
    )
    indent = " " * (LIST_INDENT * block.depth)
    first: Prefix
    rest: Prefix
    if block.kind == "list_item":
        marker = block.marker.ljust(LIST_INDENT - 1) + " "
        first = (*quote_prefix, (indent, None), (marker, "article-view--marker"))
        rest = (*quote_prefix, (indent + " " * len(marker), None))
    else:
        first = rest = (*quote_prefix, (indent, None)) if indent else quote_prefix
    base = BLOCK_CLASS.get(block.kind)
    para = Para("", base, first, rest, sum(cell_len(t) for t, _ in first), "body")
    para.rule = block.kind == "rule"
    if block.kind == "list_item" and previous is not None:
        if previous.kind == "list_item" or previous.depth > 0:
            para.gap_before = 0
    elif block.depth > 0 and previous is not None and block.kind != "paragraph":
        para.gap_before = 0
    prepare_runs(para, block.runs, code=block.kind == "code")
    para.key = block.runs[0].start if block.runs else block.start
    return para


def meta_para(article: Article) -> Para | None:
    """The metadata line: authors · date · source · language · tags · URL."""
    parts: list[tuple[str, str | None]] = []
    fields: list[tuple[str, str | None]] = []
    if article.author:
        fields.append((article.authors_display, None))
    if article.date:
        fields.append((article.date, None))
    if article.source:
        fields.append((article.source, None))
    if article.lang and article.lang != "und":
        fields.append((article.lang, None))
    if article.tags:
        fields.append((" ".join(f"#{tag}" for tag in article.tags), None))
    if article.url:
        fields.append((article.url, "article-view--link"))
    if article.truncated:
        fields.append(("truncated", None))
    if not fields:
        return None
    for i, piece in enumerate(fields):
        if i:
            parts.append((META_SEPARATOR, None))
        parts.append(piece)
    runs = [Run(0, 0, text, frozenset()) for text, _ in parts]
    para = Para("", "article-view--meta", gap_before=0)
    prepare_runs(para, runs, code=False)
    pos = 0
    for text, cls in parts:
        if cls is not None:
            para.styles.append((pos, pos + len(text), (cls,)))
        pos += len(text)
    return para


def standfirst_para(article: Article) -> Para | None:
    """The standfirst (front-matter ``summary``) under the metadata line."""
    if not article.summary:
        return None
    para = Para("", "article-view--standfirst")
    prepare_runs(para, [Run(0, 0, article.summary, frozenset())], code=False)
    return para


def article_paras(article: Article, document: Document) -> ArticleParas:
    """Title, metadata line, standfirst and one paragraph per block of
    ``document``."""
    title = Para("", "article-view--heading", source="title", gap_before=0)
    prepare_runs(title, [Run(0, len(article.title), article.title)], code=False)
    paras = [title]
    meta = meta_para(article)
    if meta is not None:
        paras.append(meta)
    standfirst = standfirst_para(article)
    if standfirst is not None:
        paras.append(standfirst)
    body: list[Para] = []
    previous: Block | None = None
    for block in document.blocks:
        body.append(block_para(block, previous))
        previous = block
    paras.extend(body)
    return ArticleParas(paras, title, body, [p.key for p in body])


def map_spans(paras: Sequence[Para], keys: Sequence[int], spans: Iterable[Span]) -> None:
    """Turn source-offset spans into display ranges on the paragraphs."""
    for para in paras:
        para.spans = []
    n = len(paras)
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[1])):
        if end <= start or kind not in SPAN_CLASS:
            continue
        j = max(0, bisect_right(keys, start) - 1)
        while j < n and keys[j] < end:
            para = paras[j]
            lo = para.display_index(start)
            hi = para.display_index(end)
            if lo < hi:
                para.spans.append((lo, hi, kind))
            j += 1
