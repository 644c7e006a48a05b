"""Pilot tests for the line-API ArticleView."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.style import Style
from textual.app import App, ComposeResult

import reader.ui
from reader.core.articles.article import Article
from reader.core.document import parse_document
from reader.ui.article_layout import wrap as _wrap
from reader.ui.widgets.article_view import ArticleView

CSS_PATH = Path(reader.ui.__file__).parent / "reader.tcss"

BODY = (
    "Le président **Emmanuel Macron** a rencontré *Olaf Scholz* à Berlin le 3 mars 2024. "
    "Les deux dirigeants ont discuté de l'Ukraine.\n"
    "\n"
    "- premier point avec un texte assez long pour être coupé en plusieurs lignes\n"
    "- second\n"
    "\n"
    "> Une citation\n"
    "\n"
    "```\n"
    "a\tb\n"
    "```\n"
    "\n"
    "東京で会議が開かれました。東京で会議が開かれました。東京で会議が開かれました。\n"
    "\n"
    "Voir [le site](https://example.org).\n"
)


def make_article(body: str = BODY, title: str = "Un titre") -> Article:
    return Article(
        id="a",
        path="a.md",
        format="markdown",
        title=title,
        body=body,
        author=("Jean Dupont",),
        date="2024-03-03",
        source="Le Monde",
        lang="fr",
    )


class ViewApp(App[None]):
    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        yield ArticleView()


def lines(view: ArticleView) -> list[str]:
    return [view.line_text(y).rstrip() for y in range(view.line_count)]


def styles_of(view: ArticleView, line: int, needle: str) -> list[Style]:
    """The style of each character of ``needle`` on layout ``line``."""
    strip = view.line_strip(line)
    text = strip.text
    at = text.index(needle)
    out: list[Style] = []
    pos = 0
    for segment in strip:
        for char in segment.text:
            if at <= pos < at + len(needle):
                out.append(segment.style or Style())
            pos += 1
            del char
    return out


def find_line(view: ArticleView, needle: str) -> int:
    for y, text in enumerate(lines(view)):
        if needle in text:
            return y
    raise AssertionError(f"{needle!r} not shown")


async def test_wraps_to_width_and_shows_title_meta_and_blocks() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article(), parse_document(BODY, "markdown"))
        await pilot.pause()
        shown = lines(view)
        assert shown[0] == "Un titre"
        assert shown[1] == "Jean Dupont · 2024-03-03 · Le Monde · fr"
        width = view.layout_width
        assert all(cell_len(view.line_text(y)) == width for y in range(view.line_count))
        assert all(cell_len(text) <= width for text in shown)
        joined = " ".join(t.strip() for t in shown)
        assert "Emmanuel Macron a rencontré Olaf Scholz" in joined
        assert "**" not in joined
        bullet = find_line(view, "premier point")
        assert shown[bullet].startswith("•  premier point")
        assert shown[bullet + 1].startswith("   ")  # hanging indent
        assert "│ Une citation" in shown
        assert "a   b" in shown  # tab expanded to a 4-column stop
        assert "le site ⟨https://example.org⟩." in joined


async def test_wide_characters_wrap_by_cells() -> None:
    app = ViewApp()
    async with app.run_test(size=(40, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article(), parse_document(BODY, "markdown"))
        await pilot.pause()
        width = view.layout_width
        cjk = [t for t in lines(view) if "東京" in t]
        assert len(cjk) >= 2
        for text in cjk:
            assert cell_len(text) <= width
        for y in range(view.line_count):
            assert view.render_line(0).cell_length == width
            assert view.line_strip(y).cell_length == width


async def test_spans_style_exact_characters_and_combine() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        start = BODY.index("Olaf")
        hit = BODY.index("Scholz")
        spans = [(start, start + len("Olaf Scholz"), "LOC"), (hit, hit + 6, "hit")]
        title_spans = [(3, 8, "ORG")]
        view.show(make_article(), parse_document(BODY, "markdown"), spans, title_spans)
        await pilot.pause()
        y = find_line(view, "Olaf Scholz")
        olaf = styles_of(view, y, "Olaf ")
        scholz = styles_of(view, y, "Scholz")
        assert all(s.underline and s.italic for s in olaf)  # LOC + *emphasis*
        assert all(not s.reverse for s in olaf)
        assert all(s.underline and s.reverse for s in scholz)  # both shown
        before = styles_of(view, y, "rencontré")
        assert all(not s.underline for s in before)
        title = styles_of(view, 0, "titre")
        assert all(s.bold and s.underline for s in title)  # ORG on the title
        assert not styles_of(view, 0, "Un")[0].underline

        # set_spans re-styles without re-parsing; hit-current wins over hit.
        view.set_spans([(hit, hit + 6, "hit"), (hit, hit + 3, "hit-current")])
        await pilot.pause()
        sch = styles_of(view, y, "Sch")
        olz = styles_of(view, y, "olz")
        assert all(s.bold and s.reverse for s in sch)
        assert all(s.reverse and not s.bold for s in olz)
        assert not any(s.underline for s in styles_of(view, y, "Olaf "))


async def test_entity_kinds_have_distinct_non_colour_cues() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        body = "alpha beta gamma delta epsilon"
        kinds = ["PER", "LOC", "ORG", "MISC", "DATE"]
        words = body.split()
        spans = []
        for word, kind in zip(words, kinds, strict=True):
            at = body.index(word)
            spans.append((at, at + len(word), kind))
        view.show(make_article(body), parse_document(body, "markdown"), spans)
        await pilot.pause()
        y = find_line(view, "alpha")
        cues = set()
        colours = set()
        for word in words:
            style = styles_of(view, y, word)[0]
            cues.add((bool(style.bold), bool(style.italic), bool(style.underline)))
            colours.add(style.color)
        assert len(cues) == 5
        assert len(colours) == 5


async def test_ansi_theme_uses_terminal_palette() -> None:
    app = ViewApp(ansi_color=True)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        body = "alpha beta"
        view.show(make_article(body), parse_document(body, "markdown"), [(0, 5, "PER")])
        await pilot.pause()
        style = styles_of(view, find_line(view, "alpha"), "alpha")[0]
        assert style.color is not None and style.color.number == 4  # ANSI blue
        assert style.bold


async def test_scroll_to_offset_and_keys() -> None:
    paragraphs = [f"Paragraphe numéro {i} " + "mot " * 30 for i in range(200)]
    body = "\n\n".join(paragraphs)
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article(body), parse_document(body, "markdown"))
        await pilot.pause()
        target = body.index("Paragraphe numéro 150 ")
        line = view.line_of_offset(target)
        assert "Paragraphe numéro 150" in view.line_text(line)
        view.scroll_to_offset(target)
        await pilot.pause()
        top = view.scroll_offset.y
        height = view.scrollable_content_region.height
        assert top <= line < top + height
        rendered = [view.render_line(y).text for y in range(height)]
        assert any("Paragraphe numéro 150" in text for text in rendered)

        view.scroll_to_offset(body.index("Paragraphe numéro 3 "), center=False)
        await pilot.pause()
        line3 = view.line_of_offset(body.index("Paragraphe numéro 3 "))
        assert view.scroll_offset.y == line3

        view.focus()
        await pilot.press("g")
        assert view.scroll_offset.y == 0
        await pilot.press("j", "j")
        assert view.scroll_offset.y == 2
        await pilot.press("k")
        assert view.scroll_offset.y == 1
        await pilot.press("space")
        assert view.scroll_offset.y == 1 + height - 1
        await pilot.press("b")
        assert view.scroll_offset.y == 1
        await pilot.press("ctrl+d")
        assert view.scroll_offset.y == 1 + height // 2
        await pilot.press("ctrl+u")
        assert view.scroll_offset.y == 1
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y > 0
        await pilot.press("home")
        assert view.scroll_offset.y == 0
        await pilot.press("end")
        assert view.scroll_offset.y == view.max_scroll_y


async def test_line_of_offset_in_markup_goes_to_the_next_block() -> None:
    body = "intro\n\n## Heading here\n\n- item"
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article(body), parse_document(body, "markdown"))
        await pilot.pause()
        heading = view.line_of_offset(body.index("##"))
        assert view.line_text(heading).strip() == "Heading here"
        item = view.line_of_offset(body.index("- item"))
        assert view.line_text(item).strip() == "•  item"
        assert view.line_of_offset(len(body) + 100) == item
        assert view.line_of_offset(-5) == view.line_of_offset(0)


async def test_scroll_to_offset_before_layout_is_applied_later() -> None:
    body = "\n\n".join(f"para {i} " + "x " * 50 for i in range(100))
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = ArticleView()
        view.show(make_article(body), parse_document(body, "markdown"))
        target = body.index("para 80 ")
        view.scroll_to_offset(target)
        await app.mount(view, before=0)
        await pilot.pause()
        await pilot.pause()
        line = view.line_of_offset(target)
        top = view.scroll_offset.y
        assert top <= line < top + view.scrollable_content_region.height


async def test_resize_rewraps_and_centres() -> None:
    body = "mot " * 200
    app = ViewApp()
    async with app.run_test(size=(60, 24)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article(body), parse_document(body, "markdown"))
        await pilot.pause()
        narrow = view.line_count
        assert max(len(t) for t in lines(view)) <= view.layout_width
        await pilot.resize_terminal(140, 24)
        await pilot.pause()
        assert view.line_count < narrow
        texts = [view.line_text(y) for y in range(view.line_count)]
        body_line = next(t for t in texts if t.strip().startswith("mot"))
        margin = len(body_line) - len(body_line.lstrip(" "))
        assert margin == (view.layout_width - view.max_width) // 2 > 0
        assert len(body_line.strip()) <= view.max_width
        view.max_width = 40
        await pilot.pause()
        assert all(len(view.line_text(y).strip()) <= 40 for y in range(view.line_count))


async def test_plain_text_article_and_empty_view() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        assert view.render_line(0).text.strip() == ""
        body = "ligne *un*\nligne deux\n\nautre paragraphe"
        article = Article(id="t", path="t.txt", format="text", title="T", body=body)
        view.show(article, parse_document(body, "text"))
        await pilot.pause()
        assert lines(view) == ["T", "", "ligne *un* ligne deux", "", "autre paragraphe"]


def test_wrap_helper() -> None:
    out: list[tuple[int, int]] = []
    text = "aaa bbb cccccccccc d"
    _wrap(text, 0, len(text), 5, out)
    assert [text[a:b] for a, b in out] == ["aaa", "bbb", "ccccc", "ccccc", "d"]
    out.clear()
    text = "東京東京東 x"
    _wrap(text, 0, len(text), 4, out)
    assert [text[a:b] for a, b in out] == ["東京", "東京", "東 x"]
    assert all(cell_len(text[a:b]) <= 4 for a, b in out)


async def test_progress_shows_how_far_through_the_article() -> None:
    body = "\n\n".join(f"para {i} " + "x " * 30 for i in range(100))
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        assert view.progress == ""
        view.show(make_article(body), parse_document(body, "markdown"))
        await pilot.pause()
        first, last, total = view.position()
        height = view.scrollable_content_region.height
        assert (first, last) == (1, height) and total == view.line_count > height
        assert view.progress == f"{100 * height // total}%"
        view.focus()
        await pilot.press("G")
        await pilot.pause()
        assert view.position()[1] == total
        assert view.progress == "100%"
        await pilot.press("g", "space")
        await pilot.pause()
        first, last, _ = view.position()
        assert first == height
        assert view.progress == f"{100 * last // total}%"
        view.clear()
        await pilot.pause()
        assert view.progress == ""


async def test_short_article_is_all_shown() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.show(make_article("court"), parse_document("court", "markdown"))
        await pilot.pause()
        assert view.progress == "100%"
