"""The identities, cross-year and narrative checks, and the template structure."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.law.errors import LawInputError
from gongkai.law.outcomes import OUTCOMES
from gongkai.law.report_checks import (
    Finding,
    check_cross_year,
    check_narrative,
    check_overview,
    check_problems_repeated,
    check_published,
    check_table3,
    check_table4,
    similarity,
    split_findings,
)
from gongkai.law.report_draft import (
    change,
    draft_overview,
    draft_pre2019,
    draft_problems,
)
from gongkai.law.report_template import (
    OUTCOME_ROW,
    PRE2019_FIGURES,
    ROWS_2019,
    ROWS_2021,
    ReportFormat,
    empty_rows,
    empty_section4,
    format_for_year,
    parse_format,
    result_rows,
    row_for_outcome,
    section2,
)

from .law_helpers import fixture_json


def test_the_templates_have_25_and_23_rows_and_every_outcome_has_a_row() -> None:
    assert len(ROWS_2021) == 25 and len(ROWS_2019) == 23
    assert set(OUTCOME_ROW) == {o.key for o in OUTCOMES}
    assert (
        row_for_outcome("withheld_prohibited_by_law") == "withheld_other_law_prohibits"
    )
    assert (
        row_for_outcome("other_fee_lapsed", ReportFormat.gb2019) == "other_processing"
    )
    assert len(result_rows(ReportFormat.gb2021)) == 21
    assert len(result_rows(ReportFormat.gb2019)) == 19
    with pytest.raises(LawInputError, match="approved"):
        row_for_outcome("approved")


@pytest.mark.parametrize(
    ("year", "fmt"),
    [
        (2017, "pre2019"),
        (2018, "pre2019"),
        (2019, "gb2019"),
        (2020, "gb2019"),
        (2021, "gb2021"),
        (2025, "gb2021"),
    ],
)
def test_the_format_follows_the_report_year(year: int, fmt: str) -> None:
    assert format_for_year(year) is parse_format(fmt)


def test_an_unknown_format_is_refused_in_chinese() -> None:
    with pytest.raises(LawInputError, match="未知的报告格式"):
        parse_format("gb2008")


def test_section2_is_built_in_the_schema_shape() -> None:
    want = fixture_json("pingtan-2022.json")["section2"]
    assert section2((0, 0, 0), (88, 55, 698), 10690, 2113, 0, 9116.36) == want
    assert empty_rows()["total_processed"] == [0] * 7
    assert empty_section4()["litigation_direct"]["total"] == 0
    assert "items_total" in PRE2019_FIGURES


def test_the_published_tables_pass_every_identity() -> None:
    for name in ("pingtan-2021.json", "pingtan-2022.json"):
        data = fixture_json(name)
        assert check_table3(data["section3"]["rows"]) == []
        assert check_table4(data["section4"]) == []


def test_each_broken_identity_is_an_error_that_names_the_column_or_row() -> None:
    rows = fixture_json("pingtan-2022.json")["section3"]["rows"]
    broken = dict(rows)
    broken["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    broken["granted"] = [21, 0, 0, 0, 0, 0, 20]
    broken["odd"] = [1, 2]
    ids = {f.id for f in check_table3(broken)}
    assert {"t3.balance.natural_person", "t3.result_sum.total"} <= ids
    assert {"t3.row_total.granted", "t3.width.odd"} <= ids
    errors, warnings = split_findings(check_table3(broken))
    assert warnings == [] and any("本年新收 71 + 上年结转 1 = 72" in e for e in errors)
    s4 = {
        "administrative_review": {
            "upheld": 1,
            "corrected": 0,
            "other": 0,
            "pending": 0,
            "total": 2,
        }
    }
    assert [f.id for f in check_table4(s4)] == ["t4.sum.administrative_review"]


def test_cross_year_differences_are_warnings() -> None:
    y21, y22 = fixture_json("pingtan-2021.json"), fixture_json("pingtan-2022.json")
    assert check_cross_year(y22, y21) == []
    y22["section3"]["rows"]["carried_over"] = [0] * 7
    y22["section2"]["art20_1"]["normative_documents"]["in_force"] = 643
    found = check_cross_year(y22, y21)
    assert [f.id for f in found] == [
        "cross.carried_over",
        "cross.in_force.normative_documents",
    ]
    assert all(f.level == "warning" for f in found)
    assert check_cross_year({}, {}) == []


def test_a_narrative_figure_that_differs_from_the_tables_is_warned() -> None:
    data = fixture_json("pingtan-2022.json")
    said = {
        "applications_received": 74,
        "applications_closed": 75,
        "carried_forward": 1,
        "reviews": 2,
        "lawsuits": 1,
        "normative_docs_in_force": 698,
    }
    assert [f.id for f in check_narrative(said, data)] == ["narrative.carried_forward"]
    assert check_narrative({"reviews": 9}, {}) == []


def test_a_long_overview_and_a_past_year_in_it_are_warned() -> None:
    assert check_overview("2025年，工作顺利。", 2025) == []
    assert check_overview("依据岚综管办〔2021〕39号和规划（2021-2035）。", 2022) == []
    found = check_overview("2024年" + "字" * 1000, 2025)
    assert [f.id for f in found] == ["overview.length", "overview.other_year"]
    assert "2024年" in found[1].message


def test_a_section_five_copied_from_last_year_is_warned() -> None:
    text = "一是政策解读形式单一。二是公开渠道有限。三是平台建设有待加强。"
    assert (
        check_problems_repeated(text, text.replace("三", "3"))[0].id
        == "problems.repeated"
    )
    assert check_problems_repeated(text, "全部重写：新问题与新措施。") == []
    assert similarity("", text) == 0.0


def test_publication_after_the_due_date_is_warned() -> None:
    assert check_published(None, 2025, "department") == []
    assert check_published(date(2026, 1, 31), 2025, "department") == []
    late = check_published(date(2026, 2, 1), 2025, "department")
    assert late[0].message == "发布日期 2026-02-01 晚于法定期限 2026-01-31"
    assert check_published(date(2026, 2, 20), 2025, "county_aggregate") == []


def test_findings_are_json_ready() -> None:
    assert Finding("error", "x", "消息").to_dict() == {
        "level": "error",
        "id": "x",
        "message": "消息",
    }


def test_the_drafted_overview_quotes_the_tables_with_year_on_year_changes() -> None:
    y21, y22 = fixture_json("pingtan-2021.json"), fixture_json("pingtan-2022.json")
    text = draft_overview("平潭综合实验区", y22, y21)
    assert "本年新收政府信息公开申请74件，比上年增加4" in text
    assert "现行有效行政规范性文件698件，比上年增加33" in text
    assert "被申请行政复议2件、被提起行政诉讼1件" in text
    bare = draft_overview("某局", {"report_year": 2025})
    assert bare.startswith("2025年，某局") and "申请" not in bare.split("。", 1)[1]
    assert "比上年" not in draft_overview("某局", y22)
    assert change(3, 3) == "，与上年持平"
    assert change(1.5, 2.0) == "，比上年减少0.5"
    assert change(3, None) == ""
    assert "2026年" in draft_problems(2025)
    figures = dict.fromkeys(PRE2019_FIGURES, 0) | {"items_total": 68}
    assert "累计主动公开政府信息68条" in draft_pre2019("湘桥区教育局", 2017, figures)
