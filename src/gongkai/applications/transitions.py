"""Which step may be taken in which status (plain table, no state-machine library)."""

from __future__ import annotations

from gongkai.applications.models import Status

ALLOWED: dict[str, frozenset[str]] = {
    Status.AWAITING_CONFIRMATION: frozenset({"confirm_receipt", "withdraw", "assign"}),
    Status.IN_PROGRESS: frozenset(
        {
            "assign",
            "request_correction",
            "start_consultation",
            "end_consultation",
            "extend",
            "set_agency_date",
            "issue_fee_notice",
            "record_fee_payment",
            "lapse_fee",
            "decide",
            "withdraw",
        }
    ),
    Status.AWAITING_CORRECTION: frozenset(
        {"assign", "receive_correction", "lapse_correction", "withdraw"}
    ),
    Status.DECIDED: frozenset({"record_delivery"}),
    Status.CLOSED: frozenset(),
}

STEP_LABELS = {
    "confirm_receipt": "确认收到申请",
    "assign": "指定承办人",
    "request_correction": "告知补正",
    "receive_correction": "登记补正",
    "lapse_correction": "逾期未补正终止处理",
    "start_consultation": "征求意见",
    "end_consultation": "登记意见",
    "extend": "延期答复",
    "set_agency_date": "确定延迟答复期限",
    "issue_fee_notice": "发出收费通知",
    "record_fee_payment": "登记缴费",
    "lapse_fee": "逾期未缴费终止处理",
    "decide": "作出答复",
    "record_delivery": "登记送达",
    "withdraw": "登记撤回申请",
}


def can_take(status: str, step: str) -> bool:
    return step in ALLOWED.get(status, frozenset())
