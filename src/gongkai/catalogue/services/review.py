"""The review chain: submit → unit review → 保密审查 → sign-off → publish, each step
able to return the item; scanner findings block publication until resolved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.catalogue.checklist import failing_answers
from gongkai.catalogue.models import (
    Decision,
    Finding,
    FindingStatus,
    Item,
    ItemRevision,
    Review,
    ReviewChain,
    ReviewStep,
    Status,
)
from gongkai.catalogue.services.common import (
    STALE_MESSAGE,
    audit,
    require,
    require_scope,
)
from gongkai.catalogue.services.scanning import scan_revision

STEP_ROLES: dict[str, str] = {
    Status.UNIT_REVIEW: Role.UNIT_REVIEWER,
    Status.CONFIDENTIALITY_REVIEW: Role.CONFIDENTIALITY_REVIEWER,
    Status.SIGN_OFF: Role.SIGNER,
}
STEP_OF_STATUS: dict[str, ReviewStep] = {
    Status.UNIT_REVIEW: ReviewStep.UNIT_REVIEW,
    Status.CONFIDENTIALITY_REVIEW: ReviewStep.CONFIDENTIALITY_REVIEW,
    Status.SIGN_OFF: ReviewStep.SIGN_OFF,
}


def chain_of(item: Item) -> ReviewChain:
    chain = ReviewChain.objects.filter(unit=item.unit).first()
    return chain or ReviewChain(unit=item.unit)


def steps_for(item: Item) -> list[str]:
    """The unit's review steps in order; 保密审查 is always one of them."""
    chain = chain_of(item)
    steps: list[str] = []
    if chain.unit_review:
        steps.append(Status.UNIT_REVIEW)
    steps.append(Status.CONFIDENTIALITY_REVIEW)
    if chain.sign_off:
        steps.append(Status.SIGN_OFF)
    return steps


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("unit").get(pk=item.pk)


def submit(*, actor: User, item: Item, comment: str = "") -> list[Finding]:
    """Send the draft into review; the scanner runs and its findings are recorded."""
    require_scope(actor, item)
    require(actor.has_role(Role.AUTHOR), "只有撰稿人可以提交审核")
    with transaction.atomic():
        locked = _lock(item)
        if locked.status != Status.DRAFT:
            raise ServiceError("只有草稿可以提交审核")
        revision = locked.draft_revision
        assert revision is not None
        findings = scan_revision(revision)
        locked.status = steps_for(locked)[0]
        locked.save(update_fields=["status"])
        Review.objects.create(
            item=locked,
            revision=revision,
            step=ReviewStep.SUBMIT,
            decision=Decision.APPROVE,
            reviewer=actor,
            comment=comment,
        )
        audit(
            actor,
            locked,
            "submitted",
            f"提交审核：{revision.title}（敏感信息检查发现 {len(findings)} 处）",
            findings=len(findings),
        )
    item.refresh_from_db()
    return findings


def _current_step(item: Item, actor: User, shown: str | None = None) -> str:
    """The step the locked item is at; ``shown`` is the step the reviewer's page
    showed: if a colleague has acted since, the decision is refused, not applied to
    whatever step the item is at now."""
    step = item.status
    if shown is not None and shown != step:
        raise ServiceError(f"{STALE_MESSAGE}（当前状态：{item.get_status_display()}）")
    if step not in STEP_ROLES:
        raise ServiceError(
            f"信息当前状态为“{item.get_status_display()}”，没有待审核的步骤"
        )
    require(
        actor.has_role(STEP_ROLES[step]),
        f"{STEP_OF_STATUS[step].label}须由相应审核人员办理",
    )
    return step


