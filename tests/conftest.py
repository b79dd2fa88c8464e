"""Shared fixtures: a bureau with two schools and staff in each role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from gongkai.accounts.models import Unit, User

# Models are imported inside the fixtures so that the Django-free tests of
# ``gongkai.law`` can run with the Django plugin disabled.

PASSWORD = "Test-password-2026"


@dataclass
class World:
    bureau: Unit
    school_a: Unit
    school_b: Unit
    sysadmin: User
    secadmin: User
    auditor: User
    author: User
    school_a_author: User
    school_b_author: User


def make_user(unit: Unit, username: str, *roles: str) -> User:
    from gongkai.accounts import services

    user = services.create_user(
        actor=None, unit=unit, username=username, password=PASSWORD
    )
    for role in roles:
        services.grant_role(actor=None, user=user, role=role)
    return user


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest) -> None:
    # Skipped when the Django plugin is off (the law tests run without Django).
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
        # Pages are rendered afresh: inside a test's transaction nothing commits,
        # so nothing would move the page cache on (tests/portal/test_page_cache.py
        # tests the cache itself).
        settings.GONGKAI_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def world(db: None) -> World:
    from gongkai.accounts import services
    from gongkai.accounts.roles import Role

    bureau = services.create_unit(
        actor=None,
        parent=None,
        name="测试区教育局",
        short_name="教育局",
        org_code="000014349",
        phone="2259400",
    )
    school_a = services.create_unit(
        actor=None,
        parent=bureau,
        name="测试第一小学",
        short_name="一小",
        org_code="100000001",
        kind="school",
    )
    school_b = services.create_unit(
        actor=None,
        parent=bureau,
        name="测试第二小学",
        short_name="二小",
        org_code="100000002",
        kind="school",
    )
    return World(
        bureau=bureau,
        school_a=school_a,
        school_b=school_b,
        sysadmin=make_user(bureau, "sys", Role.SYSTEM_ADMIN),
        secadmin=make_user(bureau, "sec", Role.SECURITY_ADMIN),
        auditor=make_user(bureau, "aud", Role.AUDIT_ADMIN),
        author=make_user(bureau, "author", Role.AUTHOR),
        school_a_author=make_user(school_a, "a_author", Role.AUTHOR),
        school_b_author=make_user(school_b, "b_author", Role.AUTHOR),
    )
