"""The evidence package of one application (证据材料), for an administrative review or
a lawsuit: the whole record as one PDF, and a ZIP with that PDF, each letter as PDF
and Word, the record as JSON and a manifest of SHA-256 hashes.

This package is the one output that shows the applicant's full identity number
(decrypted, on its own page marked 内部材料): in a review or a lawsuit the office has
to show who applied. Every letter inside it is the letter as sent, without it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from gongkai.applications.clock import deadline_of
from gongkai.applications.letters import (
    available_letters,
    chinese_date,
    letter_context,
    letter_docx,
    letter_pdf,
)
from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.core.crypto import decrypt
from gongkai.core.pdf import render_pdf
from gongkai.law.clock import (
    CONSULTATION_LABELS,
    STATE_LABELS,
    ClockState,
    ConsultationKind,
    Deadline,
)
from gongkai.law.errors import LawInputError

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
NO_REVIEW_RECORD = (
    "办理记录中没有单独登记的保密审查记录；公开的内容以上列“提供的政府信息”为准，"
    "公开前保密审查单如有，请另附。"
)

Rows = list[tuple[str, str]]


def _day(value: date | None, empty: str = "—") -> str:
    return chinese_date(value) if value else empty


def _actor(event: ApplicationEvent) -> str:
    if event.actor is not None:
        return event.actor.display_name
    return "申请人（网上提交）" if event.kind == EventKind.SUBMITTED else "系统"


def _recorded_at(event: ApplicationEvent) -> str:
    return timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")


def _deadline(
    application: Application, events: list[ApplicationEvent]
) -> Deadline | None:
    latest = max((e.on for e in events), default=timezone.localdate())
    try:
        return deadline_of(application, today=max(timezone.localdate(), latest))
    except LawInputError:
        return None


def _on_time(deadline: Deadline | None) -> str:
    if deadline is None:
        return "尚未确认收到申请，答复期限未起算"
    if deadline.state == ClockState.replied:
        return "是（在答复期限内答复或办结）"
    if deadline.state == ClockState.replied_late:
        return "否（逾期答复）"
    return f"尚未答复（{STATE_LABELS[deadline.state]}）"


def _cover(application: Application, deadline: Deadline | None) -> Rows:
    subject = application.subject + (
        f"（文号：{application.document_number}）"
        if application.document_number
        else ""
    )
    due = "—"
    if deadline is not None:
        due = chinese_date(deadline.due_on) + (
            "（暂定）" if deadline.provisional else ""
        )
    return [
        ("答复主体", application.unit.name),
        ("受理编号", application.reference),
        (
            "申请人",
            f"{application.applicant_name}（{application.get_applicant_kind_display()}）",
        ),
        ("所需信息", subject),
        ("办理状态", application.get_status_display()),
        ("办理结果", application.get_outcome_display() or "—"),
        ("答复文号", application.letter_number or "—"),
        ("提交日期", _day(application.submitted_on)),
        ("收到申请之日", _day(application.received_on, "尚未确认")),
        ("答复日期", _day(application.decided_on)),
        ("办结日期", _day(application.closed_on)),
        ("答复期限", due),
        ("是否按期答复", _on_time(deadline)),
    ]


def _receipt(application: Application, events: list[ApplicationEvent]) -> Rows:
    rows: Rows = [
        ("提交渠道", application.get_channel_display()),
        ("提交日期", _day(application.submitted_on)),
        ("收到申请之日", _day(application.received_on, "尚未确认")),
        ("收到日期依据", application.receipt_basis or "—"),
    ]
    for event in events:
        if event.kind == EventKind.SUBMITTED and event.data.get("evidence"):
            rows.append(("收件凭证", str(event.data["evidence"])))
        if event.kind == EventKind.RECEIPT_CONFIRMED:
            rows.append(
                (
                    "确认收到记录",
                    f"{_day(event.on)}，{event.summary}（经办人：{_actor(event)}）",
                )
            )
    return rows


def _sections(
    application: Application,
    events: list[ApplicationEvent],
    deadline: Deadline | None,
) -> list[dict[str, Any]]:
    """The steps a reviewer asks about, each with its particulars."""
    sections: list[dict[str, Any]] = []
    for event in events:
        data = event.data
        match event.kind:
            case EventKind.CORRECTION_REQUESTED:
                rows: Rows = [
                    ("告知补正日期", _day(event.on)),
                    ("补正事项", str(data.get("items", ""))),
                ]
                if deadline is not None and deadline.correction_notice_due_on:
                    late = (
                        "（已超过7个工作日）" if deadline.correction_notice_late else ""
                    )
                    rows.append(
                        (
                            "补正告知最迟应于",
                            _day(deadline.correction_notice_due_on) + late,
                        )
                    )
                if deadline is not None:
                    rows.append(("补正期限届满日", _day(deadline.correction_lapses_on)))
                sections.append({"title": "告知补正", "rows": rows})
            case EventKind.CORRECTION_RECEIVED:
                sections.append(
                    {
                        "title": "收到补正",
                        "rows": [("收到补正申请日期", _day(event.on))],
                    }
                )
            case EventKind.CONSULTATION_STARTED:
                ended = next(
                    (
                        e
                        for e in events
                        if e.kind == EventKind.CONSULTATION_ENDED
                        and e.data.get("started_event") == event.pk
                    ),
                    None,
                )
                kind = _consultation_label(str(data.get("kind", "")))
                sections.append(
                    {
                        "title": f"{kind}（{data.get('party', '')}）",
                        "rows": [
                            ("发出征求意见日期", _day(event.on)),
                            (
                                "收到意见日期",
                                _day(ended.on if ended else None, "未收到"),
                            ),
                            (
                                "意见",
                                str(ended.data.get("opinion", "")) if ended else "—",
                            ),
                        ],
                    }
                )
            case EventKind.EXTENDED:
                sections.append(
                    {
                        "title": "延期答复审批",
                        "rows": [
                            ("决定日期", _day(event.on)),
                            ("批准人", str(data.get("approved_by", ""))),
                            ("延长期限", f"{data.get('workdays')}个工作日"),
                            ("延期理由", str(data.get("reason", ""))),
                        ],
                    }
                )
            case EventKind.FEE_NOTICE:
                paid = next((e for e in events if e.kind == EventKind.FEE_PAID), None)
                fee_rows: Rows = [
                    ("收费通知日期", _day(event.on)),
                    ("应缴金额", f"{data.get('amount_yuan')}元"),
                    ("缴费日期", _day(paid.on if paid else None, "未缴纳")),
                ]
                if deadline is not None and deadline.fee_lapses_on:
                    fee_rows.insert(2, ("缴费期限届满日", _day(deadline.fee_lapses_on)))
                sections.append({"title": "信息处理费收费", "rows": fee_rows})
            case EventKind.DECIDED:
                sections.append(
                    {
                        "title": "答复及公开内容的保密审查",
                        "rows": [
                            ("答复日期", _day(event.on)),
                            ("办理结果", application.get_outcome_display()),
                            ("法律依据", str(data.get("basis", "")) or "—"),
                            (
                                "答复理由",
                                str(data.get("reasoning", "")) or event.summary,
                            ),
                            ("提供的政府信息", str(data.get("provided", "")) or "—"),
                            *(
                                [
                                    (
                                        "保密审查人",
                                        str(data["confidentiality_reviewer"]),
                                    ),
                                    (
                                        "保密审查结论",
                                        str(data.get("confidentiality_conclusion", "")),
                                    ),
                                ]
                                if data.get("confidentiality_reviewer")
                                else []
                            ),
                        ],
                        "note": ""
                        if data.get("confidentiality_reviewer")
                        else NO_REVIEW_RECORD,
                    }
                )
            case EventKind.DELIVERED:
                sections.append(
                    {
                        "title": "送达",
                        "rows": [
                            ("送达日期", _day(event.on)),
                            ("送达方式", str(data.get("method", ""))),
                            ("说明", str(data.get("note", "")) or "—"),
                            ("经办人", _actor(event)),
                        ],
                    }
                )
    return sections


def _consultation_label(kind: str) -> str:
    try:
        return CONSULTATION_LABELS[ConsultationKind(kind)]
    except ValueError:
        return "征求意见"


def _identity(application: Application) -> Rows:
    rows: Rows = [
        ("姓名或名称", application.applicant_name),
        ("申请人类型", application.get_applicant_kind_display()),
        ("证件类型", application.id_type or "—"),
        ("证件号码", decrypt(application.id_number_encrypted) or "—"),
    ]
    optional = [
        ("统一社会信用代码", application.org_code),
        ("联系人", application.contact_person),
        ("联系电话", application.phone),
        ("电子邮箱", application.email),
        ("通信地址", application.address),
        ("邮政编码", application.postcode),
    ]
    return rows + [(label, value) for label, value in optional if value]


def evidence_context(application: Application) -> dict[str, Any]:
    events = list(application.events.select_related("actor"))
    deadline = _deadline(application, events)
    return {
        "app": application,
        "cover": _cover(application, deadline),
        "events": [
            {
                "on": e.on.isoformat(),
                "kind": e.get_kind_display(),
                "summary": e.summary,
                "actor": _actor(e),
                "at": _recorded_at(e),
            }
            for e in events
        ],
        "receipt": _receipt(application, events),
        "sections": _sections(application, events, deadline),
        "deadline": deadline,
        "days": [
            {
                "date": d.date.isoformat(),
                "weekday": f"星期{WEEKDAYS[d.date.weekday()]}",
                "counted": "计入" if d.counted else "不计",
                "reason": d.reason,
            }
            for d in (deadline.days if deadline else ())
        ],
        "identity": _identity(application),
        "letters": [
            letter_context(application, k) for k in available_letters(application)
        ],
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def evidence_pdf(application: Application) -> bytes:
    """The whole record as one PDF: cover, timeline, receipt, steps, the day-by-day
    deadline, the letters, and last the applicant's identity (内部材料)."""
    return render_pdf(
        "applications/evidence/evidence.html", evidence_context(application)
    )


