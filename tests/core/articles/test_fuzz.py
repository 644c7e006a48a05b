"""Property tests over the whole loading pipeline (bytes → Article), the
front matter splitter and the document parser, with bounded budgets."""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.articles.frontmatter import split_front_matter
from reader.core.articles.loader import Candidate, load_file
from reader.core.articles.sanitize import is_safe
from reader.core.document import parse_document

FRAGMENTS = [
    b"---\n",
    b"title: ",
    b"author: [",
    b"]\n",
    b"&a ",
    b"*a ",
    b"!!python/object ",
    b"\x1b]0;x\x07",
    b"\x9b",
    b"\x00",
    b"\r",
    b"\n\n",
    b"# ",
    b"> ",
    b"- ",
    b"**",
    b"`",
    b"[l](u)",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "é’«».".encode(),
    b"body: |\n  ",
    b"\t",
    b"{",
    b"}",
    b"'",
    b'"',
]
payloads = st.one_of(
    st.binary(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads, st.sampled_from([".md", ".txt", ".yaml"]))
def test_any_bytes_load_safely(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "f" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        article, problems = load_file(Candidate(path, folder, "f" + suffix))
    for problem in problems:
        assert is_safe(problem.message, multiline=False) and is_safe(problem.path, multiline=False)
    if article is not None:
        assert is_safe(article.body)
        for value in (article.title, article.id, *article.author, *article.tags):
            assert is_safe(value, multiline=False)
        assert article.title


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_front_matter_split_keeps_everything(text: str) -> None:
    split = split_front_matter(text)
    if split.front is None:
        assert split.body == text
    else:
        assert text.endswith(split.body) and split.front in text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "# ",
                "> ",
                "- ",
                "1. ",
                "**",
                "*",
                "_",
                "`",
                "```\n",
                "[a](b)",
                "\n",
                "\n\n",
                "x",
                "é",
                "  ",
            ]
        ),
        max_size=60,
    ).map("".join)
)
def test_document_runs_slice_the_body(body: str) -> None:
    for block in parse_document(body, "markdown").blocks:
        for run in block.runs:
            if run.start < run.end:
                assert body[run.start : run.end] == run.text
