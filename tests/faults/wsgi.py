"""Calling the real WSGI application (not the test client): the request_started and
request_finished signals run as under a server, so connections are closed, checked
and reopened exactly as in production."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from wsgiref.util import setup_testing_defaults

from django.core.handlers.wsgi import WSGIHandler

application = WSGIHandler()


@dataclass
class WsgiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def wsgi_get(path: str, cookie: str = "") -> WsgiResponse:
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    captured: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)
        return lambda data: None

    result = application(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()  # type: ignore[attr-defined]
    return WsgiResponse(captured["status"], captured["headers"], body)
