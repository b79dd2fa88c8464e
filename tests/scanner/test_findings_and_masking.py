"""Offsets, contexts, overlaps, fields and masking of findings."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.errors import LawInputError
from gongkai.law.scanner import (
    KIND_LABELS,
    Finding,
    FindingKind,
    ScanPolicy,
    mask_text,
    scan_fields,
    scan_text,
)

from .numbers import make_id

ID = make_id("445102", "19820514", "027")
CARD = "6222 0212 3456 7890 128"

# The kind of text a school posts: a list of admitted pupils with their guardians.
NOTICE = (
    "关于2025年秋季学期学位申请结果的公示\n"
    f"一、王小明，监护人身份证号码{ID}，联系电话13926781234；\n"
    "二、学费退款请汇入 6222 0212 3456 7890 128（工商银行湘桥支行）。\n"
    "如有异议，请致电人秘股 0768-2259400 或发送邮件至 wangxm88@163.com，"
    "办公邮箱 rmg@xq.gov.cn。\n"
    "秘密★1年"
)


def test_findings_carry_python_string_offsets_into_chinese_text() -> None:
    findings = scan_text(NOTICE, field="body")
    assert [f.kind for f in findings] == [
        FindingKind.id_number,
        FindingKind.mobile,
        FindingKind.bank_card,
        FindingKind.email,
        FindingKind.classified_mark,
    ]
    for finding in findings:
        assert NOTICE[finding.start : finding.end] == finding.text
        assert finding.field == "body"
    assert findings[0].start == NOTICE.index(ID)
    assert findings[2].text == CARD
    assert [f.start for f in findings] == sorted(f.start for f in findings)


def test_masking_replaces_each_finding_in_place() -> None:
    masked = mask_text(NOTICE, scan_text(NOTICE))
    assert f"监护人身份证号码{ID[:6]}********{ID[-4:]}，联系电话139****1234；" in masked
    assert "6222 **** **** ***0 128（工商银行" in masked
    assert "w***@163.com，办公邮箱 rmg@xq.gov.cn" in masked
    assert masked.endswith("\n*****")
    assert "0768-2259400" in masked
    assert scan_text(masked) == []


def test_masking_only_the_chosen_findings_leaves_the_others() -> None:
    findings = scan_text(NOTICE)
    chosen = [f for f in findings if f.kind is FindingKind.mobile]
    masked = mask_text(NOTICE, chosen)
    assert "139****1234" in masked and ID in masked


def test_masking_with_no_findings_returns_the_text_unchanged() -> None:
    assert mask_text(NOTICE, []) == NOTICE


def test_a_finding_that_no_longer_matches_the_text_is_refused() -> None:
    [finding] = scan_text("电话13812345678")
    with pytest.raises(LawInputError) as raised:
        mask_text("电话：13812345678", [finding])
    assert raised.value.field == "findings"
    assert "不符" in raised.value.message


def test_an_empty_finding_is_refused() -> None:
    empty = Finding(FindingKind.word_list, "", 0, 0, "")
    with pytest.raises(LawInputError):
        mask_text("正文", [empty])


def test_overlapping_findings_are_refused() -> None:
    text = "电话13812345678"
    [finding] = scan_text(text)
    inner = replace(finding, start=finding.start + 1, text=text[finding.start + 1 :])
    with pytest.raises(LawInputError) as raised:
        mask_text(text, [finding, inner])
    assert "重叠" in raised.value.message


def test_the_context_shows_fifteen_characters_either_side_with_findings_masked() -> (
    None
):
    findings = scan_text(NOTICE)
    mobile = findings[1]
    # 15 characters before: the end of the masked ID number and "，联系电话"; after:
    # the line break shown as a space and the start of the masked card number.
    assert mobile.context == (
        f"******{ID[-4:]}，联系电话139****1234； 二、学费退款请汇入 622"
    )
    assert ID not in "".join(f.context for f in findings)
    assert "wangxm88" not in findings[3].context


def test_a_finding_at_the_edges_of_the_text_has_a_short_context() -> None:
    [finding] = scan_text("13812345678")
    assert finding.context == "138****5678"


def test_a_finding_serialises_to_json() -> None:
    [finding] = scan_text("电话13812345678", field="title")
    assert json.loads(json.dumps(finding.to_dict())) == {
        "kind": "mobile",
        "text": "13812345678",
        "start": 2,
        "end": 13,
        "masked": "138****5678",
        "field": "title",
    }
    assert finding.label == "手机号码"


def test_every_kind_has_a_chinese_label() -> None:
    assert set(KIND_LABELS) == set(FindingKind)
    assert KIND_LABELS[FindingKind.classified_mark] == "密级标志"


def test_the_title_body_and_attachments_are_scanned_part_by_part() -> None:
    policy = ScanPolicy(words=frozenset({"考题"}))
    findings = scan_fields(
        {
            "title": "关于泄露考题的通报",
            "body": "当事人电话13812345678",
            "attachment:名单.xlsx": f"姓名\t身份证号码\n张三\t{ID}",
        },
        policy=policy,
    )
    assert [(f.field, f.kind) for f in findings] == [
        ("title", FindingKind.word_list),
        ("body", FindingKind.mobile),
        ("attachment:名单.xlsx", FindingKind.id_number),
    ]


FILLER = st.text(
    alphabet=st.sampled_from(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质信"
    ),
    max_size=12,
)


@given(
    before=FILLER,
    after=FILLER,
    sequence=st.integers(min_value=0, max_value=999),
    born=st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
)
def test_a_valid_id_number_anywhere_in_chinese_text_is_found_and_masked_away(
    before: str, after: str, sequence: int, born: date
) -> None:
    number = make_id("445102", born.strftime("%Y%m%d"), f"{sequence:03}")
    text = f"{before}身份证{number}。{after}"
    findings = scan_text(text)
    expected = 1900 <= born.year < 2100
    ids = [f for f in findings if f.kind is FindingKind.id_number]
    assert len(ids) == (1 if expected else 0)
    if expected:
        assert ids[0].start == len(before) + 3
        assert ids[0].end == ids[0].start + 18
    assert scan_text(mask_text(text, findings)) == []
