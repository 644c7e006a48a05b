"""Benchmark: open a huge article in ArticleView, then scroll it.

Usage (from the repository root)::

    .venv/bin/python benchmarks/article_view_bench.py [--paragraphs 3000] [--words 100]

It builds a synthetic French Markdown article (3,000 paragraphs of ~100 words,
≈300k words, with emphasis, links, a few headings and lists), then, inside a
headless Textual app of 120×40 cells, prints the time to:

* parse the body (:func:`reader.core.document.parse_document`),
* ``show()`` it and render the first screen (prepare + wrap + visible lines),
  first cold, then the best of three repeats,
* map ~30k entity spans (``set_spans``),
* scroll: 500 jumps to random lines, rendering the visible lines each time,
* re-wrap after a resize.

Timings are wall-clock on this machine; they are not asserted anywhere.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from textual.app import App, ComposeResult

from reader.core.articles.article import Article
from reader.core.document import parse_document
from reader.ui.widgets.article_view import ArticleView

WORDS = (
    "le la les un une des président gouvernement réunion Bruxelles accord économie "
    "européenne ministre déclaré mardi après plusieurs semaines négociations difficiles "
    "entre partenaires avec une majorité très large élection été décidé pour année"
).split()


def make_body(paragraphs: int, words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    for i in range(paragraphs):
        if i % 100 == 0:
            parts.append(f"## Section {i // 100}")
        chosen = [rng.choice(WORDS) for _ in range(words)]
        chosen[3] = f"**{chosen[3]}**"
        chosen[10] = f"*{chosen[10]}*"
        chosen[20] = f"[{chosen[20]}](https://example.org/{i})"
        # Hard-wrap at ~70 columns, as many Markdown files are.
        text = " ".join(chosen)
        lines, line = [], ""
        for word in text.split(" "):
            if len(line) + len(word) > 70:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        if i % 50 == 25:
            parts.append("\n".join(f"- {x}" for x in lines))
        else:
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


class BenchApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView()


async def run(paragraphs: int, words: int) -> None:
    body = make_body(paragraphs, words)
    article = Article(id="bench", path="bench.md", format="markdown", title="Benchmark", body=body)
    print(f"body: {len(body):,} chars, {len(body.split()):,} words, {paragraphs} paragraphs")
    app = BenchApp()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ArticleView)
        height = view.scrollable_content_region.height

        t0 = time.perf_counter()
        document = parse_document(body, "markdown")
        t1 = time.perf_counter()
        view.show(article, document)
        for y in range(height):
            view.render_line(y)
        t2 = time.perf_counter()
        print(
            f"parse:                     {1000 * (t1 - t0):8.1f} ms ({len(document.blocks)} blocks)"
        )
        print(f"show + first screen:       {1000 * (t2 - t1):8.1f} ms ({view.line_count:,} lines)")
        print(f"open total:                {1000 * (t2 - t0):8.1f} ms")

        warm = []
        for _ in range(3):
            w0 = time.perf_counter()
            again = parse_document(body, "markdown")
            view.show(article, again)
            for y in range(height):
                view.render_line(y)
            warm.append(time.perf_counter() - w0)
        print(f"open again (best of 3):    {1000 * min(warm):8.1f} ms")

        rng = random.Random(2)
        spans = []
        for _ in range(30_000):
            start = rng.randrange(len(body) - 10)
            spans.append((start, start + rng.randint(3, 10), rng.choice(["PER", "LOC", "ORG"])))
        t3 = time.perf_counter()
        view.set_spans(spans)
        t4 = time.perf_counter()
        print(f"set_spans (30k spans):     {1000 * (t4 - t3):8.1f} ms")

        await pilot.pause()
        jumps = 500
        t5 = time.perf_counter()
        for _ in range(jumps):
            view.scroll_to(y=rng.randrange(view.max_scroll_y), animate=False, immediate=True)
            for y in range(height):
                view.render_line(y)
        t6 = time.perf_counter()
        print(f"scroll + render a screen:  {1000 * (t6 - t5) / jumps:8.2f} ms per jump")

        t7 = time.perf_counter()
        for y in range(height):
            view.render_line(y)
        t8 = time.perf_counter()
        print(f"re-render cached screen:   {1000 * (t8 - t7):8.2f} ms")

        await pilot.resize_terminal(90, 40)
        t9 = time.perf_counter()
        view._relayout()
        t10 = time.perf_counter()
        print(f"re-wrap (resize):          {1000 * (t10 - t9):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=3000)
    parser.add_argument("--words", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(run(args.paragraphs, args.words))


if __name__ == "__main__":
    main()
