"""The day an application counts as received (《政府信息公开条例》第三十一条)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError
from gongkai.law.regime import REGULATION_2019_IN_FORCE


class Channel(StrEnum):
    """How an application reached the disclosure office (第二十九条、第三十一条)."""

    in_person = "in_person"
    oral = "oral"
    registered_post = "registered_post"
    ordinary_letter = "ordinary_letter"
    online = "online"
    email = "email"
    fax = "fax"
    phone = "phone"


CHANNEL_LABELS: Final[dict[Channel, str]] = {
    Channel.in_person: "当面提交",
    Channel.oral: "口头提出（代为填写）",
    Channel.registered_post: "邮寄（挂号信、EMS等需签收）",
    Channel.ordinary_letter: "平常信函",
    Channel.online: "互联网（网上申请）",
    Channel.email: "电子邮件",
    Channel.fax: "传真",
    Channel.phone: "电话",
}


def _after_submission(field: str, label: str, value: date, submitted_on: date) -> None:
    if value < submitted_on:
        raise LawInputError(
            field,
            f"{label}（{field}）{value}不能早于提交日期（submitted_on）{submitted_on}",
        )


def receipt_date(
    channel: Channel | str,
    *,
    submitted_on: date,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> tuple[date, str]:
    """The day of receipt (《政府信息公开条例》第三十一条) and the reason, in Chinese.

    * in person (第一项), and oral applications written down by the office
      (第二十九条第一款): the day submitted;
    * post that is signed for (第二项前段): the day the office signed (``signed_on``);
    * ordinary letters (第二项后段): the day the office confirmed with the applicant,
      which must be the day it arrived (``confirmed_on``);
    * internet, e-mail and fax (第三项): the day both sides confirmed
      (``confirmed_on``);
    * phone: the 条例 does not name it; this project's policy treats it like the
      internet channel (第三项), receipt being the day both sides confirm.

    ``submitted_on`` is the day the applicant handed in, posted or sent the
    application.  Applications received before 2019-05-15 fall under the 2008
    regulation, which had no such rule; the same rule is applied to them.
    """
    try:
        channel = Channel(channel)
    except ValueError:
        raise LawInputError(
            "channel", f"未知的申请渠道（channel）：{channel}"
        ) from None
    if channel in (Channel.in_person, Channel.oral):
        received = submitted_on
        how = (
            "当面提交，以提交之日为收到申请之日"
            if channel is Channel.in_person
            else "口头提出、由政府信息公开工作机构代为填写（第二十九条），"
            "按当面提交处理，以提出之日为收到申请之日"
        )
        article = "第三十一条第（一）项"
    elif channel is Channel.registered_post:
        if signed_on is None:
            raise LawInputError(
                "signed_on", "邮寄需签收的申请须填写签收日期（signed_on）"
            )
        _after_submission("signed_on", "签收日期", signed_on, submitted_on)
        received = signed_on
        how = "以邮寄方式提交，以行政机关签收之日为收到申请之日"
        article = "第三十一条第（二）项"
    else:
        if confirmed_on is None:
            raise LawInputError(
                "confirmed_on",
                f"{CHANNEL_LABELS[channel]}须填写确认日期（confirmed_on）",
            )
        _after_submission("confirmed_on", "确认日期", confirmed_on, submitted_on)
        received = confirmed_on
        if channel is Channel.ordinary_letter:
            how = (
                "以平常信函提交，政府信息公开工作机构于收到当日与申请人确认，"
                "以确认之日为收到申请之日"
            )
            article = "第三十一条第（二）项"
        elif channel is Channel.phone:
            how = (
                "以电话提出，条例未作规定，本系统参照互联网渠道，"
                "以双方确认之日为收到申请之日"
            )
            article = "参照第三十一条第（三）项"
        else:
            how = f"通过{CHANNEL_LABELS[channel]}提交，以双方确认之日为收到申请之日"
            article = "第三十一条第（三）项"
    explanation = f"{how}（《政府信息公开条例》{article}）：{received.isoformat()}"
    if received < REGULATION_2019_IN_FORCE:
        explanation += "；2008年条例对收到日期未作规定，参照现行条例确定"
    return received, explanation
