"""The reply clock with real calendars (《政府信息公开条例》第三十条至第三十五条)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from gongkai.law.clock import (
    AgencySetDate,
    ClockEvent,
    ClockPolicy,
    ClockState,
    Consultation,
    ConsultationKind,
    CorrectionReceived,
    CorrectionRequested,
    Deadline,
    Extension,
    FeeNotice,
    RepliedOnTheSpot,
    compute_deadline,
)
from gongkai.law.workcalendar import WorkCalendar

RECEIVED = date(2025, 11, 3)  # a Monday without holidays for five weeks


def deadline(
    calendar: WorkCalendar,
    received_on: date,
    events: Sequence[ClockEvent] = (),
    today: date | None = None,
    **kwargs: object,
) -> Deadline:
    return compute_deadline(
        received_on=received_on,
        events=events,
        calendar=calendar,
        today=today or received_on,
        **kwargs,  # type: ignore[arg-type]
    )


def reasons(result: Deadline) -> dict[date, str]:
    return {day.date: day.reason for day in result.days}


@pytest.mark.parametrize(
    ("received_on", "due_on", "period", "regime", "provisional"),
    [
        # Online, confirmed on the Friday before 国庆节/中秋 2025: 09-28 and 10-11
        # are worked, 10-01..10-08 are off.
        (date(2025, 9, 26), date(2025, 10, 30), 20, "2019", False),
        # The eve of 中秋/国庆节 2023: 09-29..10-06 off, 10-07 and 10-08 worked.
        (date(2023, 9, 28), date(2023, 11, 1), 20, "2019", False),
        # Spring Festival 2026: 02-15..02-23 off, 02-14 and 02-28 worked.
        (date(2026, 2, 10), date(2026, 3, 16), 20, "2019", False),
        # Into 2027, whose arrangement is not published: 元旦 2027-01-01 computed.
        (date(2026, 12, 10), date(2027, 1, 8), 20, "2019", True),
        # The last day of the 2008 regulation and the first of the 2019 one.
        (date(2019, 5, 14), date(2019, 6, 4), 15, "2008", False),
        (date(2019, 5, 15), date(2019, 6, 13), 20, "2019", False),
    ],
)
def test_the_reply_is_due_after_the_statutory_working_days(
    calendar: WorkCalendar,
    received_on: date,
    due_on: date,
    period: int,
    regime: str,
    provisional: bool,
) -> None:
    result = deadline(calendar, received_on)
    assert result.due_on == due_on
    assert result.period_workdays == period
    assert result.regime.name == regime
    assert result.provisional is provisional
    assert result.state is ClockState.on_time
    assert [d.ordinal for d in result.days if d.counted] == list(range(1, period + 1))
    assert result.days[0].date == received_on + timedelta(days=1)
    assert result.days[-1].date == due_on


def test_the_national_day_2025_count_is_explained_day_by_day(
    calendar: WorkCalendar,
) -> None:
    explained = reasons(deadline(calendar, date(2025, 9, 26)))
    assert explained[date(2025, 9, 27)] == "周六"
    assert explained[date(2025, 9, 28)] == "调休上班（国庆节），计入：第1个工作日"
    assert explained[date(2025, 10, 1)] == "法定节假日：国庆节"
    assert explained[date(2025, 10, 6)] == "法定节假日：中秋节"
    assert explained[date(2025, 10, 9)] == "第4个工作日"
    assert explained[date(2025, 10, 11)] == "调休上班（国庆节），计入：第6个工作日"
    assert explained[date(2025, 10, 30)] == "第20个工作日"


def test_the_spring_festival_2026_count_uses_both_make_up_saturdays(
    calendar: WorkCalendar,
) -> None:
    explained = reasons(deadline(calendar, date(2026, 2, 10)))
    assert explained[date(2026, 2, 14)] == "调休上班（春节），计入：第4个工作日"
    assert explained[date(2026, 2, 15)] == "法定节假日：春节"
    assert explained[date(2026, 2, 24)] == "第5个工作日"
    assert explained[date(2026, 2, 28)] == "调休上班（春节），计入：第9个工作日"


def test_days_in_a_provisional_year_say_so(calendar: WorkCalendar) -> None:
    result = deadline(calendar, date(2026, 12, 10))
    explained = reasons(result)
    assert explained[date(2026, 12, 31)] == "第15个工作日"
    assert (
        explained[date(2027, 1, 1)] == "法定节假日：元旦；暂定（2027年放假安排未公布）"
    )
    assert explained[date(2027, 1, 8)] == "第20个工作日；暂定（2027年放假安排未公布）"
    assert any("2027年放假安排尚未录入" in note for note in result.notes)


@pytest.mark.parametrize(
    ("today", "state", "used", "left"),
    [
        (date(2025, 9, 26), ClockState.on_time, 0, 20),
        (date(2025, 10, 24), ClockState.on_time, 16, 4),
        (date(2025, 10, 27), ClockState.due_soon, 17, 3),
        (date(2025, 10, 30), ClockState.due_soon, 20, 0),
        (date(2025, 10, 31), ClockState.overdue, 20, 0),
    ],
)
def test_the_state_follows_today(
    calendar: WorkCalendar, today: date, state: ClockState, used: int, left: int
) -> None:
    result = deadline(calendar, date(2025, 9, 26), today=today)
    assert (result.state, result.workdays_used, result.workdays_left) == (
        state,
        used,
        left,
    )


def test_due_soon_is_a_policy_setting(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        date(2025, 9, 26),
        today=date(2025, 10, 24),
        policy=ClockPolicy(due_soon_workdays=5),
    )
    assert result.state is ClockState.due_soon


@pytest.mark.parametrize(
    ("replied_on", "state", "used"),
    [
        (date(2025, 10, 13), ClockState.replied, 7),
        (date(2025, 10, 30), ClockState.replied, 20),
        (date(2025, 10, 31), ClockState.replied_late, 20),
    ],
)
def test_a_reply_closes_the_clock(
    calendar: WorkCalendar, replied_on: date, state: ClockState, used: int
) -> None:
    result = deadline(
        calendar, date(2025, 9, 26), today=date(2025, 11, 3), replied_on=replied_on
    )
    assert (result.state, result.workdays_used) == (state, used)
    assert result.workdays_left == 20 - used


def test_correction_restarts_the_clock(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            CorrectionRequested(date(2025, 11, 5)),
            CorrectionReceived(date(2025, 11, 14)),
        ],
        today=date(2025, 11, 20),
    )
    assert result.due_on == date(2025, 12, 12)
    assert result.correction_notice_due_on == date(2025, 11, 12)
    assert not result.correction_notice_late
    assert result.correction_lapses_on == date(2025, 11, 26)
    assert (result.workdays_used, result.workdays_left) == (4, 16)
    assert result.state is ClockState.on_time
    explained = reasons(result)
    assert explained[date(2025, 11, 4)].startswith("补正前，不计入")
    assert explained[date(2025, 11, 6)] == "等待补正期间，不计入"
    assert explained[date(2025, 11, 8)] == "周六"
    assert explained[date(2025, 11, 14)] == "收到补正申请，补正后重新起算"
    assert explained[date(2025, 11, 17)] == "第1个工作日"
    assert result.days[0].date == date(2025, 11, 4)


def test_while_awaiting_correction_the_clock_stands_still(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [CorrectionRequested(date(2025, 11, 5))],
        today=date(2025, 11, 10),
    )
    assert result.state is ClockState.awaiting_correction
    assert result.due_on == result.correction_lapses_on == date(2025, 11, 26)
    assert (result.period_workdays, result.workdays_used) == (20, 0)
    assert not any(day.counted for day in result.days)
    assert reasons(result)[date(2025, 11, 26)] == "等待补正期间，不计入；补正期限届满"
    assert any("视为放弃申请" in note for note in result.notes)


def test_a_correction_requested_after_seven_working_days_is_late(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [CorrectionRequested(date(2025, 11, 13))],
        today=date(2025, 11, 13),
    )
    assert result.correction_notice_due_on == date(2025, 11, 12)
    assert result.correction_notice_late
    assert result.correction_lapses_on == date(2025, 12, 4)
    assert any("已超过7个工作日" in note for note in result.notes)


def test_the_correction_period_is_a_policy_setting(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            CorrectionRequested(date(2025, 11, 5)),
            CorrectionReceived(date(2025, 11, 14)),
        ],
        today=date(2025, 11, 14),
        policy=ClockPolicy(correction_period_workdays=5),
    )
    assert result.correction_lapses_on == date(2025, 11, 12)
    assert any("补正晚于补正期限届满日2025-11-12" in note for note in result.notes)
    assert result.due_on == date(2025, 12, 12)


def test_a_correction_under_the_2008_regulation_has_no_notice_limit(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        date(2018, 3, 1),
        [CorrectionRequested(date(2018, 3, 20)), CorrectionReceived(date(2018, 3, 22))],
        today=date(2018, 3, 22),
    )
    assert result.correction_notice_due_on is None
    assert not result.correction_notice_late
    assert result.due_on == calendar.add_workdays(date(2018, 3, 22), 15)
    assert any("未规定告知期限" in note for note in result.notes)


def test_overlapping_consultations_pause_each_day_once(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            Consultation(
                ConsultationKind.third_party, date(2025, 11, 5), date(2025, 11, 12)
            ),
            Consultation(
                ConsultationKind.other_agency, date(2025, 11, 10), date(2025, 11, 18)
            ),
        ],
        today=date(2025, 11, 20),
    )
    # Nine working days 11-06..11-18 are paused: 2025-12-01 becomes 2025-12-12.
    assert result.due_on == date(2025, 12, 12)
    assert (result.workdays_used, result.workdays_left) == (4, 16)
    explained = reasons(result)
    assert explained[date(2025, 11, 5)] == "第2个工作日"
    assert explained[date(2025, 11, 6)] == "征求第三方意见期间，不计入"
    assert (
        explained[date(2025, 11, 11)] == "征求第三方意见、征求其他机关意见期间，不计入"
    )
    assert explained[date(2025, 11, 17)] == "征求其他机关意见期间，不计入"
    assert explained[date(2025, 11, 19)] == "第3个工作日"


def test_consultation_kinds_may_be_given_as_text(calendar: WorkCalendar) -> None:
    consultation = Consultation("third_party", date(2025, 11, 5), date(2025, 11, 12))  # type: ignore[arg-type]
    assert consultation.kind is ConsultationKind.third_party


def test_an_extension_adds_to_a_paused_period(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            Consultation(
                ConsultationKind.third_party, date(2025, 11, 5), date(2025, 11, 12)
            ),
            Extension(
                date(2025, 11, 28), 10, "政府信息公开工作机构负责人", "需调取档案"
            ),
        ],
        today=date(2025, 12, 1),
    )
    assert result.due_on == date(2025, 12, 22)
    assert result.period_workdays == 30
    assert (result.workdays_used, result.workdays_left) == (15, 15)
    explained = reasons(result)
    assert explained[date(2025, 12, 8)] == "第20个工作日"
    assert explained[date(2025, 12, 9)] == "延期：第21个工作日"
    assert explained[date(2025, 12, 22)] == "延期：第30个工作日"
    assert any(
        "第三十三条第二款" in note and "需调取档案" in note for note in result.notes
    )


def test_an_extension_decided_after_the_due_date_is_flagged(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [Extension(date(2025, 12, 2), 5, "负责人", "理由")],
        today=date(2025, 12, 2),
    )
    assert result.due_on == date(2025, 12, 8)
    assert any("晚于原答复期限届满日2025-12-01" in note for note in result.notes)


def test_the_2008_extension_cap_is_fifteen_days(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        date(2019, 5, 14),
        [Extension(date(2019, 5, 20), 15, "负责人", "理由")],
        today=date(2019, 5, 20),
    )
    assert result.period_workdays == 30
    assert result.due_on == calendar.add_workdays(date(2019, 5, 14), 30)


def test_an_open_consultation_pauses_until_its_period_lapses(
    calendar: WorkCalendar,
) -> None:
    events = [Consultation(ConsultationKind.third_party, date(2025, 11, 4))]
    during = deadline(calendar, RECEIVED, events, today=date(2025, 11, 20))
    after = deadline(calendar, RECEIVED, events, today=date(2025, 12, 1))
    # The third party has until 2025-11-25 (15 working days from 11-04).
    assert during.due_on == after.due_on == date(2025, 12, 22)
    assert during.state is ClockState.paused
    assert (during.workdays_used, during.workdays_left) == (1, 19)
    assert after.state is ClockState.on_time
    assert (after.workdays_used, after.workdays_left) == (5, 15)
    assert reasons(after)[date(2025, 11, 25)] == "征求第三方意见期间，不计入"
    assert reasons(after)[date(2025, 11, 26)] == "第2个工作日"


def test_a_consultation_beyond_fifteen_working_days_pauses_only_fifteen(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            Consultation(
                ConsultationKind.third_party, date(2025, 11, 4), date(2025, 12, 1)
            )
        ],
        today=date(2025, 12, 1),
    )
    assert result.due_on == date(2025, 12, 22)
    assert any("2025-11-25之后的时间照常计算" in note for note in result.notes)


def test_the_2008_regulation_does_not_pause_for_other_agencies(
    calendar: WorkCalendar,
) -> None:
    received = date(2018, 6, 4)
    events = [
        Consultation(ConsultationKind.other_agency, date(2018, 6, 5), date(2018, 6, 12))
    ]
    result = deadline(calendar, received, events, today=date(2018, 6, 12))
    assert result.due_on == calendar.add_workdays(received, 15)
    assert any("未规定征求其他机关意见" in note for note in result.notes)
    third_party = [
        Consultation(ConsultationKind.third_party, date(2018, 6, 5), date(2018, 6, 12))
    ]
    paused = deadline(calendar, received, third_party, today=date(2018, 6, 12))
    assert paused.due_on == calendar.add_workdays(received, 20)


@pytest.mark.parametrize(
    ("notice", "policy", "today", "due_on", "state"),
    [
        (
            FeeNotice(date(2025, 11, 10), date(2025, 11, 14)),
            ClockPolicy(),
            date(2025, 11, 20),
            date(2025, 12, 5),
            ClockState.on_time,
        ),
        (
            FeeNotice(date(2025, 11, 10), date(2025, 11, 14)),
            ClockPolicy(fee_pauses_clock=False),
            date(2025, 11, 20),
            date(2025, 12, 1),
            ClockState.on_time,
        ),
        (
            FeeNotice(date(2025, 11, 10)),
            ClockPolicy(),
            date(2025, 11, 20),
            date(2025, 12, 29),
            ClockState.paused,
        ),
        (
            FeeNotice(date(2025, 11, 10), date(2025, 12, 10)),
            ClockPolicy(),
            date(2025, 12, 10),
            date(2025, 12, 29),
            ClockState.on_time,
        ),
    ],
)
def test_a_fee_notice_pauses_the_clock_until_payment(
    calendar: WorkCalendar,
    notice: FeeNotice,
    policy: ClockPolicy,
    today: date,
    due_on: date,
    state: ClockState,
) -> None:
    result = deadline(calendar, RECEIVED, [notice], today=today, policy=policy)
    assert result.due_on == due_on
    assert result.state is state
    # 20 working days from the day after 2025-11-10.
    assert result.fee_lapses_on == date(2025, 12, 8)


def test_the_fee_pause_is_explained(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar, RECEIVED, [FeeNotice(date(2025, 11, 10))], today=date(2025, 11, 20)
    )
    assert reasons(result)[date(2025, 11, 11)] == "等待缴纳信息处理费期间，不计入"
    assert any("逾期未缴纳的视为放弃申请" in note for note in result.notes)


def test_a_late_payment_is_noted(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [FeeNotice(date(2025, 11, 10), date(2025, 12, 10))],
        today=date(2025, 12, 10),
    )
    assert any("晚于缴费期限届满日2025-12-08" in note for note in result.notes)


def test_a_date_set_under_article_35_replaces_the_computed_date(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            AgencySetDate(
                date(2025, 11, 20), date(2026, 1, 30), "申请数量明显超过合理范围"
            )
        ],
        today=date(2025, 11, 20),
    )
    assert result.due_on == date(2026, 1, 30)
    assert result.period_workdays == 63
    assert (result.workdays_used, result.workdays_left) == (13, 50)
    explained = reasons(result)
    assert explained[date(2025, 12, 1)] == "第20个工作日"
    assert explained[date(2025, 12, 2)] == "第三十五条延迟答复期限：第21个工作日"
    assert (
        explained[date(2026, 1, 4)]
        == "调休上班（元旦），计入：第三十五条延迟答复期限：第43个工作日"
    )
    assert any("按第三十三条计算为2025-12-01" in note for note in result.notes)


def test_a_reply_on_the_spot_is_due_and_given_on_receipt(
    calendar: WorkCalendar,
) -> None:
    result = deadline(
        calendar, RECEIVED, [RepliedOnTheSpot(RECEIVED)], replied_on=RECEIVED
    )
    assert result.due_on == RECEIVED
    assert result.state is ClockState.replied
    assert result.days == ()
    assert (result.period_workdays, result.workdays_used, result.workdays_left) == (
        0,
        0,
        0,
    )
    assert any("当场予以答复" in note for note in result.notes)


def test_to_dict_is_json_ready_and_exactly_shaped(calendar: WorkCalendar) -> None:
    result = deadline(
        calendar,
        RECEIVED,
        [
            CorrectionRequested(date(2025, 11, 5)),
            CorrectionReceived(date(2025, 11, 14)),
        ],
        today=date(2025, 11, 20),
    )
    data = result.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert list(data) == [
        "due_on",
        "provisional",
        "workdays_used",
        "workdays_left",
        "period_workdays",
        "state",
        "regime",
        "correction_notice_due_on",
        "correction_lapses_on",
        "fee_lapses_on",
        "days",
        "notes",
    ]
    assert data["due_on"] == "2025-12-12"
    assert data["state"] == "on_time"
    assert data["regime"] == "2019"
    assert data["correction_notice_due_on"] == "2025-11-12"
    assert data["correction_lapses_on"] == "2025-11-26"
    assert data["fee_lapses_on"] is None
    days = data["days"]
    assert isinstance(days, list)
    assert days[0] == {
        "date": "2025-11-04",
        "counted": False,
        "reason": "补正前，不计入（答复期限自收到补正申请之日起重新计算）",
    }
    assert all(isinstance(note, str) for note in data["notes"])  # type: ignore[attr-defined]


def test_explain_text_has_a_header_and_one_line_per_day(calendar: WorkCalendar) -> None:
    result = deadline(calendar, date(2026, 12, 10), today=date(2026, 12, 28))
    text = result.explain_text()
    lines = text.splitlines()
    assert lines[0] == "答复期限：2027年1月8日（星期五）（暂定）"
    assert lines[1] == "状态：办理中"
    assert lines[2] == "期限：20个工作日，已用12个，剩余8个"
    assert "2026-12-12 星期六 不计 周六" in lines
    assert (
        "2027-01-01 星期五 不计 法定节假日：元旦；暂定（2027年放假安排未公布）" in lines
    )
    assert (
        lines[-1] == "2027-01-08 星期五 计入 第20个工作日；暂定（2027年放假安排未公布）"
    )
    assert len([line for line in lines if line.startswith("20")]) == len(result.days)


def test_explain_text_of_a_reply_on_the_spot_has_no_day_lines(
    calendar: WorkCalendar,
) -> None:
    text = deadline(calendar, RECEIVED, [RepliedOnTheSpot(RECEIVED)]).explain_text()
    assert "逐日计算" not in text
    assert "状态：已按期答复" in text
