from __future__ import annotations

import pytest

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.applications.services import ApplicantData, RequestData
from tests.conftest import World, make_user

APPLICANT = ApplicantData(
    kind="natural_person",
    name="张三",
    phone="13800138000",
    id_type="居民身份证",
    id_number="440102199001011234",
    address="广东省潮州市湘桥区某路1号",
)
REQUEST = RequestData(
    subject="2025年秋季学期义务教育招生计划",
    description="湘桥区2025年秋季学期各公办小学一年级招生计划及学区划分",
    form_wanted="electronic",
    delivery="email",
)


@pytest.fixture
def officer(world: World) -> User:
    return make_user(world.bureau, "officer", Role.DISCLOSURE_OFFICER)
