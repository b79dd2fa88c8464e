"""The evidence package of an application: one PDF, one ZIP, and their downloads."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.applications import services
from gongkai.applications.evidence import evidence_context, evidence_pdf, evidence_zip
from gongkai.audit.models import AuditEvent
from tests.applications.conftest import APPLICANT, REQUEST
from tests.applications.test_letters import (
    DOCUMENT_URLS,
    IDENTITY,
    TODAY,
    docx_text,
    flat,
    full_record,
    pdf_text,
)
from tests.conftest import World, make_user

LETTER_TITLES = (
    "政府信息公开申请补正通知书",
    "政府信息公开申请延期答复告知书",
    "政府信息公开信息处理费收费通知书",
    "政府信息部分公开告知书",
)


def test_the_evidence_pdf_holds_the_whole_record_and_the_full_identity_number(
    world: World, officer: User, tmp_path: Path
) -> None:
    app = full_record(world, officer).app
    text = flat(pdf_text(evidence_pdf(app), tmp_path))
    for event in app.events.all():
        assert flat(event.summary) in text, event.summary
    for expected in (
        "政府信息公开申请办理证据材料",
        "测试区教育局",
        app.reference,
        REQUEST.subject,
        "2025年12月10日",
        "是否按期答复是（在答复期限内答复或办结）",
        "答复期限逐日计算",
        "第1个工作日",
        "网上提交，以双方确认之日为收到申请之日",
        "人秘股股长",
        "不同意公开学生名单",
        "以电子邮件方式送达答复",
        *LETTER_TITLES,
        "内部材料",
        IDENTITY,
    ):
        assert flat(expected) in text, expected


def test_the_identity_number_appears_only_on_the_page_marked_internal(
    world: World, officer: User, tmp_path: Path
) -> None:
    app = full_record(world, officer).app
    pages = pdf_text(evidence_pdf(app), tmp_path).split("\f")
    with_identity = [page for page in pages if IDENTITY in flat(page)]
    assert len(with_identity) == 1
    assert "内部材料" in with_identity[0]
    assert flat("内部材料·不得对外提供") in flat(with_identity[0])


def test_the_zip_holds_the_pdf_each_letter_the_record_and_a_matching_manifest(
    world: World, officer: User, tmp_path: Path
) -> None:
    app = full_record(world, officer).app
    archive = zipfile.ZipFile(io.BytesIO(evidence_zip(app)))
    names = set(archive.namelist())
    assert names == {
        "证据目录.pdf",
        "办理记录.json",
        "manifest.json",
        *(f"{t}.pdf" for t in LETTER_TITLES),
        *(f"{t}.docx" for t in LETTER_TITLES),
    }
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["reference"] == app.reference
    listed = {f["name"]: f for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"}
    for name, entry in listed.items():
        content = archive.read(name)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], name
        assert len(content) == entry["size"]

    raw = archive.read("办理记录.json")
    assert "张三".encode() in raw
    record = json.loads(raw)
    assert len(record["events"]) == app.events.count()
    decided = next(e for e in record["events"] if e["kind"] == "decided")
    assert decided["on"] == "2025-12-10"
    assert decided["data"]["outcome"] == "partially_granted"
    assert record["application"]["received_on"] == "2025-11-03"
    assert record["deadline"]["state"] == "replied"

    assert IDENTITY in flat(pdf_text(archive.read("证据目录.pdf"), tmp_path))
    for name in names - {"证据目录.pdf"}:
        content = archive.read(name)
        if name.endswith(".docx"):
            text = docx_text(content)
        elif name.endswith(".pdf"):
            text = pdf_text(content, tmp_path)
        else:
            text = content.decode()
        assert IDENTITY not in flat(text), name


def test_an_undecided_application_has_no_letters_in_its_evidence(
    world: World, officer: User
) -> None:
    app = services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="registered_post",
        submitted_on=date(2025, 10, 31),
        signed_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        evidence="挂号信封扫描件",
        today=TODAY,
    )
    context = evidence_context(app)
    assert context["letters"] == []
    assert ("收件凭证", "挂号信封扫描件") in context["receipt"]
    assert dict(context["cover"])["是否按期答复"].startswith("尚未答复")
    assert context["days"] and context["days"][0]["date"] == "2025-11-04"


@pytest.mark.urls(DOCUMENT_URLS)
def test_downloading_the_evidence_is_audited(
    world: World, officer: User, client: Client
) -> None:
    app = full_record(world, officer).app
    client.force_login(officer)
    pdf = client.get(reverse("console:application_evidence_pdf", args=[app.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        "filename*=UTF-8''%E8%AF%81%E6%8D%AE%E6%9D%90%E6%96%99"
        in pdf["Content-Disposition"]
    )
    bundle = client.get(reverse("console:application_evidence_zip", args=[app.pk]))
    assert bundle.status_code == 200
    assert bundle["Content-Type"] == "application/zip"
    assert "证据目录.pdf" in zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    exports = AuditEvent.objects.filter(action="applications.evidence_exported")
    assert [e.data["format"] for e in exports.order_by("seq")] == ["pdf", "zip"]
    assert all(e.actor == officer and e.object_id == str(app.pk) for e in exports)
    assert IDENTITY not in json.dumps(
        list(exports.values("summary", "data")), ensure_ascii=False
    )


@pytest.mark.urls(DOCUMENT_URLS)
def test_an_officer_out_of_scope_gets_no_evidence_and_nothing_is_exported(
    world: World, officer: User, client: Client
) -> None:
    app = full_record(world, officer).app
    client.force_login(make_user(world.school_b, "b_officer", Role.DISCLOSURE_OFFICER))
    for name in (
        "console:application_evidence_pdf",
        "console:application_evidence_zip",
    ):
        assert client.get(reverse(name, args=[app.pk])).status_code == 404
    assert not AuditEvent.objects.filter(
        action="applications.evidence_exported"
    ).exists()
    assert AuditEvent.objects.filter(action="security.out_of_scope").count() == 2


def test_the_confidentiality_review_of_released_information_is_in_the_evidence(
    world: World, officer: User, tmp_path: Path
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
        outcome_key="granted",
        on=date(2025, 11, 10),
        reasoning="予以公开",
        provided="招生计划.pdf",
        confidentiality_reviewer="黄保密",
        confidentiality_conclusion="经审查不涉密，同意提供",
        today=TODAY,
    )
    text = flat(pdf_text(evidence_pdf(app), tmp_path))
    assert flat("黄保密") in text and flat("经审查不涉密，同意提供") in text
    assert flat("没有单独登记的保密审查记录") not in text
