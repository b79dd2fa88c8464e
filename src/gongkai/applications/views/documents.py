"""Downloads of an application's letters and of its evidence package (staff only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from gongkai.accounts.models import User
from gongkai.applications.evidence import evidence_pdf, evidence_zip
from gongkai.applications.letters import (
    LetterUnavailable,
    letter_context,
    letter_docx,
    letter_pdf,
)
from gongkai.applications.models import Application
from gongkai.applications.views.console import _get, is_officer
from gongkai.audit.services import record_event
from gongkai.console.views.common import staff_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(
    content: bytes, content_type: str, filename: str, fallback: str
) -> HttpResponse:
    """A download with its Chinese name (RFC 6266 / RFC 5987) and an ASCII fallback."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Cache-Control"] = "no-store"
    return response


def _letter(
    request: HttpRequest, pk: int, kind: str
) -> tuple[Application, dict[str, Any]]:
    application = _get(request, pk)
    try:
        return application, letter_context(application, kind)
    except LetterUnavailable as exc:
        raise Http404(str(exc)) from None


@staff_view(is_officer)
@require_GET
def application_letter_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application, letter = _letter(request, pk, kind)
    return attachment(
        letter_pdf(letter),
        "application/pdf",
        f"{letter['title']}-{application.reference}.pdf",
        f"{application.reference}-{letter['kind']}.pdf",
    )


@staff_view(is_officer)
@require_GET
def application_letter_docx(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    application, letter = _letter(request, pk, kind)
    return attachment(
        letter_docx(letter),
        DOCX,
        f"{letter['title']}-{application.reference}.docx",
        f"{application.reference}-{letter['kind']}.docx",
    )


def _audit_export(request: HttpRequest, application: Application, fmt: str) -> None:
    user: User = request.user  # type: ignore[assignment]
    record_event(
        actor=user,
        action="applications.evidence_exported",
        summary=f"{application.reference}：导出办理证据材料（{fmt.upper()}，含申请人身份信息）",
        obj=application,
        unit=application.unit,
        data={"format": fmt},
    )


@staff_view(is_officer)
@require_GET
def application_evidence_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    content = evidence_pdf(application)
    _audit_export(request, application, "pdf")
    return attachment(
        content,
        "application/pdf",
        f"证据材料-{application.reference}.pdf",
        f"evidence-{application.reference}.pdf",
    )


@staff_view(is_officer)
@require_GET
def application_evidence_zip(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    content = evidence_zip(application)
    _audit_export(request, application, "zip")
    return attachment(
        content,
        "application/zip",
        f"证据材料-{application.reference}.zip",
        f"evidence-{application.reference}.zip",
    )
