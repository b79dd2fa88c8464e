"""The HTTP API (django-ninja, OpenAPI at /api/openapi.json).

Public endpoints need no credentials; staff endpoints take a bearer token
(``Authorization: Bearer gk_…``) created in the console, and act with that user's
roles and unit scope through the same services as the console."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.tokens import user_for_token
from gongkai.law.errors import LawInputError


class StaffToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="gongkai 政府信息公开 API",
    version="1",
    description="主动公开信息、依申请公开（提交、查询、办理）。",
    docs_url=None,  # the Swagger page loads assets from a CDN; the spec is at /api/openapi.json
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> Any:
    return api.create_response(
        request, {"error": exc.message, "field": exc.field}, status=400
    )


@api.exception_handler(LawInputError)
def law_error(request: HttpRequest, exc: LawInputError) -> Any:
    return api.create_response(
        request, {"error": exc.message, "field": exc.field}, status=400
    )


def _mount() -> None:
    from gongkai.applications.api import public as applications_public
    from gongkai.applications.api import staff as applications_staff
    from gongkai.catalogue.api import public as items_public
    from gongkai.catalogue.api import staff as items_staff
    from gongkai.obligations.api import router as obligations

    api.add_router("/items", items_public)
    api.add_router("/applications", applications_public)
    api.add_router("/staff/items", items_staff, auth=StaffToken())
    api.add_router("/staff/applications", applications_staff, auth=StaffToken())
    api.add_router("/obligations", obligations)


_mount()
