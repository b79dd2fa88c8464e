"""One entry point for the handling steps, shared by the console and the API:
``data`` holds the step's fields by name (``on`` always; others as the step needs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationEvent

STEPS = (
    "confirm_receipt",
    "request_correction",
    "receive_correction",
    "lapse_correction",
    "start_consultation",
    "end_consultation",
    "extend",
    "set_agency_date",
    "issue_fee_notice",
    "record_fee_payment",
    "lapse_fee",
    "decide",
    "record_delivery",
    "withdraw",
)


def _need(data: Mapping[str, Any], key: str, label: str) -> Any:
    value = data.get(key)
    if value is None or value == "":
        raise ServiceError(f"请填写{label}", field=key)
    return value


def run_step(
    step: str, *, actor: User, application: Application, data: Mapping[str, Any]
) -> None:
    common: dict[str, Any] = {"actor": actor, "application": application}
    on = _need(data, "on", "日期")

    def text(key: str) -> str:
        return str(data.get(key) or "")

    match step:
        case "confirm_receipt":
            services.confirm_receipt(**common, confirmed_on=on)
        case "request_correction":
            services.request_correction(**common, on=on, items=text("items"))
        case "receive_correction":
            services.receive_correction(**common, on=on, note=text("note"))
        case "lapse_correction":
            services.lapse_correction(**common, on=on)
        case "start_consultation":
            services.start_consultation(
                **common, on=on, kind=text("kind"), party=text("party")
            )
        case "end_consultation":
            started = ApplicationEvent.objects.filter(
                application=application, pk=data.get("started") or 0
            ).first()
            if started is None:
                raise ServiceError("找不到对应的征求意见记录", field="started")
            services.end_consultation(
                **common, started=started, on=on, opinion=text("opinion")
            )
        case "extend":
            services.extend(
                **common,
                on=on,
                workdays=int(_need(data, "workdays", "延长的工作日数")),
                approved_by=text("approved_by"),
                reason=text("reason"),
            )
        case "set_agency_date":
            services.set_agency_date(
                **common,
                on=on,
                due_on=_need(data, "due_on", "延迟答复的期限"),
                reason=text("reason"),
            )
        case "issue_fee_notice":
            services.issue_fee_notice(
                **common, on=on, basis=text("basis"), pages=int(data.get("pages") or 0)
            )
        case "record_fee_payment":
            services.record_fee_payment(**common, on=on)
        case "lapse_fee":
            services.lapse_fee(**common, on=on)
        case "decide":
            services.decide(
                **common,
                on=on,
                outcome_key=text("outcome"),
                reasoning=text("reasoning"),
                provided=text("provided"),
                confidentiality_reviewer=text("confidentiality_reviewer"),
                confidentiality_conclusion=text("confidentiality_conclusion"),
            )
        case "record_delivery":
            services.record_delivery(
                **common, on=on, method=text("method"), note=text("note")
            )
        case "withdraw":
            services.withdraw(**common, on=on, reason=text("reason"))
        case _:
            raise ServiceError(f"未知的办理步骤：{step}", field="step")
