"""Front matter, safe YAML and metadata validation, table-driven."""

from __future__ import annotations

import contextlib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.articles import yamlsafe
from reader.core.articles.article import EntityAnnotation
from reader.core.articles.frontmatter import split_front_matter
from reader.core.articles.metadata import normalise_date, validate_metadata
from reader.core.articles.sanitize import sanitize_text
from reader.core.articles.yamlsafe import YamlError, load_yaml

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]"
        for i in range(6)
    ]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: NO", {"title": "NO"}),
        ("title: yes\nn: 12\nf: 1.5", {"title": "yes", "n": "12", "f": "1.5"}),
        ("date: 2022-02-30", {"date": "2022-02-30"}),
        ("x:\ny: ~\nz: null", {"x": None, "y": None, "z": None}),
        ("tags: [a, b]", {"tags": ["a", "b"]}),
        ("", None),
    ],
)
def test_yaml_scalars_are_strings(text: str, expected: object) -> None:
    assert load_yaml(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: !!python/object/apply:os.system [echo hi]", "constructor"),
        ("a: !!python/name:os.system", "constructor"),
        ("[" * 200 + "]" * 200, "nesting"),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "nesting"),
        (BOMB, "aliases"),
        ("a: [1", "expected"),
        ("a: 1\n---\nb: 2", "document"),
        ("a: *undefined", "alias"),
        ("a: !!int nope", "invalid"),
    ],
)
def test_yaml_refusals_are_one_line(text: str, reason: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    message = str(info.value)
    assert "\n" not in message
    assert reason in message.lower()


@given(st.text(max_size=300))
def test_yaml_loader_only_raises_yaml_error(text: str) -> None:
    with contextlib.suppress(YamlError):
        load_yaml(text)


@pytest.mark.parametrize(
    ("text", "front", "body", "problem"),
    [
        ("---\ntitle: x\n---\nbody\n", "title: x\n", "body\n", None),
        ("---\ntitle: x\n...\nbody", "title: x\n", "body", None),
        ("no front matter\n---\n", None, "no front matter\n---\n", None),
        ("---\ntitle: x\nbody", None, "---\ntitle: x\nbody", "no closing"),
        ("---\n---\n", "", "", None),
    ],
)
def test_split_front_matter(text: str, front: str | None, body: str, problem: str | None) -> None:
    split = split_front_matter(text)
    assert (split.front, split.body) == (front, body)
    assert (problem is None) == (split.problem is None)
    if problem:
        assert split.problem is not None and problem in split.problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-02-21", ("2022-02-21", True)),
        ("2022-02", ("2022-02", True)),
        ("2022", ("2022", True)),
        ("2023-03-14T09:30:00Z", ("2023-03-14T09:30:00+00:00", True)),
        ("2022-02-21 10:00", ("2022-02-21T10:00", True)),
        ("2022-02-30", ("2022-02-30", False)),
        ("21 février 2022", ("21 février 2022", False)),
    ],
)
def test_normalise_date(raw: str, expected: tuple[str, bool]) -> None:
    assert normalise_date(raw) == expected


def test_metadata_fields_validated() -> None:
    meta = validate_metadata(
        {
            "title": "NO",
            "author": ["A B", "C D"],
            "date": "2022-02-21",
            "source": "Le Monde",
            "url": "https://example.org/a",
            "lang": "FR",
            "tags": "guerre, diplomatie",
            "summary": "Un résumé",
            "custom": {"k": "\x1b[31mred"},
            "entities": [
                {"text": "OTAN", "label": "org"},
                {"text": "Azovstal", "label": "FAC"},
                {"text": "Printemps", "suppress": "true"},
                {"text": "Poutine", "label": "PER", "action": "relabel"},
                {"text": "x", "label": "NOPE"},
            ],
        }
    )
    assert meta.title == "NO"
    assert meta.author == ("A B", "C D")
    assert (meta.date, meta.date_valid) == ("2022-02-21", True)
    assert meta.lang == "fr"
    assert meta.tags == ("guerre", "diplomatie")
    assert meta.extra == {"custom": {"k": "␛[31mred"}}
    assert meta.entities == (
        EntityAnnotation("OTAN", "ORG", "add"),
        EntityAnnotation("Azovstal", "LOC", "add"),
        EntityAnnotation("Printemps", None, "suppress"),
        EntityAnnotation("Poutine", "PER", "relabel"),
    )
    assert meta.warnings == ["entities[4]: label must be one of PER, LOC, ORG, MISC, DATE; ignored"]


