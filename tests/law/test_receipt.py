"""The day of receipt per channel (《政府信息公开条例》第三十一条) and the regime."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.clock import (
    CHANNEL_LABELS,
    REGIME_2008,
    REGIME_2019,
    Channel,
    receipt_date,
    regime_for,
)
from gongkai.law.errors import LawInputError

SUBMITTED = date(2025, 9, 26)
LATER = date(2025, 9, 28)


@pytest.mark.parametrize(
    ("channel", "kwargs", "received", "article"),
    [
        (Channel.in_person, {}, SUBMITTED, "第三十一条第（一）项"),
        (Channel.oral, {}, SUBMITTED, "第三十一条第（一）项"),
        (Channel.registered_post, {"signed_on": LATER}, LATER, "第三十一条第（二）项"),
        (
            Channel.ordinary_letter,
            {"confirmed_on": LATER},
            LATER,
            "第三十一条第（二）项",
        ),
        (Channel.online, {"confirmed_on": LATER}, LATER, "第三十一条第（三）项"),
        (Channel.email, {"confirmed_on": LATER}, LATER, "第三十一条第（三）项"),
        (Channel.fax, {"confirmed_on": LATER}, LATER, "第三十一条第（三）项"),
        (Channel.phone, {"confirmed_on": LATER}, LATER, "参照第三十一条第（三）项"),
        ("online", {"confirmed_on": SUBMITTED}, SUBMITTED, "第三十一条第（三）项"),
    ],
)
def test_each_channel_has_its_receipt_day(
    channel: Channel | str, kwargs: dict[str, date], received: date, article: str
) -> None:
    day, explanation = receipt_date(channel, submitted_on=SUBMITTED, **kwargs)
    assert day == received
    assert f"《政府信息公开条例》{article}" in explanation
    assert received.isoformat() in explanation
    assert "2008年条例" not in explanation


def test_the_explanations_name_the_rule() -> None:
    assert (
        "签收之日"
        in receipt_date(
            Channel.registered_post, submitted_on=SUBMITTED, signed_on=LATER
        )[1]
    )
    assert "代为填写" in receipt_date(Channel.oral, submitted_on=SUBMITTED)[1]
    assert (
        "收到当日与申请人确认"
        in receipt_date(
            Channel.ordinary_letter, submitted_on=SUBMITTED, confirmed_on=LATER
        )[1]
    )
    assert (
        "条例未作规定"
        in receipt_date(Channel.phone, submitted_on=SUBMITTED, confirmed_on=LATER)[1]
    )
    assert (
        "双方确认之日"
        in receipt_date(Channel.fax, submitted_on=SUBMITTED, confirmed_on=LATER)[1]
    )


def test_receipts_before_the_2019_regulation_note_the_gap() -> None:
    _, explanation = receipt_date(Channel.in_person, submitted_on=date(2019, 5, 14))
    assert "2008年条例对收到日期未作规定" in explanation


def test_every_channel_has_a_chinese_label() -> None:
    assert set(CHANNEL_LABELS) == set(Channel)


@pytest.mark.parametrize(
    ("channel", "kwargs", "field"),
    [
        (Channel.registered_post, {}, "signed_on"),
        (Channel.ordinary_letter, {}, "confirmed_on"),
        (Channel.online, {}, "confirmed_on"),
        (Channel.phone, {}, "confirmed_on"),
        (Channel.registered_post, {"signed_on": date(2025, 9, 25)}, "signed_on"),
        (Channel.email, {"confirmed_on": date(2025, 9, 25)}, "confirmed_on"),
        ("pigeon", {}, "channel"),
    ],
)
def test_missing_or_impossible_receipt_data_is_refused(
    channel: Channel | str, kwargs: dict[str, date], field: str
) -> None:
    with pytest.raises(LawInputError) as error:
        receipt_date(channel, submitted_on=SUBMITTED, **kwargs)
    assert error.value.field == field
    assert field in error.value.message


@pytest.mark.parametrize(
    ("received_on", "regime", "reply", "cap"),
    [
        (date(2008, 5, 1), REGIME_2008, 15, 15),
        (date(2019, 5, 14), REGIME_2008, 15, 15),
        (date(2019, 5, 15), REGIME_2019, 20, 20),
        (date(2026, 1, 5), REGIME_2019, 20, 20),
    ],
)
def test_the_regime_follows_the_receipt_date(
    received_on: date, regime: object, reply: int, cap: int
) -> None:
    found = regime_for(received_on)
    assert found is regime
    assert (found.reply_workdays, found.extension_cap) == (reply, cap)


def test_the_regimes_cite_their_articles() -> None:
    assert REGIME_2008.name == "2008"
    assert "第二十四条" in REGIME_2008.citation
    assert REGIME_2019.name == "2019"
    assert REGIME_2019.citation == "《政府信息公开条例》第三十三条"


def test_no_regime_before_the_regulation_took_effect() -> None:
    with pytest.raises(LawInputError) as error:
        regime_for(date(2008, 4, 30))
    assert error.value.field == "received_on"
