from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column, Item, ItemRevision, Status

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def public_columns(unit: Unit) -> QuerySet[Column]:
    return Column.objects.filter(unit=unit, is_visible=True)


def public_items() -> QuerySet[Item]:
    return (
        Item.objects.filter(is_public=True)
        .select_related(
            "unit", "published_revision__column", "published_revision__kind"
        )
        .order_by("-published_at", "-id")
    )


def interpretations_of(item: Item) -> QuerySet[Item]:
    """Public items whose published revision interprets ``item``. The few
    candidates are found through the revisions' index on ``interprets`` first:
    filtering the newest-first list of all items by a join would read it all."""
    candidates = list(
        ItemRevision.objects.filter(interprets=item).values_list("item_id", flat=True)
    )
    return public_items().filter(pk__in=candidates, published_revision__interprets=item)


def items_visible_to(user: User) -> QuerySet[Item]:
    if user.unit is None:
        return Item.objects.none()
    return Item.objects.filter(unit__path__startswith=user.unit.path).select_related(
        "unit", "draft_revision__column", "draft_revision__kind", "published_revision"
    )


def review_queue(user: User) -> QuerySet[Item]:
    """Items waiting for a step this user can take."""
    from gongkai.accounts.roles import Role

    steps = []
    if user.has_role(Role.UNIT_REVIEWER):
        steps.append(Status.UNIT_REVIEW)
    if user.has_role(Role.CONFIDENTIALITY_REVIEWER):
        steps.append(Status.CONFIDENTIALITY_REVIEW)
    if user.has_role(Role.SIGNER):
        steps.append(Status.SIGN_OFF)
    return items_visible_to(user).filter(status__in=steps).order_by("id")


def my_drafts(user: User) -> QuerySet[Item]:
    return (
        items_visible_to(user).filter(author=user, status=Status.DRAFT).order_by("-id")
    )


def revision_diff(old: ItemRevision, new: ItemRevision) -> list[tuple[str, list[str]]]:
    """Field by field unified differences between two revisions."""
    import difflib

    labels = {
        "title": "名称",
        "summary": "内容概述",
        "body": "正文",
        "document_number": "文号",
        "written_on": "成文日期",
        "formed_on": "形成或变更日期",
        "topic": "主题分类",
        "genre": "体裁分类",
    }
    result = []
    for field, label in labels.items():
        a, b = str(getattr(old, field) or ""), str(getattr(new, field) or "")
        if a != b:
            lines = list(
                difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
            )[2:]
            result.append((label, lines))
    return result
