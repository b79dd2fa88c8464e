from __future__ import annotations

import pytest


@pytest.fixture
def demo(db: None) -> None:
    """The demo bureau with its annual-report records."""
    from gongkai.core.demo import load_demo
    from gongkai.reports.demo import load_report_demo

    load_demo()
    load_report_demo()
