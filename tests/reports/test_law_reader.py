"""The checker reads the shared published reports to exactly their JSON values."""

from __future__ import annotations

import copy

import pytest

from gongkai.law.errors import LawInputError
from gongkai.law.limits import ReportLevel
from gongkai.law.report_html import html_to_text
from gongkai.law.report_reader import check_read_report, check_result, read_report
from gongkai.law.report_template import ReportFormat

from .law_helpers import fixture_json, fixture_text, html_page


@pytest.mark.parametrize("name", ["pingtan-2021", "pingtan-2022"])
def test_the_run_together_text_of_a_2021_format_report_parses_to_its_json(
    name: str,
) -> None:
    want = fixture_json(f"{name}.json")
    report = read_report(fixture_text(f"{name}.txt"))
    result = check_result(report, check_read_report(report))
    assert result["year"] == want["report_year"]
    assert result["format"] == want["format"] == "gb2021"
    assert result["section2"] == want["section2"]
    assert result["section3"]["rows"] == want["section3"]["rows"]
    assert result["section3"]["row_order"] == want["section3"]["row_order"]
    assert result["section4"] == want["section4"]
    assert report.published is not None
    assert report.published.isoformat() == want["published"]
    assert result["errors"] == []


def test_the_pre_2019_statistics_table_parses_to_its_json() -> None:
    want = fixture_json("pingtan-2017.json")
    report = read_report(fixture_text("pingtan-2017.txt"))
    result = check_result(report, check_read_report(report))
    assert result["format"] == "pre2019" and result["year"] == 2017
    assert result["old_format_statistics"] == want["old_format_statistics"]
    assert (
        result["pre2019"]["items_total"] == want["narrative_figures"]["proactive_total"]
    )
    assert "items_document" not in result["pre2019"]  # 规范性文件类 is not 文件类
    assert result["errors"] == [] and result["warnings"] == []


def test_pingtan_2022s_narrative_quoting_75_applications_against_74_is_a_warning() -> (
    None
):
    report = read_report(fixture_text("pingtan-2022.txt"))
    result = check_result(report, check_read_report(report))
    assert result["errors"] == []
    assert "正文称收到政府信息公开申请 75 件，表格为 74 件" in result["warnings"]
    assert "正文称自然人申请 72 件，表格为 71 件" in result["warnings"]
    assert any("超过格式要求" in w for w in result["warnings"])


def test_checking_2022_against_2021_finds_the_cross_year_identities_hold() -> None:
    previous = read_report(fixture_text("pingtan-2021.txt"))
    report = read_report(fixture_text("pingtan-2022.txt"), previous.to_dict())
    findings = check_read_report(report, previous)
    assert not [f for f in findings if f.id.startswith("cross.")]
    assert not [f for f in findings if f.id == "problems.repeated"]


def test_a_deliberately_unbalanced_table_is_an_error() -> None:
    data = copy.deepcopy(fixture_json("pingtan-2022.json"))
    data["section3"]["rows"]["granted"] = [22, 0, 0, 0, 0, 0, 22]
    report = read_report(html_to_text(html_page(data)))
    result = check_result(report, check_read_report(report))
    assert report.rows["granted"] == [22, 0, 0, 0, 0, 0, 22]
    assert any("各项办理结果之和 76 不等于（七）总计 75" in e for e in result["errors"])
    data["section4"]["administrative_review"]["total"] = 3
    report = read_report(html_to_text(html_page(data)))
    assert any(
        f.id == "t4.sum.administrative_review" for f in check_read_report(report)
    )


def test_an_html_page_with_one_cell_per_number_parses_without_guessing() -> None:
    data = fixture_json("pingtan-2022.json")
    page = html_page(data, overview="2022年收到政府信息公开申请74件。2020年的工作……")
    report = read_report(html_to_text(page))
    assert report.title == data["title"] and report.year == 2022
    assert report.rows == data["section3"]["rows"]
    assert report.section2 == data["section2"] and report.section4 == data["section4"]
    ids = {f.id for f in check_read_report(report, level=ReportLevel.department)}
    assert "overview.other_year" in ids and "narrative.applications_received" not in ids
    assert report.notes == []


def test_the_seed_report_yields_the_figures_of_its_prose() -> None:
    report = read_report(fixture_text("seed-xiangqiao-2017.txt"))
    assert report.format is ReportFormat.pre2019 and report.year == 2017
    assert report.level is ReportLevel.department
    assert report.pre2019 == {
        "items_total": 68,
        "items_news": 56,
        "items_guide": 4,
        "items_document": 8,
        "government_website": 26,
        "public_concern_responses": 3,
        "wechat_posts": 169,
        "applications_total": 0,
        "applications_phone": 0,
        "applications_email": 0,
    }
    assert check_read_report(report) == []


def test_a_pre_2019_report_whose_classes_do_not_add_up_is_warned() -> None:
    text = fixture_text("seed-xiangqiao-2017.txt").replace(
        "指南类信息4条", "指南类信息5条"
    )
    findings = check_read_report(read_report(text))
    assert [f.id for f in findings] == ["pre2019.items_sum"]


@pytest.mark.parametrize(
    "text",
    ["", "这是一份会议纪要。", "2017年工作总结：全年召开会议3次。"],
)
def test_a_text_without_report_tables_is_refused_with_a_clear_message(
    text: str,
) -> None:
    with pytest.raises(LawInputError, match="未能在文件中找到"):
        read_report(text)


def test_a_2019_trial_format_table_is_read_with_its_single_other_row() -> None:
    data = copy.deepcopy(fixture_json("pingtan-2022.json"))
    page = html_page(data).replace(
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "甲"
    )
    rows = data["section3"]["rows"]
    other = [
        a + b + c
        for a, b, c in zip(
            rows["other_no_correction"],
            rows["other_fee_unpaid"],
            rows["other_other"],
            strict=True,
        )
    ]
    page = page.replace("<td>1.甲</td>", "<td>（六）其他处理</td>")
    start = page.index("<td>（六）其他处理</td>") + len("<td>（六）其他处理</td>")
    end = page.index("<tr><td>（七）总计")
    page = page[:start] + "".join(f"<td>{v}</td>" for v in other) + "</tr>" + page[end:]
    report = read_report(html_to_text(page))
    assert report.format is ReportFormat.gb2019
    assert report.rows["other_processing"] == other
    assert "2019年试行格式的表二未作解析" in report.notes
    assert not [f for f in check_read_report(report) if f.level == "error"]
