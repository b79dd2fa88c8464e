"""Steps while an application is handled: 补正, consultations, extension,
第三十五条 date, fees."""

from __future__ import annotations

from datetime import date

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    EventKind,
    Status,
)
from gongkai.applications.services.common import _step, no_event_yet
from gongkai.law.clock import ConsultationKind
from gongkai.law.errors import LawInputError
from gongkai.law.fees import FeeBasis, per_application_fee, per_page_fee


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
    once = no_event_yet(
        EventKind.CORRECTION_REQUESTED,
        "补正只能一次性告知，本申请已告知过补正（第三十条）",
    )
    once(application)
    _step(
        guard=once,
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
    once = no_event_yet(
        EventKind.CONSULTATION_ENDED,
        "该次征求意见已登记结果",
        started_event=started.pk,
    )
    once(application)
    _step(
        guard=once,
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
    once = no_event_yet(EventKind.EXTENDED, "答复期限只能延长一次（第三十三条）")
    once(application)
    _step(
        guard=once,
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
    once = no_event_yet(
        EventKind.FEE_NOTICE, "本申请已发出收费通知，不得按两种标准重复计算（第三条）"
    )
    once(application)
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
        guard=once,
        data={"basis": basis, "amount_yuan": amount, "quote": quote.to_dict()},
        today=today,
    )
    return amount


def record_fee_payment(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    if not application.events.filter(kind=EventKind.FEE_NOTICE).exists():
        raise ServiceError("本申请没有收费通知，无需登记缴费")
    once = no_event_yet(EventKind.FEE_PAID, "已登记过缴费")
    once(application)
    notice = application.events.get(kind=EventKind.FEE_NOTICE)
    _step(
        guard=once,
        actor=actor,
        application=application,
        step="record_fee_payment",
        kind=EventKind.FEE_PAID,
        on=on,
        summary=f"申请人缴纳信息处理费{notice.data.get('amount_yuan')}元",
        data={"amount_yuan": notice.data.get("amount_yuan")},
        today=today,
    )
