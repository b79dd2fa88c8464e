from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from gongkai.catalogue.importing.pages import document_number_in, recover_title
from gongkai.catalogue.importing.values import (
    flat_text_to_html,
    parse_date,
    parse_moment,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-12-21", date(2023, 12, 21)),
        ("2023/1/5", date(2023, 1, 5)),
        ("2023.01.05", date(2023, 1, 5)),
        ("20231221", date(2023, 12, 21)),
        ("2023-12-21 14:29", date(2023, 12, 21)),
        ("2023年12月21日", date(2023, 12, 21)),
        ("2025年03月07日", date(2025, 3, 7)),
        ("2023 年 1 月 5 日", date(2023, 1, 5)),
        ("二〇一二年七月十日", date(2012, 7, 10)),
        ("二○一二年十二月二十一日", date(2012, 12, 21)),
        ("２０２３年１２月２１日", date(2023, 12, 21)),
    ],
)
def test_dates_are_read_in_iso_and_nian_yue_ri_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "2023-13-01", "2023年2月30日", "二〇一二年 月 日", "下周一", "21/12/2023"],
)
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_a_publication_time_without_an_offset_is_read_in_beijing_time() -> None:
    beijing = timezone(timedelta(hours=8))
    assert parse_moment("2023-12-21 14:29") == datetime(
        2023, 12, 21, 14, 29, tzinfo=beijing
    )
    assert parse_moment("2023年12月21日") == datetime(2023, 12, 21, tzinfo=beijing)
    assert parse_moment("2023-12-21T06:29:00Z") == datetime(
        2023, 12, 21, 6, 29, tzinfo=UTC
    )


def test_flattened_text_breaks_where_sentences_end_and_enumerations_start() -> None:
    html = flat_text_to_html(
        "各学校： 现将有关事项通知如下。 一、提高认识 二、加强组织 组 长：张三 特此通知。"
    )
    assert html == (
        "<p>各学校：</p><p>现将有关事项通知如下。</p><p>一、提高认识</p>"
        "<p>二、加强组织 组 长：张三 特此通知。</p>"
    )


def test_only_the_number_heading_a_body_is_its_document_number() -> None:
    assert document_number_in("岚农发〔2016〕253号平潭综合实验区农村发展局关于") == (
        "岚农发〔2016〕253号"
    )
    assert document_number_in("福建省教育厅文件 闽教师〔2017〕50号 福建省教育厅") == (
        "闽教师〔2017〕50号"
    )
    assert document_number_in("根据《通知》（闽政[2011]39号）文件精神") == ""


def test_a_cut_title_is_not_extended_into_a_body_that_runs_on() -> None:
    body = "关于做好招生工作的通知" + "各学校要认真落实" * 20
    assert recover_title("关于做好招生...", body) == "关于做好招生..."
