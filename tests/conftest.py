"""Shared fixtures: paths to the bundled articles and the user's sample."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "articles"
SAMPLE = ARTICLES / "fr-poutine-maintien-de-la-paix-donbass.txt"
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def private_state_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test keeps its reading state, config and cache in a temporary folder."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("READER_STATE_DIR", str(state))
    monkeypatch.setenv("READER_CONFIG", str(state / "config.yaml"))
    monkeypatch.setenv("READER_CACHE_DIR", str(state / "cache"))
    return state


@pytest.fixture
def articles_dir() -> Path:
    return ARTICLES


@pytest.fixture
def sample_path() -> Path:
    return SAMPLE


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The app's current screen as plain text lines (what a person sees)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(screen_lines(app))
