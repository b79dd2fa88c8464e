"""Decision letters and notices: their elements, the PDF and Word renderings, and the
download views."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import include, path, reverse
from docx import Document
from docx.oxml.ns import qn

from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.applications import services, urls_documents
from gongkai.applications.letters import (
    LetterKind,
    LetterUnavailable,
    available_letters,
    letter_context,
    render_letter_docx,
    render_letter_pdf,
)
from gongkai.applications.models import Application
from gongkai.console import urls as console_urls
from tests.applications.conftest import APPLICANT, REQUEST
from tests.conftest import World, make_user

TODAY = date(2025, 12, 31)
IDENTITY = APPLICANT.id_number
IDENTITY_MASKED = "440102********1234"
ELEMENTS = (
    "title",
    "number",
    "applicant_name",
    "facts",
    "basis",
    "decision",
    "remedy",
    "unit_name",
    "date_text",
    "seal",
)

# The console URLs with the document downloads, whether or not the project's
# console URLconf includes them yet.
urlpatterns = [
    path(
        "console/",
        include(
            (console_urls.urlpatterns + urls_documents.urlpatterns, "console"),
        ),
    ),
    path("", include("gongkai.portal.urls")),
]
handler404 = "gongkai.core.views.page_not_found"
DOCUMENT_URLS = __name__


@dataclass
class Record:
    app: Application
    due_after_extension: date


def full_record(world: World, officer: User) -> Record:
    """Received online, corrected, consulted, extended, charged, partly granted and
    delivered."""
    app = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="letters",
        ip=None,
        today=date(2025, 11, 2),
    )
    common: dict[str, Any] = {"actor": officer, "application": app, "today": TODAY}
    services.confirm_receipt(**common, confirmed_on=date(2025, 11, 3))
    services.request_correction(
        **common, on=date(2025, 11, 5), items="请明确所需招生计划涉及的学校范围"
    )
    services.receive_correction(**common, on=date(2025, 11, 10))
    started = services.start_consultation(
        **common, kind="third_party", on=date(2025, 11, 12), party="某民办学校"
    )
    services.end_consultation(
        **common, started=started, on=date(2025, 11, 19), opinion="不同意公开学生名单"
    )
    services.extend(
        **common,
        on=date(2025, 12, 1),
        workdays=10,
        approved_by="人秘股股长",
        reason="涉及多所学校，需汇总核对",
    )
    app.refresh_from_db()
    assert app.due_on is not None
    due_after_extension = app.due_on
    services.issue_fee_notice(
        **common, on=date(2025, 12, 2), basis="per_page", pages=120
    )
    services.record_fee_payment(**common, on=date(2025, 12, 4))
    services.decide(
        **common,
        outcome_key="partially_granted",
        on=date(2025, 12, 10),
        reasoning="招生计划可以公开；学生名单涉及个人隐私，第三方不同意公开，不予公开",
        provided="2025年秋季学期各公办小学一年级招生计划（已删除学生名单）",
    )
    services.record_delivery(
        **common, on=date(2025, 12, 11), method="电子邮件", note="已发送至申请人邮箱"
    )
    app.refresh_from_db()
    return Record(app, due_after_extension)


def school_decision(world: World, unit: Unit, officer: User) -> Application:
    """A school's application, answered as a repeat application."""
    app = services.register_application(
        actor=officer,
        unit=unit,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    services.decide(
        actor=officer,
        application=app,
        outcome_key="not_processed_repeat",
        on=date(2025, 11, 6),
        reasoning="申请人于2025年10月已申请相同信息，本机关已作出答复",
        today=TODAY,
    )
    app.refresh_from_db()
    return app


def flat(text: str) -> str:
    """Text without whitespace, so that line breaks inside a phrase don't matter."""
    return "".join(text.split())


def pdf_text(content: bytes, tmp_path: Path) -> str:
    assert content.startswith(b"%PDF-")
    source = tmp_path / "document.pdf"
    source.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def east_asian_font(run: Any) -> str | None:
    """The ``w:eastAsia`` font of a Word run (None if not set)."""
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    ]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_full_record_has_four_letters_in_the_order_they_were_issued(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    assert available_letters(app) == [
        LetterKind.correction,
        LetterKind.extension,
        LetterKind.fee,
        LetterKind.decision,
    ]


def test_every_letter_has_the_elements_the_jiangsu_rules_require(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    for kind in available_letters(app):
        letter = letter_context(app, kind)
        assert all(letter[key] for key in ELEMENTS), kind
        assert letter["applicant_name"] == "张三"
        assert letter["unit_name"] == "测试区教育局"
        assert letter["seal"] == "（印章）"
        assert "2025年11月3日收到您以互联网（网上申请）方式提交" in letter["facts"]
        assert REQUEST.subject in letter["facts"]
        assert app.reference in letter["facts"]
        assert "60日内向上一级主管部门或者本级人民政府申请行政复议" in letter["remedy"]
        assert "《中华人民共和国行政复议法》第二十条" in letter["remedy"]
        assert "6个月内向人民法院提起行政诉讼" in letter["remedy"]
        assert "《中华人民共和国行政诉讼法》第四十六条" in letter["remedy"]
        text = str(letter)
        assert IDENTITY not in text and IDENTITY_MASKED not in text


def test_the_decision_letter_states_the_partial_disclosure_and_what_is_provided(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    letter = letter_context(app, "decision")
    assert letter["title"] == "政府信息部分公开告知书"
    assert letter["number"] == app.letter_number == "教育局依申请公开告〔2025〕1号"
    assert letter["basis"] == "《中华人民共和国政府信息公开条例》第三十七条"
    assert letter["date_text"] == "2025年12月10日"
    assert "学生名单涉及个人隐私" in letter["decision"]
    assert (
        "根据《中华人民共和国政府信息公开条例》第三十七条的规定" in letter["decision"]
    )
    assert (
        "2025年秋季学期各公办小学一年级招生计划（已删除学生名单）" in letter["decision"]
    )
    assert "提供形式：电子文本（电子邮件）；获取途径：电子邮件" in letter["decision"]
    assert "2025年11月10日收到补正后的申请" in letter["facts"]


def test_the_correction_notice_gives_the_items_the_period_and_the_consequence(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    letter = letter_context(app, LetterKind.correction)
    assert letter["title"] == "政府信息公开申请补正通知书"
    assert letter["number"] == "教育局依申请公开补正〔2025〕1号"
    assert letter["basis"] == "《中华人民共和国政府信息公开条例》第三十条"
    assert letter["date_text"] == "2025年11月5日"
    assert "请明确所需招生计划涉及的学校范围" in letter["decision"]
    assert "请于2025年11月26日前" in letter["decision"]
    assert "视为放弃申请" in letter["decision"]
    assert "补正后的申请" not in letter["facts"]


def test_the_extension_notice_names_the_approver_and_the_new_due_date(
    world: World, officer: User
) -> None:
    record = full_record(world, officer)
    letter = letter_context(record.app, LetterKind.extension)
    due = record.due_after_extension
    assert letter["title"] == "政府信息公开申请延期答复告知书"
    assert letter["number"] == "教育局依申请公开延期〔2025〕1号"
    assert letter["basis"] == "《中华人民共和国政府信息公开条例》第三十三条第二款"
    assert "人秘股股长" in letter["decision"]
    assert "延长10个工作日" in letter["decision"]
    assert f"将于{due.year}年{due.month}月{due.day}日前作出答复" in letter["decision"]


def test_the_fee_notice_itemises_the_quote_and_the_payment_period(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    letter = letter_context(app, LetterKind.fee)
    assert letter["title"] == "政府信息公开信息处理费收费通知书"
    assert letter["number"] == "教育局依申请公开收费〔2025〕1号"
    assert "国办函〔2020〕109号" in letter["basis"]
    assert "第四十二条" in letter["basis"]
    assert "应缴纳信息处理费1100元" in letter["decision"]
    assert "缴费期限为20个工作日，请于2025年12月30日前缴纳" in letter["decision"]
    (table,) = [b["table"] for b in letter["body"] if "table" in b]
    assert table["rows"][1] == ["第31—100页，10元/页", "70", "10", "700"]
    assert table["total"][-1] == "1100"


def test_a_schools_letter_names_the_parent_unit_as_the_review_body(
    world: World,
) -> None:
    officer = make_user(world.school_a, "a_officer", Role.DISCLOSURE_OFFICER)
    app = school_decision(world, world.school_a, officer)
    letter = letter_context(app, "decision")
    assert letter["title"] == "政府信息公开申请不予重复处理告知书"
    assert letter["review_body"] == "测试区教育局或者本级人民政府"
    assert "60日内向测试区教育局或者本级人民政府申请行政复议" in letter["remedy"]
    assert "第三十六条第（六）项" in letter["basis"]
    assert letter["unit_name"] == "测试第一小学"


def test_a_lapsed_correction_has_a_termination_letter(
    world: World, officer: User
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    services.request_correction(
        actor=officer, application=app, on=date(2025, 11, 4), items="补充", today=TODAY
    )
    services.lapse_correction(
        actor=officer, application=app, on=date(2025, 11, 26), today=TODAY
    )
    app.refresh_from_db()
    assert available_letters(app) == [LetterKind.correction, LetterKind.decision]
    letter = letter_context(app, LetterKind.decision)
    assert letter["title"] == "政府信息公开申请终止处理告知书"
    assert letter["number"] == app.letter_number
    assert "逾期未补正，视为放弃申请" in letter["decision"]


def test_a_withdrawal_has_a_letter_that_records_it(world: World, officer: User) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    services.withdraw(
        actor=officer,
        application=app,
        on=date(2025, 11, 5),
        reason="申请人来电撤回",
        today=TODAY,
    )
    app.refresh_from_db()
    letter = letter_context(app, LetterKind.decision)
    assert letter["title"] == "政府信息公开申请处理情况告知书"
    assert letter["number"] == app.letter_number
    assert (
        "您于2025年11月5日申请撤回该政府信息公开申请（申请人来电撤回）"
        in (letter["decision"])
    )
    assert "终止处理" in letter["decision"]


def test_an_identity_number_typed_into_a_reason_is_masked_in_the_letter(
    world: World, officer: User
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    services.decide(
        actor=officer,
        application=app,
        outcome_key="unavailable_not_held",
        on=date(2025, 11, 6),
        reasoning=f"经核对申请人（身份证号{IDENTITY}）的申请，本机关未制作该信息",
        today=TODAY,
    )
    app.refresh_from_db()
    letter = letter_context(app, LetterKind.decision)
    assert IDENTITY not in str(letter)
    assert IDENTITY_MASKED in letter["decision"]


def test_a_letter_that_was_not_issued_is_refused_with_a_chinese_message(
    world: World, officer: User
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    assert available_letters(app) == []
    with pytest.raises(LetterUnavailable, match="尚未作出答复"):
        letter_context(app, "decision")
    with pytest.raises(ValueError, match="补正通知书"):
        letter_context(app, LetterKind.correction)
    with pytest.raises(LetterUnavailable, match="没有这种文书"):
        letter_context(app, "verdict")


def test_the_decision_letter_pdf_shows_every_element_and_no_identity_number(
    world: World, officer: User, tmp_path: Path
) -> None:
    app = full_record(world, officer).app
    text = flat(pdf_text(render_letter_pdf(app, LetterKind.decision), tmp_path))
    for expected in (
        "政府信息部分公开告知书",
        "教育局依申请公开告〔2025〕1号",
        "张三：",
        "第三十七条",
        "60日",
        "6个月",
        "测试区教育局",
        "2025年12月10日",
        "（印章）",
    ):
        assert expected in text, expected
    assert IDENTITY not in text and IDENTITY_MASKED not in text


def test_the_fee_notice_pdf_shows_the_quote_and_no_identity_number(
    world: World, officer: User, tmp_path: Path
) -> None:
    app = full_record(world, officer).app
    text = flat(pdf_text(render_letter_pdf(app, LetterKind.fee), tmp_path))
    for expected in (
        "政府信息公开信息处理费收费通知书",
        "教育局依申请公开收费〔2025〕1号",
        "第31—100页，10元/页",
        "1100",
        "60日",
        "6个月",
        "2025年12月2日",
    ):
        assert expected in text, expected
    assert IDENTITY not in text


def test_the_decision_letter_docx_has_every_element_in_east_asian_fonts(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    content = render_letter_docx(app, LetterKind.decision)
    text = flat(docx_text(content))
    for expected in (
        "政府信息部分公开告知书",
        "教育局依申请公开告〔2025〕1号",
        "张三：",
        "第三十七条",
        "60日",
        "6个月",
        "测试区教育局",
        "2025年12月10日",
        "（印章）",
    ):
        assert expected in text, expected
    assert IDENTITY not in text
    doc = Document(io.BytesIO(content))
    runs = [run for p in doc.paragraphs for run in p.runs]
    assert runs
    for run in runs:
        assert east_asian_font(run) in {"宋体", "仿宋"}
        assert run.font.name in {"宋体", "仿宋"}
    assert east_asian_font(doc.paragraphs[0].runs[0]) == "宋体"
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_fee_notice_docx_itemises_the_quote_in_a_table(
    world: World, officer: User
) -> None:
    app = full_record(world, officer).app
    doc = Document(io.BytesIO(render_letter_docx(app, LetterKind.fee)))
    (table,) = doc.tables
    assert [c.text for c in table.rows[2].cells] == [
        "第31—100页，10元/页",
        "70",
        "10",
        "700",
    ]
    for cell in table.rows[0].cells:
        run = cell.paragraphs[0].runs[0]
        assert east_asian_font(run) == "仿宋"


@pytest.mark.urls(DOCUMENT_URLS)
def test_the_officer_downloads_a_letter_as_pdf_and_word_under_its_chinese_name(
    world: World, officer: User, client: Client
) -> None:
    app = full_record(world, officer).app
    client.force_login(officer)
    pdf = client.get(reverse("console:application_letter_pdf", args=[app.pk, "fee"]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    name = quote("政府信息公开信息处理费收费通知书", safe="")
    assert f"filename*=UTF-8''{name}" in pdf["Content-Disposition"]
    assert 'filename="' in pdf["Content-Disposition"]
    word = client.get(
        reverse("console:application_letter_docx", args=[app.pk, "decision"])
    )
    assert word.status_code == 200
    assert "wordprocessingml" in word["Content-Type"]
    assert quote("政府信息部分公开告知书", safe="") in word["Content-Disposition"]
    assert "政府信息部分公开告知书" in docx_text(word.content)


@pytest.mark.urls(DOCUMENT_URLS)
def test_an_unknown_kind_or_a_letter_not_yet_issued_is_not_found(
    world: World, officer: User, client: Client
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        today=TODAY,
    )
    client.force_login(officer)
    for name, kind in (
        ("console:application_letter_pdf", "decision"),
        ("console:application_letter_docx", "decision"),
        ("console:application_letter_pdf", "fee"),
        ("console:application_letter_pdf", "verdict"),
    ):
        assert client.get(reverse(name, args=[app.pk, kind])).status_code == 404


@pytest.mark.urls(DOCUMENT_URLS)
def test_an_officer_of_another_school_cannot_download_a_schools_letter(
    world: World, client: Client
) -> None:
    a_officer = make_user(world.school_a, "a_officer", Role.DISCLOSURE_OFFICER)
    b_officer = make_user(world.school_b, "b_officer", Role.DISCLOSURE_OFFICER)
    app = school_decision(world, world.school_a, a_officer)
    url = reverse("console:application_letter_docx", args=[app.pk, "decision"])
    client.force_login(b_officer)
    assert client.get(url).status_code == 404
    client.force_login(a_officer)
    assert client.get(url).status_code == 200


@pytest.mark.urls(DOCUMENT_URLS)
def test_staff_without_the_disclosure_role_cannot_download_letters(
    world: World, officer: User, client: Client
) -> None:
    app = full_record(world, officer).app
    client.force_login(world.author)
    url = reverse("console:application_letter_docx", args=[app.pk, "decision"])
    assert client.get(url).status_code == 403
