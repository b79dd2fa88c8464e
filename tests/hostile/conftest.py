from __future__ import annotations

import pytest

from tests.catalogue.conftest import School, staff_for
from tests.conftest import World


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")
