"""Items published before the platform existed (the 2017 records of the seed
report): created as published on their original date, with an index number of
that year, marked ``imported``. One transaction and one audit event each."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.audit.services import record_event
from gongkai.catalogue.models import Column, Item, ItemRevision, Kind, Status
from gongkai.catalogue.services.common import normalise_document_number, sanitise_body
from gongkai.catalogue.services.publishing import next_index_number
from gongkai.search.services import index_item


def import_published_item(
    *,
    actor: User | None,
    unit: Unit,
    external_id: str,
    column: Column,
    kind: Kind,
    title: str,
    published_on: date,
    written_on: date | None = None,
    document_number: str = "",
    body: str = "",
) -> Item:
    """Record an item published on ``published_on`` in the unit's former system;
    importing the same ``external_id`` again returns the first item."""
    if not external_id.strip():
        raise ServiceError("请填写原系统编号", field="external_id")
    existing = Item.objects.filter(unit=unit, external_id=external_id).first()
    if existing is not None:
        return existing
    title = title.strip()
    if not title or len(title) > 200:
        raise ServiceError("名称须为1至200字", field="title")
    if column.unit_id != unit.pk:
        raise ServiceError("栏目不属于该单位", field="column")
    if published_on > timezone.localdate():
        raise ServiceError("发布日期不能晚于今天", field="published_on")
    if written_on is not None and written_on > published_on:
        raise ServiceError("成文日期不能晚于发布日期", field="written_on")
    published_at = datetime.combine(
        published_on, time(9, 0), tzinfo=timezone.get_current_timezone()
    )
    with transaction.atomic():
        item = Item.objects.create(
            unit=unit,
            status=Status.PUBLISHED,
            external_id=external_id,
            imported=True,
            published_at=published_at,
            author=actor,
        )
        revision = ItemRevision.objects.create(
            item=item,
            number=1,
            column=column,
            kind=kind,
            title=title,
            body=sanitise_body(body),
            document_number=normalise_document_number(document_number),
            written_on=written_on,
            formed_on=written_on or published_on,
            created_by=actor,
        )
        item.draft_revision = revision
        item.published_revision = revision
        item.is_public = True
        item.index_number = next_index_number(unit, published_on.year)
        item.save(
            update_fields=[
                "draft_revision",
                "published_revision",
                "is_public",
                "index_number",
            ]
        )
        index_item(item)
        record_event(
            actor=actor,
            action="reports.historical_item_imported",
            summary=f"导入历史信息：{title}（{published_on} 发布）",
            obj=item,
            unit=unit,
            data={"external_id": external_id, "published_on": published_on},
        )
    return item
