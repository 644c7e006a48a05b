"""Fixtures shared by the store tests."""

from __future__ import annotations

import pytest

from reader.core.store import scan as scan_module


@pytest.fixture
def no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test just wrote get stat keys (the racy rule has its own tests
    in test_scan.py): their ctime is now, and no program can set it back."""
    monkeypatch.setattr(scan_module, "RACY_NS", -(10**12))
