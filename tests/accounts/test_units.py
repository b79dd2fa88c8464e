from __future__ import annotations

import pytest

from gongkai.accounts import services
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit
from gongkai.accounts.selectors import units_visible_to, users_visible_to
from gongkai.audit.models import AuditEvent
from tests.conftest import World


def test_units_form_a_tree_with_materialised_paths(world: World) -> None:
    assert world.bureau.path == f"/{world.bureau.pk}/"
    assert world.school_a.path == f"/{world.bureau.pk}/{world.school_a.pk}/"
    assert world.school_a.depth == 1


def test_bureau_sees_itself_and_its_schools_a_school_sees_only_itself(
    world: World,
) -> None:
    assert set(units_visible_to(world.author)) == {
        world.bureau,
        world.school_a,
        world.school_b,
    }
    assert list(units_visible_to(world.school_a_author)) == [world.school_a]
    assert set(users_visible_to(world.school_a_author)) == {world.school_a_author}


def test_creating_a_unit_writes_one_audit_event_in_the_same_transaction(
    world: World,
) -> None:
    before = AuditEvent.objects.count()
    unit = services.create_unit(
        actor=world.sysadmin,
        parent=world.bureau,
        name="测试中学",
        short_name="中学",
        org_code="100000003",
        kind="school",
    )
    event = AuditEvent.objects.get(seq=before + 1)
    assert event.action == "accounts.unit_created"
    assert event.actor == world.sysadmin
    assert event.object_id == str(unit.pk)
    assert AuditEvent.objects.count() == before + 1


def test_a_duplicate_organisation_code_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    count = Unit.objects.count()
    with pytest.raises(ServiceError, match="组织机构代码") as exc:
        services.create_unit(
            actor=world.sysadmin,
            parent=world.bureau,
            name="另一所学校",
            short_name="另校",
            org_code="100000001",
        )
    assert exc.value.field == "org_code"
    assert Unit.objects.count() == count


def test_only_the_system_administrator_creates_units(world: World) -> None:
    with pytest.raises(ServiceError, match="权限"):
        services.create_unit(
            actor=world.author,
            parent=world.bureau,
            name="X学校",
            short_name="X",
            org_code="100000009",
        )


def test_a_school_administrator_cannot_create_units_outside_the_school(
    world: World,
) -> None:
    from gongkai.accounts.roles import Role
    from tests.conftest import make_user

    admin = make_user(world.school_a, "a_sys", Role.SYSTEM_ADMIN)
    with pytest.raises(ServiceError, match="管理范围"):
        services.create_unit(
            actor=admin,
            parent=world.school_b,
            name="Y学校",
            short_name="Y",
            org_code="100000010",
        )


def test_a_unit_has_at_most_one_disclosure_office(world: World) -> None:
    services.create_department(
        actor=None, unit=world.bureau, name="人秘股", is_disclosure_office=True
    )
    with pytest.raises(ServiceError, match="只能指定一个"):
        services.create_department(
            actor=None, unit=world.bureau, name="办公室", is_disclosure_office=True
        )


def test_updating_a_unit_records_before_and_after(world: World) -> None:
    services.update_unit(actor=world.sysadmin, unit=world.bureau, phone="0768-2259400")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert event.data == {
        "before": {"phone": "2259400"},
        "after": {"phone": "0768-2259400"},
    }


def test_an_update_that_changes_nothing_writes_no_event(world: World) -> None:
    count = AuditEvent.objects.count()
    services.update_unit(actor=world.sysadmin, unit=world.bureau, phone="2259400")
    assert AuditEvent.objects.count() == count
