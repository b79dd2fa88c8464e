from __future__ import annotations

import re
from datetime import date
from typing import Any

import nh3
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.permissions import is_in_scope
from gongkai.audit.services import record_event
from gongkai.catalogue.models import Item

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "sub",
    "sup",
    "hr",
}
# 文号: 机关代字〔年份〕序号号, e.g. 湘教〔2025〕12号; [] and （） are accepted and normalised.
DOCUMENT_NUMBER = re.compile(
    r"^(?P<prefix>[^\s〔\[（(]{1,30})[〔\[（(](?P<year>\d{4})[〕\]）)](?P<serial>第?\d{1,5})号$"
)


# Two staff on the same item: the second change, based on what the first replaced,
# is refused rather than silently overwriting it.
STALE_MESSAGE = "该信息已被他人修改，请刷新后重试"


def sanitise_body(html: str) -> str:
    """Rich text from the editor, cleaned with nh3 (no scripts, no styles, no events)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer")


def normalise_document_number(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    m = DOCUMENT_NUMBER.match(value)
    if m is None:
        raise ServiceError(
            f"文号“{value}”格式不正确，应为“机关代字〔年份〕序号号”，如：湘教〔2025〕12号",
            field="document_number",
        )
    return f"{m['prefix']}〔{m['year']}〕{m['serial']}号"


def check_dates(
    *, written_on: date | None, formed_on: date, today: date | None = None
) -> None:
    today = today or timezone.localdate()
    if formed_on > today:
        raise ServiceError("形成或变更日期不能晚于今天", field="formed_on")
    if written_on is not None:
        if written_on > today:
            raise ServiceError("成文日期不能晚于今天", field="written_on")
        if written_on > formed_on:
            raise ServiceError("成文日期不能晚于形成或变更日期", field="written_on")


def require(allowed: bool, message: str = "您没有执行此操作的权限") -> None:
    if not allowed:
        raise ServiceError(message)


def require_scope(actor: User, item: Item) -> None:
    require(
        actor.is_active and is_in_scope(actor, item.unit), "该信息不在您的管理范围内"
    )


def audit(
    actor: User | None, item: Item, action: str, summary: str, **data: Any
) -> None:
    record_event(
        actor=actor,
        action=f"catalogue.{action}",
        summary=summary,
        obj=item,
        unit=item.unit,
        data=data,
    )
