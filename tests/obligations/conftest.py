"""Fixtures of the obligation tests. Django is imported inside the fixtures so that
``test_law_*`` runs with ``-p no:django``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.obligations.models import Obligation
    from tests.conftest import World

# A Monday after the Spring Festival holiday of 2026 (2月15日—23日).
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock() -> Iterator[Any]:
    import time_machine

    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(world: World) -> User:
    from gongkai.accounts.roles import Role
    from tests.conftest import make_user

    return make_user(world.bureau, "officer", Role.DISCLOSURE_OFFICER)


@pytest.fixture
def catalogue(world: World) -> dict[str, Obligation]:
    """The starter 标准目录 of the bureau, by 二级事项."""
    from gongkai.obligations.models import Obligation
    from gongkai.obligations.starter import load_starter

    load_starter(world.bureau)
    return {o.name: o for o in Obligation.objects.filter(unit=world.bureau)}
