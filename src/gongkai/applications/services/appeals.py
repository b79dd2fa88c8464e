"""Administrative reviews and lawsuits about an application."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    Application,
    ApplicationEvent,
    EventKind,
)
from gongkai.applications.services.common import _audit, _check_officer


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
