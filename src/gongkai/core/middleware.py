from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongkai.core.context import RequestMeta, current_request
from gongkai.core.views import DATABASE_ERRORS, database_unavailable


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind a trusted proxy, the first X-Forwarded-For hop."""
    if getattr(settings, "GONGKAI_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestMeta(ip=client_ip(request), path=request.path)
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503 (with
    Retry-After) instead of 500; see ``gongkai.core.views.database_unavailable``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
