"""API for disclosure applications: public submission and tracking; staff reading
and handling through the same services as the console."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import site_unit
from gongkai.applications import services
from gongkai.applications.clock import deadline_of
from gongkai.applications.models import (
    ApplicantKind,
    Delivery,
    FormWanted,
)
from gongkai.applications.selectors import (
    applications_visible_to,
    by_query_code,
    open_applications,
)
from gongkai.applications.steps import run_step
from gongkai.core.middleware import client_ip

public = Router(tags=["依申请公开"])
staff = Router(tags=["依申请公开（工作人员）"])


class ApplicationIn(Schema):
    applicant_kind: ApplicantKind
    applicant_name: str = Field(..., min_length=1, max_length=100)
    id_type: str = Field("", max_length=40)
    id_number: str = Field("", max_length=40)
    org_code: str = Field("", max_length=18)
    contact_person: str = Field("", max_length=40)
    phone: str = Field(..., min_length=7, max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    postcode: str = Field("", max_length=6)
    subject: str = Field(..., min_length=1, max_length=200)
    document_number: str = Field("", max_length=100)
    description: str = Field(..., min_length=1, max_length=4000)
    form_wanted: FormWanted
    delivery: Delivery


class Receipt(Schema):
    reference: str
    query_code: str
    status: str
    submitted_on: date


class EventOut(Schema):
    on: date
    kind: str
    label: str


class Tracking(Schema):
    reference: str
    subject: str
    status: str
    outcome: str
    received_on: date | None
    due_on: date | None
    due_provisional: bool
    events: list[EventOut]


@public.post("", response={201: Receipt}, summary="提交政府信息公开申请")
def submit(request: HttpRequest, data: ApplicationIn) -> Status[Receipt]:
    """The ``Idempotency-Key`` header makes a retried request return the first
    application instead of creating a second one."""
    unit = site_unit()
    if unit is None:
        raise ServiceError("尚未配置受理机关")
    token = request.headers.get("Idempotency-Key", "")[:64]
    if not token:
        raise ServiceError(
            "请在请求头提供 Idempotency-Key，以免重复提交", field="Idempotency-Key"
        )
    if data.applicant_kind == ApplicantKind.NATURAL_PERSON and not data.id_number:
        raise ServiceError(
            "自然人申请须填写身份证明的证件号码（第二十九条）", field="id_number"
        )
    d = data.dict()
    app = services.submit_online_application(
        unit=unit,
        applicant=services.applicant_from(d),
        request=services.request_from(d),
        submission_token=f"api:{token}",
        ip=client_ip(request),
    )
    return Status(
        201,
        Receipt(
            reference=app.reference,
            query_code=app.query_code,
            status=app.status,
            submitted_on=app.submitted_on,
        ),
    )


class CodeParams(Schema):
    code: str = Field(..., max_length=40)


@public.get("/track", response=Tracking, summary="凭查询码查询办理进度")
def track(request: HttpRequest, params: Query[CodeParams]) -> Tracking:
    app = by_query_code(params.code)
    if app is None:
        raise ServiceError("未找到该查询码对应的申请", field="code")
    return Tracking(
        reference=app.reference,
        subject=app.subject,
        status=app.get_status_display(),
        outcome=app.get_outcome_display() if app.outcome else "",
        received_on=app.received_on,
        due_on=app.due_on,
        due_provisional=app.due_provisional,
        events=[
            EventOut(on=e.on, kind=e.kind, label=e.get_kind_display())
            for e in app.events.filter(public=True)
        ],
    )


class StaffApplicationOut(Schema):
    id: int
    reference: str
    applicant_name: str
    applicant_kind: str
    channel: str
    subject: str
    status: str
    received_on: date | None
    due_on: date | None
    due_provisional: bool
    outcome: str


class StaffDetail(StaffApplicationOut):
    id_number_hint: str
    description: str
    deadline: dict[str, Any] | None
    events: list[dict[str, Any]]


def _user(request: HttpRequest) -> User:
    user: User = request.auth  # type: ignore[attr-defined]
    if not user.has_role(Role.DISCLOSURE_OFFICER):
        raise ServiceError("只有政府信息公开工作机构的工作人员可以办理申请")
    return user


def _out(app: Any) -> dict[str, Any]:
    return {
        "id": app.pk,
        "reference": app.reference,
        "applicant_name": app.applicant_name,
        "applicant_kind": app.applicant_kind,
        "channel": app.channel,
        "subject": app.subject,
        "status": app.status,
        "received_on": app.received_on,
        "due_on": app.due_on,
        "due_provisional": app.due_provisional,
        "outcome": app.outcome,
    }


@staff.get("", response=list[StaffApplicationOut], summary="未办结的申请（按答复期限）")
def staff_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _out(a)
        for a in open_applications(applications_visible_to(_user(request)))[:1000]
    ]


@staff.get("/{app_id}", response=StaffDetail, summary="申请详情与期限说明")
def staff_detail(request: HttpRequest, app_id: int) -> dict[str, Any]:
    app = get_object_or_404(applications_visible_to(_user(request)), pk=app_id)
    deadline = deadline_of(app)
    return {
        **_out(app),
        "id_number_hint": app.id_number_hint,
        "description": app.description,
        "deadline": deadline.to_dict() if deadline else None,
        "events": [
            {"on": e.on, "kind": e.kind, "summary": e.summary, "data": e.data}
            for e in app.events.all()
        ],
    }


class StepIn(Schema):
    on: date
    items: str = Field("", max_length=2000)
    note: str = Field("", max_length=500)
    kind: str = Field("", max_length=20)
    party: str = Field("", max_length=200)
    started_event: int | None = None
    opinion: str = Field("", max_length=1000)
    workdays: int | None = Field(None, ge=1, le=20)
    approved_by: str = Field("", max_length=60)
    reason: str = Field("", max_length=500)
    due_on: date | None = None
    basis: str = Field("", max_length=20)
    pages: int = Field(0, ge=0, le=100_000)
    outcome: str = Field("", max_length=48)
    reasoning: str = Field("", max_length=4000)
    provided: str = Field("", max_length=1000)
    confidentiality_reviewer: str = Field("", max_length=60)
    confidentiality_conclusion: str = Field("", max_length=500)
    method: str = Field("", max_length=60)


@staff.post(
    "/{app_id}/steps/{step}", response=StaffApplicationOut, summary="办理一个步骤"
)
def staff_step(
    request: HttpRequest, app_id: int, step: str, data: StepIn
) -> dict[str, Any]:
    user = _user(request)
    app = get_object_or_404(applications_visible_to(user), pk=app_id)
    payload = data.dict()
    payload["started"] = payload.pop("started_event")
    run_step(step, actor=user, application=app, data=payload)
    app.refresh_from_db()
    return _out(app)
