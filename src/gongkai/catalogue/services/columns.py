from __future__ import annotations

from django.db import transaction

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.audit.services import record_event
from gongkai.catalogue.models import Column


def create_column(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    slug: str,
    sort_order: int = 0,
    description: str = "",
) -> Column:
    if actor is not None and not (
        permissions.can_manage_units(actor) and permissions.is_in_scope(actor, unit)
    ):
        raise ServiceError("您没有执行此操作的权限")
    if Column.objects.filter(unit=unit, slug=slug).exists():
        raise ServiceError(f"栏目路径“{slug}”已被使用", field="slug")
    if Column.objects.filter(unit=unit, name=name).exists():
        raise ServiceError(f"栏目“{name}”已存在", field="name")
    with transaction.atomic():
        column = Column.objects.create(
            unit=unit,
            name=name,
            slug=slug,
            sort_order=sort_order,
            description=description,
        )
        record_event(
            actor=actor,
            action="catalogue.column_created",
            summary=f"新建栏目：{unit.short_name}·{name}",
            obj=column,
            unit=unit,
            data={"after": {"name": name, "slug": slug}},
        )
    return column
