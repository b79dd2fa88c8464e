from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.console.navigation import console_links


def console(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not request.path.startswith("/console/")
    ):
        return {}
    return {"console_links": console_links(user)}
