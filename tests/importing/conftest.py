from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"
PINGTAN = FIXTURES / "pingtan-sample"


def run(*args: str) -> str:
    """``gongkai items …``; its printed output."""
    out = io.StringIO()
    call_command("items", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
