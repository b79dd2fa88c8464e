from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.services import change_password
from gongkai.console.forms import LoginForm, PasswordForm
from gongkai.console.views.common import add_service_error, staff_view


class LoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": "工作人员登录"}  # noqa: RUF012


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What a locked account sees (django-axes calls this)."""
    from django.conf import settings

    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(
        request,
        "console/locked.html",
        {"title": "账号已锁定", "minutes": minutes},
        status=429,
    )


@staff_view()
def password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_password(
                actor=user, user=user, password=form.cleaned_data["password"]
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("console:inbox")
    return render(request, "console/form.html", {"form": form, "title": "修改密码"})
