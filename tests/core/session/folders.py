"""Shared test folders for the live-reload tests: writing files, a small
library folder, and the ids a library holds or a query finds."""

from __future__ import annotations

from pathlib import Path

from reader.core.session.library import Library


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def library_folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    write(
        root / "paris.md",
        "---\ntitle: Paris\nlang: fr\n---\nEmmanuel Macron a reçu Olaf Scholz à Paris.\n",
    )
    write(
        root / "berlin.txt",
        "Berlin\n\nOlaf Scholz spoke in Berlin about the budget.\n",
    )
    write(root / "sub" / "rome.md", "# Rome\n\nGiorgia Meloni met Pope Francis in Rome.\n")
    return root


def ids(library: Library) -> set[str]:
    return {article.id for article in library.articles}


def hit_ids(library: Library, query: str) -> set[str]:
    return {hit.id for hit in library.search(query).hits}
