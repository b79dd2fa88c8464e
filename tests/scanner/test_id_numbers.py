"""Resident ID numbers (公民身份号码, GB 11643-1999) and their near misses."""

from __future__ import annotations

import pytest

from gongkai.law.scanner import (
    FindingKind,
    id_check_digit,
    is_valid_id_number,
    scan_text,
)

from .numbers import id_check_char, luhn_ok, make_id, wrong_check_char


def kinds(text: str) -> list[FindingKind]:
    return [f.kind for f in scan_text(text)]


@pytest.mark.parametrize(
    ("region", "born", "sequence"),
    [
        ("440102", "19900307", "123"),  # 广州市荔湾区
        ("445102", "20080229", "046"),  # 潮州市湘桥区, born on a leap day
        ("110105", "19491001", "001"),
        ("820000", "19991231", "998"),  # first digit 8: 港澳台居民居住证
        ("130503", "19670401", "002"),
    ],
)
def test_a_valid_id_number_in_a_sentence_is_reported(
    region: str, born: str, sequence: str
) -> None:
    number = make_id(region, born, sequence)
    text = f"申请人：王小明，公民身份号码{number}，住址略。"
    [finding] = scan_text(text)
    assert finding.kind is FindingKind.id_number
    assert finding.text == number
    assert text[finding.start : finding.end] == number
    assert finding.masked == number[:6] + "********" + number[-4:]


def test_the_check_digit_follows_gb_11643() -> None:
    # The worked example of GB 11643-1999 Annex A.
    assert id_check_digit("11010519491231002") == "X"
    assert is_valid_id_number("11010519491231002X")


def test_an_id_number_ending_in_x_is_reported_in_either_case() -> None:
    number = next(
        make_id("440102", "19850615", f"{n:03}")
        for n in range(1000)
        if id_check_char(f"44010219850615{n:03}") == "X"
    )
    for written in (number, number.lower()):
        [finding] = scan_text(f"身份证：{written}")
        assert finding.kind is FindingKind.id_number
        assert finding.masked.endswith(written[-4:])


def test_an_id_number_with_a_wrong_check_digit_is_not_reported() -> None:
    number = wrong_check_char(make_id())
    assert not luhn_ok(number)  # so that it cannot pass as a bank card either
    assert scan_text(f"身份证号码{number}") == []
    assert not is_valid_id_number(number)


def test_a_mistyped_id_number_that_passes_luhn_is_not_taken_for_a_bank_card() -> None:
    valid = make_id("440102", "19900307", "123")
    mistyped = next(
        candidate
        for check in "0123456789"
        if luhn_ok(candidate := valid[:-1] + check) and candidate != valid
    )
    assert scan_text(f"身份证号码{mistyped}") == []


@pytest.mark.parametrize(
    "born",
    ["19990230", "19991301", "19990100", "18991231", "21000101", "20230229"],
)
def test_an_id_number_with_an_impossible_birth_date_is_not_reported(
    born: str,
) -> None:
    first17 = "440102" + born + "123"
    number = first17 + id_check_char(first17)  # right check digit, wrong date
    assert not is_valid_id_number(number)
    assert FindingKind.id_number not in kinds(f"身份证号码{number}")


@pytest.mark.parametrize("region", ["040102", "940102"])
def test_an_id_number_with_an_impossible_region_is_not_reported(region: str) -> None:
    number = make_id(region, "19900307", "123")
    assert not is_valid_id_number(number)
    assert FindingKind.id_number not in kinds(f"编号{number}")


def test_an_id_number_inside_a_longer_run_of_digits_is_not_reported() -> None:
    number = make_id()
    for text in (f"9{number}", f"{number}7", f"流水号A{number}", f"{number}B"):
        assert FindingKind.id_number not in kinds(text), text
    nineteen = next(number + d for d in "0123456789" if not luhn_ok(number + d))
    assert scan_text(f"流水号{nineteen}。") == []


def test_an_old_15_digit_id_number_is_reported() -> None:
    text = "原身份证号码440102750307123，已换领。"
    [finding] = scan_text(text)
    assert finding.kind is FindingKind.id_number
    assert finding.text == "440102750307123"
    assert finding.masked == "440102*****7123"


@pytest.mark.parametrize(
    "number", ["440102751307123", "440102750230123", "940102750307123"]
)
def test_an_old_15_digit_number_with_an_impossible_date_or_region_is_not_reported(
    number: str,
) -> None:
    assert scan_text(f"号码{number}") == []


def test_full_width_digits_are_read_as_digits() -> None:
    number = make_id()
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    [finding] = scan_text(f"身份证号码：{full_width}")
    assert finding.kind is FindingKind.id_number
    assert finding.text == full_width
    assert finding.masked == full_width[:6] + "********" + full_width[-4:]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12345",
        "44010219900307123",  # 17 digits
        "4401021990030712345",  # 19 digits
        "44010219900307123Y",
        "4401021990030712 3",
    ],
)
def test_is_valid_id_number_rejects_what_is_not_an_id_number(text: str) -> None:
    assert not is_valid_id_number(text)
