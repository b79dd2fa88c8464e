"""Every step of a disclosure application: one transaction, one record event, one
audit event, and the deadline recomputed from the events (``gongkai.law.clock``)."""

from __future__ import annotations

import secrets
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
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Application,
    ApplicationEvent,
    EventKind,
    Status,
)
from gongkai.applications.transitions import STEP_LABELS, can_take
from gongkai.audit.services import record_event
from gongkai.core.crypto import encrypt, mask_identity
from gongkai.law.clock import ConsultationKind
from gongkai.law.errors import LawInputError
from gongkai.law.fees import FeeBasis, per_application_fee, per_page_fee
from gongkai.law.outcomes import OUTCOMES_BY_KEY
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


def _check_officer(actor: User | None, unit: Unit) -> None:
    if actor is None:
        return
    if not (
        actor.is_active
        and actor.has_role(Role.DISCLOSURE_OFFICER)
        and is_in_scope(actor, unit)
    ):
        raise ServiceError("只有本单位政府信息公开工作机构的工作人员可以办理申请")


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


def _audit(
    actor: User | None, application: Application, action: str, summary: str, **data: Any
) -> None:
    record_event(
        actor=actor,
        action=f"applications.{action}",
        summary=f"{application.reference}：{summary}",
        obj=application,
        unit=application.unit,
        data=data,
    )


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


def _step(
    *,
    actor: User | None,
    application: Application,
    step: str,
    kind: str,
    on: date,
    summary: str,
    data: dict[str, Any] | None = None,
    public: bool = True,
    today: date | None = None,
    **changes: Any,
) -> ApplicationEvent:
    """Check, record and audit one step; recompute the deadline; all or nothing."""
    _check_officer(actor, application.unit)
    today = today or timezone.localdate()
    if on > today:
        raise ServiceError("日期不能晚于今天", field="on")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not can_take(locked.status, step):
            raise ServiceError(
                f"申请当前状态为“{locked.get_status_display()}”，不能{STEP_LABELS[step]}"
            )
        for key, value in changes.items():
            setattr(locked, key, value)
        event = ApplicationEvent(
            application=locked,
            kind=kind,
            on=on,
            actor=actor,
            summary=summary,
            data=data or {},
            public=public,
        )
        try:
            deadline = deadline_of(locked, extra=[event], today=today)
        except LawInputError as exc:
            raise ServiceError(exc.message, field=exc.field) from None
        if changes:
            locked.save(update_fields=list(changes))
        event.save()
        store_deadline(locked, deadline)
        _audit(actor, locked, step, summary, **(data or {}))
    application.refresh_from_db()
    return event


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


def request_correction(
    *,
    actor: User,
    application: Application,
    on: date,
    items: str,
    today: date | None = None,
) -> None:
    """One-time 补正 notice (第三十条), due within 7 working days of receipt."""
    if not items.strip():
        raise ServiceError("请写明需要补正的事项", field="items")
    if application.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
        raise ServiceError("补正只能一次性告知，本申请已告知过补正（第三十条）")
    _step(
        actor=actor,
        application=application,
        step="request_correction",
        kind=EventKind.CORRECTION_REQUESTED,
        on=on,
        summary=f"告知申请人补正：{items.strip()}",
        data={"items": items.strip()},
        today=today,
        status=Status.AWAITING_CORRECTION,
    )


def receive_correction(
    *,
    actor: User,
    application: Application,
    on: date,
    note: str = "",
    today: date | None = None,
) -> None:
    _step(
        actor=actor,
        application=application,
        step="receive_correction",
        kind=EventKind.CORRECTION_RECEIVED,
        on=on,
        summary="收到补正后的申请，答复期限重新计算" + (f"：{note}" if note else ""),
        today=today,
        status=Status.IN_PROGRESS,
    )


def start_consultation(
    *,
    actor: User,
    application: Application,
    kind: str,
    on: date,
    party: str,
    today: date | None = None,
) -> ApplicationEvent:
    """Consult a third party (第三十二条) or another agency (第三十四条); the time is not counted."""
    if kind not in ConsultationKind.__members__:
        raise ServiceError("征求意见对象类型无效", field="kind")
    if not party.strip():
        raise ServiceError("请填写被征求意见的第三方或机关", field="party")
    label = "第三方" if kind == ConsultationKind.third_party else "其他机关"
    return _step(
        actor=actor,
        application=application,
        step="start_consultation",
        kind=EventKind.CONSULTATION_STARTED,
        on=on,
        summary=f"书面征求{label}意见（{party.strip()}），征求意见期间不计入答复期限",
        data={"kind": kind, "party": party.strip()},
        today=today,
    )


