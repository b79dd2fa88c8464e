"""State changes of the 标准目录: each is one transaction with one audit event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.audit.services import record_event
from gongkai.catalogue.models import Item, Status
from gongkai.law import obligations as rules
from gongkai.law.errors import LawInputError
from gongkai.obligations.models import (
    Audience,
    Exemption,
    Mode,
    Obligation,
    ObligationLink,
)
from gongkai.obligations.permissions import (
    can_edit_catalogue,
    can_exempt,
    can_link_items,
)
from gongkai.obligations.selectors import applies_to

LEVELS = ("县级", "乡级")
FIELDS = (
    "number",
    "category",
    "name",
    "elements",
    "basis",
    "time_rule",
    "for_owner",
    "for_schools",
    "named_units",
    "channels",
    "audience",
    "mode",
    "levels",
    "keywords",
    "effective_from",
)
_ELEMENT_SPLIT = re.compile(r"[\n●•■◆▪；;]+")
_WORD_SPLIT = re.compile(r"[\s,，、;；/]+")


def _require(allowed: bool, message: str = "您没有执行此操作的权限") -> None:
    if not allowed:
        raise ServiceError(message)


def _text(data: dict[str, Any], key: str, label: str, limit: int) -> str:
    value = str(data.get(key) or "").strip()
    if len(value) > limit:
        raise ServiceError(f"{label}不能超过{limit}字", field=key)
    return value


def split_elements(text: str) -> list[str]:
    return [e.strip() for e in _ELEMENT_SPLIT.split(text) if e.strip()]


def clean_levels(text: str) -> str:
    parts = [p for p in _WORD_SPLIT.split(text.strip()) if p] or ["县级"]
    unknown = [p for p in parts if p not in LEVELS]
    if unknown:
        raise ServiceError(
            f"公开层级“{'、'.join(unknown)}”无效，应为“县级”或“乡级”", field="levels"
        )
    return "、".join(level for level in LEVELS if level in parts)


def clean_time_rule(text: str) -> str:
    try:
        return rules.parse_time_rule(text).text
    except LawInputError as exc:
        raise ServiceError(exc.message, field="time_rule") from exc


def clean_fields(owner: Unit, data: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised fields of an obligation kept by ``owner``."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ServiceError(f"未知字段：{', '.join(sorted(unknown))}")
    category = _text(data, "category", "一级事项", 60)
    name = _text(data, "name", "二级事项", 100)
    if not category:
        raise ServiceError("请填写一级事项", field="category")
    if not name:
        raise ServiceError("请填写二级事项", field="name")
    named: list[Unit] = list(data.get("named_units") or [])
    for unit in named:
        if unit.pk == owner.pk or not unit.path.startswith(owner.path):
            raise ServiceError(
                f"“{unit.name}”不是{owner.short_name}的下属单位", field="named_units"
            )
    for_owner, for_schools = bool(data.get("for_owner")), bool(data.get("for_schools"))
    if not (for_owner or for_schools or named):
        raise ServiceError("请至少选择一个公开主体", field="for_owner")
    audience = str(data.get("audience") or Audience.PUBLIC)
    if audience not in Audience.values:
        raise ServiceError("公开对象应为“全社会”或“特定群体”", field="audience")
    mode = str(data.get("mode") or Mode.PROACTIVE)
    if mode not in Mode.values:
        raise ServiceError("公开方式应为“主动”或“依申请”", field="mode")
    number = data.get("number")
    if number is not None and not (isinstance(number, int) and 0 <= number <= 99999):
        raise ServiceError("序号应为0—99999的整数", field="number")
    effective_from = data.get("effective_from") or date(timezone.localdate().year, 1, 1)
    return {
        "number": number,
        "category": category,
        "name": name,
        "elements": "\n".join(split_elements(str(data.get("elements") or ""))),
        "basis": _text(data, "basis", "公开依据", 2000),
        "time_rule": clean_time_rule(str(data.get("time_rule") or "")),
        "for_owner": for_owner,
        "for_schools": for_schools,
        "named_units": named,
        "channels": _text(data, "channels", "公开渠道和载体", 200),
        "audience": audience,
        "mode": mode,
        "levels": clean_levels(str(data.get("levels") or "")),
        "keywords": "、".join(
            w
            for w in _WORD_SPLIT.split(_text(data, "keywords", "匹配关键词", 200))
            if w
        ),
        "effective_from": effective_from,
    }


def _next_number(owner: Unit) -> int:
    top = Obligation.objects.filter(unit=owner).aggregate(n=Max("number"))["n"]
    return (top or 0) + 1


def _check_unique(owner: Unit, category: str, name: str, pk: int | None) -> None:
    clash = Obligation.objects.filter(unit=owner, category=category, name=name)
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        raise ServiceError(f"事项“{category}›{name}”已存在", field="name")


def _audit(
    actor: User | None, obj: Obligation, action: str, summary: str, **data: Any
) -> None:
    record_event(
        actor=actor,
        action=f"obligations.{action}",
        summary=summary,
        obj=obj,
        unit=obj.unit,
        data=data,
    )


def save_obligation(owner: Unit, data: dict[str, Any], *, pk: int | None) -> Obligation:
    """Create or update from cleaned fields (inside the caller's transaction)."""
    named = data.pop("named_units")
    _check_unique(owner, data["category"], data["name"], pk)
    if data["number"] is None:
        data["number"] = (
            Obligation.objects.get(pk=pk).number if pk else _next_number(owner)
        )
    if pk is None:
        obligation = Obligation.objects.create(unit=owner, **data)
    else:
        obligation = Obligation.objects.select_for_update().get(pk=pk)
        for key, value in data.items():
            setattr(obligation, key, value)
        obligation.save()
    obligation.named_units.set(named)
    return obligation


def create_obligation(*, actor: User | None, unit: Unit, **fields: Any) -> Obligation:
    """A new row of ``unit``'s catalogue (``actor`` None: the system, e.g. import
    from the command line)."""
    _require(
        actor is None or can_edit_catalogue(actor, unit),
        "只有公开办工作人员可以编辑标准目录",
    )
    data = clean_fields(unit, fields)
    with transaction.atomic():
        obligation = save_obligation(unit, data, pk=None)
        _audit(actor, obligation, "created", f"新增公开事项：{obligation}")
    return obligation


def update_obligation(
    *, actor: User | None, obligation: Obligation, **fields: Any
) -> Obligation:
    owner = obligation.unit
    _require(
        actor is None or can_edit_catalogue(actor, owner),
        "只有公开办工作人员可以编辑标准目录",
    )
    current = {f: getattr(obligation, f) for f in FIELDS if f != "named_units"}
    current["named_units"] = list(obligation.named_units.all())
    data = clean_fields(owner, current | fields)
    with transaction.atomic():
        before = str(obligation)
        saved = save_obligation(owner, data, pk=obligation.pk)
        _audit(actor, saved, "updated", f"修改公开事项：{before}", before=before)
    return saved


def delete_obligation(*, actor: User | None, obligation: Obligation) -> None:
    _require(
        actor is None or can_edit_catalogue(actor, obligation.unit),
        "只有公开办工作人员可以编辑标准目录",
    )
    with transaction.atomic():
        locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
        if locked.links.exists():
            raise ServiceError("该事项已关联信息，不能删除；可修改其内容")
        _audit(actor, locked, "deleted", f"删除公开事项：{locked}", pk=locked.pk)
        locked.delete()


@dataclass(frozen=True)
class LinkChoice:
    obligation: Obligation
    period: rules.Period


def check_link(item: Item, obligation: Obligation, period: str = "") -> LinkChoice:
    """The obligation and period an item may be linked to, or a refusal."""
    if item.status == Status.WITHDRAWN:
        raise ServiceError("已撤回的信息不能关联公开事项")
    if not applies_to(obligation, item.unit):
        raise ServiceError(
            f"事项“{obligation}”不适用于{item.unit.name}", field="obligation"
        )
    revision = item.published_revision if item.is_public else item.draft_revision
    assert revision is not None
    rule = rules.parse_time_rule(obligation.time_rule)
    try:
        chosen = (
            rules.parse_period(rule, period)
            if period.strip()
            else rules.suggest_period(rule, revision.formed_on)
        )
    except LawInputError as exc:
        raise ServiceError(exc.message, field="period") from exc
    if abs(chosen.year - revision.formed_on.year) > 1:
        raise ServiceError(
            f"期间{chosen.label}与信息形成日期{revision.formed_on}相差超过一年",
            field="period",
        )
    return LinkChoice(obligation, chosen)


def link_item(
    *, actor: User, item: Item, obligation: Obligation, period: str = ""
) -> ObligationLink:
    """Confirm the obligation an item fulfils (replacing an earlier link)."""
    _require(
        can_link_items(actor, item.unit),
        "只有本单位的撰稿人或公开办工作人员可以关联公开事项",
    )
    choice = check_link(item, obligation, period)
    with transaction.atomic():
        Item.objects.select_for_update().get(pk=item.pk)
        link, created = ObligationLink.objects.update_or_create(
            item=item,
            defaults={
                "obligation": obligation,
                "period": choice.period.key,
                "year": choice.period.year,
                "linked_by": actor,
            },
        )
        record_event(
            actor=actor,
            action="obligations.item_linked",
            summary=f"关联公开事项：#{item.pk} → {obligation}（{choice.period.label}）",
            obj=item,
            unit=item.unit,
            data={"obligation": obligation.pk, "period": link.period, "new": created},
        )
    return link


def unlink_item(*, actor: User, item: Item) -> None:
    _require(
        can_link_items(actor, item.unit),
        "只有本单位的撰稿人或公开办工作人员可以关联公开事项",
    )
    with transaction.atomic():
        link = ObligationLink.objects.select_for_update().filter(item=item).first()
        if link is None:
            raise ServiceError("该信息没有关联公开事项")
        record_event(
            actor=actor,
            action="obligations.item_unlinked",
            summary=f"取消关联公开事项：#{item.pk} ↛ {link.obligation}",
            obj=item,
            unit=item.unit,
            data={"obligation": link.obligation_id, "period": link.period},
        )
        link.delete()


def exempt_unit(
    *, actor: User, obligation: Obligation, unit: Unit, year: int, reason: str
) -> Exemption:
    """Mark an obligation as not applicable to a unit for a year, with the reason."""
    _require(can_exempt(actor, unit), "只有公开办工作人员可以标记不适用")
    reason = reason.strip()
    if not reason:
        raise ServiceError("请说明不适用的原因", field="reason")
    if len(reason) > 200:
        raise ServiceError("原因不能超过200字", field="reason")
    if not 2000 <= year <= 2100:
        raise ServiceError("年度须在2000—2100之间", field="year")
    if not applies_to(obligation, unit):
        raise ServiceError(f"事项“{obligation}”本就不适用于{unit.name}")
    with transaction.atomic():
        if Exemption.objects.filter(
            obligation=obligation, unit=unit, year=year
        ).exists():
            raise ServiceError(f"{unit.short_name}{year}年已标记为不适用", field="year")
        exemption = Exemption.objects.create(
            obligation=obligation,
            unit=unit,
            year=year,
            reason=reason,
            granted_by=actor,
        )
        record_event(
            actor=actor,
            action="obligations.exempted",
            summary=f"标记不适用：{unit.short_name} {year}年 {obligation}（{reason}）",
            obj=obligation,
            unit=unit,
            data={"year": year, "reason": reason},
        )
    return exemption


def revoke_exemption(*, actor: User, exemption: Exemption) -> None:
    _require(can_exempt(actor, exemption.unit), "只有公开办工作人员可以撤销不适用")
    with transaction.atomic():
        record_event(
            actor=actor,
            action="obligations.exemption_revoked",
            summary=f"撤销不适用：{exemption.unit.short_name} {exemption.year}年 {exemption.obligation}",
            obj=exemption.obligation,
            unit=exemption.unit,
            data={"year": exemption.year},
        )
        exemption.delete()
