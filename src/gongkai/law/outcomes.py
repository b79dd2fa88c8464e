"""The outcomes of a disclosure application: the 21 leaves of table 三 of the annual
report (国办公开办函〔2021〕30号), each with the article it rests on.

Every application ends in exactly one leaf. An application that is split (区分处理,
第三十七条) is counted only as 部分公开. The mapping of decisions to rows follows
LAW.md §1.8 (第三十六条至第三十九条 and the 江苏规范).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class OutcomeGroup(StrEnum):
    """The first-level rows （一）–（六） of 三、本年度办理结果."""

    granted = "granted"  # （一）予以公开
    partially_granted = "partially_granted"  # （二）部分公开
    withheld = "withheld"  # （三）不予公开
    unavailable = "unavailable"  # （四）无法提供
    not_processed = "not_processed"  # （五）不予处理
    other = "other"  # （六）其他处理


GROUP_LABELS: Final[dict[OutcomeGroup, str]] = {
    OutcomeGroup.granted: "（一）予以公开",
    OutcomeGroup.partially_granted: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    OutcomeGroup.withheld: "（三）不予公开",
    OutcomeGroup.unavailable: "（四）无法提供",
    OutcomeGroup.not_processed: "（五）不予处理",
    OutcomeGroup.other: "（六）其他处理",
}


@dataclass(frozen=True)
class Outcome:
    key: str
    group: OutcomeGroup
    label: str  # the row label exactly as in the 2021 template
    basis: str  # the article the decision rests on
    letter_title: str  # the notice sent to the applicant


OUTCOMES: Final[tuple[Outcome, ...]] = (
    Outcome(
        "granted",
        OutcomeGroup.granted,
        "予以公开",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
        "政府信息公开告知书",
    ),
    Outcome(
        "partially_granted",
        OutcomeGroup.partially_granted,
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        "《中华人民共和国政府信息公开条例》第三十七条",
        "政府信息部分公开告知书",
    ),
    Outcome(
        "withheld_state_secret",
        OutcomeGroup.withheld,
        "1.属于国家秘密",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_prohibited_by_law",
        OutcomeGroup.withheld,
        "2.其他法律行政法规禁止公开",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_three_safeties",
        OutcomeGroup.withheld,
        "3.危及“三安全一稳定”",
        "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_third_party",
        OutcomeGroup.withheld,
        "4.保护第三方合法权益",
        "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_internal_affairs",
        OutcomeGroup.withheld,
        "5.属于三类内部事务信息",
        "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_process_information",
        OutcomeGroup.withheld,
        "6.属于四类过程性信息",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_enforcement_file",
        OutcomeGroup.withheld,
        "7.属于行政执法案卷",
        "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
        "政府信息不予公开告知书",
    ),
    Outcome(
        "withheld_query_matter",
        OutcomeGroup.withheld,
        "8.属于行政查询事项",
        "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
        "行政查询事项告知书",
    ),
    Outcome(
        "unavailable_not_held",
        OutcomeGroup.unavailable,
        "1.本机关不掌握相关政府信息",
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
        "政府信息不存在告知书",
    ),
    Outcome(
        "unavailable_needs_creation",
        OutcomeGroup.unavailable,
        "2.没有现成信息需要另行制作",
        "《中华人民共和国政府信息公开条例》第三十八条",
        "政府信息无法提供告知书",
    ),
    Outcome(
        "unavailable_unclear_after_correction",
        OutcomeGroup.unavailable,
        "3.补正后申请内容仍不明确",
        "《中华人民共和国政府信息公开条例》第三十条",
        "政府信息无法提供告知书",
    ),
    Outcome(
        "not_processed_petition",
        OutcomeGroup.not_processed,
        "1.信访举报投诉类申请",
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
        "政府信息公开申请不予处理告知书",
    ),
    Outcome(
        "not_processed_repeat",
        OutcomeGroup.not_processed,
        "2.重复申请",
        "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
        "政府信息公开申请不予重复处理告知书",
    ),
    Outcome(
        "not_processed_publication",
        OutcomeGroup.not_processed,
        "3.要求提供公开出版物",
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
        "政府信息公开申请不予处理告知书",
    ),
    Outcome(
        "not_processed_excessive",
        OutcomeGroup.not_processed,
        "4.无正当理由大量反复申请",
        "《中华人民共和国政府信息公开条例》第三十五条",
        "政府信息公开申请不予处理告知书",
    ),
    Outcome(
        "not_processed_confirmation",
        OutcomeGroup.not_processed,
        "5.要求行政机关确认或重新出具已获取信息",
        "《中华人民共和国政府信息公开条例》第二条、第三十八条",
        "政府信息公开申请不予处理告知书",
    ),
    Outcome(
        "other_correction_lapsed",
        OutcomeGroup.other,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "《中华人民共和国政府信息公开条例》第三十条",
        "政府信息公开申请终止处理告知书",
    ),
    Outcome(
        "other_fee_lapsed",
        OutcomeGroup.other,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "《中华人民共和国政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        "政府信息公开申请终止处理告知书",
    ),
    Outcome(
        "other",
        OutcomeGroup.other,
        "3.其他",
        "《中华人民共和国政府信息公开条例》",
        "政府信息公开申请处理情况告知书",
    ),
)

OUTCOMES_BY_KEY: Final[dict[str, Outcome]] = {o.key: o for o in OUTCOMES}


def outcome(key: str) -> Outcome:
    """The outcome with this key; ``KeyError`` names the unknown key."""
    try:
        return OUTCOMES_BY_KEY[key]
    except KeyError:
        raise KeyError(f"未知的办理结果：{key}") from None


def outcomes_in(group: OutcomeGroup) -> tuple[Outcome, ...]:
    return tuple(o for o in OUTCOMES if o.group == group)