def end_consultation(
    *,
    actor: User,
    application: Application,
    started: ApplicationEvent,
    on: date,
    opinion: str,
    today: date | None = None,
) -> None:
    if (
        started.application_id != application.pk
        or started.kind != EventKind.CONSULTATION_STARTED
    ):
        raise ServiceError("找不到对应的征求意见记录", field="started")
    if application.events.filter(
        kind=EventKind.CONSULTATION_ENDED, data__started_event=started.pk
    ).exists():
        raise ServiceError("该次征求意见已登记结果")
    _step(
        actor=actor,
        application=application,
        step="end_consultation",
        kind=EventKind.CONSULTATION_ENDED,
        on=on,
        summary=f"收到{started.data.get('party', '')}的意见：{opinion.strip() or '（未说明）'}",
        data={"started_event": started.pk, "opinion": opinion.strip()},
        today=today,
    )


def extend(
    *,
    actor: User,
    application: Application,
    on: date,
    workdays: int,
    approved_by: str,
    reason: str,
    today: date | None = None,
) -> None:
    """The one extension (第三十三条第二款), approved by the office head, told to the applicant."""
    if application.events.filter(kind=EventKind.EXTENDED).exists():
        raise ServiceError("答复期限只能延长一次（第三十三条）")
    _step(
        actor=actor,
        application=application,
        step="extend",
        kind=EventKind.EXTENDED,
        on=on,
        summary=f"经{approved_by}同意，延期{workdays}个工作日答复：{reason}",
        data={"workdays": workdays, "approved_by": approved_by, "reason": reason},
        today=today,
    )


def set_agency_date(
    *,
    actor: User,
    application: Application,
    on: date,
    due_on: date,
    reason: str,
    today: date | None = None,
) -> None:
    """第三十五条: a reasonable later reply date for an excessive application."""
    _step(
        actor=actor,
        application=application,
        step="set_agency_date",
        kind=EventKind.AGENCY_SET_DATE,
        on=on,
        summary=f"依据第三十五条确定延迟答复期限至{due_on}：{reason}",
        data={"due_on": due_on.isoformat(), "reason": reason},
        today=today,
    )


def applications_in_month(application: Application) -> int:
    """The applicant's applications received in this natural month, up to this one
    (按件计收 counts per applicant per natural month)."""
    received = application.received_on or application.submitted_on
    return Application.objects.filter(
        applicant_name=application.applicant_name,
        phone=application.phone,
        received_on__year=received.year,
        received_on__month=received.month,
        received_on__lte=received,
        id__lte=application.pk,
    ).count()


def issue_fee_notice(
    *,
    actor: User,
    application: Application,
    on: date,
    basis: str,
    pages: int = 0,
    today: date | None = None,
) -> int:
    """A fee notice (国办函〔2020〕109号): per application or per page, never both."""
    if application.events.filter(kind=EventKind.FEE_NOTICE).exists():
        raise ServiceError("本申请已发出收费通知，不得按两种标准重复计算（第三条）")
    try:
        if basis == FeeBasis.per_page:
            quote = per_page_fee(pages)
            amount = quote.total_yuan
        elif basis == FeeBasis.per_application:
            n = applications_in_month(application)
            amount = (
                per_application_fee(n).total_yuan
                - per_application_fee(n - 1).total_yuan
            )
            quote = per_application_fee(n)
        else:
            raise ServiceError("收费方式无效", field="basis")
    except LawInputError as exc:
        raise ServiceError(exc.message, field=exc.field) from None
    if amount <= 0:
        raise ServiceError("按标准本申请不收费（免费额度内），无需发出收费通知")
    _step(
        actor=actor,
        application=application,
        step="issue_fee_notice",
        kind=EventKind.FEE_NOTICE,
        on=on,
        summary=f"发出信息处理费收费通知：{amount}元",
        data={"basis": basis, "amount_yuan": amount, "quote": quote.to_dict()},
        today=today,
    )
    return amount


