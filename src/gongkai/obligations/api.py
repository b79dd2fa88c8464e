"""API of the 标准目录 (mounted at /api/obligations): the catalogue and coverage
of a unit (public, counting published items only) and, with a staff token, the
coverage in the user's scope and the linking of items."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.selectors import site_unit
from gongkai.accounts.tokens import user_for_token
from gongkai.catalogue.selectors import items_visible_to
from gongkai.obligations import exporting, services
from gongkai.obligations.coverage import Matrix, staff_matrix, unit_matrix
from gongkai.obligations.selectors import (
    obligations_for,
    obligations_visible_to,
    suggest_obligations,
)
from gongkai.workdays.selectors import work_calendar

router = Router(tags=["公开义务（标准目录）"])


class StaffToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


STAFF = StaffToken()


class ObligationOut(Schema):
    id: int
    unit: str
    number: int
    category: str
    name: str
    elements: list[str]
    basis: str
    time_rule: str
    responsible: str
    for_owner: bool
    for_schools: bool
    named_units: list[str]
    channels: str
    audience: str
    mode: str
    levels: str
    keywords: str
    effective_from: date


class PeriodOut(Schema):
    period: str
    status: str
    note: str


class ItemRef(Schema):
    id: int
    title: str
    public: bool


class CellOut(Schema):
    unit: int
    obligation: int
    status: str
    label: str
    due_on: date | None
    note: str
    periods: list[PeriodOut]
    items: list[ItemRef]


class UnitRef(Schema):
    id: int
    name: str


class CoverageOut(Schema):
    year: int
    as_of: date
    units: list[UnitRef]
    counts: dict[str, int]
    cells: list[CellOut]


class UnitParams(Schema):
    unit: int | None = Field(None, description="单位编号；默认为门户所属单位")
    year: int | None = Field(None, ge=2000, le=2100)


class ExportParams(UnitParams):
    format: Literal["json", "csv", "xlsx"] = "json"
    what: Literal["catalogue", "coverage"] = "catalogue"


def _unit(unit_id: int | None) -> Unit:
    if unit_id is None:
        found = site_unit()
        if found is None:
            raise ServiceError("门户尚未设置所属单位")
        return found
    return get_object_or_404(Unit, pk=unit_id, is_active=True)


def _public(params: UnitParams) -> tuple[Unit, Matrix]:
    unit = _unit(params.unit)
    today = timezone.localdate()
    matrix = unit_matrix(
        unit,
        year=params.year or today.year,
        today=today,
        calendar=work_calendar(),
        public_only=True,
    )
    return unit, matrix


@router.get("", response=list[ObligationOut], summary="单位的标准目录")
def list_obligations(
    request: HttpRequest, params: Query[UnitParams]
) -> list[dict[str, Any]]:
    unit = _unit(params.unit)
    return [exporting.obligation_dict(o) for o in obligations_for(unit)]


@router.get("/coverage", response=CoverageOut, summary="单位的落实情况（按已公开信息）")
def public_coverage(request: HttpRequest, params: Query[UnitParams]) -> dict[str, Any]:
    _unit, matrix = _public(params)
    return exporting.coverage_dict(matrix)


@router.get("/export", summary="导出标准目录或落实情况（JSON、CSV、XLSX）")
def export(request: HttpRequest, params: Query[ExportParams]) -> HttpResponse:
    unit, matrix = _public(params)
    result = exporting.export(
        what=params.what,
        fmt=params.format,
        obligations=[row.obligation for row in matrix.rows],
        matrix=matrix,
        stem=f"obligations-{unit.org_code}-{params.what}-{matrix.year}",
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


class YearParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get(
    "/staff/catalogue",
    response=list[ObligationOut],
    auth=STAFF,
    summary="管理范围内的标准目录",
)
def staff_catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        exporting.obligation_dict(o) for o in obligations_visible_to(_user(request))
    ]


@router.get(
    "/staff/coverage",
    response=CoverageOut,
    auth=STAFF,
    summary="管理范围内的落实情况（含未公开的信息）",
)
def staff_coverage(request: HttpRequest, params: Query[YearParams]) -> dict[str, Any]:
    today = timezone.localdate()
    matrix = staff_matrix(
        _user(request),
        year=params.year or today.year,
        today=today,
        calendar=work_calendar(),
    )
    return exporting.coverage_dict(matrix)


class SuggestionOut(Schema):
    obligation: int
    title: str
    score: int
    reasons: list[str]


@router.get(
    "/staff/items/{item_id}/suggestions",
    response=list[SuggestionOut],
    auth=STAFF,
    summary="推荐信息所属的公开事项",
)
def suggestions(request: HttpRequest, item_id: int) -> list[SuggestionOut]:
    item = get_object_or_404(items_visible_to(_user(request)), pk=item_id)
    return [
        SuggestionOut(
            obligation=o.pk, title=str(o), score=s.score, reasons=list(s.reasons)
        )
        for o, s in suggest_obligations(item)
    ]


class LinkIn(Schema):
    obligation: int
    period: str = Field("", max_length=16)


class LinkOut(Schema):
    item: int
    obligation: int
    period: str


@router.put(
    "/staff/items/{item_id}/link",
    response=LinkOut,
    auth=STAFF,
    summary="确认信息所属的公开事项",
)
def link(request: HttpRequest, item_id: int, data: LinkIn) -> LinkOut:
    user = _user(request)
    item = get_object_or_404(items_visible_to(user), pk=item_id)
    obligation = obligations_for(item.unit).filter(pk=data.obligation).first()
    if obligation is None:
        raise ServiceError("该公开事项不适用于该信息的单位", field="obligation")
    saved = services.link_item(
        actor=user, item=item, obligation=obligation, period=data.period
    )
    return LinkOut(item=item.pk, obligation=obligation.pk, period=saved.period)


@router.delete(
    "/staff/items/{item_id}/link",
    response={204: None},
    auth=STAFF,
    summary="取消信息与公开事项的关联",
)
def unlink(request: HttpRequest, item_id: int) -> Status[None]:
    user = _user(request)
    item = get_object_or_404(items_visible_to(user), pk=item_id)
    services.unlink_item(actor=user, item=item)
    return Status(204, None)