def record_json(application: Application) -> bytes:
    """The record as JSON (dates ISO 8601); the identity number is left out."""
    events = list(application.events.select_related("actor"))
    deadline = _deadline(application, events)

    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value else None

    record = {
        "application": {
            "reference": application.reference,
            "unit": application.unit.name,
            "applicant_kind": application.applicant_kind,
            "applicant_name": application.applicant_name,
            "channel": application.channel,
            "submitted_on": iso(application.submitted_on),
            "received_on": iso(application.received_on),
            "receipt_basis": application.receipt_basis,
            "subject": application.subject,
            "document_number": application.document_number,
            "description": application.description,
            "form_wanted": application.form_wanted,
            "delivery": application.delivery,
            "status": application.status,
            "outcome": application.outcome,
            "outcome_label": application.get_outcome_display(),
            "letter_number": application.letter_number,
            "decided_on": iso(application.decided_on),
            "closed_on": iso(application.closed_on),
            "due_on": iso(application.due_on),
        },
        "deadline": deadline.to_dict() if deadline else None,
        "events": [
            {
                "on": iso(e.on),
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "summary": e.summary,
                "actor": _actor(e),
                "recorded_at": iso(e.at),
                "public": e.public,
                "data": e.data,
            }
            for e in events
        ],
    }
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    return text.encode("utf-8")


def evidence_zip(application: Application) -> bytes:
    """证据目录.pdf, each letter as PDF and Word, 办理记录.json, the record's files
    (receipt evidence; identity documents decrypted, as the package is for a review
    or court) under 材料/, and manifest.json."""
    files: list[tuple[str, bytes]] = [("证据目录.pdf", evidence_pdf(application))]
    for kind in available_letters(application):
        letter = letter_context(application, kind)
        files.append((f"{letter['title']}.pdf", letter_pdf(letter)))
        files.append((f"{letter['title']}.docx", letter_docx(letter)))
    files.append(("办理记录.json", record_json(application)))
    from gongkai.applications.files import read_file

    for stored in application.files.all():
        files.append((f"材料/{stored.pk}-{stored.name}", read_file(stored)))
    now = timezone.localtime()
    manifest = {
        "reference": application.reference,
        "unit": application.unit.name,
        "generated_at": now.isoformat(),
        "algorithm": "SHA-256",
        "files": [
            {
                "name": name,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            for name, content in files
        ],
    }
    files.append(
        (
            "manifest.json",
            json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        )
    )
    out = io.BytesIO()
    stamp = now.timetuple()[:6]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()
