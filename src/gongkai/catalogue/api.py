"""API for proactive disclosure: published items (public), drafting and review (staff)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.catalogue.models import Column, Item, Kind
from gongkai.catalogue.selectors import items_visible_to, public_items
from gongkai.catalogue.services import editing, review

public = Router(tags=["主动公开"])
staff = Router(tags=["主动公开（工作人员）"])


class ItemOut(Schema):
    id: int
    external_id: str
    index_number: str | None
    title: str
    unit: str
    column: str
    kind: str
    document_number: str
    written_on: date | None
    published_at: datetime | None
    validity: str
    summary: str

    @staticmethod
    def of(item: Item, *, draft: bool = False) -> ItemOut:
        rev = item.draft_revision if draft else item.published_revision
        assert rev is not None
        return ItemOut(
            id=item.pk,
            external_id=item.external_id,
            index_number=item.index_number,
            title=rev.title,
            unit=item.unit.name,
            column=rev.column.name,
            kind=rev.kind.name,
            document_number=rev.document_number,
            written_on=rev.written_on,
            published_at=item.published_at,
            validity=item.validity,
            summary=rev.summary,
        )


class ItemDetailOut(ItemOut):
    body: str
    attachments: list[str]
    status: str


class Page(Schema):
    total: int
    page: int
    page_size: int
    items: list[ItemOut]


class ListParams(Schema):
    unit: int | None = None
    column: str | None = Field(None, max_length=40)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=1000)


@public.get("", response=Page, summary="已公开的信息列表")
def list_items(request: HttpRequest, params: Query[ListParams]) -> Page:
    unit, column, page, page_size = (
        params.unit,
        params.column,
        params.page,
        params.page_size,
    )
    qs = public_items()
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if column:
        qs = qs.filter(published_revision__column__slug=column)
    total = qs.count()
    rows = qs[(page - 1) * page_size : page * page_size]
    return Page(
        total=total, page=page, page_size=page_size, items=[ItemOut.of(i) for i in rows]
    )


@public.get("/{item_id}", response=ItemDetailOut, summary="已公开信息的详情")
def get_item(request: HttpRequest, item_id: int) -> ItemDetailOut:
    item = get_object_or_404(public_items(), pk=item_id)
    rev = item.published_revision
    assert rev is not None
    return ItemDetailOut(
        **ItemOut.of(item).dict(),
        body=rev.body,
        status=item.status,
        attachments=[a.name for a in rev.attachments.all()],
    )


class ItemIn(Schema):
    column: str = Field(..., description="栏目路径（slug）")
    kind: str = Field(..., description="类别（slug），如 news、normative-document")
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=500)
    body: str = Field("", max_length=2_000_000)
    document_number: str = Field("", max_length=100)
    written_on: date | None = None
    formed_on: date
    topic: str = Field("", max_length=60)
    genre: str = Field("", max_length=60)


class ReviewIn(Schema):
    step: str | None = Field(
        None,
        max_length=32,
        description="客户端所见的审核步骤（如 unit_review）；若已被他人处理则拒绝",
    )
    comment: str = Field("", max_length=2000)
    checklist: dict[str, bool] | None = None
    conclusion: str = Field("", max_length=200)
    publish_at: datetime | None = None


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _staff_item(request: HttpRequest, item_id: int) -> Item:
    return get_object_or_404(items_visible_to(_user(request)), pk=item_id)


class StatusParams(Schema):
    status: str | None = Field(None, max_length=32)


@staff.get("", response=list[ItemOut], summary="本单位及下属单位的信息（草稿与已公开）")
def staff_items(request: HttpRequest, params: Query[StatusParams]) -> list[ItemOut]:
    qs = items_visible_to(_user(request)).exclude(draft_revision__isnull=True)
    if params.status:
        qs = qs.filter(status=params.status)
    return [ItemOut.of(i, draft=True) for i in qs.order_by("-id")[:500]]


@staff.post("", response={201: ItemOut}, summary="起草信息")
def create_item(request: HttpRequest, data: ItemIn) -> Status[ItemOut]:
    user = _user(request)
    if user.unit is None:
        raise ServiceError("用户未分配单位")
    column = Column.objects.filter(unit=user.unit, slug=data.column).first()
    if column is None:
        raise ServiceError(f"本单位没有栏目“{data.column}”", field="column")
    kind = Kind.objects.filter(slug=data.kind).first()
    if kind is None:
        raise ServiceError(f"未知类别“{data.kind}”", field="kind")
    fields = data.dict(exclude={"column", "kind"})
    item = editing.create_item(
        actor=user, unit=user.unit, column=column, kind=kind, interprets=None, **fields
    )
    return Status(201, ItemOut.of(item, draft=True))


@staff.post(
    "/{item_id}/submit", response=dict[str, int], summary="提交审核（运行敏感信息检查）"
)
def submit_item(request: HttpRequest, item_id: int) -> dict[str, int]:
    findings = review.submit(actor=_user(request), item=_staff_item(request, item_id))
    return {"findings": len(findings)}


@staff.post("/{item_id}/approve", response=dict[str, str], summary="通过当前审核步骤")
def approve_item(request: HttpRequest, item_id: int, data: ReviewIn) -> dict[str, str]:
    item = _staff_item(request, item_id)
    review.approve(
        actor=_user(request),
        item=item,
        comment=data.comment,
        checklist=data.checklist,
        conclusion=data.conclusion,
        publish_at=data.publish_at,
        step=data.step,
    )
    return {"status": item.status}


@staff.post("/{item_id}/return", response=dict[str, str], summary="退回撰稿人")
def return_item(request: HttpRequest, item_id: int, data: ReviewIn) -> dict[str, str]:
    item = _staff_item(request, item_id)
    review.return_item(
        actor=_user(request), item=item, comment=data.comment, step=data.step
    )
    return {"status": item.status}
