"""UI test fixtures: pictures that do not depend on the terminal running the tests."""

from __future__ import annotations

import pytest

from reader.ui import terminal_caps


@pytest.fixture(autouse=True)
def terminal_with_italics(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw as for a terminal with italics, whatever ``$TERM`` the tests run under
    (tests of other terminals pass ``italics=False`` to the view)."""
    monkeypatch.setattr(terminal_caps, "terminal_has_italics", lambda: True)
