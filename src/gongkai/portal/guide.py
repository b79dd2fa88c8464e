"""What the 公开指南 says, from the unit's configuration (《政府信息公开条例》第十二条:
分类、编排体系、获取方式和工作机构的名称、办公地址、办公时间、联系电话、传真号码、
互联网联系方式)."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import Unit
from gongkai.accounts.selectors import disclosure_office
from gongkai.catalogue.models import Kind
from gongkai.catalogue.selectors import public_columns
from gongkai.law.fees import per_application_fee, per_page_fee
from gongkai.law.receipt import CHANNEL_LABELS


def guide_context(unit: Unit) -> dict[str, Any]:
    return {
        "unit": unit,
        "office": disclosure_office(unit),
        "columns": list(public_columns(unit)),
        "kinds": list(Kind.objects.all()),
        "channels": [
            label for channel, label in CHANNEL_LABELS.items() if channel != "phone"
        ],
        "fee_application_example": per_application_fee(31),
        "fee_page_example": per_page_fee(250),
    }
