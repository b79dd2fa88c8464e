"""Intake: online submission, staff registration for every channel, receipt
confirmation and the handler."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role
from gongkai.applications.clock import deadline_of, store_deadline
from gongkai.applications.models import (
    ApplicantKind,
    Application,
    ApplicationEvent,
    EventKind,
    Status,
)
from gongkai.applications.services.common import _audit, _check_officer, _step
from gongkai.core.crypto import encrypt, mask_identity
from gongkai.law.errors import LawInputError
from gongkai.law.receipt import Channel, receipt_date

QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class ApplicantData:
    kind: str
    name: str
    phone: str
    id_type: str = ""
    id_number: str = ""
    org_code: str = ""
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class RequestData:
    subject: str
    description: str
    form_wanted: str
    delivery: str
    document_number: str = ""


def new_query_code() -> str:
    """16 characters from an alphabet without look-alikes (~79 bits), in groups of 4."""
    raw = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _check_applicant(applicant: ApplicantData) -> None:
    if applicant.kind not in ApplicantKind.values:
        raise ServiceError("申请人类型无效", field="applicant_kind")
    if not applicant.name.strip():
        raise ServiceError("请填写申请人姓名或名称", field="applicant_name")
    if not applicant.phone.strip():
        raise ServiceError("请填写联系电话", field="phone")


def _create(
    *,
    unit: Unit,
    channel: str,
    submitted_on: date,
    applicant: ApplicantData,
    request: RequestData,
    status: str,
    received_on: date | None,
    receipt_basis: str,
    submission_token: str | None,
    ip: str | None,
) -> Application:
    _check_applicant(applicant)
    if not request.subject.strip() or not request.description.strip():
        raise ServiceError("请写明所需政府信息的名称和特征性描述", field="subject")
    year = submitted_on.year
    for _attempt in range(5):
        seq = Application.objects.filter(unit=unit, submitted_on__year=year).count() + 1
        try:
            with transaction.atomic():
                return Application.objects.create(
                    unit=unit,
                    reference=f"{unit.org_code}-{year}-{seq:04d}",
                    query_code=new_query_code(),
                    submission_token=submission_token,
                    channel=channel,
                    submitted_on=submitted_on,
                    received_on=received_on,
                    receipt_basis=receipt_basis,
                    applicant_kind=applicant.kind,
                    applicant_name=applicant.name.strip(),
                    id_type=applicant.id_type,
                    id_number_encrypted=encrypt(applicant.id_number.strip()),
                    id_number_hint=mask_identity(applicant.id_number)
                    if applicant.id_number
                    else "",
                    org_code=applicant.org_code,
                    contact_person=applicant.contact_person,
                    phone=applicant.phone.strip(),
                    email=applicant.email,
                    address=applicant.address,
                    postcode=applicant.postcode,
                    subject=request.subject.strip(),
                    document_number=request.document_number.strip(),
                    description=request.description.strip(),
                    form_wanted=request.form_wanted,
                    delivery=request.delivery,
                    status=status,
                    submitted_ip=ip,
                )
        except IntegrityError:
            # Another application took the same reference number: count again.
            continue
    raise ServiceError("系统繁忙，请稍后重试")


def submit_online_application(
    *,
    unit: Unit,
    applicant: ApplicantData,
    request: RequestData,
    submission_token: str,
    ip: str | None,
    today: date | None = None,
) -> Application:
    """An application from the portal. Receipt is the day both sides confirm
    (第三十一条第（三）项), so it waits for the office to confirm it.

    Submitting the same form twice (same token) returns the first application.
    """
    existing = Application.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    since = timezone.now() - timedelta(hours=1)
    per_ip = getattr(settings, "GONGKAI_APPLY_LIMIT_PER_IP_PER_HOUR", 10)
    per_applicant = getattr(settings, "GONGKAI_APPLY_LIMIT_PER_PHONE_PER_DAY", 20)
    if (
        ip
        and Application.objects.filter(submitted_ip=ip, created_at__gte=since).count()
        >= per_ip
    ):
        raise ServiceError(
            "提交过于频繁，请稍后再试；如需帮助，请致电政府信息公开工作机构。"
        )
    if (
        Application.objects.filter(
            phone=applicant.phone.strip(), submitted_on=today
        ).count()
        >= per_applicant
    ):
        raise ServiceError("同一联系电话今日提交的申请已达上限，请明日再试。")
    with transaction.atomic():
        try:
            application = _create(
                unit=unit,
                channel=Channel.online,
                submitted_on=today,
                applicant=applicant,
                request=request,
                status=Status.AWAITING_CONFIRMATION,
                received_on=None,
                receipt_basis="",
                submission_token=submission_token,
                ip=ip,
            )
        except IntegrityError:
            pass
        else:
            ApplicationEvent.objects.create(
                application=application,
                kind=EventKind.SUBMITTED,
                on=today,
                summary="通过网上申请平台提交申请，待工作机构确认收到",
            )
            _audit(None, application, "submitted_online", "网上提交申请")
            return application
    # A retried request raced the first one: answer with the first one.
    return Application.objects.get(submission_token=submission_token)


def register_application(
    *,
    actor: User,
    unit: Unit,
    channel: str,
    submitted_on: date,
    applicant: ApplicantData,
    request: RequestData,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    evidence: str = "",
    evidence_file: tuple[str, bytes] | None = None,
    today: date | None = None,
) -> Application:
    """Staff intake of an application from any channel (第二十九条、第三十一条), with
    the receipt evidence (a scan of the envelope, the e-mail) if given; a refused
    file leaves nothing saved."""
    _check_officer(actor, unit)
    today = today or timezone.localdate()
    try:
        received_on, basis = receipt_date(
            channel,
            submitted_on=submitted_on,
            signed_on=signed_on,
            confirmed_on=confirmed_on,
        )
    except LawInputError as exc:
        raise ServiceError(exc.message, field=exc.field) from None
    if received_on > today:
        raise ServiceError("收到申请之日不能晚于今天", field="received_on")
    with transaction.atomic():
        application = _create(
            unit=unit,
            channel=channel,
            submitted_on=submitted_on,
            applicant=applicant,
            request=request,
            status=Status.IN_PROGRESS,
            received_on=received_on,
            receipt_basis=basis,
            submission_token=None,
            ip=None,
        )
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.SUBMITTED,
            on=submitted_on,
            actor=actor,
            summary=f"申请人通过{application.get_channel_display()}提交申请",
            data={"evidence": evidence} if evidence else {},
        )
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.RECEIPT_CONFIRMED,
            on=received_on,
            actor=actor,
            summary=f"收到申请（{basis}）",
        )
        store_deadline(application, deadline_of(application, today=today))
        _audit(
            actor,
            application,
            "registered",
            f"登记{application.get_channel_display()}申请",
            channel=channel,
        )
        if evidence_file is not None:
            from gongkai.applications.files import attach_file

            attach_file(
                actor=actor,
                application=application,
                kind="receipt_evidence",
                name=evidence_file[0],
                data=evidence_file[1],
            )
    return application


def confirm_receipt(
    *,
    actor: User,
    application: Application,
    confirmed_on: date,
    today: date | None = None,
) -> None:
    """Confirm an online application with the applicant; that day is the receipt."""
    basis = f"网上提交，以双方确认之日为收到申请之日（第三十一条第（三）项）：{confirmed_on}"
    if confirmed_on < application.submitted_on:
        raise ServiceError("确认日期不能早于提交日期", field="confirmed_on")
    _step(
        actor=actor,
        application=application,
        step="confirm_receipt",
        kind=EventKind.RECEIPT_CONFIRMED,
        on=confirmed_on,
        summary="与申请人确认收到申请",
        today=today,
        status=Status.IN_PROGRESS,
        received_on=confirmed_on,
        receipt_basis=basis,
    )


def assign_handler(*, actor: User, application: Application, handler: User) -> None:
    if not (
        handler.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(handler, application.unit)
    ):
        raise ServiceError("承办人须为本单位公开办工作人员", field="handler")
    _step(
        actor=actor,
        application=application,
        step="assign",
        kind=EventKind.HANDLER_ASSIGNED,
        on=timezone.localdate(),
        summary=f"指定承办人：{handler.display_name}",
        public=False,
        handler=handler,
    )


def applicant_from(d: Mapping[str, Any]) -> ApplicantData:
    """The applicant part of a form's or API payload's fields (shared names)."""
    return ApplicantData(
        kind=d["applicant_kind"],
        name=d["applicant_name"],
        phone=d["phone"],
        id_type=d["id_type"],
        id_number=d["id_number"],
        org_code=d["org_code"],
        contact_person=d["contact_person"],
        email=d["email"],
        address=d["address"],
        postcode=d["postcode"] or "",
    )


def request_from(d: Mapping[str, Any]) -> RequestData:
    """The information-sought part of a form's or API payload's fields."""
    return RequestData(
        subject=d["subject"],
        description=d["description"],
        form_wanted=d["form_wanted"],
        delivery=d["delivery"],
        document_number=d["document_number"],
    )
