"""Splitting run-together cells with the table identities."""

from __future__ import annotations

from gongkai.law.limits import ReportLevel
from gongkai.law.report_parse import old_statistics, section2, table3, table4
from gongkai.law.report_split import (
    solutions,
    split_table3,
    splits,
    table4_ok,
    tokens_of,
)
from gongkai.law.report_text import (
    level_of,
    published_on,
    report_year,
    sections,
    title_of,
)


def test_a_token_is_split_into_numbers_without_leading_zeros() -> None:
    assert list(splits(["000"], 3)) == [(0, 0, 0)]
    assert (69, 3, 665) in list(splits(["693665"], 3))
    assert list(splits(["05"], 2)) == [(0, 5)]
    assert list(splits(["5", "6"], 1)) == []
    assert list(splits([], 0)) == [()]


def test_table_four_has_one_reading_that_satisfies_its_sums() -> None:
    assert solutions(tokens_of("10203120001200000"), 15, table4_ok) == [
        (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)
    ]


def test_the_column_identities_settle_a_row_the_row_identity_leaves_open() -> None:
    # "000011011" is 0/0/0/0/1/10/11 or 0/0/0/0/11/0/11: both add up to 11.
    segments = {
        "new_received": ["000011011"],
        "carried_over": ["0000000"],
        "granted": ["000011011"],
        "total_processed": ["000011011"],
        "carried_forward": ["0000000"],
    }
    out = split_table3(segments, ["granted"])
    assert out.ambiguous == ["new_received", "granted", "total_processed"]
    assert out.rows["carried_over"] == [0] * 7
    segments["granted"] = ["0", "0", "0", "0", "1", "10", "11"]
    out = split_table3(segments, ["granted"])
    assert out.ambiguous == [] and out.rows["new_received"] == [0, 0, 0, 0, 1, 10, 11]


def test_a_row_that_cannot_hold_seven_numbers_is_reported_unreadable() -> None:
    out = split_table3(
        {"granted": ["12"], "total_processed": ["1", "2", "3", "4", "5", "6", "7"]},
        ["granted"],
    )
    assert out.unreadable == ["granted"]
    assert out.rows["total_processed"] == [1, 2, 3, 4, 5, 6, 7]


def test_rows_that_no_column_identity_satisfies_keep_their_first_reading() -> None:
    segments = {
        "new_received": ["000011011"],
        "carried_over": ["0000000"],
        "granted": ["0000000"],
        "total_processed": ["0000000"],
        "carried_forward": ["0000000"],
    }
    out = split_table3(segments, ["granted"])
    assert out.ambiguous == ["new_received"] and out.rows["new_received"][-1] == 11


def test_an_ambiguous_table_three_row_becomes_a_note() -> None:
    text = (
        "一、本年新收政府信息公开申请数量000011011二、上年结转政府信息公开申请数量0000000"
        "（一）予以公开000011011（七）总计000011011四、结转下年度继续办理0000000"
    )
    found = table3(text)
    assert found is not None and found.notes and "new_received" in found.notes[0]


def test_table_four_notes_ambiguity_and_refuses_what_it_cannot_split() -> None:
    assert table4("没有数字") == (None, [])
    assert table4("1 2 3")[0] is None
    values, notes = table4(" ".join(["1"] * 15))
    assert values is not None and values["litigation_direct"]["total"] == 1
    assert notes == []
    values, notes = table4("0011011" + "0" * 10)
    assert values is not None and notes


def test_section_two_splits_by_plausibility_and_the_previous_year() -> None:
    base = (
        "第二十条第（一）项 规章000行政规范性文件{docs}行政许可5行政处罚6"
        "行政强制0行政事业性收费1.5"
    )
    s2, notes = section2(base.format(docs="8855698"), set())
    assert s2 is not None and notes  # ambiguous without help
    s2, notes = section2(base.format(docs="8855698"), {88, 698})
    assert s2 is not None and notes == []
    assert s2["art20_1"]["normative_documents"] == {
        "issued": 88,
        "repealed": 55,
        "in_force": 698,
    }
    prev = {"section2": {"art20_1": {"normative_documents": {"in_force": 55698}}}}
    s2, _ = section2(base.format(docs="8855698"), set(), prev)
    assert s2 is not None
    assert s2["art20_1"]["normative_documents"] == {
        "issued": 8,
        "repealed": 8,
        "in_force": 55698,
    }
    assert s2["art20_8"]["administrative_fees_amount_wan_yuan"] == 1.5


def test_section_two_refuses_what_it_cannot_read() -> None:
    assert section2("没有表二", set()) == (None, [])
    assert section2("第二十条第（一）项 规章000", set())[1] == [
        "表二缺少“行政规范性文件”一行"
    ]
    broken = "第二十条第（一）项 规章00行政规范性文件000行政许可5行政处罚6行政强制0行政事业性收费1"
    assert section2(broken, set())[1] == ["表二“规章”一行无法读出 3 个数"]
    broken = "第二十条第（一）项 规章000行政规范性文件000行政许可行政处罚6行政强制0行政事业性收费1"
    assert section2(broken, set())[0] is None


def test_the_old_statistics_table_takes_the_year_figure_from_the_prose() -> None:
    text = "主动公开文件数条212210037其中：1、政府网站公开数条5"
    stats, notes = old_statistics(text, 2122)
    assert stats == {"主动公开文件数": {"year": 2122, "cumulative": 10037}}
    assert notes == ["统计表“政府网站公开数”一行无法读出年度数和累计数"]
    assert old_statistics("无统计表", None) == (None, [])


def test_the_header_gives_year_date_title_and_level() -> None:
    assert report_year("统计时限为2022年1月1日至2022年12月31日") == 2022
    assert report_year("标题: 某局2019年度政府信息公开工作年度报告") == 2019
    assert published_on("发布时间: 2023-02-30 15:07") is None
    assert published_on("无日期") is None
    assert title_of("\n\n  首行标题  \n") == "首行标题"
    assert title_of("") == ""
    assert level_of("湘桥区教育局2025年报") is ReportLevel.department
    assert (
        level_of("广东省2025年政府信息公开工作年度报告")
        is ReportLevel.provincial_aggregate
    )
    assert (
        level_of("潮州市2025年政府信息公开工作年度报告")
        is ReportLevel.municipal_aggregate
    )
    assert level_of("平潭综合实验区2022年度报告") is ReportLevel.county_aggregate
    assert level_of("年度报告") is ReportLevel.department
    parts = sections("一、总体情况 甲 五、存在的主要问题 乙")
    assert parts.text("一、总体情况 甲 五、存在的主要问题 乙", 1) == ""
    assert parts.text("一、总体情况 甲 五、存在的主要问题 乙", 4).endswith("乙")
