from __future__ import annotations

import pytest

from gongkai.accounts import services
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.audit.models import AuditEvent
from tests.conftest import PASSWORD, World


def test_passwords_are_hashed_with_argon2(world: World) -> None:
    assert world.author.password.startswith("argon2")
    assert world.author.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "太短"),
        ("abcdefghijkl", "一类字符"),
        ("123456789012", "一类字符"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(
    world: World, password: str, message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        services.create_user(
            actor=world.sysadmin, unit=world.bureau, username="weak", password=password
        )
    assert not User.objects.filter(username="weak").exists()


def test_an_administrator_role_is_held_alone(world: World) -> None:
    with pytest.raises(ServiceError, match="三员分立"):
        services.grant_role(
            actor=world.secadmin, user=world.sysadmin, role=Role.AUDIT_ADMIN
        )
    with pytest.raises(ServiceError, match="三员分立"):
        services.grant_role(actor=world.secadmin, user=world.sysadmin, role=Role.AUTHOR)
    with pytest.raises(ServiceError, match="三员分立"):
        services.grant_role(
            actor=world.secadmin, user=world.author, role=Role.SYSTEM_ADMIN
        )


def test_business_roles_combine(world: World) -> None:
    services.grant_role(
        actor=world.secadmin, user=world.author, role=Role.UNIT_REVIEWER
    )
    assert world.author.role_set() == {Role.AUTHOR, Role.UNIT_REVIEWER}


def test_only_the_security_administrator_grants_roles(world: World) -> None:
    with pytest.raises(ServiceError, match="权限"):
        services.grant_role(actor=world.sysadmin, user=world.author, role=Role.SIGNER)


def test_granting_and_revoking_are_audited(world: World) -> None:
    services.grant_role(actor=world.secadmin, user=world.author, role=Role.SIGNER)
    services.revoke_role(actor=world.secadmin, user=world.author, role=Role.SIGNER)
    actions = list(
        AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2]
    )
    assert actions == ["accounts.role_revoked", "accounts.role_granted"]
    assert not world.author.roles.filter(role=Role.SIGNER).exists()


def test_revoking_a_role_the_user_lacks_is_an_error(world: World) -> None:
    with pytest.raises(ServiceError, match="没有此角色"):
        services.revoke_role(actor=world.secadmin, user=world.author, role=Role.SIGNER)


def test_deactivating_needs_a_reason_and_is_audited(world: World) -> None:
    with pytest.raises(ServiceError, match="原因"):
        services.set_user_active(
            actor=world.sysadmin, user=world.author, active=False, reason=" "
        )
    services.set_user_active(
        actor=world.sysadmin, user=world.author, active=False, reason="调离"
    )
    world.author.refresh_from_db()
    assert not world.author.is_active
    assert AuditEvent.objects.order_by("-seq").first().data == {"reason": "调离"}  # type: ignore[union-attr]


def test_a_security_administrator_resets_a_password_within_scope(world: World) -> None:
    services.change_password(
        actor=world.secadmin, user=world.school_a_author, password="New-pass-2026x"
    )
    world.school_a_author.refresh_from_db()
    assert world.school_a_author.check_password("New-pass-2026x")
    with pytest.raises(ServiceError, match="权限"):
        services.change_password(
            actor=world.author, user=world.school_a_author, password="New-pass-2026y"
        )
