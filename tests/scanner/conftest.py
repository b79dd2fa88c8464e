"""Fixtures of the scanner tests.

The scanner's own tests import no Django and also run with ``-p no:django``; the
tests of the ``scan`` command need Django and are left out in that case.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name == "test_scan_command.py":
        return not config.pluginmanager.hasplugin("django") or None
    return None


@pytest.fixture(autouse=True)
def _cheap_password_hashing() -> None:
    """Replace the project-wide fixture that needs Django's ``settings``."""
