"""Who may do what: predicates over a user and, where it matters, an object."""

from __future__ import annotations

from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role


def is_in_scope(user: User, unit: Unit) -> bool:
    """A unit is in the user's scope if it is the user's unit or below it."""
    return user.unit is not None and unit.path.startswith(user.unit.path)


def can_manage_units(user: User) -> bool:
    return user.is_active and user.has_role(Role.SYSTEM_ADMIN)


def can_manage_users(user: User) -> bool:
    return user.is_active and user.has_role(Role.SYSTEM_ADMIN)


def can_manage_roles(user: User) -> bool:
    return user.is_active and user.has_role(Role.SECURITY_ADMIN)


def can_read_audit(user: User) -> bool:
    return user.is_active and user.has_role(Role.AUDIT_ADMIN)


def can_view_unit(user: User, unit: Unit) -> bool:
    return user.is_active and is_in_scope(user, unit)
