from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import role_labels
from gongkai.console.navigation import console_links
from gongkai.console.views.common import staff_view
from gongkai.core.models import Notification
from gongkai.core.notify import mark_read


def _queues(user: User) -> list[tuple[str, int, str]]:
    """(label, count, url) of the work waiting for this user."""
    from django.urls import reverse

    from gongkai.applications.selectors import (
        applications_visible_to,
        open_applications,
    )
    from gongkai.catalogue.selectors import my_drafts, review_queue

    queues = []
    waiting_review = review_queue(user).count()
    if waiting_review:
        queues.append(
            ("待我审核的主动公开信息", waiting_review, reverse("console:items"))
        )
    if user.has_role(Role.AUTHOR):
        drafts = my_drafts(user).count()
        if drafts:
            queues.append(("我的草稿（含被退回的）", drafts, reverse("console:items")))
    if user.has_role(Role.DISCLOSURE_OFFICER):
        open_apps = open_applications(applications_visible_to(user))
        queues.append(
            (
                "未办结的政府信息公开申请",
                open_apps.count(),
                reverse("console:applications"),
            )
        )
        waiting = open_apps.filter(status="awaiting_confirmation").count()
        if waiting:
            queues.append(
                ("待确认收到的网上申请", waiting, reverse("console:applications"))
            )
    return queues


@staff_view()
def inbox(request: HttpRequest) -> HttpResponse:
    """The staff home: notifications and the queues of the user's roles."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "console/inbox.html",
        {
            "title": "工作台",
            "roles": role_labels(user),
            "links": console_links(user),
            "queues": _queues(user),
            "notifications": Notification.objects.filter(
                user=user, read_at__isnull=True
            )[:30],
        },
    )


@staff_view()
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    mark_read(request.user, pk)  # type: ignore[arg-type]
    return redirect("console:inbox")
