"""The public side of applications: the online form, the receipt, tracking."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.selectors import disclosure_office, site_unit
from gongkai.applications import services
from gongkai.applications.files import attach_file
from gongkai.applications.forms import OnlineApplicationForm
from gongkai.applications.models import Application
from gongkai.applications.selectors import by_query_code
from gongkai.core.middleware import client_ip
from gongkai.core.pdf import render_pdf


def apply(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    form = OnlineApplicationForm(
        request.POST or None, request.FILES or None, initial={"token": uuid.uuid4().hex}
    )
    status = 200
    if request.method == "POST":
        if request.POST.get("website"):
            # Honeypot filled in: a bot. Say nothing useful, store nothing.
            return render(
                request, "applications/rejected.html", {"title": "提交失败"}, status=400
            )
        if form.is_valid():
            d = form.cleaned_data
            try:
                app = services.submit_online_application(
                    unit=unit,
                    applicant=services.applicant_from(d),
                    request=services.request_from(d),
                    submission_token=d["token"],
                    ip=client_ip(request),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
                status = 429 if "频繁" in exc.message or "上限" in exc.message else 400
            else:
                upload = d.get("identity_document")
                if upload is not None and not app.files.exists():
                    try:
                        attach_file(
                            actor=None,
                            application=app,
                            kind="identity_document",
                            name=upload.name or "身份证明",
                            data=upload.read(),
                        )
                    except ServiceError as exc:
                        # The application stands; only the optional file was refused.
                        messages.warning(
                            request,
                            f"申请已提交，但身份证明材料未能保存：{exc.message}",
                        )
                return HttpResponseRedirect(
                    reverse("portal:receipt", args=[app.query_code])
                )
        else:
            status = 400
    return render(
        request,
        "applications/apply.html",
        {
            "title": "申请公开政府信息",
            "form": form,
            "unit": unit,
            "office": disclosure_office(unit),
        },
        status=status,
    )


def _by_code(code: str) -> Application:
    app = by_query_code(code)
    if app is None:
        raise Http404
    return app


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    app = _by_code(code)
    return render(
        request, "applications/receipt.html", {"title": "申请回执", "app": app}
    )


@require_GET
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    app = _by_code(code)
    pdf = render_pdf(
        "applications/receipt_pdf.html",
        {"app": app, "office": disclosure_office(app.unit)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{app.reference}.pdf"'
    return response


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "")[:40]
    app = by_query_code(code) if code else None
    return render(
        request,
        "applications/track.html",
        {
            "title": "申请办理进度查询",
            "code": code,
            "app": app,
            "events": app.events.filter(public=True) if app else [],
            "not_found": bool(code) and app is None,
        },
        status=404 if code and app is None else 200,
    )
