"""Demo items for the coverage matrix: through the real drafting, review and
linking services, dated relative to today so that the bureau and two schools show
every state in the current year (on time, late, due soon, overdue, not yet due,
no information, not applicable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from gongkai.accounts.models import Unit, UnitKind, User
from gongkai.catalogue.checklist import QUESTIONS
from gongkai.catalogue.models import Column, Item, Kind, Status
from gongkai.catalogue.services import columns, editing, review
from gongkai.law.workcalendar import WorkCalendar
from gongkai.obligations import services
from gongkai.obligations.models import Obligation, ObligationLink
from gongkai.obligations.selectors import suggest_obligations
from gongkai.workdays.selectors import work_calendar

SCHOOL_COLUMN = ("校务公开", "xwgk")
STAFF = ("author", "reviewer", "secrecy", "signer", "officer")
SCHOOL_AUTHORS = ("school1", "school2")


@dataclass(frozen=True)
class DemoItem:
    unit: int  # 0: the bureau, 1…: its schools in order
    obligation: str
    title: str
    workdays_ago: int
    publish: bool


# (formed N working days ago; published today or left as a draft)
DEMO_ITEMS = [
    DemoItem(0, "义务教育学校名录", "湘桥区义务教育学校名录", 30, True),
    DemoItem(0, "教育统计数据", "湘桥区教育统计数据", 17, False),
    DemoItem(0, "日常监管信息", "湘桥区民办学校年检结果公示", 25, False),
    DemoItem(0, "教师资格认定", "关于做好教师资格认定工作的通知", 0, False),
    DemoItem(1, "招生计划", "第一实验小学秋季一年级招生计划", 0, True),
    DemoItem(1, "学校介绍", "第一实验小学学校介绍", 30, True),
    DemoItem(1, "收费项目及收费标准", "第一实验小学收费项目及收费标准公示", 16, False),
    DemoItem(2, "招生范围", "城西中学招生范围和学区划分", 0, True),
    DemoItem(2, "义务教育学生资助政策", "城西中学学生资助政策告知书", 25, False),
    DemoItem(2, "录取办法", "城西中学初一新生录取办法", 1, False),
]
EXEMPTION = ("招生范围", "幼儿园不实行义务教育划片招生")


def workdays_ago(calendar: WorkCalendar, today: date, n: int) -> date:
    day, count = today, 0
    while count < n:
        day -= timedelta(days=1)
        count += calendar.is_workday(day)
    return day


def _publish(item: Item, staff: dict[str, User]) -> None:
    review.submit(actor=item.author or staff["author"], item=item)
    checklist = {key: ok for key, _text, ok in QUESTIONS}
    while True:
        item.refresh_from_db()
        if item.status == Status.UNIT_REVIEW:
            review.approve(actor=staff["reviewer"], item=item, comment="同意")
        elif item.status == Status.CONFIDENTIALITY_REVIEW:
            review.approve(
                actor=staff["secrecy"],
                item=item,
                checklist=checklist,
                conclusion="经审查，不涉密，同意公开",
            )
        elif item.status == Status.SIGN_OFF:
            review.approve(actor=staff["signer"], item=item, comment="同意发布")
        else:
            return


def _column(unit: Unit) -> Column:
    found = Column.objects.filter(unit=unit).order_by("sort_order", "id").first()
    if found is not None:
        return found
    name, slug = SCHOOL_COLUMN
    return columns.create_column(actor=None, unit=unit, name=name, slug=slug)


def load_demo_items(bureau: Unit) -> None:
    """Skipped when the demo's staff are missing or links already exist."""
    if ObligationLink.objects.filter(item__unit__path__startswith=bureau.path).exists():
        return
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=[*STAFF, *SCHOOL_AUTHORS])
    }
    if len(staff) < len(STAFF) + len(SCHOOL_AUTHORS):
        return
    # In creation order: paths compare as text, so "/7/10/" sorts before "/7/8/".
    schools = list(
        Unit.objects.filter(parent=bureau, kind=UnitKind.SCHOOL).order_by("pk")
    )
    units = [bureau, *schools]
    authors = [staff["author"], staff["school1"], staff["school2"]]
    catalogue = {o.name: o for o in Obligation.objects.filter(unit=bureau)}
    calendar, today = work_calendar(), timezone.localdate()
    year = str(today.year)
    # The bureau's items of this year (older demo items stay for the report demo).
    for existing in Item.objects.filter(
        unit=bureau,
        is_public=True,
        published_revision__formed_on__year=today.year,
    ):
        best = suggest_obligations(existing, limit=1)
        if best:
            services.link_item(
                actor=staff["author"], item=existing, obligation=best[0][0], period=year
            )
    news = Kind.objects.get(slug="news")
    for spec in DEMO_ITEMS:
        unit, author = units[spec.unit], authors[spec.unit]
        formed_on = workdays_ago(calendar, today, spec.workdays_ago)
        item = editing.create_item(
            actor=author,
            unit=unit,
            column=_column(unit),
            kind=news,
            title=f"{spec.title}（{today.year}年）",
            body=f"<p>{spec.title}（演示信息）。</p>",
            formed_on=formed_on,
            written_on=formed_on,
        )
        services.link_item(
            actor=author, item=item, obligation=catalogue[spec.obligation], period=year
        )
        if spec.publish:
            _publish(item, staff)
    kindergarten = schools[-1] if len(schools) > 2 else None
    if kindergarten is not None:
        services.exempt_unit(
            actor=staff["officer"],
            obligation=catalogue[EXEMPTION[0]],
            unit=kindergarten,
            year=today.year,
            reason=EXEMPTION[1],
        )
