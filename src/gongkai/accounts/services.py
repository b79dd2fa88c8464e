"""State changes on units, departments, users and roles.

Each function is one transaction with one audit event; the caller's permission is
checked here, so the console, the API and commands share the same rules.
``actor=None`` means the system itself (the demo loader, a migration).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Department, Unit, UnitKind, User, UserRole
from gongkai.accounts.roles import Role, roles_conflict
from gongkai.audit.services import record_event

UNIT_FIELDS = (
    "name",
    "short_name",
    "org_code",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
)


def _require(allowed: bool, message: str = "您没有执行此操作的权限") -> None:
    if not allowed:
        raise ServiceError(message)


def _check_scope(actor: User | None, unit: Unit | None) -> None:
    if actor is not None and unit is not None:
        _require(permissions.is_in_scope(actor, unit), "该单位不在您的管理范围内")


def create_unit(
    *,
    actor: User | None,
    parent: Unit | None,
    name: str,
    short_name: str,
    org_code: str,
    kind: str = UnitKind.AGENCY,
    **contact: str,
) -> Unit:
    if actor is not None:
        _require(permissions.can_manage_units(actor))
        _require(parent is not None, "只能在本单位之下新建单位")
        _check_scope(actor, parent)
    unknown = set(contact) - set(UNIT_FIELDS)
    if unknown:
        raise ServiceError(f"未知字段：{', '.join(sorted(unknown))}")
    if Unit.objects.filter(name=name).exists():
        raise ServiceError(f"单位名称“{name}”已存在", field="name")
    if Unit.objects.filter(org_code=org_code).exists():
        raise ServiceError(f"组织机构代码“{org_code}”已被使用", field="org_code")
    with transaction.atomic():
        unit = Unit.objects.create(
            parent=parent,
            name=name,
            short_name=short_name,
            org_code=org_code,
            kind=kind,
            **contact,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        record_event(
            actor=actor,
            action="accounts.unit_created",
            summary=f"新建单位：{name}",
            obj=unit,
            unit=unit,
            data={
                "after": {
                    "name": name,
                    "org_code": org_code,
                    "parent": parent.pk if parent else None,
                }
            },
        )
    return unit


def update_unit(*, actor: User | None, unit: Unit, **changes: Any) -> Unit:
    if actor is not None:
        _require(permissions.can_manage_units(actor))
        _check_scope(actor, unit)
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ServiceError(f"未知字段：{', '.join(sorted(unknown))}")
    if (
        "org_code" in changes
        and Unit.objects.exclude(pk=unit.pk)
        .filter(org_code=changes["org_code"])
        .exists()
    ):
        raise ServiceError(
            f"组织机构代码“{changes['org_code']}”已被使用", field="org_code"
        )
    if (
        "name" in changes
        and Unit.objects.exclude(pk=unit.pk).filter(name=changes["name"]).exists()
    ):
        raise ServiceError(f"单位名称“{changes['name']}”已存在", field="name")
    before = {k: getattr(unit, k) for k in changes}
    after = {k: v for k, v in changes.items() if before[k] != v}
    if not after:
        return unit
    with transaction.atomic():
        for key, value in after.items():
            setattr(unit, key, value)
        unit.save(update_fields=list(after))
        record_event(
            actor=actor,
            action="accounts.unit_updated",
            summary=f"修改单位信息：{unit.name}",
            obj=unit,
            unit=unit,
            data={"before": {k: before[k] for k in after}, "after": after},
        )
    return unit


def create_department(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    is_disclosure_office: bool = False,
    phone: str = "",
) -> Department:
    if actor is not None:
        _require(permissions.can_manage_units(actor))
        _check_scope(actor, unit)
    if Department.objects.filter(unit=unit, name=name).exists():
        raise ServiceError(f"本单位已有名为“{name}”的内设机构", field="name")
    if (
        is_disclosure_office
        and Department.objects.filter(unit=unit, is_disclosure_office=True).exists()
    ):
        raise ServiceError(
            "每个单位只能指定一个政府信息公开工作机构", field="is_disclosure_office"
        )
    with transaction.atomic():
        dept = Department.objects.create(
            unit=unit, name=name, is_disclosure_office=is_disclosure_office, phone=phone
        )
        record_event(
            actor=actor,
            action="accounts.department_created",
            summary=f"新建内设机构：{unit.short_name}·{name}",
            obj=dept,
            unit=unit,
            data={
                "after": {"name": name, "is_disclosure_office": is_disclosure_office}
            },
        )
    return dept


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), field="password") from exc


def create_user(
    *,
    actor: User | None,
    unit: Unit,
    username: str,
    password: str,
    full_name: str = "",
    department: Department | None = None,
    phone: str = "",
) -> User:
    if actor is not None:
        _require(permissions.can_manage_users(actor))
        _check_scope(actor, unit)
    if User.objects.filter(username=username).exists():
        raise ServiceError(f"用户名“{username}”已存在", field="username")
    if department is not None and department.unit_id != unit.pk:
        raise ServiceError("内设机构不属于该单位", field="department")
    user = User(
        username=username,
        unit=unit,
        full_name=full_name,
        department=department,
        phone=phone,
    )
    _validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record_event(
            actor=actor,
            action="accounts.user_created",
            summary=f"新建用户：{username}（{unit.short_name}）",
            obj=user,
            unit=unit,
            data={"after": {"username": username, "full_name": full_name}},
        )
    return user


def set_user_active(
    *, actor: User | None, user: User, active: bool, reason: str
) -> User:
    if actor is not None:
        _require(permissions.can_manage_users(actor))
        _check_scope(actor, user.unit)
        _require(actor.pk != user.pk, "不能停用自己的账号")
    if not reason.strip():
        raise ServiceError("请填写原因", field="reason")
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            actor=actor,
            action="accounts.user_activated" if active else "accounts.user_deactivated",
            summary=f"{'启用' if active else '停用'}用户：{user.username}",
            obj=user,
            unit=user.unit,
            data={"reason": reason},
        )
    return user


def change_password(*, actor: User, user: User, password: str) -> None:
    """A user changes their own password, or the security administrator resets it."""
    if actor.pk != user.pk:
        _require(permissions.can_manage_roles(actor))
        _check_scope(actor, user.unit)
    _validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(
            actor=actor,
            action="accounts.password_changed"
            if actor.pk == user.pk
            else "accounts.password_reset",
            summary=f"{'修改' if actor.pk == user.pk else '重置'}密码：{user.username}",
            obj=user,
            unit=user.unit,
        )


def grant_role(*, actor: User | None, user: User, role: str) -> UserRole:
    if actor is not None:
        _require(permissions.can_manage_roles(actor))
        _check_scope(actor, user.unit)
    if role not in Role.values:
        raise ServiceError(f"未知角色：{role}", field="role")
    with transaction.atomic():
        # Lock the user's row so two concurrent grants cannot both pass the
        # separation-of-duties check.
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(UserRole.objects.filter(user=user).values_list("role", flat=True))
        if role in current:
            return UserRole.objects.get(user=user, role=role)
        if conflict := roles_conflict(current, role):
            raise ServiceError(conflict, field="role")
        grant = UserRole.objects.create(user=user, role=role, granted_by=actor)
        user.__dict__.pop("_role_cache", None)
        record_event(
            actor=actor,
            action="accounts.role_granted",
            summary=f"授予 {user.username} 角色：{Role(role).label}",
            obj=user,
            unit=user.unit,
            data={"role": role},
        )
    return grant


def revoke_role(*, actor: User | None, user: User, role: str) -> None:
    if actor is not None:
        _require(permissions.can_manage_roles(actor))
        _check_scope(actor, user.unit)
        if actor.pk == user.pk and role == Role.SECURITY_ADMIN:
            raise ServiceError("不能撤销自己的安全管理员角色")
    with transaction.atomic():
        deleted, _ = UserRole.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise ServiceError("该用户没有此角色", field="role")
        user.__dict__.pop("_role_cache", None)
        record_event(
            actor=actor,
            action="accounts.role_revoked",
            summary=f"撤销 {user.username} 的角色：{Role(role).label}",
            obj=user,
            unit=user.unit,
            data={"role": role},
        )


def unlock_user(*, actor: User, user: User) -> int:
    """Lift a lockout after repeated failed logins (安全管理员)."""
    from axes.utils import reset

    _require(permissions.can_manage_roles(actor))
    _check_scope(actor, user.unit)
    with transaction.atomic():
        count = int(reset(username=user.username) or 0)
        record_event(
            actor=actor,
            action="accounts.user_unlocked",
            summary=f"解除锁定：{user.username}",
            obj=user,
            unit=user.unit,
            data={"attempts_cleared": count},
        )
    return count