def approve(
    *,
    actor: User,
    item: Item,
    comment: str = "",
    checklist: dict[str, bool] | None = None,
    conclusion: str = "",
    publish_at: datetime | None = None,
    step: str | None = None,
) -> None:
    """Pass the current step. 保密审查 needs the checklist, a conclusion and every
    finding resolved; the last step publishes (now or at ``publish_at``)."""
    from gongkai.catalogue.services.publishing import publish_locked

    require_scope(actor, item)
    shown = step
    with transaction.atomic():
        locked = _lock(item)
        step = _current_step(locked, actor, shown)
        revision = locked.draft_revision
        assert revision is not None
        data: dict[str, Any] = {}
        if step == Status.CONFIDENTIALITY_REVIEW:
            failing = failing_answers(checklist or {})
            if failing:
                raise ServiceError(
                    "保密审查未通过，不能同意公开：" + "；".join(failing)
                )
            if not conclusion.strip():
                raise ServiceError("请填写保密审查结论", field="conclusion")
            open_count = revision.findings.filter(status=FindingStatus.OPEN).count()
            if open_count:
                raise ServiceError(
                    f"仍有 {open_count} 处敏感信息未处理（遮盖或标记误报），不能通过保密审查"
                )
            data = {"checklist": checklist, "conclusion": conclusion.strip()}
        Review.objects.create(
            item=locked,
            revision=revision,
            step=STEP_OF_STATUS[step],
            decision=Decision.APPROVE,
            reviewer=actor,
            comment=comment,
            **data,
        )
        steps = steps_for(locked)
        later = steps[steps.index(step) + 1 :]
        audit(
            actor,
            locked,
            f"{STEP_OF_STATUS[step]}_approved",
            f"{STEP_OF_STATUS[step].label}通过：{revision.title}",
        )
        if later:
            locked.status = later[0]
            locked.save(update_fields=["status"])
        else:
            publish_locked(actor=actor, item=locked, at=publish_at)
    item.refresh_from_db()


def return_item(
    *, actor: User, item: Item, comment: str, step: str | None = None
) -> None:
    """Send the item back to its author with a comment."""
    require_scope(actor, item)
    if not comment.strip():
        raise ServiceError("退回须填写意见", field="comment")
    shown = step
    with transaction.atomic():
        locked = _lock(item)
        step = _current_step(locked, actor, shown)
        revision = locked.draft_revision
        assert revision is not None
        Review.objects.create(
            item=locked,
            revision=revision,
            step=STEP_OF_STATUS[step],
            decision=Decision.RETURN,
            reviewer=actor,
            comment=comment.strip(),
        )
        locked.status = Status.DRAFT
        locked.save(update_fields=["status"])
        audit(
            actor,
            locked,
            "returned",
            f"{STEP_OF_STATUS[step].label}退回：{comment.strip()}",
        )
    item.refresh_from_db()


def resolve_finding(
    *, actor: User, finding: Finding, action: str, reason: str = ""
) -> None:
    """The confidentiality reviewer masks a finding in the stored text, or marks it a
    false positive with a reason."""
    from gongkai.catalogue.services.scanning import apply_mask

    revision: ItemRevision = finding.revision
    item = revision.item
    require_scope(actor, item)
    require(
        actor.has_role(Role.CONFIDENTIALITY_REVIEWER), "只有保密审查员可以处理敏感信息"
    )
    with transaction.atomic():
        # Locked and checked again: two reviewers on the same finding, one wins.
        item = _lock(item)
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if (
            item.status != Status.CONFIDENTIALITY_REVIEW
            or revision.pk != item.draft_revision_id
        ):
            raise ServiceError("只能在保密审查阶段处理敏感信息")
        if finding.status != FindingStatus.OPEN:
            raise ServiceError(
                f"该条已由他人处理（{finding.get_status_display()}），请刷新后查看"
            )
        if action == "mask":
            apply_mask(finding)
            finding.status = FindingStatus.MASKED
        elif action == "false_positive":
            if not reason.strip():
                raise ServiceError("标记误报须说明理由", field="reason")
            finding.status = FindingStatus.FALSE_POSITIVE
        else:
            raise ServiceError("处理方式无效", field="action")
        finding.resolved_by = actor
        finding.resolved_at = timezone.now()
        finding.reason = reason.strip()
        finding.save()
        audit(
            actor,
            item,
            "finding_resolved",
            f"处理敏感信息（{finding.get_status_display()}）：{finding.masked}",
            kind=finding.kind,
            field=finding.field,
            reason=reason.strip(),
        )
