"""The on-disk index: reopened as it was, rebuilt (never trusted, never a
crash) when stale or damaged."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.search import SearchIndex
from tests.core.search.test_search_index import CORPUS

BY_ID = {a.id: a for a in CORPUS}
QUERIES = ["louhansk", "otan", '"maintien de la paix"', "title:paix", "date:2022-02", "pou*"]


def answers(index: SearchIndex) -> dict[str, list[tuple[str, float]]]:
    return {q: [(h.id, round(h.score, 6)) for h in index.search(q, limit=20).hits] for q in QUERIES}


def built(path: Path) -> dict[str, list[tuple[str, float]]]:
    index = SearchIndex(path)
    assert index.needs_rebuild  # nothing there yet
    index.build(CORPUS, entities=lambda a: {"person": ["Vladimir Poutine"]})
    found = answers(index)
    del index
    gc.collect()  # the writer's lock goes with it
    return found


def test_reopened_as_built(tmp_path: Path) -> None:
    expected = built(tmp_path / "index")
    again = SearchIndex(tmp_path / "index", articles=BY_ID.get)
    assert not again.needs_rebuild
    assert len(again) == len(CORPUS)
    assert answers(again) == expected
    assert "donbass" in again
    assert again.search("person:poutine").total == len(CORPUS)
    # incremental changes are kept
    assert again.remove("donbass")
    changed = replace(BY_ID["donbass"], title="Zanzibar")
    again.add(changed)
    again.commit()
    del again
    gc.collect()
    third = SearchIndex(tmp_path / "index", articles={**BY_ID, "donbass": changed}.get)
    assert [h.id for h in third.search("zanzibar").hits] == ["donbass"]
    assert len(third) == len(CORPUS)


@pytest.mark.parametrize(
    "damage",
    ["stamp", "no stamp", "meta", ".idx", ".pos", ".term", ".store", ".fast", ".fieldnorm"],
)
def test_stale_or_damaged_is_rebuilt(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "index"
    expected = built(folder)
    if damage == "stamp":
        (folder / "VERSION").write_text("0:another version", encoding="utf-8")
    elif damage == "no stamp":
        (folder / "VERSION").unlink()
    elif damage == "meta":
        (folder / "articles" / "meta.json").write_text("{", encoding="utf-8")
    else:
        for part in (folder / "articles").iterdir():
            if part.suffix == damage:
                part.write_bytes(b"\0" * part.stat().st_size)
    index = SearchIndex(folder, articles=BY_ID.get)
    assert index.needs_rebuild
    assert len(index) == 0
    assert index.search("louhansk").total == 0
    index.build(CORPUS, entities=lambda a: {"person": ["Vladimir Poutine"]})
    assert not index.needs_rebuild
    assert answers(index) == expected
