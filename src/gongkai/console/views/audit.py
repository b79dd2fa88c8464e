from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts import permissions
from gongkai.accounts.models import User
from gongkai.audit.selectors import events_visible_to, filter_events
from gongkai.audit.verify import verify_chain
from gongkai.console.forms import AuditFilterForm
from gongkai.console.views.common import staff_view


@staff_view(permissions.can_read_audit)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit administrator browses and filters the trail; nothing here writes."""
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None)
    events = events_visible_to(user)
    if form.is_valid():
        events = filter_events(events, **form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    report = verify_chain() if request.GET.get("verify") == "1" else None
    return render(
        request,
        "console/audit.html",
        {
            "title": "审计日志",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "report": report,
        },
    )
