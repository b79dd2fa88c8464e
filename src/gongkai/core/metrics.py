"""In-process request metrics (per worker process, as Prometheus scrapes each one),
and the middleware that records them with a request id for the logs."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
request_id: ContextVar[str] = ContextVar("gongkai_request_id", default="-")


class Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str], int] = {}
        self.buckets = [0] * len(BUCKETS)
        self.count = 0
        self.total = 0.0

    def observe(self, method: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (method, f"{status // 100}xx")
            self.requests[key] = self.requests.get(key, 0) + 1
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    self.buckets[i] += 1
            self.count += 1
            self.total += seconds

    def render(self) -> list[str]:
        with self._lock:
            lines = [
                "# HELP gongkai_http_requests_total HTTP requests handled by this process.",
                "# TYPE gongkai_http_requests_total counter",
            ]
            for (method, status), n in sorted(self.requests.items()):
                lines.append(
                    f'gongkai_http_requests_total{{method="{method}",status="{status}"}} {n}'
                )
            lines += [
                "# HELP gongkai_http_request_seconds Request latency.",
                "# TYPE gongkai_http_request_seconds histogram",
            ]
            for bound, n in zip(BUCKETS, self.buckets, strict=True):
                lines.append(f'gongkai_http_request_seconds_bucket{{le="{bound}"}} {n}')
            lines.append(
                f'gongkai_http_request_seconds_bucket{{le="+Inf"}} {self.count}'
            )
            lines.append(f"gongkai_http_request_seconds_sum {self.total:.6f}")
            lines.append(f"gongkai_http_request_seconds_count {self.count}")
            return lines


REGISTRY = Registry()


class RequestMetricsMiddleware:
    """Give every request an id (from ``X-Request-ID`` or new), put it in the logs
    and the response, and count the request and its latency."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = (
            incoming
            if 0 < len(incoming) <= 64 and incoming.isprintable()
            else uuid.uuid4().hex
        )
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        REGISTRY.observe(
            request.method or "-", response.status_code, time.perf_counter() - started
        )
        response["X-Request-ID"] = rid
        return response
