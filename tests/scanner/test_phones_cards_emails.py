"""Mobile numbers, bank card numbers and personal e-mail addresses."""

from __future__ import annotations

import pytest

from gongkai.law.scanner import FindingKind, ScanPolicy, passes_luhn, scan_text

from .numbers import luhn_ok, make_card, make_id


def only(text: str, policy: ScanPolicy | None = None) -> tuple[FindingKind, str, str]:
    findings = scan_text(text) if policy is None else scan_text(text, policy=policy)
    assert len(findings) == 1, findings
    return findings[0].kind, findings[0].text, findings[0].masked


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("13812345678", "138****5678"),
        ("19945671234", "199****1234"),
        ("138 1234 5678", "138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("+86-138-1234-5678", "+86-138-****-5678"),
        ("8613812345678", "86138****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
    ],
)
def test_a_mobile_number_is_reported_and_keeps_its_first_three_and_last_four_digits(
    written: str, masked: str
) -> None:
    assert only(f"联系电话：{written}。") == (FindingKind.mobile, written, masked)


@pytest.mark.parametrize(
    "text",
    [
        "人秘股电话：0768-2259400",
        "咨询电话2259400，传真（0768）2259401",
        "监督电话：0768-12345678",
        "电话1381234567（少一位）",
        "电话12812345678（第二位不是3—9）",
        "编号138123456789",  # 12 digits
        "湘教〔2025〕12号",
        "索引号：000014349/2017-00110",
        "成文日期：20250930",
        "2017年共发布信息68条，其中政务动态56条",
    ],
)
def test_office_numbers_document_numbers_and_dates_are_not_reported(
    text: str,
) -> None:
    assert scan_text(text) == []


def test_a_bank_card_number_in_groups_of_four_is_reported() -> None:
    card = "6222 0212 3456 7890 128"
    assert luhn_ok(card.replace(" ", ""))
    assert only(f"请汇入账户{card}（工商银行）") == (
        FindingKind.bank_card,
        card,
        "6222 **** **** ***0 128",
    )


@pytest.mark.parametrize(
    "body",
    [
        "622848001234567890",  # 农业银行 19 digits with the check digit
        "621700123456789",  # 建设银行 16
        "411111111111111",  # Visa 16
        "550000000000000",  # Mastercard 16
        "353011133330000",  # JCB 16
    ],
)
def test_a_bank_card_number_passing_luhn_is_reported(body: str) -> None:
    card = make_card(body)
    kind, text, masked = only(f"卡号{card}，户名张某")
    assert (kind, text) == (FindingKind.bank_card, card)
    assert masked == card[:4] + "*" * (len(card) - 8) + card[-4:]


def test_a_bank_card_number_failing_luhn_is_not_reported() -> None:
    card = make_card("622202123456789012")
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert not luhn_ok(wrong)
    assert scan_text(f"卡号{wrong}") == []


def test_a_number_passing_luhn_with_an_implausible_first_digit_is_not_a_bank_card() -> (
    None
):
    # An enterprise's 统一社会信用代码 may be 18 digits starting with 91.
    for number in (make_card("91440101234567890"), make_card("123456789012345")):
        assert scan_text(f"统一社会信用代码{number}") == []


def test_a_valid_id_number_is_not_also_reported_as_a_bank_card() -> None:
    number = next(
        n
        for sequence in range(1000)
        if (n := make_id("440102", "19900307", f"{sequence:03}")).isdigit()
        and luhn_ok(n)
    )
    [finding] = scan_text(f"证件号{number}")
    assert finding.kind is FindingKind.id_number


@pytest.mark.parametrize("digits", ["", "12a4", "4111 1111 1111 1111"])
def test_passes_luhn_takes_only_plain_digits(digits: str) -> None:
    assert passes_luhn(digits) is False


def test_passes_luhn_agrees_with_the_published_algorithm() -> None:
    for number in ("4111111111111111", "6222021234567890128", "79927398713"):
        assert passes_luhn(number) is luhn_ok(number) is True
    assert passes_luhn("79927398710") is False


def test_a_private_email_address_is_reported_with_only_its_first_letter() -> None:
    assert only("来信请寄zhangsan.1990@163.com，谢谢") == (
        FindingKind.email,
        "zhangsan.1990@163.com",
        "z***@163.com",
    )


def test_an_office_address_in_an_allowed_domain_is_not_reported() -> None:
    assert scan_text("联系邮箱：xqjyj@xq.gov.cn 或 rmg@GOV.CN") == []


def test_allowed_domains_are_configurable_and_cover_subdomains_only() -> None:
    policy = ScanPolicy(allowed_email_domains=frozenset({"gov.cn", "@edu.cn"}))
    assert scan_text("教务处 jwc@hs.edu.cn", policy=policy) == []
    assert only("a@notedu.cn", policy)[0] is FindingKind.email
    assert only("a@gov.cn.example.com", policy)[0] is FindingKind.email


def test_email_addresses_can_be_left_unreported() -> None:
    policy = ScanPolicy(flag_emails=False)
    assert scan_text("zhangsan@163.com", policy=policy) == []


def test_an_email_address_made_of_a_mobile_number_is_one_email_finding() -> None:
    assert only("邮箱13812345678@qq.com") == (
        FindingKind.email,
        "13812345678@qq.com",
        "1***@qq.com",
    )


def test_a_mobile_number_before_an_office_address_is_still_reported() -> None:
    [finding] = scan_text("13812345678@xq.gov.cn")
    assert finding.kind is FindingKind.mobile


def test_a_string_that_only_looks_like_an_address_is_not_reported() -> None:
    assert scan_text("用户名@张三 和 a@b 以及 x@y.z") == []
