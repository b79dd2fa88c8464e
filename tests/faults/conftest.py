from __future__ import annotations

import pytest

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from tests.catalogue.conftest import School, staff_for
from tests.conftest import World, make_user


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")


@pytest.fixture
def officer(world: World) -> User:
    return make_user(world.bureau, "officer", Role.DISCLOSURE_OFFICER)
