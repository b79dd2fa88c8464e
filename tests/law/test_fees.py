"""Information-processing fees, 国办函〔2020〕109号 第三条至第五条."""

from __future__ import annotations

import json

import pytest

from gongkai.law.errors import LawInputError
from gongkai.law.fees import (
    FeeBasis,
    FeeItem,
    per_application_fee,
    per_page_fee,
    quote_fee,
)


@pytest.mark.parametrize(
    ("applications", "total"),
    [
        (0, 0),
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 2_000),
        (31, 2_200),
        (40, 4_000),
        (41, 4_300),
        (50, 7_000),
        (51, 7_400),
    ],
)
def test_per_application_bands(applications: int, total: int) -> None:
    assert per_application_fee(applications).total_yuan == total


def test_per_application_items_list_each_band() -> None:
    quote = per_application_fee(41)
    assert quote.basis is FeeBasis.per_application
    assert quote.items == (
        FeeItem("第1—10件，不收费", 10, 0, 0),
        FeeItem("第11—30件，100元/件", 20, 100, 2_000),
        FeeItem("第31—40件，200元/件", 10, 200, 2_000),
        FeeItem("第41—50件，300元/件", 1, 300, 300),
    )


def test_the_free_band_is_listed_even_for_nothing() -> None:
    assert per_application_fee(0).items == (FeeItem("第1—10件，不收费", 0, 0, 0),)
    assert per_page_fee(0).items == (FeeItem("第1—30页，不收费", 0, 0, 0),)


@pytest.mark.parametrize(
    ("pages", "total"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2_700),
        (201, 2_740),
        (250, 4_700),
    ],
)
def test_per_page_bands(pages: int, total: int) -> None:
    assert per_page_fee(pages).total_yuan == total


def test_250_pages_cost_4700_yuan_band_by_band() -> None:
    quote = per_page_fee(250)
    assert quote.to_dict() == {
        "basis": "per_page",
        "total_yuan": 4_700,
        "items": [
            {
                "label": "第1—30页，不收费",
                "quantity": 30,
                "unit_yuan": 0,
                "amount_yuan": 0,
            },
            {
                "label": "第31—100页，10元/页",
                "quantity": 70,
                "unit_yuan": 10,
                "amount_yuan": 700,
            },
            {
                "label": "第101—200页，20元/页",
                "quantity": 100,
                "unit_yuan": 20,
                "amount_yuan": 2_000,
            },
            {
                "label": "第201页以上，40元/页",
                "quantity": 50,
                "unit_yuan": 40,
                "amount_yuan": 2_000,
            },
        ],
    }
    assert json.loads(json.dumps(quote.to_dict())) == quote.to_dict()


def test_the_largest_quantity_is_accepted() -> None:
    quote = per_application_fee(100_000)
    assert sum(item.quantity for item in quote.items) == 100_000
    assert quote.items[-1] == FeeItem(
        "第99991—100000件，999800元/件", 10, 999_800, 9_998_000
    )


@pytest.mark.parametrize(
    ("basis", "quantity", "total"),
    [
        (FeeBasis.per_application, 11, 100),
        ("per_page", 31, 10),
        ([FeeBasis.per_page], 250, 4_700),
        ({"per_application", FeeBasis.per_application}, 31, 2_200),
    ],
)
def test_quote_fee_uses_the_one_chosen_basis(
    basis: FeeBasis | str | list[FeeBasis] | set[str], quantity: int, total: int
) -> None:
    assert quote_fee(basis=basis, quantity=quantity).total_yuan == total


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: per_application_fee(-1), "applications_this_month"),
        (lambda: per_application_fee(100_001), "applications_this_month"),
        (lambda: per_page_fee(-5), "pages"),
        (lambda: per_page_fee(1_000_000), "pages"),
        (lambda: quote_fee(basis="per_kilo", quantity=3), "basis"),
        (lambda: quote_fee(basis=["per_application", "per_page"], quantity=3), "basis"),
        (lambda: quote_fee(basis=[], quantity=3), "basis"),
        (lambda: quote_fee(basis="per_page", quantity=-1), "pages"),
    ],
)
def test_bad_fee_input_is_refused(call: object, field: str) -> None:
    with pytest.raises(LawInputError) as error:
        call()  # type: ignore[operator]
    assert error.value.field == field
    assert field in error.value.message


def test_combining_both_bases_cites_article_3() -> None:
    with pytest.raises(LawInputError) as error:
        quote_fee(basis=[FeeBasis.per_application, FeeBasis.per_page], quantity=40)
    assert "不得同时按照两种标准重复计算" in error.value.message
