"""The demo: 潮州市湘桥区教育局 as its 2017 annual report describes it.

From the seed report: the bureau, its disclosure office 人秘股 (phone 2259400),
装备办, and the nine columns of its former website. The schools, addresses,
organisation codes and people are invented for the demo. Loading twice changes
nothing: every object is looked up by its natural key first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from gongkai.accounts import services as accounts
from gongkai.accounts.models import Department, Unit, UnitKind, User
from gongkai.accounts.roles import Role
from gongkai.catalogue.models import Column
from gongkai.catalogue.services import columns as catalogue

DEMO_PASSWORD = "Gongkai-demo-2026"

BUREAU = {
    "name": "潮州市湘桥区教育局",
    "short_name": "湘桥区教育局",
    "org_code": "XQJY00001",
    "address": "广东省潮州市湘桥区（演示地址）",
    "postcode": "521000",
    "office_hours": "工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
    "phone": "2259400",
}

SCHOOLS = [
    ("湘桥区第一实验小学（演示）", "第一实验小学", "XQJY10001"),
    ("湘桥区城西中学（演示）", "城西中学", "XQJY10002"),
    ("湘桥区实验幼儿园（演示）", "实验幼儿园", "XQJY10003"),
]

# The columns of the bureau's former website, in the seed's order.
COLUMNS = [
    ("机构设置", "jgsz", "机构职能、内设机构、领导分工"),
    ("法规制度", "fgzd", "法律法规、规章和行政规范性文件"),
    ("教育动态", "jydt", "全区教育系统工作动态"),
    ("党建工作", "djgz", "党建与党务公开"),
    ("招生考试", "zsks", "招生计划、招生政策、录取办法与结果"),
    ("教育资源", "jyzy", "学校名录与教育资源"),
    ("公文发布", "gwfb", "本局发布的公文"),
    ("创强专栏", "cqzl", "创建教育强区工作"),
    ("校园风采", "xyfc", "各校校务公开与活动"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    unit: str
    roles: tuple[str, ...]


LOGINS = [
    DemoLogin("author", "陈撰稿", "bureau", (Role.AUTHOR,)),
    DemoLogin("reviewer", "林审核", "bureau", (Role.UNIT_REVIEWER,)),
    DemoLogin("secrecy", "黄保密", "bureau", (Role.CONFIDENTIALITY_REVIEWER,)),
    DemoLogin("signer", "郑局长", "bureau", (Role.SIGNER,)),
    DemoLogin("officer", "吴公开", "bureau", (Role.DISCLOSURE_OFFICER, Role.AUTHOR)),
    DemoLogin("sysadmin", "许系统", "bureau", (Role.SYSTEM_ADMIN,)),
    DemoLogin("secadmin", "蔡安全", "bureau", (Role.SECURITY_ADMIN,)),
    DemoLogin("auditor", "刘审计", "bureau", (Role.AUDIT_ADMIN,)),
    DemoLogin("school1", "李老师", "school0", (Role.AUTHOR, Role.UNIT_REVIEWER)),
    DemoLogin("school2", "王老师", "school1", (Role.AUTHOR,)),
]


def _unit(
    parent: Unit | None, name: str, short: str, code: str, kind: str, **contact: str
) -> Unit:
    existing = Unit.objects.filter(org_code=code).first()
    if existing is not None:
        return existing
    return accounts.create_unit(
        actor=None,
        parent=parent,
        name=name,
        short_name=short,
        org_code=code,
        kind=kind,
        **contact,
    )


def _department(
    unit: Unit, name: str, *, office: bool = False, phone: str = ""
) -> Department:
    existing = Department.objects.filter(unit=unit, name=name).first()
    if existing is not None:
        return existing
    return accounts.create_department(
        actor=None, unit=unit, name=name, is_disclosure_office=office, phone=phone
    )


def load_demo() -> list[DemoLogin]:
    """Create (or find) the demo bureau, schools, columns and users."""
    contact = {
        k: v for k, v in BUREAU.items() if k not in {"name", "short_name", "org_code"}
    }
    bureau = _unit(
        None,
        BUREAU["name"],
        BUREAU["short_name"],
        BUREAU["org_code"],
        UnitKind.AGENCY,
        **contact,
    )
    office = _department(bureau, "人秘股", office=True, phone="2259400")
    _department(bureau, "装备办")
    schools = [
        _unit(
            bureau,
            name,
            short,
            code,
            UnitKind.SCHOOL,
            office_hours=BUREAU["office_hours"],
        )
        for name, short, code in SCHOOLS
    ]
    for order, (name, slug, description) in enumerate(COLUMNS, start=1):
        if not Column.objects.filter(unit=bureau, slug=slug).exists():
            catalogue.create_column(
                actor=None,
                unit=bureau,
                name=name,
                slug=slug,
                sort_order=order,
                description=description,
            )
    units = {"bureau": bureau, **{f"school{i}": s for i, s in enumerate(schools)}}
    for login in LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            unit = units[login.unit]
            user = accounts.create_user(
                actor=None,
                unit=unit,
                username=login.username,
                password=DEMO_PASSWORD,
                full_name=login.full_name,
                department=office
                if unit == bureau and login.username == "officer"
                else None,
            )
        for role in login.roles:
            accounts.grant_role(actor=None, user=user, role=role)
    _demo_applications(bureau)
    _demo_items(bureau)
    from gongkai.obligations.starter import load_starter
    from gongkai.reports.demo import load_report_demo

    load_starter(bureau, demo_items=True)
    load_report_demo()
    return LOGINS


DEMO_ITEMS = [
    (
        "zsks",
        "news",
        "关于做好2026年秋季义务教育阶段学校招生工作的通知",
        "湘教〔2026〕15号",
        "<p>各中小学：</p><p>为做好我区2026年秋季义务教育阶段学校招生工作，现将有关事项通知如下。</p>"
        "<p>一、坚持免试就近入学，公办学校按学区划分招生。</p><p>二、招生计划及学区划分另行公布。</p>",
    ),
    (
        "jydt",
        "news",
        "区教育局召开2026年政务公开工作部署会",
        "",
        "<p>会议传达了上级关于政务公开工作的部署要求，对本年度主动公开、依申请公开和政策解读工作作出安排。</p>",
    ),
    (
        "fgzd",
        "guide",
        "湘桥区教育局政府信息公开指南",
        "",
        "<p>本指南说明本局政府信息的分类、编排体系、获取方式以及政府信息公开工作机构的名称、办公地址、办公时间和联系电话。</p>",
    ),
]


def _demo_items(bureau: Unit) -> None:
    """Published items, through the real review chain, so the portal has content."""
    from gongkai.catalogue.checklist import QUESTIONS
    from gongkai.catalogue.models import Item, Kind
    from gongkai.catalogue.services import editing, review

    if Item.objects.filter(unit=bureau).exists():
        return
    staff = {
        u.username: u
        for u in User.objects.filter(
            username__in=["author", "reviewer", "secrecy", "signer"]
        )
    }
    checklist = {key: ok for key, _text, ok in QUESTIONS}
    today = timezone.localdate()
    for slug, kind, title, number, body in DEMO_ITEMS:
        item = editing.create_item(
            actor=staff["author"],
            unit=bureau,
            column=Column.objects.get(unit=bureau, slug=slug),
            kind=Kind.objects.get(slug=kind),
            title=title,
            body=body,
            document_number=number,
            written_on=today,
            formed_on=today,
            summary="",
            topic="科技、教育",
            genre="通知" if number else "",
            interprets=None,
        )
        review.submit(actor=staff["author"], item=item)
        review.approve(actor=staff["reviewer"], item=item, comment="同意")
        review.approve(
            actor=staff["secrecy"],
            item=item,
            checklist=checklist,
            conclusion="经审查，不涉密，同意公开",
        )
        review.approve(actor=staff["signer"], item=item, comment="同意发布")


def _demo_applications(bureau: Unit) -> None:
    """Two applications so the console's list and the clock have something to show:
    one registered in person a few working days ago, one waiting online."""
    from gongkai.applications import services as applications
    from gongkai.applications.models import Application
    from gongkai.workdays.selectors import work_calendar

    if Application.objects.filter(unit=bureau).exists():
        return
    officer = User.objects.get(username="officer")
    calendar = work_calendar()
    today = timezone.localdate()
    received = today
    for _ in range(6):
        received -= timedelta(days=1)
        while not calendar.is_workday(received):
            received -= timedelta(days=1)
    applications.register_application(
        actor=officer,
        unit=bureau,
        channel="in_person",
        submitted_on=received,
        applicant=applications.ApplicantData(
            kind="natural_person",
            name="演示申请人甲",
            phone="13800000001",
            id_type="居民身份证",
            id_number="445102199001011237",
        ),
        request=applications.RequestData(
            subject="本区公办小学一年级招生计划",
            description="本年度各公办小学一年级招生计划（班级数和人数）及招生范围",
            form_wanted="electronic",
            delivery="email",
        ),
        today=today,
    )
    applications.submit_online_application(
        unit=bureau,
        applicant=applications.ApplicantData(
            kind="commercial_enterprise",
            name="演示教育科技有限公司",
            phone="13800000002",
            org_code="91445102MA00000000",
            contact_person="演示联系人",
        ),
        request=applications.RequestData(
            subject="校外培训机构审批名单",
            description="本区已审批的校外培训机构名单及办学许可证编号",
            form_wanted="paper",
            delivery="post",
        ),
        submission_token="demo-online-1",
        ip=None,
        today=today,
    )
