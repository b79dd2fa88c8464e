"""Who and where the current request comes from, for the audit trail.

Services record the client address of a change without taking the request as an
argument: the middleware puts it in a context variable for the request's span.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    path: str = ""


current_request: ContextVar[RequestMeta | None] = ContextVar(
    "gongkai_current_request", default=None
)


def current_ip() -> str | None:
    meta = current_request.get()
    return meta.ip if meta else None
