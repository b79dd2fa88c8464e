"""Information-processing fees (信息处理费), 国办函〔2020〕109号 第三条至第五条.

Both scales are 超额累进 (第三条): each band's price applies only to the part of the
quantity that falls in that band.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError

MAX_QUANTITY: Final = 100_000


class FeeBasis(StrEnum):
    """按件计收 (第四条) or 按量计收 (第五条)."""

    per_application = "per_application"
    per_page = "per_page"


@dataclass(frozen=True)
class FeeItem:
    """One band of a fee quote: ``quantity`` units at ``unit_yuan``."""

    label: str
    quantity: int
    unit_yuan: int
    amount_yuan: int


@dataclass(frozen=True)
class FeeQuote:
    """A fee worked out band by band (国办函〔2020〕109号)."""

    basis: FeeBasis
    total_yuan: int
    items: tuple[FeeItem, ...]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready data (国办函〔2020〕109号 第三条)."""
        return {
            "basis": str(self.basis),
            "total_yuan": self.total_yuan,
            "items": [
                {
                    "label": item.label,
                    "quantity": item.quantity,
                    "unit_yuan": item.unit_yuan,
                    "amount_yuan": item.amount_yuan,
                }
                for item in self.items
            ],
        }


def _check_quantity(field: str, value: int) -> None:
    if not 0 <= value <= MAX_QUANTITY:
        raise LawInputError(
            field, f"数量（{field}）须在0—{MAX_QUANTITY}之间，收到{value}"
        )


def _quote(
    basis: FeeBasis, quantity: int, bands: list[tuple[int, int | None, int, str]]
) -> FeeQuote:
    items: list[FeeItem] = []
    for first, last, unit, label in bands:
        if quantity < first and items:
            break
        top = quantity if last is None else min(quantity, last)
        count = max(0, top - first + 1)
        items.append(FeeItem(label, count, unit, count * unit))
    return FeeQuote(basis, sum(item.amount_yuan for item in items), tuple(items))


def per_application_fee(applications_this_month: int) -> FeeQuote:
    """按件计收 for one applicant's applications in a calendar month (第四条).

    国办函〔2020〕109号 第四条: up to 10 applications free; the 11th to 30th at 100元
    each; from the 31st, each further band of 10 costs 100元 more per application
    (31–40: 200元, 41–50: 300元, …).  ``applications_this_month`` is the month's
    running total, the applications split by “一事一申请”.
    """
    _check_quantity("applications_this_month", applications_this_month)
    bands: list[tuple[int, int | None, int, str]] = [
        (1, 10, 0, "第1—10件，不收费"),
        (11, 30, 100, "第11—30件，100元/件"),
    ]
    first, unit = 31, 200
    while first <= applications_this_month:
        bands.append((first, first + 9, unit, f"第{first}—{first + 9}件，{unit}元/件"))
        first, unit = first + 10, unit + 100
    return _quote(FeeBasis.per_application, applications_this_month, bands)


def per_page_fee(pages: int) -> FeeQuote:
    """按量计收 for the pages provided for one application (第五条).

    国办函〔2020〕109号 第五条: up to 30 pages free; pages 31–100 at 10元; 101–200 at
    20元; from page 201 at 40元 (250 pages: 70×10 + 100×20 + 50×40 = 4,700元).
    """
    _check_quantity("pages", pages)
    bands: list[tuple[int, int | None, int, str]] = [
        (1, 30, 0, "第1—30页，不收费"),
        (31, 100, 10, "第31—100页，10元/页"),
        (101, 200, 20, "第101—200页，20元/页"),
        (201, None, 40, "第201页以上，40元/页"),
    ]
    return _quote(FeeBasis.per_page, pages, bands)


def quote_fee(
    *, basis: FeeBasis | str | Collection[FeeBasis | str], quantity: int
) -> FeeQuote:
    """The fee for one application on exactly one basis (第三条).

    国办函〔2020〕109号 第三条: the office may choose either scale for an application
    “但不得同时按照两种标准重复计算”; asking for both is refused.
    """
    bases = {basis} if isinstance(basis, str) else set(basis)
    try:
        chosen = {FeeBasis(b) for b in bases}
    except ValueError:
        raise LawInputError("basis", f"未知的计费方式（basis）：{basis}") from None
    if len(chosen) != 1:
        raise LawInputError(
            "basis",
            "每件申请只能选择按件或按量一种标准计收（basis），不得同时按照两种标准"
            "重复计算（国办函〔2020〕109号第三条）",
        )
    if chosen == {FeeBasis.per_application}:
        return per_application_fee(quantity)
    return per_page_fee(quantity)
