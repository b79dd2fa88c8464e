from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.law.clock import (
    AgencySetDate,
    ClockEvent,
    Consultation,
    ConsultationKind,
    CorrectionReceived,
    CorrectionRequested,
    Extension,
    FeeNotice,
    compute_deadline,
)
from gongkai.law.errors import LawInputError
from gongkai.law.receipt import CHANNEL_LABELS, Channel, receipt_date
from gongkai.workdays.selectors import work_calendar


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}：日期“{text}”不是 YYYY-MM-DD 格式") from None


def _span(text: str, option: str) -> tuple[date, date | None]:
    start, sep, end = text.partition(":")
    if not sep:
        raise CommandError(
            f"{option}：应为 开始日期:结束日期（结束日期可空，表示尚未答复）"
        )
    return _date(start, option), (_date(end, option) if end else None)


class Command(BaseCommand):
    help = "计算依申请公开的答复期限，并逐日说明（《政府信息公开条例》第三十条至第三十五条）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received", required=True, help="收到（提交）申请的日期 YYYY-MM-DD"
        )
        parser.add_argument(
            "--channel",
            required=True,
            help="渠道："
            + "、".join(f"{c.value}（{CHANNEL_LABELS[c]}）" for c in Channel),
        )
        parser.add_argument("--signed", help="挂号信签收日期（默认同 --received）")
        parser.add_argument("--confirmed", help="双方确认日期（默认同 --received）")
        parser.add_argument("--correction-requested", help="告知补正的日期")
        parser.add_argument("--correction-received", help="收到补正申请的日期")
        parser.add_argument(
            "--consultation",
            action="append",
            default=[],
            metavar="START:END",
            help="征求第三方意见的起止日期，可重复；END 可空",
        )
        parser.add_argument(
            "--agency-consultation",
            action="append",
            default=[],
            metavar="START:END",
            help="征求其他机关意见的起止日期，可重复；END 可空",
        )
        parser.add_argument("--extension", type=int, help="延期的工作日数")
        parser.add_argument("--extension-on", help="决定延期的日期（默认同收到日期）")
        parser.add_argument(
            "--extension-approved-by", default="政府信息公开工作机构负责人"
        )
        parser.add_argument("--extension-reason", default="需要延长答复期限")
        parser.add_argument(
            "--fee-notice", metavar="ISSUED[:PAID]", help="收费通知日期及缴费日期"
        )
        parser.add_argument(
            "--agency-date", metavar="DATE", help="第三十五条确定的延迟答复日期"
        )
        parser.add_argument(
            "--agency-date-reason", default="申请数量、频次明显超过合理范围"
        )
        parser.add_argument("--replied", help="已答复的日期")
        parser.add_argument("--today", help="按哪一天判断状态（默认今天）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args: Any, **o: Any) -> None:
        received = _date(o["received"], "--received")
        events: list[ClockEvent] = []
        try:
            channel = Channel(o["channel"])
        except ValueError:
            raise CommandError(
                f"--channel：未知渠道“{o['channel']}”，可选：{', '.join(c.value for c in Channel)}"
            ) from None
        try:
            received_on, receipt_reason = receipt_date(
                channel,
                submitted_on=received,
                signed_on=_date(o["signed"], "--signed") if o["signed"] else received,
                confirmed_on=_date(o["confirmed"], "--confirmed")
                if o["confirmed"]
                else received,
            )
            if o["correction_requested"]:
                events.append(
                    CorrectionRequested(
                        on=_date(o["correction_requested"], "--correction-requested")
                    )
                )
            if o["correction_received"]:
                events.append(
                    CorrectionReceived(
                        on=_date(o["correction_received"], "--correction-received")
                    )
                )
            for option, kind in (
                ("consultation", ConsultationKind.third_party),
                ("agency_consultation", ConsultationKind.other_agency),
            ):
                for text in o[option]:
                    start, end = _span(text, "--" + option.replace("_", "-"))
                    events.append(
                        Consultation(kind=kind, started_on=start, ended_on=end)
                    )
            if o["extension"] is not None:
                events.append(
                    Extension(
                        on=_date(o["extension_on"], "--extension-on")
                        if o["extension_on"]
                        else received_on,
                        workdays=o["extension"],
                        approved_by=o["extension_approved_by"],
                        reason=o["extension_reason"],
                    )
                )
            if o["fee_notice"]:
                issued, paid = _span(
                    o["fee_notice"]
                    if ":" in o["fee_notice"]
                    else o["fee_notice"] + ":",
                    "--fee-notice",
                )
                events.append(FeeNotice(issued_on=issued, paid_on=paid))
            if o["agency_date"]:
                events.append(
                    AgencySetDate(
                        on=received_on,
                        due_on=_date(o["agency_date"], "--agency-date"),
                        reason=o["agency_date_reason"],
                    )
                )
            result = compute_deadline(
                received_on=received_on,
                events=events,
                calendar=work_calendar(),
                today=_date(o["today"], "--today")
                if o["today"]
                else timezone.localdate(),
                replied_on=_date(o["replied"], "--replied") if o["replied"] else None,
            )
        except LawInputError as exc:
            raise CommandError(exc.message) from None
        if o["json"]:
            data = {
                "received_on": received_on.isoformat(),
                "channel": channel.value,
                **result.to_dict(),
            }
            notes = data.get("notes")
            data["notes"] = [
                receipt_reason,
                *(notes if isinstance(notes, list) else []),
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"收到申请之日：{received_on}（{receipt_reason}）")
            self.stdout.write(result.explain_text())
