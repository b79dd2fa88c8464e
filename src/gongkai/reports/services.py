"""Entering the figures of the annual report that come from outside the disclosure
records. Each change: one transaction, one audit event."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role
from gongkai.audit.services import record_event
from gongkai.reports.models import (
    ChannelTally,
    ExternalFigure,
    ExternalKey,
    TallyChannel,
)


def _check_actor(actor: User | None, unit: Unit) -> None:
    if actor is None:
        return
    if not (
        actor.is_active
        and actor.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(actor, unit)
    ):
        raise ServiceError("只有本单位政府信息公开工作机构的工作人员可以录入统计数据")


def _check_year(year: int) -> None:
    if not 2008 <= year <= 2100:
        raise ServiceError(f"年度须在2008—2100年之间，收到{year}", field="year")


def _check_source(source: str) -> str:
    source = source.strip()
    if not source:
        raise ServiceError(
            "请注明数据来源（如：区行政审批局提供的统计表）", field="source"
        )
    return source[:300]


def enter_external_figure(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    key: str,
    value: Decimal | int | float | str,
    source: str,
) -> ExternalFigure:
    """Enter (or correct) one figure of table 二 that the disclosure work does not
    produce: 行政许可/处罚/强制 decisions or the 行政事业性收费 amount (万元)."""
    _check_actor(actor, unit)
    _check_year(year)
    if key not in ExternalKey.values:
        raise ServiceError(f"未知的统计项目：{key}", field="key")
    source = _check_source(source)
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ServiceError(f"数值无效：{value}", field="value") from None
    if not amount.is_finite() or amount < 0:
        raise ServiceError(f"数值不能为负数或非数字：{value}", field="value")
    if key != ExternalKey.FEES and amount != amount.to_integral_value():
        raise ServiceError("处理决定数量须为整数", field="value")
    label = ExternalKey(key).label
    with transaction.atomic():
        figure, created = ExternalFigure.objects.select_for_update().get_or_create(
            unit=unit,
            year=year,
            key=key,
            defaults={"value": amount, "source": source, "entered_by": actor},
        )
        old = None if created else str(figure.value)
        if not created:
            figure.value, figure.source, figure.entered_by = amount, source, actor
            figure.save()
        record_event(
            actor=actor,
            action="reports.external_figure_entered",
            summary=f"录入{year}年{label}：{amount}（来源：{source}）",
            obj=figure,
            unit=unit,
            data={"year": year, "key": key, "value": str(amount), "old": old},
        )
    return figure


def enter_channel_tally(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    channel: str,
    count: int,
    source: str,
) -> ChannelTally:
    """Enter (or correct) the posts on a channel that are not catalogue items."""
    _check_actor(actor, unit)
    _check_year(year)
    if channel not in TallyChannel.values:
        raise ServiceError(f"未知的发布渠道：{channel}", field="channel")
    if count < 0:
        raise ServiceError("发布条数不能为负数", field="count")
    source = _check_source(source)
    label = TallyChannel(channel).label
    with transaction.atomic():
        tally, created = ChannelTally.objects.select_for_update().get_or_create(
            unit=unit,
            year=year,
            channel=channel,
            defaults={"count": count, "source": source, "entered_by": actor},
        )
        old = None if created else tally.count
        if not created:
            tally.count, tally.source, tally.entered_by = count, source, actor
            tally.save()
        record_event(
            actor=actor,
            action="reports.channel_tally_entered",
            summary=f"录入{year}年{label}发布条数：{count}（来源：{source}）",
            obj=tally,
            unit=unit,
            data={"year": year, "channel": channel, "count": count, "old": old},
        )
    return tally
