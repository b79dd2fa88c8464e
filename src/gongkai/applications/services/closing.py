"""Ending an application: the decision, lapses, delivery, withdrawal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.applications.clock import deadline_of
from gongkai.applications.models import (
    Application,
    EventKind,
    Status,
)
from gongkai.applications.services.common import _step, no_event_yet
from gongkai.law.outcomes import OUTCOMES_BY_KEY


def _letter_number(unit: Unit, on: date) -> str:
    """The decision letter's number, e.g. 湘桥区教育局依申请公开告〔2025〕3号 (the
    unique constraint on the column catches a concurrent duplicate)."""
    prefix = f"{unit.short_name}依申请公开告〔{on.year}〕"
    taken = Application.objects.filter(
        unit=unit, letter_number__startswith=prefix
    ).count()
    return f"{prefix}{taken + 1}号"


def _close_with(
    *,
    actor: User | None,
    application: Application,
    step: str,
    outcome_key: str,
    on: date,
    summary: str,
    today: date | None,
    data: dict[str, Any] | None = None,
    guard: Callable[[Application], None] | None = None,
) -> None:
    _step(
        guard=guard,
        actor=actor,
        application=application,
        step=step,
        kind=EventKind.DECIDED if step != "withdraw" else EventKind.WITHDRAWN,
        on=on,
        summary=summary,
        data={"outcome": outcome_key, **(data or {})},
        today=today,
        status=Status.CLOSED,
        outcome=outcome_key,
        decided_on=on,
        closed_on=on,
        letter_number=_letter_number(application.unit, on),
    )


def lapse_correction(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    """The applicant did not correct in time: 视为放弃申请 (第三十条), 其他处理 1."""
    deadline = deadline_of(application, today=today)
    lapses = deadline.correction_lapses_on if deadline else None
    if lapses is None or on <= lapses:
        raise ServiceError(f"补正期限尚未届满（届满日：{lapses}），不能终止处理")
    _close_with(
        actor=actor,
        application=application,
        step="lapse_correction",
        outcome_key="other_correction_lapsed",
        on=on,
        summary="申请人无正当理由逾期不补正，视为放弃申请，不再处理",
        today=today,
    )


def lapse_fee(
    *, actor: User, application: Application, on: date, today: date | None = None
) -> None:
    """The applicant did not pay in time: 其他处理 2."""
    if not application.events.filter(kind=EventKind.FEE_NOTICE).exists():
        raise ServiceError("本申请没有收费通知，不能按逾期未缴费处理")
    unpaid = no_event_yet(EventKind.FEE_PAID, "申请人已缴费，不能按逾期未缴费处理")
    unpaid(application)
    deadline = deadline_of(application, today=today)
    lapses = deadline.fee_lapses_on if deadline else None
    if lapses is None or on <= lapses:
        raise ServiceError(f"缴费期限尚未届满（届满日：{lapses}），不能终止处理")
    _close_with(
        actor=actor,
        application=application,
        step="lapse_fee",
        outcome_key="other_fee_lapsed",
        on=on,
        summary="申请人逾期未按收费通知缴纳费用，不再处理",
        today=today,
        guard=unpaid,
    )


def decide(
    *,
    actor: User,
    application: Application,
    outcome_key: str,
    on: date,
    reasoning: str,
    provided: str = "",
    confidentiality_reviewer: str = "",
    confidentiality_conclusion: str = "",
    today: date | None = None,
) -> None:
    """The decision: exactly one of the 21 leaves, with its legal basis, and, for
    information released, the confidentiality review of it (第十七条: who checked
    it and the conclusion)."""
    outcome = OUTCOMES_BY_KEY.get(outcome_key)
    if outcome is None:
        raise ServiceError("请选择办理结果", field="outcome")
    if outcome_key in {"other_correction_lapsed", "other_fee_lapsed"}:
        raise ServiceError(
            "逾期不补正或逾期未缴费，请使用对应的终止处理操作", field="outcome"
        )
    if not reasoning.strip():
        raise ServiceError("请写明答复理由", field="reasoning")
    if bool(confidentiality_reviewer.strip()) != bool(
        confidentiality_conclusion.strip()
    ):
        raise ServiceError(
            "保密审查须同时填写审查人和审查结论", field="confidentiality_conclusion"
        )
    _step(
        actor=actor,
        application=application,
        step="decide",
        kind=EventKind.DECIDED,
        on=on,
        summary=f"作出答复：{outcome.label}（{outcome.basis}）",
        data={
            "outcome": outcome_key,
            "basis": outcome.basis,
            "reasoning": reasoning.strip(),
            "provided": provided.strip(),
            "confidentiality_reviewer": confidentiality_reviewer.strip(),
            "confidentiality_conclusion": confidentiality_conclusion.strip(),
        },
        today=today,
        status=Status.DECIDED,
        outcome=outcome_key,
        decided_on=on,
        letter_number=_letter_number(application.unit, on),
    )


def record_delivery(
    *,
    actor: User,
    application: Application,
    on: date,
    method: str,
    note: str = "",
    today: date | None = None,
) -> None:
    if not method.strip():
        raise ServiceError("请填写送达方式", field="method")
    if application.decided_on and on < application.decided_on:
        raise ServiceError("送达日期不能早于答复日期", field="on")
    _step(
        actor=actor,
        application=application,
        step="record_delivery",
        kind=EventKind.DELIVERED,
        on=on,
        summary=f"以{method.strip()}方式送达答复"
        + (f"（{note.strip()}）" if note.strip() else ""),
        data={"method": method.strip(), "note": note.strip()},
        today=today,
        status=Status.CLOSED,
        closed_on=on,
    )


def withdraw(
    *,
    actor: User,
    application: Application,
    on: date,
    reason: str,
    today: date | None = None,
) -> None:
    """The applicant withdraws: closed, counted as 其他处理 3 (其他)."""
    if not reason.strip():
        raise ServiceError("请填写撤回说明", field="reason")
    _close_with(
        actor=actor,
        application=application,
        step="withdraw",
        outcome_key="other",
        on=on,
        summary=f"申请人撤回申请：{reason.strip()}",
        today=today,
        data={"reason": reason.strip()},
    )
