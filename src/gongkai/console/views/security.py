from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.accounts import permissions
from gongkai.accounts.models import User
from gongkai.console.views.common import staff_view


@staff_view(permissions.can_manage_roles)
def security(request: HttpRequest) -> HttpResponse:
    """The security administrator's view of the password and lockout policy and of
    the accounts locked now."""
    user: User = request.user  # type: ignore[assignment]
    locked_names = set(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        ).values_list("username", flat=True)
    )
    scope = user.unit.path if user.unit else "/-/"
    locked = User.objects.filter(
        username__in=locked_names, unit__path__startswith=scope
    )
    return render(
        request,
        "console/security.html",
        {
            "title": "安全策略",
            "password_rules": password_validators_help_texts(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(float(settings.AXES_COOLOFF_TIME) * 60),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "locked": locked,
        },
    )
