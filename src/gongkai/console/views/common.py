from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.audit.services import record_event

View = Callable[..., HttpResponse]


def staff_view(
    predicate: Callable[[User], bool] | None = None,
) -> Callable[[View], View]:
    """Login required; if ``predicate`` fails, 403 and an audit event."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: User = request.user  # type: ignore[assignment]
            if predicate is not None and not predicate(user):
                record_event(
                    actor=user,
                    action="security.permission_denied",
                    summary=f"无权访问：{request.path[:200]}",
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def scoped_unit_or_404(user: User, unit: Unit, request: HttpRequest) -> Unit:
    """An object outside the user's unit is answered as if it did not exist."""
    if not is_in_scope(user, unit):
        record_event(
            actor=user,
            action="security.out_of_scope",
            summary=f"试图访问管理范围以外的对象：{request.path[:200]}",
            data={"target_unit": unit.pk},
        )
        raise Http404
    return unit


def add_service_error(form: Any, exc: Any) -> None:
    """Show a refused change on the form: on its field if the form has it."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
