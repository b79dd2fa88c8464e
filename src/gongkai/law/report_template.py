"""The structure of the annual report (年度报告): the 2021 national template
(国办公开办函〔2021〕30号), the 2019 trial format (国办公开办函〔2019〕60号) and the
pre-2019 contents (2008 条例第三十二条), with the row and column keys of the report
JSON (``shared/data/reports/SCHEMA.md``).

The outcome keys of :mod:`gongkai.law.outcomes` (what an application ends in) differ
from the row keys of the report; :data:`OUTCOME_ROW` is the one mapping between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from gongkai.law.errors import LawInputError


class ReportFormat(StrEnum):
    gb2021 = "gb2021"
    gb2019 = "gb2019"
    pre2019 = "pre2019"


FORMAT_LABELS: Final[dict[ReportFormat, str]] = {
    ReportFormat.gb2021: "2021年格式（国办公开办函〔2021〕30号）",
    ReportFormat.gb2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    ReportFormat.pre2019: "2019年以前格式（2008年《政府信息公开条例》第三十二条）",
}


def format_for_year(year: int) -> ReportFormat:
    """The format a report on ``year`` is due in."""
    if year >= 2021:
        return ReportFormat.gb2021
    if year >= 2019:
        return ReportFormat.gb2019
    return ReportFormat.pre2019


def parse_format(value: str) -> ReportFormat:
    try:
        return ReportFormat(value)
    except ValueError:
        raise LawInputError(
            "format",
            f"未知的报告格式（format）：{value}，应为 gb2021、gb2019 或 pre2019",
        ) from None


# Table 三: columns in the order of the template.
COLUMNS: Final[tuple[str, ...]] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)
COLUMN_LABELS: Final[dict[str, str]] = {
    "natural_person": "自然人",
    "commercial_enterprise": "商业企业",
    "research_institution": "科研机构",
    "social_welfare_org": "社会公益组织",
    "legal_service_org": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
ORG_COLUMNS: Final[tuple[str, ...]] = COLUMNS[1:6]


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # the label exactly as in the template
    group: str  # "" or the first-level heading it sits under (（三）不予公开 …)


_G3, _G4, _G5, _G6 = (
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
)

ROWS_2021: Final[tuple[Row, ...]] = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ""),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ""),
    Row("granted", "（一）予以公开", ""),
    Row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
    ),
    Row("withheld_state_secret", "1.属于国家秘密", _G3),
    Row("withheld_other_law_prohibits", "2.其他法律行政法规禁止公开", _G3),
    Row("withheld_three_security_one_stability", "3.危及“三安全一稳定”", _G3),
    Row("withheld_third_party_rights", "4.保护第三方合法权益", _G3),
    Row("withheld_internal_affairs", "5.属于三类内部事务信息", _G3),
    Row("withheld_process_info", "6.属于四类过程性信息", _G3),
    Row("withheld_enforcement_file", "7.属于行政执法案卷", _G3),
    Row("withheld_admin_inquiry", "8.属于行政查询事项", _G3),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", _G4),
    Row("unable_needs_creation", "2.没有现成信息需要另行制作", _G4),
    Row("unable_unclear_after_correction", "3.补正后申请内容仍不明确", _G4),
    Row("notproc_petition_complaint", "1.信访举报投诉类申请", _G5),
    Row("notproc_repeat", "2.重复申请", _G5),
    Row("notproc_publication", "3.要求提供公开出版物", _G5),
    Row("notproc_mass_repeat", "4.无正当理由大量反复申请", _G5),
    Row("notproc_confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", _G5),
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        _G6,
    ),
    Row(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        _G6,
    ),
    Row("other_other", "3.其他", _G6),
    Row("total_processed", "（七）总计", ""),
    Row("carried_forward", "四、结转下年度继续办理", ""),
)
OTHER_ROWS_2021: Final[tuple[str, ...]] = (
    "other_no_correction",
    "other_fee_unpaid",
    "other_other",
)


def _rows_2019() -> tuple[Row, ...]:
    rows: list[Row] = []
    for row in ROWS_2021:
        if row.key == "other_no_correction":
            rows.append(Row("other_processing", _G6, ""))
        elif row.key not in OTHER_ROWS_2021:
            rows.append(row)
    return tuple(rows)


ROWS_2019: Final[tuple[Row, ...]] = _rows_2019()
ROW_LABELS: Final[dict[str, str]] = {r.key: r.label for r in ROWS_2021 + ROWS_2019}
RESULT_HEADING: Final = "三、本年度办理结果"


def rows_of(fmt: ReportFormat) -> tuple[Row, ...]:
    return ROWS_2019 if fmt is ReportFormat.gb2019 else ROWS_2021


def result_rows(fmt: ReportFormat) -> tuple[str, ...]:
    """The leaf rows that add up to （七）总计."""
    keys = [r.key for r in rows_of(fmt)]
    return tuple(keys[keys.index("granted") : keys.index("total_processed")])


# The outcome leaves of an application (gongkai.law.outcomes) → table 三 rows.
OUTCOME_ROW: Final[dict[str, str]] = {
    "granted": "granted",
    "partially_granted": "partially_granted",
    "withheld_state_secret": "withheld_state_secret",
    "withheld_prohibited_by_law": "withheld_other_law_prohibits",
    "withheld_three_safeties": "withheld_three_security_one_stability",
    "withheld_third_party": "withheld_third_party_rights",
    "withheld_internal_affairs": "withheld_internal_affairs",
    "withheld_process_information": "withheld_process_info",
    "withheld_enforcement_file": "withheld_enforcement_file",
    "withheld_query_matter": "withheld_admin_inquiry",
    "unavailable_not_held": "unable_not_held",
    "unavailable_needs_creation": "unable_needs_creation",
    "unavailable_unclear_after_correction": "unable_unclear_after_correction",
    "not_processed_petition": "notproc_petition_complaint",
    "not_processed_repeat": "notproc_repeat",
    "not_processed_publication": "notproc_publication",
    "not_processed_excessive": "notproc_mass_repeat",
    "not_processed_confirmation": "notproc_confirm_or_reissue",
    "other_correction_lapsed": "other_no_correction",
    "other_fee_lapsed": "other_fee_unpaid",
    "other": "other_other",
}
ROW_OUTCOME: Final[dict[str, str]] = {row: key for key, row in OUTCOME_ROW.items()}


def row_for_outcome(outcome_key: str, fmt: ReportFormat = ReportFormat.gb2021) -> str:
    """The table 三 row an application with this outcome is counted in."""
    try:
        row = OUTCOME_ROW[outcome_key]
    except KeyError:
        raise LawInputError(
            "outcome", f"未知的办理结果（outcome）：{outcome_key}"
        ) from None
    if fmt is ReportFormat.gb2019 and row in OTHER_ROWS_2021:
        return "other_processing"
    return row


def empty_rows(fmt: ReportFormat = ReportFormat.gb2021) -> dict[str, list[int]]:
    return {r.key: [0] * len(COLUMNS) for r in rows_of(fmt)}


# Table 四.
APPEAL_GROUPS: Final[tuple[str, ...]] = (
    "administrative_review",
    "litigation_direct",
    "litigation_after_review",
)
APPEAL_GROUP_LABELS: Final[dict[str, str]] = {
    "administrative_review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}
APPEAL_RESULTS: Final[tuple[str, ...]] = ("upheld", "corrected", "other", "pending")
APPEAL_FIELDS: Final[tuple[str, ...]] = (*APPEAL_RESULTS, "total")
APPEAL_FIELD_LABELS: Final[dict[str, str]] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}


def empty_section4() -> dict[str, dict[str, int]]:
    return {g: dict.fromkeys(APPEAL_FIELDS, 0) for g in APPEAL_GROUPS}


# Table 二 (2021 format). Figures from outside the disclosure work are "external".
EXTERNAL_FIGURES: Final[dict[str, str]] = {
    "administrative_licensing_decisions": "行政许可（本年处理决定数量）",
    "administrative_penalty_decisions": "行政处罚（本年处理决定数量）",
    "administrative_coercion_decisions": "行政强制（本年处理决定数量）",
    "administrative_fees_amount_wan_yuan": "行政事业性收费（本年收费金额，万元）",
}


def section2(
    regulations: tuple[int, int, int],
    normative_documents: tuple[int, int, int],
    licensing: int,
    penalty: int,
    coercion: int,
    fees_wan_yuan: float,
) -> dict[str, dict[str, dict[str, int] | int | float]]:
    """Table 二 in the report JSON shape (issued, repealed, in force)."""

    def triple(t: tuple[int, int, int]) -> dict[str, int]:
        return {"issued": t[0], "repealed": t[1], "in_force": t[2]}

    return {
        "art20_1": {
            "regulations": triple(regulations),
            "normative_documents": triple(normative_documents),
        },
        "art20_5": {"administrative_licensing_decisions": licensing},
        "art20_6": {
            "administrative_penalty_decisions": penalty,
            "administrative_coercion_decisions": coercion,
        },
        "art20_8": {"administrative_fees_amount_wan_yuan": fees_wan_yuan},
    }


# Section headings of the 2021 template.
SECTION_HEADINGS: Final[tuple[str, ...]] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
TABLE3_NOTE: Final = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
)

# The pre-2019 figures (the seed report's section 三 to 六).
PRE2019_FIGURES: Final[dict[str, str]] = {
    "items_total": "主动公开政府信息（条）",
    "items_news": "其中：政务及动态类信息（条）",
    "items_guide": "其中：指南类信息（条）",
    "items_document": "其中：文件类信息（条）",
    "government_website": "通过政府网站公开政府信息（条）",
    "public_concern_responses": "回应公众关注热点或重大舆情（条）",
    "wechat_posts": "微信公众号发布信息（条）",
    "applications_total": "受理政府信息公开申请（件）",
    "applications_in_person": "其中：当面提交（件）",
    "applications_online": "其中：网上申请（件）",
    "applications_post": "其中：信函申请（件）",
    "applications_fax": "其中：传真申请（件）",
    "applications_phone": "其中：电话提交（件）",
    "applications_email": "其中：电子邮件提交（件）",
    "fees_yuan": "收取费用（元）",
    "fee_waivers": "减免费用（件）",
    "administrative_reviews": "行政复议（件）",
    "lawsuits": "行政诉讼（件）",
}
