"""Every impossible clock input is refused with a Chinese message naming the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from gongkai.law.clock import (
    AgencySetDate,
    ClockEvent,
    ClockPolicy,
    Consultation,
    ConsultationKind,
    CorrectionReceived,
    CorrectionRequested,
    Extension,
    FeeNotice,
    RepliedOnTheSpot,
    compute_deadline,
)
from gongkai.law.errors import LawInputError
from gongkai.law.workcalendar import WorkCalendar

from .real_calendar import official_calendar

CALENDAR = official_calendar()
RECEIVED = date(2025, 11, 3)
TODAY = date(2025, 12, 1)
THIRD = ConsultationKind.third_party


def run(
    events: list[ClockEvent],
    *,
    received_on: date = RECEIVED,
    today: date = TODAY,
    replied_on: date | None = None,
    calendar: WorkCalendar = CALENDAR,
) -> Callable[[], object]:
    return lambda: compute_deadline(
        received_on=received_on,
        events=events,
        calendar=calendar,
        today=today,
        replied_on=replied_on,
    )


BAD_INPUT: list[tuple[str, Callable[[], object], str]] = [
    ("today before receipt", run([], today=date(2025, 11, 2)), "today"),
    ("reply before receipt", run([], replied_on=date(2025, 11, 2)), "replied_on"),
    ("reply after today", run([], replied_on=date(2025, 12, 2)), "replied_on"),
    ("receipt before 2008", run([], received_on=date(2008, 4, 30)), "received_on"),
    (
        "second correction request",
        run(
            [
                CorrectionRequested(date(2025, 11, 4)),
                CorrectionRequested(date(2025, 11, 5)),
            ]
        ),
        "correction_requested_on",
    ),
    (
        "correction requested before receipt",
        run([CorrectionRequested(date(2025, 11, 2))]),
        "correction_requested_on",
    ),
    (
        "correction requested after today",
        run([CorrectionRequested(date(2025, 12, 2))]),
        "correction_requested_on",
    ),
    (
        "correction received without a request",
        run([CorrectionReceived(date(2025, 11, 5))]),
        "correction_received_on",
    ),
    (
        "correction received before requested",
        run(
            [
                CorrectionRequested(date(2025, 11, 6)),
                CorrectionReceived(date(2025, 11, 5)),
            ]
        ),
        "correction_received_on",
    ),
    (
        "correction received twice",
        run(
            [
                CorrectionRequested(date(2025, 11, 4)),
                CorrectionReceived(date(2025, 11, 5)),
                CorrectionReceived(date(2025, 11, 6)),
            ]
        ),
        "correction_received_on",
    ),
    (
        "consultation ending before it starts",
        lambda: Consultation(THIRD, date(2025, 11, 6), date(2025, 11, 5)),
        "consultation_ended_on",
    ),
    (
        "unknown consultation kind",
        lambda: Consultation("neighbour", date(2025, 11, 6)),  # type: ignore[arg-type]
        "consultation_kind",
    ),
    (
        "consultation before receipt",
        run([Consultation(THIRD, date(2025, 11, 1))]),
        "consultation_started_on",
    ),
    (
        "consultation ended after today",
        run([Consultation(THIRD, date(2025, 11, 5), date(2025, 12, 5))]),
        "consultation_ended_on",
    ),
    (
        "second extension",
        run(
            [
                Extension(date(2025, 11, 5), 5, "负责人", "理由"),
                Extension(date(2025, 11, 6), 5, "负责人", "理由"),
            ]
        ),
        "extension_on",
    ),
    (
        "extension above the 2019 cap",
        run([Extension(date(2025, 11, 5), 21, "负责人", "理由")]),
        "extension_workdays",
    ),
    (
        "extension above the 2008 cap",
        run(
            [Extension(date(2019, 5, 20), 16, "负责人", "理由")],
            received_on=date(2019, 5, 14),
            today=date(2019, 5, 20),
        ),
        "extension_workdays",
    ),
    (
        "extension of no days",
        lambda: Extension(date(2025, 11, 5), 0, "负责人", "理由"),
        "extension_workdays",
    ),
    (
        "extension without approval",
        lambda: Extension(date(2025, 11, 5), 5, " ", "理由"),
        "extension_approved_by",
    ),
    (
        "extension without reason",
        lambda: Extension(date(2025, 11, 5), 5, "负责人", ""),
        "extension_reason",
    ),
    (
        "extension dated after today",
        run([Extension(date(2025, 12, 5), 5, "负责人", "理由")]),
        "extension_on",
    ),
    (
        "article 35 date before the decision",
        lambda: AgencySetDate(date(2025, 11, 20), date(2025, 11, 19), "理由"),
        "agency_set_due_on",
    ),
    (
        "article 35 date without reason",
        lambda: AgencySetDate(date(2025, 11, 20), date(2026, 1, 30), ""),
        "agency_set_reason",
    ),
    (
        "second article 35 date",
        run(
            [
                AgencySetDate(date(2025, 11, 20), date(2026, 1, 30), "理由"),
                AgencySetDate(date(2025, 11, 21), date(2026, 2, 2), "理由"),
            ]
        ),
        "agency_set_on",
    ),
    (
        "article 35 date under the 2008 regulation",
        run(
            [AgencySetDate(date(2018, 6, 5), date(2018, 8, 1), "理由")],
            received_on=date(2018, 6, 4),
            today=date(2018, 6, 5),
        ),
        "agency_set_on",
    ),
    (
        "payment before the fee notice",
        lambda: FeeNotice(date(2025, 11, 10), date(2025, 11, 9)),
        "fee_paid_on",
    ),
    (
        "second fee notice",
        run([FeeNotice(date(2025, 11, 10)), FeeNotice(date(2025, 11, 11))]),
        "fee_issued_on",
    ),
    (
        "payment after today",
        run([FeeNotice(date(2025, 11, 10), date(2025, 12, 2))]),
        "fee_paid_on",
    ),
    (
        "reply on the spot on another day",
        run([RepliedOnTheSpot(date(2025, 11, 4))]),
        "replied_on_the_spot_on",
    ),
    (
        "reply on the spot twice",
        run([RepliedOnTheSpot(RECEIVED), RepliedOnTheSpot(RECEIVED)]),
        "replied_on_the_spot_on",
    ),
    (
        "reply on the spot with other events",
        run([RepliedOnTheSpot(RECEIVED), CorrectionRequested(RECEIVED)]),
        "replied_on_the_spot_on",
    ),
    (
        "reply on the spot with a later reply date",
        run([RepliedOnTheSpot(RECEIVED)], replied_on=date(2025, 11, 4)),
        "replied_on",
    ),
    ("unknown event", run(["补正"]), "events"),  # type: ignore[list-item]
    (
        "a correction period of no days",
        lambda: ClockPolicy(correction_period_workdays=0),
        "correction_period_workdays",
    ),
    (
        "an absurd payment period",
        lambda: ClockPolicy(fee_payment_workdays=1000),
        "fee_payment_workdays",
    ),
    (
        "a negative due-soon warning",
        lambda: ClockPolicy(due_soon_workdays=-1),
        "due_soon_workdays",
    ),
    (
        "a count beyond the computable years",
        run(
            [],
            received_on=date(2100, 12, 20),
            today=date(2100, 12, 20),
            calendar=WorkCalendar(),
        ),
        "year",
    ),
]


@pytest.mark.parametrize(
    ("call", "field"),
    [(call, field) for _, call, field in BAD_INPUT],
    ids=[name for name, _, _ in BAD_INPUT],
)
def test_bad_clock_input_is_refused(call: Callable[[], object], field: str) -> None:
    with pytest.raises(LawInputError) as error:
        call()
    assert error.value.field == field
    assert field in error.value.message
    assert str(error.value) == error.value.message


def test_a_message_without_the_field_name_gets_it_appended() -> None:
    error = LawInputError("pages", "数量不能为负数")
    assert error.message == "数量不能为负数（字段：pages）"
    assert isinstance(error, ValueError)
