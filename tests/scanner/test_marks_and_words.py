"""Classification marks (国家秘密标志, GB/T 9704—2012 第7.2.2条) and word lists."""

from __future__ import annotations

import pytest

from gongkai.law.scanner import (
    DEFAULT_CLASSIFIED_MARKS,
    FindingKind,
    ScanPolicy,
    scan_text,
)


def marks(text: str, policy: ScanPolicy | None = None) -> list[str]:
    findings = scan_text(text) if policy is None else scan_text(text, policy=policy)
    assert all(f.kind is FindingKind.classified_mark for f in findings)
    return [f.text for f in findings]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("秘密★1年\n湘桥区教育局关于……的通知", "秘密★1年"),
        ("机密★10年", "机密★10年"),
        ("机密 ★ 5 年", "机密 ★ 5 年"),
        ("绝密★启用前\n2025年潮州市初中学业水平考试 数学试卷", "绝密★启用前"),
        ("秘密★6个月", "秘密★6个月"),
        ("机密★长期", "机密★长期"),
        ("机密★", "机密★"),
        ("００１２３\n秘密★１年", "秘密★１年"),
        ("本文件为机密级，请妥善保管", "机密级"),
        ("密级：秘密", "密级：秘密"),
        ("密级 绝密", "密级 绝密"),
        ("标密：机密", "标密：机密"),
        ("密级：秘密★1年", "密级：秘密★1年"),
        ("内部资料 注意保管", "内部资料"),
        ("仅供内部使用", "内部使用"),
        ("（此件不得外传）", "不得外传"),
        ("内部文件，注意保密", "内部文件"),
    ],
)
def test_a_classification_mark_is_reported(text: str, mark: str) -> None:
    assert marks(text)[0] == mark


def test_a_level_standing_alone_on_its_line_or_in_brackets_is_a_mark() -> None:
    text = "0001\n秘密\n关于……的通知\n　涉密　\r\n附件【机密】 [涉密]（绝密）"
    found = scan_text(text)
    assert [f.text for f in found] == ["秘密", "涉密", "机密", "涉密", "绝密"]
    for finding in found:
        assert text[finding.start : finding.end] == finding.text


def test_every_default_handling_mark_is_reported() -> None:
    text = "；".join(sorted(DEFAULT_CLASSIFIED_MARKS))
    assert sorted(marks(text)) == sorted(DEFAULT_CLASSIFIED_MARKS)


@pytest.mark.parametrize(
    "text",
    [
        "认真做好政府信息公开保密审查工作",
        "学习贯彻《中华人民共和国保守国家秘密法》",
        "严防国家秘密泄露，不得在非涉密计算机上处理涉密信息",
        "组织涉密人员参加保密教育培训",
        "他秘密地离开了会场",
        "保障数据的机密性、完整性和可用性",
        "国家秘密的密级分为“绝密”“机密”“秘密”三级",
        "《内部资料性出版物管理办法》",
        "保密工作领导小组",
        "密级：无",
    ],
)
def test_writing_about_confidentiality_work_is_not_a_mark(text: str) -> None:
    assert scan_text(text) == []


def test_handling_marks_are_configurable() -> None:
    policy = ScanPolicy(classified_marks=frozenset({"涉密", ""}))
    assert marks("组织涉密人员培训", policy) == ["涉密"]
    assert marks("内部资料", policy) == []


def test_a_mark_is_masked_with_as_many_asterisks_as_it_has_characters() -> None:
    [finding] = scan_text("秘密★1年")
    assert finding.masked == "*****"


def test_every_occurrence_of_each_listed_word_is_reported() -> None:
    policy = ScanPolicy(words=frozenset({"某某敏感词", "违禁", ""}))
    text = "违禁品；某某敏感词出现两次：某某敏感词。违禁"
    found = scan_text(text, policy=policy)
    assert [(f.kind, f.text, f.start) for f in found] == [
        (FindingKind.word_list, "违禁", 0),
        (FindingKind.word_list, "某某敏感词", 4),
        (FindingKind.word_list, "某某敏感词", 14),
        (FindingKind.word_list, "违禁", 20),
    ]
    assert found[1].masked == "*****"


def test_of_two_overlapping_words_the_longer_is_reported() -> None:
    policy = ScanPolicy(words=frozenset({"考题", "考题答案"}))
    assert [f.text for f in scan_text("泄露考题答案", policy=policy)] == ["考题答案"]


def test_a_listed_word_inside_a_mark_gives_way_to_the_mark() -> None:
    policy = ScanPolicy(words=frozenset({"秘密"}))
    [finding] = scan_text("秘密★1年", policy=policy)
    assert finding.kind is FindingKind.classified_mark