@pytest.mark.parametrize(
    ("raw", "warning"),
    [
        ({"title": ["a", "b"]}, "title"),
        ({"title": {"a": "b"}}, "title"),
        ({"author": {"x": "y"}}, "author"),
        ({"lang": "not a language"}, "lang"),
        ({"url": "two words"}, "url"),
        ({"tags": {"a": "b"}}, "tags"),
        ({"entities": "OTAN"}, "entities"),
    ],
)
def test_bad_values_warn_and_are_dropped(raw: dict[str, object], warning: str) -> None:
    meta = validate_metadata(raw)
    assert len(meta.warnings) == 1 and meta.warnings[0].startswith(warning)


def test_one_line_fields_cannot_spill() -> None:
    meta = validate_metadata({"title": "a\x1b]0;x\x07\n b", "author": "x\u202ey"})
    assert meta.title == "a␛]0;x␇ b"
    assert meta.author == ("x\u2e2ey",)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((max(_depth(k), _depth(v)) for k, v in value.items()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 1


_scalars = st.one_of(st.none(), st.text(max_size=12))
_documents = st.recursive(
    st.dictionaries(st.text(max_size=8), _scalars, max_size=4),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=30,
)


@given(_documents, st.booleans())
def test_libyaml_and_python_loaders_agree(document: object, flow: bool) -> None:
    # Everything libyaml reads, the pure-Python loader reads the same way
    # (plain scalars as strings, only null typed).
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    python = yamlsafe._Loader(sanitize_text(text))
    try:
        expected = python.get_data()
    except yaml.YAMLError:
        return
    finally:
        python.dispose()
    assert load_yaml(text) == expected
    if (
        yamlsafe._CLOADER is not None
        and yamlsafe._shallow(text)
        and not yamlsafe._PURE_ONLY_RE.search(text)
    ):
        fast = yamlsafe._CLOADER(sanitize_text(text))
        try:
            assert fast.get_data() == expected
        finally:
            fast.dispose()


@given(_documents, st.booleans())
def test_shallow_bounds_the_depth(document: object, flow: bool) -> None:
    # libyaml's composer recurses in C: it only sees documents that provably
    # nest less than half the limit.
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    if yamlsafe._shallow(text):
        assert _depth(document) < yamlsafe.MAX_DEPTH // 2


@pytest.mark.parametrize(
    ("text", "shallow"),
    [
        ("title: Une journée\ndate: 2022-11-27\ntags: [a, b]", True),
        ("[" * 30 + "]" * 30, False),
        ("a:\n" + "".join("  " * i + "- x\n" for i in range(1, 25)), False),
        ("a: " + "- " * 25 + "x", False),
        # a mapping and its indentless sequence share a column: two levels a column
        ("".join(" " * i + "k:\n" + " " * i + "-\n" for i in range(19)) + " " * 19 + "v\n", False),
    ],
)
def test_shallow_sends_deep_documents_to_python(text: str, shallow: bool) -> None:
    assert yamlsafe._shallow(text) is shallow


def _pure(text: str) -> object:
    """What the pure-Python loader alone makes of ``text`` (or the error class)."""
    loader = yamlsafe._Loader(sanitize_text(text))
    try:
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    except Exception:
        return YamlError
    finally:
        loader.dispose()


_YAMLISH = st.lists(
    st.sampled_from([*"ab0é:- \n[]{},'\"#|>&*!?%@`\t\ufeff~.\\", "key: ", "- ", "  "]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_YAMLISH)
def test_load_yaml_reads_as_the_pure_loader_does(text: str) -> None:
    # with or without libyaml, a file's front matter reads the same
    expected = _pure(text)
    if expected is YamlError:
        with pytest.raises(YamlError):
            load_yaml(text)
    else:
        assert load_yaml(text) == expected
