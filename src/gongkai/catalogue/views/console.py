"""Staff views of proactive disclosure: drafts, the editor, review, history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.catalogue import forms as f
from gongkai.catalogue.models import Attachment, Finding, Item, ItemRevision, Status
from gongkai.catalogue.selectors import (
    items_visible_to,
    my_drafts,
    review_queue,
    revision_diff,
)
from gongkai.catalogue.services import editing, publishing, review
from gongkai.catalogue.services.editing import CONTENT_FIELDS
from gongkai.console.views.common import (
    add_service_error,
    scoped_unit_or_404,
    staff_view,
)
from gongkai.law.limits import publication_due
from gongkai.workdays.selectors import work_calendar, workdays_left

MAX_UPLOAD = 50 * 1024 * 1024


def _get(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(
        Item.objects.select_related("unit", "draft_revision"), pk=pk
    )
    scoped_unit_or_404(request.user, item.unit, request)  # type: ignore[arg-type]
    return item


def _timeliness(items: list[Item], today: date) -> list[tuple[Item, date, int]]:
    """Unpublished items with their publication due date and working days left."""
    calendar = work_calendar()
    rows = []
    for item in items:
        rev = item.draft_revision
        if rev is None:
            continue
        due = publication_due(rev.formed_on, calendar)
        left = workdays_left(calendar, today, due)
        rows.append((item, due, left))
    return sorted(rows, key=lambda r: r[1])


@staff_view()
def item_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    pending = list(
        items_visible_to(user)
        .filter(is_public=False)
        .exclude(status=Status.WITHDRAWN)
        .order_by("id")[:500]
    )
    return render(
        request,
        "catalogue/console_list.html",
        {
            "title": "主动公开",
            "drafts": my_drafts(user),
            "queue": review_queue(user),
            "due": [row for row in _timeliness(pending, today) if row[2] <= 5],
            "recent": items_visible_to(user)
            .filter(is_public=True)
            .order_by("-published_at")[:30],
            "can_author": user.has_role(Role.AUTHOR),
        },
    )


def _item_fields(form: f.ItemForm) -> dict[str, Any]:
    return {k: form.cleaned_data[k] for k in CONTENT_FIELDS}


@staff_view(lambda u: u.has_role(Role.AUTHOR))
def item_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    form = f.ItemForm(
        request.POST or None,
        unit=user.unit,
        initial={"formed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = editing.create_item(actor=user, unit=user.unit, **_item_fields(form))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "草稿已保存。")
            return redirect("console:item", pk=item.pk)
    return render(request, "console/form.html", {"form": form, "title": "起草信息"})


@staff_view(lambda u: u.has_role(Role.AUTHOR))
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = _get(request, pk)
    rev = item.draft_revision
    assert rev is not None
    initial = {k: getattr(rev, k) for k in CONTENT_FIELDS}
    initial["based_on"] = editing.draft_version(item)
    form = f.ItemForm(request.POST or None, unit=item.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            editing.update_draft(
                actor=user,
                item=item,
                based_on=form.cleaned_data["based_on"] or None,
                **_item_fields(form),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("console:item", pk=item.pk)
    return render(
        request, "console/form.html", {"form": form, "title": f"修改：{rev.title}"}
    )


@staff_view()
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = _get(request, pk)
    rev = item.draft_revision
    assert rev is not None
    calendar = work_calendar()
    step_form: Any = None
    shown = {"step": item.status}
    if item.status == Status.CONFIDENTIALITY_REVIEW and user.has_role(
        Role.CONFIDENTIALITY_REVIEWER
    ):
        step_form = f.ConfidentialityForm(initial=shown)
    elif item.status == Status.SIGN_OFF and user.has_role(Role.SIGNER):
        step_form = f.SignOffForm(initial=shown)
    elif item.status == Status.UNIT_REVIEW and user.has_role(Role.UNIT_REVIEWER):
        step_form = f.CommentForm(initial=shown)
    return render(
        request,
        "catalogue/console_detail.html",
        {
            "title": rev.title,
            "item": item,
            "rev": rev,
            "due": publication_due(rev.formed_on, calendar),
            "findings": rev.findings.all(),
            "attachments": rev.attachments.all(),
            "reviews": item.reviews.select_related("reviewer", "revision"),
            "revisions": item.revisions.all(),
            "step_form": step_form,
            "attachment_form": f.AttachmentForm(),
            "can_edit": user.has_role(Role.AUTHOR)
            and item.status in {Status.DRAFT, Status.PUBLISHED},
            "can_submit": user.has_role(Role.AUTHOR) and item.status == Status.DRAFT,
            "can_resolve": user.has_role(Role.CONFIDENTIALITY_REVIEWER)
            and item.status == Status.CONFIDENTIALITY_REVIEW,
            "can_manage": item.is_public
            and (user.has_role(Role.SIGNER) or user.has_role(Role.DISCLOSURE_OFFICER)),
            "warning": publishing.interpretation_warning(item, rev),
        },
    )


@staff_view()
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    item = _get(request, pk)
    try:
        _act(request, user, item, action)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("console:item", pk=item.pk)


def _act(request: HttpRequest, user: User, item: Item, action: str) -> None:
    if action == "submit":
        findings = review.submit(
            actor=user, item=item, comment=request.POST.get("comment", "")
        )
        messages.success(request, f"已提交审核。敏感信息检查发现 {len(findings)} 处。")
    elif action == "approve":
        _approve(request, user, item)
    elif action == "return":
        review.return_item(
            actor=user,
            item=item,
            comment=request.POST.get("comment", ""),
            step=request.POST.get("step") or None,
        )
        messages.success(request, "已退回撰稿人。")
    elif action == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceError("请选择文件")
        if upload.size and upload.size > MAX_UPLOAD:
            raise ServiceError("文件超过 50 MB，不能上传")
        editing.add_attachment(
            actor=user, item=item, name=upload.name or "附件", data=upload.read()
        )
        messages.success(request, "附件已上传。")
    elif action == "detach":
        attachment = get_object_or_404(
            Attachment, pk=request.POST.get("attachment") or 0, revision__item=item
        )
        editing.remove_attachment(actor=user, attachment=attachment)
    elif action == "resolve":
        finding = get_object_or_404(
            Finding, pk=request.POST.get("finding") or 0, revision__item=item
        )
        form = f.FindingForm(request.POST)
        if not form.is_valid():
            raise ServiceError("处理方式无效")
        review.resolve_finding(actor=user, finding=finding, **form.cleaned_data)
        messages.success(request, "已处理。")
    elif action == "withdraw":
        publishing.withdraw(
            actor=user, item=item, reason=request.POST.get("reason", "")
        )
        messages.success(request, "已撤回。")
    elif action == "validity":
        vform = f.ValidityForm(request.POST)
        if not vform.is_valid():
            raise ServiceError("请填写有效性和日期")
        publishing.change_validity(actor=user, item=item, **vform.cleaned_data)
        messages.success(request, "有效性已变更。")
    else:
        raise Http404


def _approve(request: HttpRequest, user: User, item: Item) -> None:
    if item.status == Status.CONFIDENTIALITY_REVIEW:
        form: Any = f.ConfidentialityForm(request.POST)
        if not form.is_valid():
            raise ServiceError("请逐项回答保密审查问题并填写结论")
        review.approve(
            actor=user,
            item=item,
            comment=form.cleaned_data["comment"],
            checklist=form.checklist(),
            conclusion=form.cleaned_data["conclusion"],
            step=form.cleaned_data["step"] or None,
        )
    elif item.status == Status.SIGN_OFF:
        form = f.SignOffForm(request.POST)
        if not form.is_valid():
            raise ServiceError("定时发布时间格式不正确")
        review.approve(
            actor=user,
            item=item,
            comment=form.cleaned_data["comment"],
            publish_at=form.cleaned_data["publish_at"],
            step=form.cleaned_data["step"] or None,
        )
    else:
        review.approve(
            actor=user,
            item=item,
            comment=request.POST.get("comment", ""),
            step=request.POST.get("step") or None,
        )
    item.refresh_from_db()
    messages.success(request, f"已通过。当前状态：{item.get_status_display()}。")


@staff_view()
def item_diff(request: HttpRequest, pk: int, a: int, b: int) -> HttpResponse:
    item = _get(request, pk)
    old = get_object_or_404(ItemRevision, item=item, number=a)
    new = get_object_or_404(ItemRevision, item=item, number=b)
    return render(
        request,
        "catalogue/console_diff.html",
        {
            "title": f"版本比较：第{a}版 → 第{b}版",
            "item": item,
            "old": old,
            "new": new,
            "diff": revision_diff(old, new),
        },
    )
