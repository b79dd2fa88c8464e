from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.applications import services
from gongkai.applications.models import Application, EventKind, Status
from gongkai.audit.models import AuditEvent
from tests.applications.conftest import APPLICANT, REQUEST
from tests.conftest import World

FORM = {
    "applicant_kind": "natural_person",
    "applicant_name": "李四",
    "id_type": "居民身份证",
    "id_number": "440102199001011234",
    "phone": "13900139000",
    "email": "lisi@example.com",
    "subject": "学区划分",
    "description": "2026年湘桥区公办小学学区划分方案",
    "form_wanted": "electronic",
    "delivery": "email",
    "token": "abc123",
    "website": "",
}


def test_an_online_application_gives_a_receipt_with_a_query_code_and_a_pdf(
    world: World, client: Client
) -> None:
    response = client.post(reverse("portal:apply"), FORM)
    assert response.status_code == 302
    app = Application.objects.get()
    assert response["Location"] == reverse("portal:receipt", args=[app.query_code])
    page = client.get(response["Location"]).content.decode()
    assert app.query_code in page and app.reference in page
    assert "440102199001011234" not in page
    pdf = client.get(reverse("portal:receipt_pdf", args=[app.query_code]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_a_double_submission_creates_one_application(
    world: World, client: Client
) -> None:
    first = client.post(reverse("portal:apply"), FORM)
    second = client.post(reverse("portal:apply"), FORM)
    assert first["Location"] == second["Location"]
    assert Application.objects.count() == 1


def test_the_honeypot_stores_nothing(world: World, client: Client) -> None:
    response = client.post(
        reverse("portal:apply"), {**FORM, "website": "http://spam.example"}
    )
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_form_errors_are_shown_in_chinese_next_to_their_fields(
    world: World, client: Client
) -> None:
    response = client.post(
        reverse("portal:apply"),
        {**FORM, "id_number": "", "phone": "abc", "delivery": "email", "email": ""},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "自然人申请须填写身份证明的证件号码" in body
    assert "请填写有效的联系电话" in body
    assert "选择电子邮件获取时须填写电子邮箱" in body
    assert Application.objects.count() == 0


def test_tracking_shows_the_public_timeline_without_personal_data(
    world: World, client: Client
) -> None:
    client.post(reverse("portal:apply"), FORM)
    app = Application.objects.get()
    page = client.get(
        reverse("portal:track"), {"code": app.query_code.lower().replace("-", "")}
    ).content.decode()
    assert app.reference in page and "提交申请" in page
    assert "李四" not in page and "13900139000" not in page
    missing = client.get(reverse("portal:track"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert missing.status_code == 404
    assert "未找到该查询码" in missing.content.decode()


def test_the_officer_confirms_decides_and_delivers_in_the_console(
    world: World, officer: User, client: Client
) -> None:
    app = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="c1",
        ip=None,
    )
    client.force_login(officer)
    today = timezone.localdate()
    url = lambda step: reverse("console:application_step", args=[app.pk, step])  # noqa: E731
    client.post(url("confirm_receipt"), {"confirm_receipt-on": today.isoformat()})
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and app.due_on is not None
    page = client.get(reverse("console:application", args=[app.pk])).content.decode()
    assert (
        "逐日计算说明" in page
        and "440102********1234" in page
        and "440102199001011234" not in page
    )
    decision = {
        "decide-on": today.isoformat(),
        "decide-outcome": "granted",
        "decide-reasoning": "已主动公开，告知获取途径",
    }
    refused = client.post(url("decide"), decision, follow=True).content.decode()
    assert "须登记对所提供信息的保密审查" in refused
    client.post(
        url("decide"),
        {
            **decision,
            "decide-confidentiality_reviewer": "黄保密",
            "decide-confidentiality_conclusion": "经审查不涉密，同意提供",
        },
    )
    event = app.events.get(kind=EventKind.DECIDED)
    assert event.data["confidentiality_reviewer"] == "黄保密"
    client.post(
        url("record_delivery"),
        {"record_delivery-on": today.isoformat(), "record_delivery-method": "电子邮件"},
    )
    app.refresh_from_db()
    assert (app.status, app.outcome) == (Status.CLOSED, "granted")


def test_a_refused_step_shows_the_reason_and_changes_nothing(
    world: World, officer: User, client: Client
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=timezone.localdate(),
        applicant=APPLICANT,
        request=REQUEST,
    )
    client.force_login(officer)
    response = client.post(
        reverse("console:application_step", args=[app.pk, "lapse_fee"]),
        {"lapse_fee-on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "没有收费通知" in response.content.decode()
    assert not app.events.filter(kind=EventKind.DECIDED).exists()


def test_revealing_an_identity_number_is_audited(
    world: World, officer: User, client: Client
) -> None:
    app = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="r",
        ip=None,
    )
    client.force_login(officer)
    page = client.get(
        reverse("console:application", args=[app.pk]), {"reveal": "1"}
    ).content.decode()
    assert "440102199001011234" in page
    assert AuditEvent.objects.filter(action="applications.identity_viewed").count() == 1


def test_staff_intake_of_a_letter_uses_the_confirmation_day(
    world: World, officer: User, client: Client
) -> None:
    client.force_login(officer)
    today = timezone.localdate()
    data = {k: v for k, v in FORM.items() if k not in {"token", "website"}}
    response = client.post(
        reverse("console:application_new"),
        {
            **data,
            "channel": "ordinary_letter",
            "submitted_on": (today - timedelta(days=3)).isoformat(),
            "confirmed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.received_on == today and app.channel == "ordinary_letter"


def test_other_staff_cannot_open_applications(world: World, client: Client) -> None:
    client.force_login(world.author)
    assert client.get(reverse("console:applications")).status_code == 403


def test_entering_a_years_arrangement_moves_open_deadlines_and_records_why(
    world: World, officer: User
) -> None:
    from gongkai.law.arrangement import YearArrangement
    from gongkai.workdays.services import enter_year_arrangement

    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="in_person",
        submitted_on=date(2026, 12, 20),
        applicant=APPLICANT,
        request=REQUEST,
        today=date(2026, 12, 21),
    )
    assert app.due_provisional
    before = app.due_on
    assert before is not None
    # The real notice makes Monday 2027-01-04 a day off as well.
    arrangement = YearArrangement(
        year=2027,
        holidays={
            date(2027, 1, 1): "元旦",
            date(2027, 1, 2): "元旦",
            date(2027, 1, 3): "元旦",
            date(2027, 1, 4): "元旦",
        },
        makeup_workdays={},
        source="国办发明电〔2026〕测试号",
    )
    with time_machine.travel(datetime(2026, 12, 22, 9, tzinfo=UTC)):
        result = enter_year_arrangement(
            actor=world.sysadmin, arrangement=arrangement, reason="通知发布"
        )
    app.refresh_from_db()
    assert result.deadlines_moved == 1
    assert not app.due_provisional
    assert app.due_on != before
    moved = app.events.get(kind=EventKind.DEADLINE_RECOMPUTED)
    assert "通知发布" in moved.summary and str(app.due_on) in moved.summary


@pytest.mark.parametrize("code", ["", "x" * 500, "../../etc"])
def test_tracking_survives_odd_codes(db: None, client: Client, code: str) -> None:
    assert client.get(reverse("portal:track"), {"code": code}).status_code in {200, 404}


def test_an_identity_document_is_encrypted_at_rest_and_its_download_audited(
    world: World, officer: User, client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.post(
        reverse("portal:apply"),
        {**FORM, "identity_document": SimpleUploadedFile("身份证.png", png)},
    )
    app = Application.objects.get()
    stored = app.files.get()
    assert stored.encrypted and stored.file.open("rb").read() != png
    client.force_login(officer)
    page = client.get(reverse("console:application", args=[app.pk])).content.decode()
    assert "身份证.png" in page
    download = client.get(reverse("console:application_file", args=[app.pk, stored.pk]))
    assert download.content == png
    assert AuditEvent.objects.filter(action="applications.identity_viewed").count() == 1


def test_receipt_evidence_is_kept_with_a_staff_intake_and_a_bad_file_saves_nothing(
    world: World, officer: User, client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    today = timezone.localdate()
    data = {k: v for k, v in FORM.items() if k not in {"token", "website"}}
    base = {
        **data,
        "channel": "registered_post",
        "submitted_on": today.isoformat(),
        "signed_on": today.isoformat(),
    }
    bad = client.post(
        reverse("console:application_new"),
        {
            **base,
            "evidence_file": SimpleUploadedFile(
                "信封.pdf", b"<html><script>x</script></html>"
            ),
        },
    )
    assert "未能上传" in bad.content.decode() and Application.objects.count() == 0
    from tests.documents.builders import pdf_bytes

    # A real one-page PDF: a PDF that cannot be opened is refused like the HTML.
    pdf = pdf_bytes(["registered envelope"])
    client.post(
        reverse("console:application_new"),
        {**base, "evidence_file": SimpleUploadedFile("信封.pdf", pdf)},
    )
    app = Application.objects.get()
    assert app.files.get().kind == "receipt_evidence" and not app.files.get().encrypted
