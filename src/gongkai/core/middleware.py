from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gongkai.core.context import RequestMeta, current_request


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
