from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts.models import User
from gongkai.accounts.selectors import role_labels
from gongkai.console.navigation import console_links
from gongkai.console.views.common import staff_view


@staff_view()
def inbox(request: HttpRequest) -> HttpResponse:
    """The staff home. The work queues (items to review, applications due) are
    added by the disclosure and application modules."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "console/inbox.html",
        {
            "title": "工作台",
            "roles": role_labels(user),
            "links": console_links(user),
            "tasks": [],
        },
    )
