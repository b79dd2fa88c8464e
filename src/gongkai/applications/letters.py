"""The letters the office sends an applicant (答复文书): the decision letter and the
补正、延期答复、收费 notices, as data, as PDF and as Word.

Every letter has the elements the 《江苏省政府信息公开申请办理答复规范》 requires:
标题、文号、申请人姓名（名称）、申请事实、法律依据、处理决定、申请人复议诉讼的权利和
期限、答复主体、答复日期及印章. The applicant's identity number is not an element and
never appears in a letter.

Numbers (文号). The decision letter carries the application's ``letter_number``
(assigned by ``services.decide`` and the lapse/withdrawal steps). A notice is issued
at most once per application (the services refuse a second one), so its number is
derived rather than stored: ``{unit short name}依申请公开{补正|延期|收费}〔{year}〕{seq}号``,
``year`` and ``seq`` being those of the application's reference
``{org_code}-{year}-{seq}``. Application 000014349-2025-0007 of 教育局 thus gets
教育局依申请公开补正〔2025〕7号: the same application always gets the same number and
two applications of a unit never share one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.applications.clock import clock_events
from gongkai.applications.models import (
    ApplicantKind,
    Application,
    ApplicationEvent,
    EventKind,
)
from gongkai.core.crypto import decrypt, mask_identity
from gongkai.core.pdf import render_pdf
from gongkai.law.clock import REGIME_2008, ClockPolicy, Deadline, compute_deadline
from gongkai.law.outcomes import OutcomeGroup, outcome
from gongkai.workdays.selectors import work_calendar

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
SEAL = "（印章）"


class LetterKind(StrEnum):
    decision = "decision"
    correction = "correction"
    extension = "extension"
    fee = "fee"


class LetterUnavailable(ValueError):
    """The letter asked for does not exist (yet) for this application."""


NOTICE_EVENTS: dict[LetterKind, str] = {
    LetterKind.correction: EventKind.CORRECTION_REQUESTED,
    LetterKind.extension: EventKind.EXTENDED,
    LetterKind.fee: EventKind.FEE_NOTICE,
}
NOTICE_TITLES: dict[LetterKind, str] = {
    LetterKind.correction: "政府信息公开申请补正通知书",
    LetterKind.extension: "政府信息公开申请延期答复告知书",
    LetterKind.fee: "政府信息公开信息处理费收费通知书",
}
NOTICE_CODES: dict[LetterKind, str] = {
    LetterKind.correction: "补正",
    LetterKind.extension: "延期",
    LetterKind.fee: "收费",
}
FEE_BASIS_LABELS = {
    "per_application": "按件计收（国办函〔2020〕109号第四条）",
    "per_page": "按量计收（国办函〔2020〕109号第五条）",
}

# What the office decides, in words, per group of outcomes; some leaves say more.
DECISION_WORDS: dict[OutcomeGroup, str] = {
    OutcomeGroup.granted: "本机关决定向{you}公开所申请的政府信息。",
    OutcomeGroup.partially_granted: "本机关对所申请的政府信息作区分处理：可以公开的部分予以公开，不应当公开的部分不予公开，理由如上。",
    OutcomeGroup.withheld: "本机关决定对所申请的政府信息不予公开。",
    OutcomeGroup.unavailable: "本机关无法提供所申请的政府信息。",
    OutcomeGroup.not_processed: "本机关对{you}的申请不予处理。",
    OutcomeGroup.other: "本机关终止处理该政府信息公开申请。",
}
DECISION_WORDS_BY_KEY: dict[str, str] = {
    "withheld_query_matter": "所申请的信息属于有关法律、行政法规对信息的获取有特别规定的信息，请{you}依照有关法律、行政法规的规定办理。",
    "unavailable_not_held": "经检索，本机关没有所申请公开的政府信息。",
    "not_processed_petition": "{you}的申请不作为政府信息公开申请处理，{you}可以通过相应渠道提出。",
    "not_processed_repeat": "本机关已就{you}的政府信息公开申请作出答复，对重复申请不予重复处理。",
    "other_correction_lapsed": "{you}无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "other_fee_lapsed": "{you}逾期未按收费通知要求缴纳信息处理费，本机关不再处理该政府信息公开申请。",
}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；”" else text + "。"


@dataclass(frozen=True)
class _Source:
    """The events a letter is built from (the application's record, read once)."""

    events: list[ApplicationEvent]

    def first(self, kind: str) -> ApplicationEvent | None:
        return next((e for e in self.events if e.kind == kind), None)

    def decision(self, application: Application) -> ApplicationEvent | None:
        if not (application.outcome and application.letter_number):
            return None
        closing = [
            e for e in self.events if e.kind in {EventKind.DECIDED, EventKind.WITHDRAWN}
        ]
        return closing[-1] if closing else None

    def letter_events(
        self, application: Application
    ) -> dict[LetterKind, ApplicationEvent]:
        found: dict[LetterKind, ApplicationEvent] = {}
        for kind, event_kind in NOTICE_EVENTS.items():
            event = self.first(event_kind)
            if event is not None:
                found[kind] = event
        decided = self.decision(application)
        if decided is not None:
            found[LetterKind.decision] = decided
        return found


def _source(application: Application) -> _Source:
    return _Source(list(application.events.select_related("actor").all()))


def available_letters(application: Application) -> list[LetterKind]:
    """The letters issued so far, in the order they were issued."""
    found = _source(application).letter_events(application)
    return sorted(found, key=lambda kind: (found[kind].on, found[kind].pk))


def _deadline_as_of(
    application: Application, source: _Source, event: ApplicationEvent
) -> Deadline | None:
    """The deadline as it stood when ``event`` was recorded: what the notice said."""
    if application.received_on is None:
        return None
    upto = source.events[: source.events.index(event) + 1]
    return compute_deadline(
        received_on=application.received_on,
        events=clock_events(upto),
        calendar=work_calendar(),
        today=max(event.on, application.received_on),
    )


def notice_number(application: Application, kind: LetterKind) -> str:
    """The derived number of a notice (see the module docstring)."""
    code = NOTICE_CODES[kind]
    parts = application.reference.rsplit("-", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        year, seq = parts[1], str(int(parts[2]))
    else:
        year, seq = str(application.submitted_on.year), application.reference
    return f"{application.unit.short_name}依申请公开{code}〔{year}〕{seq}号"


def review_body(application: Application) -> str:
    """Where an administrative review goes (行政复议法): the parent unit if any."""
    parent = application.unit.parent
    if parent is not None:
        return f"{parent.name}或者本级人民政府"
    return "上一级主管部门或者本级人民政府"


def _you(application: Application) -> str:
    natural = application.applicant_kind == ApplicantKind.NATURAL_PERSON
    return "您" if natural else "贵单位"


def _facts(application: Application, source: _Source, until: date) -> str:
    you = _you(application)
    channel = application.get_channel_display()
    subject = f"“{application.subject}”"
    if application.document_number:
        subject += f"（文号：{application.document_number}）"
    if application.received_on is not None:
        text = (
            f"本机关于{chinese_date(application.received_on)}收到{you}以{channel}方式提交的"
            f"政府信息公开申请（受理编号：{application.reference}），申请公开{subject}。"
        )
    else:
        text = (
            f"{you}于{chinese_date(application.submitted_on)}以{channel}方式提交了"
            f"政府信息公开申请（受理编号：{application.reference}），申请公开{subject}。"
        )
    requested = source.first(EventKind.CORRECTION_REQUESTED)
    corrected = source.first(EventKind.CORRECTION_RECEIVED)
    if requested is not None and corrected is not None and corrected.on <= until:
        text += (
            f"本机关于{chinese_date(requested.on)}告知{you}补正，"
            f"并于{chinese_date(corrected.on)}收到补正后的申请。"
        )
    return text


def _remedy(application: Application, title: str) -> str:
    noun = "告知书" if title.endswith("告知书") else "通知书"
    return (
        f"如对本{noun}不服，可以自收到本{noun}之日起60日内向{review_body(application)}"
        "申请行政复议（《中华人民共和国行政复议法》第二十条），"
        f"也可以自收到本{noun}之日起6个月内向人民法院提起行政诉讼"
        "（《中华人民共和国行政诉讼法》第四十六条）。"
    )


def _decision(
    application: Application, event: ApplicationEvent
) -> tuple[str, str, str, list[dict[str, Any]]]:
    """Title, basis, decision text and body blocks of the decision letter."""
    you = _you(application)
    result = outcome(application.outcome)
    basis = str(event.data.get("basis") or result.basis)
    reasoning = str(event.data.get("reasoning") or "").strip()
    paragraphs = ["经审查，" + _sentence(reasoning)] if reasoning else []
    if event.kind == EventKind.WITHDRAWN:
        reason = str(event.data.get("reason") or "").strip()
        paragraphs.append(
            f"{you}于{chinese_date(event.on)}申请撤回该政府信息公开申请"
            + (f"（{reason}）。" if reason else "。")
        )
    words = DECISION_WORDS_BY_KEY.get(result.key, DECISION_WORDS[result.group])
    paragraphs.append(f"根据{basis}的规定，{words.format(you=you)}")
    if result.group in {OutcomeGroup.granted, OutcomeGroup.partially_granted}:
        provided = str(event.data.get("provided") or "").strip()
        what = provided or (
            "所申请的政府信息"
            if result.group == OutcomeGroup.granted
            else "所申请政府信息中可以公开的部分"
        )
        paragraphs.append(
            f"现向{you}提供：{_sentence(what)}"
            f"提供形式：{application.get_form_wanted_display()}；"
            f"获取途径：{application.get_delivery_display()}。"
        )
    return (
        result.letter_title,
        basis,
        "".join(paragraphs),
        [{"text": p} for p in paragraphs],
    )


def _correction(
    application: Application, source: _Source, event: ApplicationEvent
) -> tuple[str, str, list[dict[str, Any]]]:
    you = _you(application)
    deadline = _deadline_as_of(application, source, event)
    period = ClockPolicy().correction_period_workdays
    lapses = deadline.correction_lapses_on if deadline else None
    if deadline is not None and deadline.regime is REGIME_2008:
        basis = f"{REGIME_2008.label}第二十一条第（四）项"
    else:
        basis = f"{REGULATION}第三十条"
    until = f"请于{chinese_date(lapses)}前" if lapses else "请"
    paragraphs = [
        f"经审查，{you}的申请内容不明确。根据{basis}的规定，"
        f"请{you}对下列事项作出补正：{_sentence(str(event.data.get('items', '')))}",
        f"合理补正期限：{until}（自本通知书作出之日起{period}个工作日内）向本机关提交"
        "补正后的申请。答复期限自本机关收到补正后的申请之日起计算。",
        "申请人无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ]
    return basis, "".join(paragraphs), [{"text": p} for p in paragraphs]


def _extension(
    application: Application, source: _Source, event: ApplicationEvent
) -> tuple[str, str, list[dict[str, Any]]]:
    deadline = _deadline_as_of(application, source, event)
    if deadline is not None and deadline.regime is REGIME_2008:
        basis = f"{REGIME_2008.label}第二十四条第二款"
    else:
        basis = f"{REGULATION}第三十三条第二款"
    data = event.data
    due = f"，本机关将于{chinese_date(deadline.due_on)}前作出答复" if deadline else ""
    paragraphs = [
        f"因{str(data.get('reason', '')).strip().rstrip('。')}，本机关不能在规定期限内作出答复。"
        f"经政府信息公开工作机构负责人（{data.get('approved_by', '')}）同意，"
        f"根据{basis}的规定，答复期限延长{data.get('workdays')}个工作日{due}。",
    ]
    if source.first(EventKind.CONSULTATION_STARTED) is not None:
        paragraphs.append(
            "征求第三方和其他机关意见所需时间不计算在答复期限内（第三十三条第三款）。"
        )
    return basis, "".join(paragraphs), [{"text": p} for p in paragraphs]


def _fee(
    application: Application, source: _Source, event: ApplicationEvent
) -> tuple[str, str, list[dict[str, Any]]]:
    you = _you(application)
    deadline = _deadline_as_of(application, source, event)
    policy = ClockPolicy()
    basis = f"{REGULATION}第四十二条和{FEE_MEASURES}"
    data = event.data
    quote: dict[str, Any] = data.get("quote") or {}
    amount = data.get("amount_yuan")
    items = quote.get("items", [])
    table = {
        "header": ["计费区间", "数量", "单价（元）", "金额（元）"],
        "rows": [
            [
                str(i["label"]),
                str(i["quantity"]),
                str(i["unit_yuan"]),
                str(i["amount_yuan"]),
            ]
            for i in items
        ],
        "total": ["合计", "", "", str(quote.get("total_yuan", amount))],
    }
    blocks: list[dict[str, Any]] = [
        {
            "text": f"经审查，{you}申请公开政府信息的数量、频次明显超过合理范围。根据{basis}"
            f"的规定，本机关{FEE_BASIS_LABELS.get(str(data.get('basis')), '')}"
            "收取信息处理费，计费明细如下："
        },
        {"table": table},
    ]
    if quote.get("total_yuan") not in (None, amount):
        count = sum(int(i["quantity"]) for i in items)
        blocks.append(
            {
                "text": f"以上为{you}本自然月累计{count}件申请的计费，"
                f"其中本件申请应缴纳{amount}元。"
            }
        )
    lapses = deadline.fee_lapses_on if deadline else None
    until = f"请于{chinese_date(lapses)}前" if lapses else "请"
    pays = f"应缴纳信息处理费{amount}元。缴费期限为{policy.fee_payment_workdays}个工作日，{until}缴纳；缴费方式请与本机关政府信息公开工作机构联系。"
    blocks.append({"text": pays})
    if policy.fee_pauses_clock:
        blocks.append({"text": f"{you}缴纳费用所需时间不计算在答复期限内。"})
    blocks.append(
        {
            "text": f"{you}逾期未缴纳信息处理费的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。"
        }
    )
    decision = "".join(str(b.get("text", "")) for b in blocks)
    return basis, decision, blocks


def letter_context(application: Application, kind: LetterKind | str) -> dict[str, Any]:
    """Everything a letter says, as plain data (the PDF and the Word file render it).

    Raises ``LetterUnavailable`` for an unknown kind or a letter not issued.
    """
    try:
        kind = LetterKind(kind)
    except ValueError:
        raise LetterUnavailable(f"没有这种文书：{kind}") from None
    source = _source(application)
    event = source.letter_events(application).get(kind)
    if event is None:
        if kind == LetterKind.decision:
            raise LetterUnavailable("本申请尚未作出答复，没有答复告知书")
        raise LetterUnavailable(f"本申请没有{NOTICE_TITLES[kind]}")
    on = event.on
    if kind == LetterKind.decision:
        title, basis, decision, blocks = _decision(application, event)
        number = application.letter_number or ""
        on = application.decided_on or event.on
    else:
        title, number = NOTICE_TITLES[kind], notice_number(application, kind)
        build = {
            LetterKind.correction: _correction,
            LetterKind.extension: _extension,
            LetterKind.fee: _fee,
        }[kind]
        basis, decision, blocks = build(application, source, event)
    facts = _facts(application, source, on)
    remedy = _remedy(application, title)
    unit = application.unit
    body: list[dict[str, Any]] = [{"text": facts}, *blocks, {"text": remedy}]
    if unit.phone:
        body.append({"text": f"联系电话：{unit.phone}"})
    letter = {
        "kind": str(kind),
        "title": title,
        "number": number,
        "applicant_name": application.applicant_name,
        "salutation": f"{application.applicant_name}：",
        "facts": facts,
        "basis": basis,
        "decision": decision,
        "remedy": remedy,
        "review_body": review_body(application),
        "unit_name": unit.name,
        "date": on,
        "date_text": chinese_date(on),
        "seal": SEAL,
        "reference": application.reference,
        "body": body,
    }
    scrubbed: dict[str, Any] = _without_identity(letter, application)
    return scrubbed


def _without_identity(value: Any, application: Application) -> Any:
    """The letter with the identity number masked wherever staff typed it into a
    text (reasons, items): it is not an element of a letter."""
    number = decrypt(application.id_number_encrypted).strip()
    if len(number) < 6:
        return value

    def scrub(item: Any) -> Any:
        if isinstance(item, str):
            return item.replace(number, mask_identity(number))
        if isinstance(item, dict):
            return {k: scrub(v) for k, v in item.items()}
        if isinstance(item, list):
            return [scrub(v) for v in item]
        return item

    return scrub(value)


def render_letter_pdf(application: Application, kind: LetterKind | str) -> bytes:
    """The letter as an A4 PDF in the look of an official document."""
    return letter_pdf(letter_context(application, kind))


def letter_pdf(letter: dict[str, Any]) -> bytes:
    """A letter context (``letter_context``) as PDF."""
    return render_pdf("applications/letters/letter.html", {"letter": letter})


# Word output: 宋体 for the title, 仿宋 for the text (GB/T 9704 sizes: 二号, 三号).
TITLE_FONT, BODY_FONT = "宋体", "仿宋"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(12)


def _run(paragraph: Any, text: str, *, font: str, size: Pt, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(
    doc: Any,
    text: str,
    *,
    align: int = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    _run(paragraph, text, font=font, size=size, bold=bold)


def render_letter_docx(application: Application, kind: LetterKind | str) -> bytes:
    """The letter as a Word file (A4, 宋体 title, 仿宋 text), for the office to edit."""
    return letter_docx(letter_context(application, kind))


def letter_docx(letter: dict[str, Any]) -> bytes:
    """A letter context (``letter_context``) as a Word file."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = letter["title"]
    doc.core_properties.author = letter["unit_name"]

    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(
        doc, letter["title"], align=center, indent=False, font=TITLE_FONT,
        size=TITLE_SIZE, bold=True,
    )  # fmt: skip
    _paragraph(doc, letter["number"], align=center, indent=False)
    _paragraph(doc, "", indent=False)
    _paragraph(doc, letter["salutation"], indent=False)
    for block in letter["body"]:
        if "table" in block:
            _table(doc, block["table"])
        else:
            _paragraph(doc, block["text"])
    _paragraph(doc, "", indent=False)
    right = WD_ALIGN_PARAGRAPH.RIGHT
    for line in (letter["seal"], letter["unit_name"], letter["date_text"]):
        _paragraph(doc, line, align=right, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: Any, table: dict[str, Any]) -> None:
    rows = [table["header"], *table["rows"], table["total"]]
    grid = doc.add_table(rows=len(rows), cols=len(table["header"]))
    grid.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            _run(cell.paragraphs[0], value, font=BODY_FONT, size=TABLE_SIZE)
