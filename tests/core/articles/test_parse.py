"""Each article format and its metadata rules, table-driven."""

from __future__ import annotations

import pytest

from reader.core.articles.article import Article
from reader.core.articles.parse import FileInfo, looks_like_byline, parse_article


def parse(text: str, fmt: str, name: str = "file.txt") -> tuple[Article, list[str]]:
    info = FileInfo(id=name, path=name, name=name)
    article = parse_article(text, fmt, info)  # type: ignore[arg-type]
    return article, info.warnings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Jeyhun Aliyev", True),
        ("Par Jean-Luc Mélenchon", True),
        ("By Amara Okafor", True),
        ("Ursula von der Leyen", True),
        ("Marie-Pierre Aubanel", True),
        ("Moscou", False),
        ("Fin.", False),
        ("La suite demain", False),
        ("Read more at example.org", False),
        ("Deux décrets présidentiels distincts ont été signés", False),
        ("Agent 007 Bond", False),
    ],
)
def test_byline_detection(line: str, expected: bool) -> None:
    assert looks_like_byline(line) is expected


TEXT_CASES = [
    # (text, title, author, body start, body end)
    (
        "Un titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\nJeyhun Aliyev",
        "Un titre",
        ("Jeyhun Aliyev",),
        "Premier",
        "Deuxième paragraphe.",
    ),
    (
        "\n\nTitle after blanks\n\nBody only.\n",
        "Title after blanks",
        (),
        "Body only.",
        "Body only.",
    ),
    (
        "A title\n\nBody ends with a sentence that is long.\nJohn Smith",
        "A title",
        (),
        "Body",
        "John Smith",
    ),
    (
        "---\ntitle: Front title\nauthor: [A B, C D]\n---\nFirst line is body\n\nLast Words Here",
        "Front title",
        ("A B", "C D"),
        "First line is body",
        "Last Words Here",
    ),
    (
        "---\ntitle: Only meta\n---\nBody text.\n\nJane Doe\n",
        "Only meta",
        ("Jane Doe",),
        "Body text.",
        "Body text.",
    ),
]


@pytest.mark.parametrize(("text", "title", "author", "start", "end"), TEXT_CASES)
def test_plain_text(text: str, title: str, author: tuple[str, ...], start: str, end: str) -> None:
    article, warnings = parse(text, "text")
    assert (article.title, article.author) == (title, author)
    assert article.body.startswith(start)
    assert article.body.endswith(end)
    assert warnings == []


MD_CASES = [
    ("---\ntitle: T\nlang: en\n---\n# Heading\n\nText", "T", "# Heading\n\nText", "en"),
    (
        "# Le titre\n\nLe corps de l’article est là.",
        "Le titre",
        "Le corps de l’article est là.",
        "fr",
    ),
    ("Just text, no heading.\n\nMore.", "file", "Just text, no heading.\n\nMore.", "und"),
    ("---\ntitle: [a, b]\n---\nbody", "file", "body", "und"),
]


@pytest.mark.parametrize(("text", "title", "body", "lang"), MD_CASES)
def test_markdown(text: str, title: str, body: str, lang: str) -> None:
    article, _ = parse(text, "markdown", "file.md")
    assert (article.title, article.body, article.lang) == (title, body, lang)


def test_markdown_metadata_complete() -> None:
    text = (
        "---\ntitle: 'NO'\nauthor: Ann Lee\ndate: 2023-03-14T09:30:00Z\nsource: Wire\n"
        "url: https://example.org/x\nlang: en\ntags: [a, b]\nsummary: S\nmood: calm\n---\nBody"
    )
    article, warnings = parse(text, "markdown", "x.md")
    assert warnings == []
    assert article.title == "NO"
    assert article.author == ("Ann Lee",)
    assert (article.date, article.date_valid) == ("2023-03-14T09:30:00+00:00", True)
    assert (article.source, article.url, article.lang, article.lang_detected) == (
        "Wire",
        "https://example.org/x",
        "en",
        False,
    )
    assert (article.tags, article.summary, article.extra) == (("a", "b"), "S", {"mood": "calm"})


def test_yaml_article() -> None:
    text = "title: Titre\nauthor: Léa B\nlang: fr\nbody: |\n  Para un.\n\n  Para deux.\n"
    article, warnings = parse(text, "yaml", "a.yaml")
    assert (article.title, article.author, article.body) == (
        "Titre",
        ("Léa B",),
        "Para un.\n\nPara deux.",
    )
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("title: x\n", "no body"),
        ("title: x\nbody: [1, 2]\n", "body: not text"),
        ("title: [x]\nbody: b\n", "title: not a text value"),
    ],
)
def test_yaml_article_warnings(text: str, warning: str) -> None:
    _, warnings = parse(text, "yaml", "a.yaml")
    assert any(w.startswith(warning) for w in warnings)


def test_markup_is_kept_as_text() -> None:
    article, _ = parse(
        "[EXCLUSIF] Le [bold]titre[/]\n\n[link=file:///etc/passwd]x[/link] $var", "text"
    )
    assert article.title == "[EXCLUSIF] Le [bold]titre[/]"
    assert article.body == "[link=file:///etc/passwd]x[/link] $var"


def test_controls_sanitised_in_every_field() -> None:
    text = '---\ntitle: "a\\e]0;t\\a"\nauthor: "b\\x9bc"\ntags: ["\\u202e"]\n---\nx\x1b[2Jy\x00z'
    article, _ = parse(text, "markdown", "f.md")
    assert article.title == "a␛]0;t␇"
    assert article.author == ("b\ufffdc",)
    assert article.tags == ("\u2e2e",)
    assert article.body == "x␛[2Jy␀z"
