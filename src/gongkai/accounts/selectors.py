"""Reads, always scoped by the viewer's unit (a school sees itself; the bureau
sees itself and its schools)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.accounts.models import Department, Unit, User
from gongkai.accounts.roles import Role


def units_visible_to(user: User) -> QuerySet[Unit]:
    if user.unit is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def users_visible_to(user: User) -> QuerySet[User]:
    if user.unit is None:
        return User.objects.none()
    return (
        User.objects.filter(unit__path__startswith=user.unit.path)
        .select_related("unit", "department")
        .prefetch_related("roles")
        .order_by("unit__path", "username")
    )


def departments_of(unit: Unit) -> QuerySet[Department]:
    return Department.objects.filter(unit=unit)


def site_unit() -> Unit | None:
    """The unit the public portal speaks for: the first top-level unit."""
    return (
        Unit.objects.filter(parent__isnull=True, is_active=True)
        .order_by("sort_order", "id")
        .first()
    )


def disclosure_office(unit: Unit) -> Department | None:
    return Department.objects.filter(unit=unit, is_disclosure_office=True).first()


def holders_of(role: str, *, within: Unit) -> QuerySet[User]:
    return User.objects.filter(
        roles__role=role, unit__path__startswith=within.path, is_active=True
    )


def role_labels(user: User) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[r]) for r in sorted(user.role_set()) if r in labels]