def record_fee_payment(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    if not application.events.filter(kind=EventKind.FEE_NOTICE).exists():
        raise ServiceError("本申请没有收费通知，无需登记缴费")
    if application.events.filter(kind=EventKind.FEE_PAID).exists():
        raise ServiceError("已登记过缴费")
    notice = application.events.get(kind=EventKind.FEE_NOTICE)
    _step(
        actor=actor,
        application=application,
        step="record_fee_payment",
        kind=EventKind.FEE_PAID,
        on=on,
        summary=f"申请人缴纳信息处理费{notice.data.get('amount_yuan')}元",
        data={"amount_yuan": notice.data.get("amount_yuan")},
        today=today,
    )


def _letter_number(unit: Unit, on: date) -> str:
    """The decision letter's number, e.g. 湘桥区教育局依申请公开告〔2025〕3号 (the
    unique constraint on the column catches a concurrent duplicate)."""
    prefix = f"{unit.short_name}依申请公开告〔{on.year}〕"
    taken = Application.objects.filter(
        unit=unit, letter_number__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1}号"


def _close_with(
    *,
    actor: User | None,
    application: Application,
    step: str,
    outcome_key: str,
    on: date,
    summary: str,
    today: date | None,
    data: dict[str, Any] | None = None,
) -> None:
    _step(
        actor=actor,
        application=application,
        step=step,
        kind=EventKind.DECIDED if step != "withdraw" else EventKind.WITHDRAWN,
        on=on,
        summary=summary,
        data={"outcome": outcome_key, **(data or {})},
        today=today,
        status=Status.CLOSED,
        outcome=outcome_key,
        decided_on=on,
        closed_on=on,
        letter_number=_letter_number(application.unit, on),
    )


def lapse_correction(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    """The applicant did not correct in time: 视为放弃申请 (第三十条), 其他处理 1."""
    deadline = deadline_of(application, today=today)
    lapses = deadline.correction_lapses_on if deadline else None
    if lapses is None or on <= lapses:
        raise ServiceError(f"补正期限尚未届满（届满日：{lapses}），不能终止处理")
    _close_with(
        actor=actor,
        application=application,
        step="lapse_correction",
        outcome_key="other_correction_lapsed",
        on=on,
        summary="申请人无正当理由逾期不补正，视为放弃申请，不再处理",
        today=today,
    )


def lapse_fee(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    """The applicant did not pay in time: 其他处理 2."""
    if not application.events.filter(kind=EventKind.FEE_NOTICE).exists():
        raise ServiceError("本申请没有收费通知，不能按逾期未缴费处理")
    if application.events.filter(kind=EventKind.FEE_PAID).exists():
        raise ServiceError("申请人已缴费，不能按逾期未缴费处理")
    deadline = deadline_of(application, today=today)
    lapses = deadline.fee_lapses_on if deadline else None
    if lapses is None or on <= lapses:
        raise ServiceError(f"缴费期限尚未届满（届满日：{lapses}），不能终止处理")
    _close_with(
        actor=actor,
        application=application,
        step="lapse_fee",
        outcome_key="other_fee_lapsed",
        on=on,
        summary="申请人逾期未按收费通知缴纳费用，不再处理",
        today=today,
    )


def decide(
    *,
    actor: User,
    application: Application,
    outcome_key: str,
    on: date,
    reasoning: str,
    provided: str = "",
    confidentiality_reviewer: str = "",
    confidentiality_conclusion: str = "",
    today: date | None = None,
) -> None:
    """The decision: exactly one of the 21 leaves, with its legal basis, and, for
    information released, the confidentiality review of it (第十七条: who checked
    it and the conclusion)."""
    outcome = OUTCOMES_BY_KEY.get(outcome_key)
    if outcome is None:
        raise ServiceError("请选择办理结果", field="outcome")
    if outcome_key in {"other_correction_lapsed", "other_fee_lapsed"}:
        raise ServiceError(
            "逾期不补正或逾期未缴费，请使用对应的终止处理操作", field="outcome"
        )
    if not reasoning.strip():
        raise ServiceError("请写明答复理由", field="reasoning")
    if bool(confidentiality_reviewer.strip()) != bool(
        confidentiality_conclusion.strip()
    ):
        raise ServiceError(
            "保密审查须同时填写审查人和审查结论", field="confidentiality_conclusion"
        )
    _step(
        actor=actor,
        application=application,
        step="decide",
        kind=EventKind.DECIDED,
        on=on,
        summary=f"作出答复：{outcome.label}（{outcome.basis}）",
        data={
            "outcome": outcome_key,
            "basis": outcome.basis,
            "reasoning": reasoning.strip(),
            "provided": provided.strip(),
            "confidentiality_reviewer": confidentiality_reviewer.strip(),
            "confidentiality_conclusion": confidentiality_conclusion.strip(),
        },
        today=today,
        status=Status.DECIDED,
        outcome=outcome_key,
        decided_on=on,
        letter_number=_letter_number(application.unit, on),
    )


def record_delivery(
    *,
    actor: User,
    application: Application,
    on: date,
    method: str,
    note: str = "",
    today: date | None = None,
) -> None:
    if not method.strip():
        raise ServiceError("请填写送达方式", field="method")
    if application.decided_on and on < application.decided_on:
        raise ServiceError("送达日期不能早于答复日期", field="on")
    _step(
        actor=actor,
        application=application,
        step="record_delivery",
        kind=EventKind.DELIVERED,
        on=on,
        summary=f"以{method.strip()}方式送达答复"
        + (f"（{note.strip()}）" if note.strip() else ""),
        data={"method": method.strip(), "note": note.strip()},
        today=today,
        status=Status.CLOSED,
        closed_on=on,
    )


def withdraw(
    *,
    actor: User,
    application: Application,
    on: date,
    reason: str,
    today: date | None = None,
) -> None:
    """The applicant withdraws: closed, counted as 其他处理 3 (其他)."""
    if not reason.strip():
        raise ServiceError("请填写撤回说明", field="reason")
    _close_with(
        actor=actor,
        application=application,
        step="withdraw",
        outcome_key="other",
        on=on,
        summary=f"申请人撤回申请：{reason.strip()}",
        today=today,
        data={"reason": reason.strip()},
    )


def file_appeal(
    *,
    actor: User,
    application: Application,
    kind: str,
    filed_on: date,
    body: str,
    case_number: str = "",
    as_review_body: bool = False,
    today: date | None = None,
) -> Appeal:
    """Record an administrative review or lawsuit about an answered application."""
    _check_officer(actor, application.unit)
    today = today or timezone.localdate()
    if kind not in AppealKind.values:
        raise ServiceError("复议或诉讼类型无效", field="kind")
    if not body.strip():
        raise ServiceError("请填写复议机关或法院", field="body")
    if filed_on > today:
        raise ServiceError("提起日期不能晚于今天", field="filed_on")
    if application.received_on is None or filed_on < application.received_on:
        raise ServiceError("提起日期不能早于收到申请之日", field="filed_on")
    with transaction.atomic():
        appeal = Appeal.objects.create(
            application=application,
            kind=kind,
            filed_on=filed_on,
            body=body.strip(),
            case_number=case_number.strip(),
            as_review_body=as_review_body,
        )
        label = AppealKind(kind).label
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.APPEAL_FILED,
            on=filed_on,
            actor=actor,
            summary=f"申请人提起{label}（{body.strip()}{'，' + case_number.strip() if case_number.strip() else ''}）",
            data={"appeal": appeal.pk, "kind": kind},
            public=False,
        )
        _audit(actor, application, "appeal_filed", f"登记{label}", appeal=appeal.pk)
    return appeal


def conclude_appeal(
    *,
    actor: User,
    appeal: Appeal,
    result: str,
    on: date,
    note: str = "",
    today: date | None = None,
) -> None:
    application = appeal.application
    _check_officer(actor, application.unit)
    today = today or timezone.localdate()
    if result not in AppealResult.values or result == AppealResult.PENDING:
        raise ServiceError("请选择审结结果", field="result")
    if appeal.result != AppealResult.PENDING:
        raise ServiceError("该复议或诉讼已登记审结结果")
    if on < appeal.filed_on or on > today:
        raise ServiceError("审结日期须在提起日期与今天之间", field="on")
    with transaction.atomic():
        appeal.result = result
        appeal.concluded_on = on
        appeal.note = note.strip()
        appeal.save(update_fields=["result", "concluded_on", "note"])
        ApplicationEvent.objects.create(
            application=application,
            kind=EventKind.APPEAL_CONCLUDED,
            on=on,
            actor=actor,
            summary=f"{appeal.get_kind_display()}审结：{AppealResult(result).label}",
            data={"appeal": appeal.pk, "result": result},
            public=False,
        )
        _audit(
            actor,
            application,
            "appeal_concluded",
            f"{appeal.get_kind_display()}审结",
            appeal=appeal.pk,
            result=result,
        )
