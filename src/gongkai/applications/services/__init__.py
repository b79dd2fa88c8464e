"""Every step of a disclosure application: one transaction, one record event, one
audit event, and the deadline recomputed from the events (``gongkai.law.clock``).
The functions live in modules by stage and are all importable from here."""

from gongkai.applications.services.appeals import conclude_appeal, file_appeal
from gongkai.applications.services.closing import (
    decide,
    lapse_correction,
    lapse_fee,
    record_delivery,
    withdraw,
)
from gongkai.applications.services.handling import (
    applications_in_month,
    end_consultation,
    extend,
    issue_fee_notice,
    receive_correction,
    record_fee_payment,
    request_correction,
    set_agency_date,
    start_consultation,
)
from gongkai.applications.services.intake import (
    ApplicantData,
    RequestData,
    applicant_from,
    assign_handler,
    confirm_receipt,
    new_query_code,
    register_application,
    request_from,
    submit_online_application,
)

__all__ = [
    "ApplicantData",
    "RequestData",
    "applicant_from",
    "applications_in_month",
    "assign_handler",
    "conclude_appeal",
    "confirm_receipt",
    "decide",
    "end_consultation",
    "extend",
    "file_appeal",
    "issue_fee_notice",
    "lapse_correction",
    "lapse_fee",
    "new_query_code",
    "receive_correction",
    "record_delivery",
    "record_fee_payment",
    "register_application",
    "request_correction",
    "request_from",
    "set_agency_date",
    "start_consultation",
    "submit_online_application",
    "withdraw",
]
