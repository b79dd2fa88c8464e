"""Importing a historical application register (依申请公开登记簿) kept in a
spreadsheet: CSV, XLSX or JSONL, one application per row.

Columns: ``unit`` (organisation code or name), ``applicant_kind`` (the column keys of
the report or their labels: 自然人, 商业企业 …), ``channel``, ``received_on``,
``outcome`` (the report's row keys or labels; empty while open), ``decided_on``, and
optionally ``reference``, ``applicant_name``, ``subject`` and ``appeals`` (a JSON
list of ``{kind, filed_on, outcome, concluded_on}``). A row with ``appeal_of`` (the
reference of an application in the file or already stored) is an appeal instead.

All or nothing: every row is checked first; if any is refused, nothing is imported
and every refused row is reported with its number and reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from gongkai.accounts.models import Unit, User
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Application,
    ApplicationEvent,
    EventKind,
    Status,
)
from gongkai.applications.services import new_query_code
from gongkai.audit.services import record_event
from gongkai.law.outcomes import OUTCOMES
from gongkai.law.receipt import CHANNEL_LABELS, Channel
from gongkai.law.report_template import OUTCOME_ROW, ROW_LABELS, ROW_OUTCOME


class RegisterRejected(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _plain(label: str) -> str:
    """A label without its numbering: “（三）不予公开 1.属于国家秘密” → “属于国家秘密”."""
    label = re.sub(
        r"^[（(][一二三四五六七][）)]\s*(?:(?:不予公开|无法提供|不予处理|其他处理)\s*(?=\d))?",
        "",
        label.strip(),
    )
    label = re.sub(r"^\d+[.．、]\s*", "", label)
    return re.sub(r"（区分处理的.*）$", "", label).strip()


OUTCOME_NAMES: dict[str, str] = {}
for _o in OUTCOMES:
    OUTCOME_NAMES[_o.key] = _o.key
    OUTCOME_NAMES[_plain(_o.label)] = _o.key
for _row, _outcome in ROW_OUTCOME.items():
    OUTCOME_NAMES[_row] = _outcome
    OUTCOME_NAMES[_plain(ROW_LABELS[_row])] = _outcome
OUTCOME_NAMES["其他"] = "other"
KIND_NAMES = {k.value: k.value for k in ApplicantKind} | {
    k.label: k.value for k in ApplicantKind
}
KIND_NAMES |= {"法人": "commercial_enterprise", "其他组织": "other_org"}
CHANNEL_NAMES = {c.value: c.value for c in Channel} | {
    label: c.value for c, label in CHANNEL_LABELS.items()
}
CHANNEL_NAMES |= {
    "当面": "in_person",
    "现场": "in_person",
    "网上": "online",
    "网上申请": "online",
    "信函": "ordinary_letter",
    "邮寄": "registered_post",
    "电子邮件": "email",
    "邮件": "email",
    "传真": "fax",
    "电话": "phone",
}
APPEAL_KINDS = {k.value: k.value for k in AppealKind} | {
    "行政复议": "administrative_review",
    "复议": "administrative_review",
    "直接起诉": "litigation_direct",
    "未经复议直接起诉": "litigation_direct",
    "复议后起诉": "litigation_after_review",
}
APPEAL_RESULTS = {r.value: r.value for r in AppealResult} | {
    r.label: r.value for r in AppealResult
}
assert set(ROW_OUTCOME.values()) == set(OUTCOME_ROW)


def _text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise RegisterRejected(
            [f"第{line}行：文件不是 UTF-8 编码，请另存为 UTF-8（CSV UTF-8）后重新导入"]
        ) from None


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a CSV, XLSX or JSONL file as (line number, header → value)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterRejected([f"无法读取文件：{exc.strerror or exc}"]) from None
    if suffix == ".jsonl":
        rows: list[tuple[int, dict[str, Any]]] = []
        for n, line in enumerate(_text_of(data).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RegisterRejected(
                    [f"第{n}行：不是有效的 JSON（{exc.msg}）"]
                ) from None
            if not isinstance(value, dict):
                raise RegisterRejected([f"第{n}行：应为 JSON 对象"])
            rows.append((n, value))
        return rows
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(_text_of(data), newline=""))
        try:
            return [(n, dict(r)) for n, r in enumerate(reader, start=2)]
        except csv.Error as exc:
            raise RegisterRejected(
                [
                    f"第{reader.line_num}行：CSV 格式错误（{exc}），"
                    "可能是引号不配对、字段过长或含有控制字符"
                ]
            ) from None
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise RegisterRejected(
        [f"不支持的文件类型“{suffix or '（无扩展名）'}”，应为 CSV、XLSX 或 JSONL"]
    )


def _xlsx_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    import openpyxl

    # openpyxl raises many types for a broken file, while opening it and while
    # reading its rows (the sheets are read lazily).
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not book.worksheets:
            raise RegisterRejected(["XLSX 文件中没有工作表"])
        values = list(book.worksheets[0].iter_rows(values_only=True))
    except RegisterRejected:
        raise
    except Exception as exc:
        raise RegisterRejected([f"无法读取 XLSX 文件：{exc}"]) from None
    if not values:
        return []
    header = [str(h or "").strip() for h in values[0]]
    return [
        (n, {h: v for h, v in zip(header, row, strict=False) if h})
        for n, row in enumerate(values[1:], start=2)
        if any(v not in (None, "") for v in row)
    ]


def _date(value: Any, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m is None:
        raise ValueError(f"{label}“{text}”不是有效日期（应如 2017-03-05）")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"{label}“{text}”不是有效日期") from None


def _pick(names: dict[str, str], value: Any, label: str) -> str:
    text = _plain(str(value or ""))
    if text not in names:
        raise ValueError(f"未知的{label}“{value}”")
    return names[text]


@dataclass
class _App:
    row: int
    unit: Unit
    reference: str
    kind: str
    channel: str
    received_on: date
    outcome: str
    decided_on: date | None
    name: str
    subject: str
    appeals: list[dict[str, Any]] = field(default_factory=list)


def _unit(value: Any, units: dict[str, Unit]) -> Unit:
    key = str(value or "").strip()
    if key not in units:
        raise ValueError(f"未知的单位“{key}”")
    return units[key]


def _appeal(raw: dict[str, Any], received_on: date) -> dict[str, Any]:
    kind = _pick(APPEAL_KINDS, raw.get("kind"), "复议诉讼类型")
    filed_on = _date(raw.get("filed_on"), "提起日期")
    if filed_on < received_on:
        raise ValueError(
            f"复议或诉讼提起日期 {filed_on} 早于收到申请之日 {received_on}"
        )
    result = _pick(
        APPEAL_RESULTS,
        raw.get("outcome") or raw.get("result") or "pending",
        "复议诉讼结果",
    )
    concluded = raw.get("concluded_on")
    concluded_on = _date(concluded, "审结日期") if concluded else None
    if result != "pending" and concluded_on is None:
        raise ValueError("已审结的复议或诉讼须填写审结日期（concluded_on）")
    if result == "pending" and concluded_on is not None:
        raise ValueError("尚未审结的复议或诉讼不应有审结日期")
    if concluded_on is not None and concluded_on < filed_on:
        raise ValueError("审结日期早于提起日期")
    return {
        "kind": kind,
        "filed_on": filed_on,
        "result": result,
        "concluded_on": concluded_on,
    }


def _parse(
    rows: list[tuple[int, dict[str, Any]]],
) -> tuple[list[_App], list[tuple[Application, dict[str, Any]]], list[str]]:
    units = {u.org_code: u for u in Unit.objects.all()}
    units |= {u.name: u for u in units.values()} | {
        u.short_name: u for u in units.values()
    }
    apps: list[_App] = []
    by_ref: dict[str, _App] = {}
    problems: list[str] = []
    pending_appeals: list[tuple[int, dict[str, Any]]] = []
    taken = set(
        Application.objects.filter(
            reference__in=[str(r.get("reference") or "").strip() for _, r in rows]
        ).values_list("reference", flat=True)
    )
    for n, raw in rows:
        if str(raw.get("appeal_of") or "").strip():
            pending_appeals.append((n, raw))
            continue
        try:
            received = _date(raw.get("received_on"), "收到日期")
            outcome = str(raw.get("outcome") or "").strip()
            decided = raw.get("decided_on")
            if isinstance(decided, str):
                decided = decided.strip()
            app = _App(
                row=n,
                unit=_unit(raw.get("unit"), units),
                reference=str(raw.get("reference") or "").strip(),
                kind=_pick(KIND_NAMES, raw.get("applicant_kind"), "申请人类型"),
                channel=_pick(CHANNEL_NAMES, raw.get("channel"), "提交渠道"),
                received_on=received,
                outcome=_pick(OUTCOME_NAMES, outcome, "办理结果") if outcome else "",
                decided_on=_date(decided, "答复日期") if decided else None,
                name=str(raw.get("applicant_name") or "（历史登记）").strip()[:100],
                subject=str(raw.get("subject") or "（登记簿未记载）").strip()[:200],
            )
            if app.outcome and app.decided_on is None:
                raise ValueError("有办理结果须填写答复日期（decided_on）")
            if app.decided_on and not app.outcome:
                raise ValueError("有答复日期须填写办理结果（outcome）")
            if app.decided_on and app.decided_on < app.received_on:
                raise ValueError(
                    f"答复日期 {app.decided_on} 早于收到日期 {app.received_on}"
                )
            if app.reference and (app.reference in taken or app.reference in by_ref):
                raise ValueError(f"受理编号“{app.reference}”已存在")
            inline = raw.get("appeals") or []
            if isinstance(inline, str):
                inline = json.loads(inline) if inline.strip() else []
            app.appeals = [_appeal(a, app.received_on) for a in inline]
        except (ValueError, TypeError, AttributeError) as exc:
            problems.append(f"第{n}行：{exc}")
            continue
        apps.append(app)
        if app.reference:
            by_ref[app.reference] = app
    on_stored: list[tuple[Application, dict[str, Any]]] = []
    for n, raw in pending_appeals:
        ref = str(raw["appeal_of"]).strip()
        target = by_ref.get(ref)
        try:
            if target is not None:
                target.appeals.append(_appeal(raw, target.received_on))
                continue
            stored = Application.objects.filter(reference=ref).first()
            if stored is None or stored.received_on is None:
                raise ValueError(f"复议或诉讼所涉申请“{ref}”在本文件和系统中均不存在")
            on_stored.append((stored, _appeal(raw, stored.received_on)))
        except ValueError as exc:
            problems.append(f"第{n}行：{exc}")
    return apps, on_stored, problems


@dataclass(frozen=True)
class ImportResult:
    applications: int
    appeals: int


def import_register(*, actor: User | None, path: Path) -> ImportResult:
    """Check every row, then import all of them in one transaction with one audit
    event; ``RegisterRejected`` lists every refused row and nothing is stored."""
    rows = read_rows(path)
    if not rows:
        raise RegisterRejected(["文件中没有数据行"])
    apps, on_stored, problems = _parse(rows)
    if problems:
        raise RegisterRejected(problems)
    appeals = 0
    with transaction.atomic():
        for stored, a in on_stored:
            Appeal.objects.create(application=stored, body="（历史登记簿导入）", **a)
            appeals += 1
        for app in apps:
            year = app.received_on.year
            seq = (
                Application.objects.filter(
                    unit=app.unit, reference__startswith=f"{app.unit.org_code}-{year}-H"
                ).count()
                + 1
            )
            created = Application.objects.create(
                unit=app.unit,
                reference=app.reference or f"{app.unit.org_code}-{year}-H{seq:04d}",
                query_code=new_query_code(),
                channel=app.channel,
                submitted_on=app.received_on,
                received_on=app.received_on,
                receipt_basis="历史登记簿导入",
                applicant_kind=app.kind,
                applicant_name=app.name,
                subject=app.subject,
                description=app.subject,
                form_wanted="paper",
                delivery="post",
                status=Status.CLOSED if app.outcome else Status.IN_PROGRESS,
                outcome=app.outcome,
                decided_on=app.decided_on,
                closed_on=app.decided_on,
            )
            ApplicationEvent.objects.create(
                application=created,
                kind=EventKind.RECEIPT_CONFIRMED,
                on=app.received_on,
                actor=actor,
                summary=f"历史登记簿导入：收到申请（文件第{app.row}行）",
            )
            if app.outcome and app.decided_on:
                ApplicationEvent.objects.create(
                    application=created,
                    kind=EventKind.DECIDED,
                    on=app.decided_on,
                    actor=actor,
                    summary="历史登记簿导入：作出答复",
                    data={"outcome": app.outcome},
                )
            for a in app.appeals:
                Appeal.objects.create(
                    application=created, body="（历史登记簿导入）", **a
                )
                appeals += 1
        record_event(
            actor=actor,
            action="applications.register_imported",
            summary=f"导入历史依申请公开登记簿“{path.name}”：{len(apps)} 件申请，{appeals} 件复议诉讼",
            data={"file": path.name, "applications": len(apps), "appeals": appeals},
        )
    return ImportResult(len(apps), appeals)
