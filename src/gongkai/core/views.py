from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

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


def _bad_request_message(exception: Exception | None) -> str:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return (
            f"提交的内容过大（表单或数据超过 {limit / (1024 * 1024):.1f} MB），"
            "未作处理。附件请通过上传文件提交。"
        )
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return "提交的字段或文件过多，未作处理。"
    return "请求格式不正确，未作处理。请返回后重新提交。"


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """400 in Chinese (an oversized or malformed request), rendered without the
    request context: the request's own data may be what is wrong."""
    message = _bad_request_message(exception)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": message, "field": None},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponse(
        render_to_string("errors/400.html", {"message": message}), status=400
    )


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "errors/403.html", {"title": "无权访问"}, status=403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return render(request, "errors/404.html", {"title": "页面不存在"}, status=404)


RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
logger = logging.getLogger("gongkai.faults")


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The database cannot be reached (down, restarting, connection cut, locked):
    503 with Retry-After, rendered without touching the database. The next request
    opens a new connection, so the site recovers by itself once the database is back."""
    logger.warning(
        "database unavailable: %s %s: %s: %s",
        request.method,
        request.path[:200],
        type(exc).__name__,
        str(exc)[:200],
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": "数据库暂时不可用，请稍后重试", "field": None},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            render_to_string("errors/503.html", {"retry_after": RETRY_AFTER_SECONDS}),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # A database failure outside a view (a middleware loading the session, the CSRF
    # failure view recording its event) ends up here: answer it as 503 too.
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request, exc)
    return render(request, "errors/500.html", {"title": "系统错误"}, status=500)
