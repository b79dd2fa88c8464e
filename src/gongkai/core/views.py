from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.audit.services import record_event


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired CSRF token: refuse, say why in Chinese, record it."""
    user = request.user if request.user.is_authenticated else None
    record_event(
        actor=user,
        action="security.csrf_rejected",
        summary=f"拒绝了一个未通过CSRF校验的请求：{request.method} {request.path[:200]}",
        data={"reason": reason[:200]},
    )
    return render(
        request,
        "errors/csrf.html",
        {"title": "请求已被拒绝"},
        status=403,
    )


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "errors/403.html", {"title": "无权访问"}, status=403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "errors/404.html", {"title": "页面不存在"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", {"title": "系统错误"}, status=500)
