"""Staff views of applications: the list by due date, intake, the record and its steps."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import holders_of
from gongkai.applications import forms as f
from gongkai.applications import services
from gongkai.applications.clock import deadline_of
from gongkai.applications.letters import available_letters
from gongkai.applications.models import Application
from gongkai.applications.selectors import (
    applications_visible_to,
    monthly_counts,
    open_applications,
    open_consultations,
    similar_applications,
)
from gongkai.applications.steps import run_step
from gongkai.applications.transitions import ALLOWED, STEP_LABELS
from gongkai.audit.services import record_event
from gongkai.console.views.common import (
    add_service_error,
    scoped_unit_or_404,
    staff_view,
)
from gongkai.core.crypto import decrypt
from gongkai.law.errors import LawInputError
from gongkai.workdays.selectors import work_calendar, workdays_left

LETTER_LABELS = {
    "decision": "答复告知书",
    "correction": "补正通知书",
    "extension": "延期答复告知书",
    "fee": "收费通知书",
}


def is_officer(user: User) -> bool:
    return user.is_active and user.has_role(Role.DISCLOSURE_OFFICER)


STEP_FORMS: dict[str, type[forms.Form]] = {
    "confirm_receipt": f.DateForm,
    "request_correction": f.CorrectionRequestForm,
    "receive_correction": f.NoteForm,
    "lapse_correction": f.DateForm,
    "start_consultation": f.ConsultationForm,
    "end_consultation": f.ConsultationEndForm,
    "extend": f.ExtensionForm,
    "set_agency_date": f.AgencyDateForm,
    "issue_fee_notice": f.FeeNoticeForm,
    "record_fee_payment": f.DateForm,
    "lapse_fee": f.DateForm,
    "decide": f.DecisionForm,
    "record_delivery": f.DeliveryForm,
    "withdraw": f.WithdrawForm,
}


def _get(request: HttpRequest, pk: int) -> Application:
    user: User = request.user  # type: ignore[assignment]
    application = get_object_or_404(
        Application.objects.select_related("unit", "handler"), pk=pk
    )
    scoped_unit_or_404(user, application.unit, request)
    return application


@staff_view(is_officer)
def application_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    qs = applications_visible_to(user)
    show_closed = request.GET.get("show") == "closed"
    rows = (
        qs.exclude(
            status__in=["in_progress", "awaiting_confirmation", "awaiting_correction"]
        ).order_by("-decided_on")[:200]
        if show_closed
        else open_applications(qs)
    )
    calendar = work_calendar()
    today = timezone.localdate()
    listed = []
    for app in rows:
        left = None
        if app.due_on and app.is_open:
            left = workdays_left(calendar, today, app.due_on)
        listed.append((app, left))
    return render(
        request,
        "applications/console_list.html",
        {"title": "依申请公开", "rows": listed, "show_closed": show_closed},
    )


@staff_view(is_officer)
def application_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = f.IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            app = services.register_application(
                actor=user,
                unit=user.unit,  # type: ignore[arg-type]
                channel=d["channel"],
                submitted_on=d["submitted_on"],
                signed_on=d["signed_on"],
                confirmed_on=d["confirmed_on"],
                applicant=services.applicant_from(d),
                request=services.request_from(d),
                evidence=d["evidence"],
                evidence_file=(
                    (d["evidence_file"].name or "收件凭证", d["evidence_file"].read())
                    if d["evidence_file"]
                    else None
                ),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"已登记申请 {app.reference}，答复期限 {app.due_on}。"
            )
            return redirect("console:application", pk=app.pk)
    return render(
        request, "console/form.html", {"form": form, "title": "登记政府信息公开申请"}
    )


@staff_view(is_officer)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    app = _get(request, pk)
    identity = ""
    if request.GET.get("reveal") == "1" and app.id_number_encrypted:
        identity = decrypt(app.id_number_encrypted)
        record_event(
            actor=user,
            action="applications.identity_viewed",
            summary=f"{app.reference}：查看申请人完整证件号码",
            obj=app,
            unit=app.unit,
        )
    try:
        deadline = deadline_of(app)
    except LawInputError:
        deadline = None
    steps = [
        (
            step,
            STEP_LABELS[step],
            STEP_FORMS[step](prefix=step, initial={"on": timezone.localdate()}),
        )
        for step in STEP_FORMS
        if step in ALLOWED.get(app.status, frozenset())
    ]
    return render(
        request,
        "applications/console_detail.html",
        {
            "title": f"申请 {app.reference}",
            "app": app,
            "events": app.events.select_related("actor"),
            "deadline": deadline,
            "identity": identity,
            "steps": steps,
            "consultations": open_consultations(app),
            "handlers": holders_of(Role.DISCLOSURE_OFFICER, within=app.unit),
            "appeals": app.appeals.all(),
            "appeal_form": f.AppealForm(prefix="file_appeal"),
            "conclusion_form": f.AppealConclusionForm(prefix="conclude_appeal"),
            "similar": similar_applications(app),
            "files": app.files.all(),
            "letters": [(k, LETTER_LABELS.get(k, k)) for k in available_letters(app)],
            "monthly": monthly_counts(app),
        },
    )


@staff_view(is_officer)
@require_POST
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    app = _get(request, pk)
    if step == "assign":
        handler = get_object_or_404(User, pk=request.POST.get("handler") or 0)
        try:
            services.assign_handler(actor=user, application=app, handler=handler)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("console:application", pk=app.pk)
    if step in {"file_appeal", "conclude_appeal"}:
        _appeal_step(request, user, app, step)
        return redirect("console:application", pk=app.pk)
    if step not in STEP_FORMS:
        raise Http404
    form = STEP_FORMS[step](request.POST, prefix=step)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[k].label if k in form.fields else ''}：{' '.join(str(m) for m in v)}"
            for k, v in form.errors.items()
        )
        messages.error(request, f"{STEP_LABELS[step]}未完成：{errors}")
        return redirect("console:application", pk=app.pk)
    d = form.cleaned_data
    try:
        run_step(step, actor=user, application=app, data=d)
    except ServiceError as exc:
        messages.error(request, f"{STEP_LABELS[step]}未完成：{exc.message}")
    else:
        messages.success(request, f"已{STEP_LABELS[step]}。")
    return redirect("console:application", pk=app.pk)


def _appeal_step(request: HttpRequest, user: User, app: Application, step: str) -> None:
    form: forms.Form
    if step == "file_appeal":
        form = f.AppealForm(request.POST, prefix=step)
    else:
        form = f.AppealConclusionForm(request.POST, prefix=step)
    if not form.is_valid():
        messages.error(
            request,
            "复议或诉讼信息有误："
            + "；".join(str(m) for v in form.errors.values() for m in v),
        )
        return
    d = form.cleaned_data
    try:
        if step == "file_appeal":
            services.file_appeal(
                actor=user,
                application=app,
                kind=d["kind"],
                filed_on=d["filed_on"],
                body=d["body"],
                case_number=d["case_number"],
                as_review_body=d["as_review_body"],
            )
        else:
            appeal = app.appeals.filter(pk=d["appeal"]).first()
            if appeal is None:
                raise ServiceError("找不到该复议或诉讼记录")
            services.conclude_appeal(
                actor=user,
                appeal=appeal,
                result=d["result"],
                on=d["on"],
                note=d["note"],
            )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记。")


@staff_view(is_officer)
def application_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """Download a file of the record; identity documents are decrypted and the
    download is audited."""
    from gongkai.applications.files import read_file
    from gongkai.applications.models import ApplicationFile

    user: User = request.user  # type: ignore[assignment]
    app = _get(request, pk)
    stored = get_object_or_404(ApplicationFile, pk=file_id, application=app)
    data = read_file(stored)
    if stored.encrypted:
        record_event(
            actor=user,
            action="applications.identity_viewed",
            summary=f"{app.reference}：下载申请人身份证明材料",
            obj=app,
            unit=app.unit,
        )
    response = HttpResponse(data, content_type=stored.mime)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(stored.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
