"""The annual-report part of the demo: the bureau's 2017 records, from which the
pre-2019 report reproduces the seed report's figures (68 items = 56 政务动态 +
4 指南 + 8 文件, 26 through the government website, 3 responses to public concern,
169 WeChat posts, no application, no fee, no review or lawsuit), and 2024–2025
records so that a 2025 report in the 2021 format has non-trivial tables.

Everything goes through the services; loading twice changes nothing. Needs the
demo bureau and its users (``gongkai.core.demo.load_demo``) first.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gongkai.accounts.models import Unit, User
from gongkai.applications import services as applications
from gongkai.applications.models import Application
from gongkai.catalogue.models import Column, Item, Kind
from gongkai.catalogue.services.publishing import change_validity
from gongkai.reports import services
from gongkai.reports.historical import import_published_item
from gongkai.reports.models import ExternalFigure

BUREAU_CODE = "XQJY00001"
MARK = "（演示）"

# (kind slug, column slug, count, title pattern) of the seed's 68 + 3 items.
ITEMS_2017 = [
    ("news", "jydt", 56, "湘桥教育动态：2017年第{n}期"),
    ("guide", "zsks", 4, "湘桥区2017年招生入学办事指南（第{n}号）"),
    ("document", "gwfb", 8, "湘桥区教育局2017年公文第{n}号"),
    (
        "public-concern-response",
        "jydt",
        3,
        "关于群众关注的招生入学问题的回应（2017年第{n}号）",
    ),
]
TALLIES_2017 = [
    (
        "government_website",
        26,
        "湘桥区人民政府公众信息网教育局子页及原湘桥教育信息网2017年发布记录（人秘股台账）",
    ),
    (
        "wechat",
        169,
        "微信公众号“湘桥教育”2017年后台发文统计（含转发学校信息，均不在信息目录中）",
    ),
]


def _spread(year: int, i: int, n: int) -> date:
    """The i-th of n dates spread over a year's working months."""
    return date(year, 1, 9) + timedelta(days=(i * 340) // max(n, 1))


def _load_2017(bureau: Unit, author: User) -> None:
    if Item.objects.filter(unit=bureau, external_id="xqjy-2017-news-1").exists():
        return
    for slug, column, count, pattern in ITEMS_2017:
        kind = Kind.objects.get(slug=slug)
        col = Column.objects.get(unit=bureau, slug=column)
        for i in range(count):
            import_published_item(
                actor=author,
                unit=bureau,
                external_id=f"xqjy-2017-{slug}-{i + 1}",
                column=col,
                kind=kind,
                title=pattern.format(n=i + 1),
                published_on=_spread(2017, i, count),
                body="<p>本条信息由原湘桥教育信息网导入。</p>",
            )
    for channel, count, source in TALLIES_2017:
        services.enter_channel_tally(
            actor=None,
            unit=bureau,
            year=2017,
            channel=channel,
            count=count,
            source=source,
        )


def _load_items(bureau: Unit, author: User, signer: User) -> None:
    if Item.objects.filter(unit=bureau, external_id="xqjy-2024-gfxwj-1").exists():
        return
    normative = Kind.objects.get(slug="normative-document")
    news = Kind.objects.get(slug="news")
    fgzd = Column.objects.get(unit=bureau, slug="fgzd")
    jydt = Column.objects.get(unit=bureau, slug="jydt")
    docs = [
        (
            2024,
            1,
            "湘桥区中小学校学籍管理实施细则",
            "湘教〔2024〕8号",
            date(2024, 3, 4),
        ),
        (
            2024,
            2,
            "湘桥区义务教育阶段学校招生入学工作办法",
            "湘教〔2024〕21号",
            date(2024, 5, 20),
        ),
        (2024, 3, "湘桥区校外培训机构管理办法", "湘教〔2024〕35号", date(2024, 9, 2)),
        (
            2025,
            1,
            "湘桥区义务教育阶段学校招生入学工作办法（2025年修订）",
            "湘教〔2025〕12号",
            date(2025, 4, 14),
        ),
        (2025, 2, "湘桥区学生资助工作实施办法", "湘教〔2025〕30号", date(2025, 8, 25)),
    ]
    items = {}
    for year, n, title, number, written in docs:
        items[(year, n)] = import_published_item(
            actor=author,
            unit=bureau,
            external_id=f"xqjy-{year}-gfxwj-{n}",
            column=fgzd,
            kind=normative,
            title=title,
            published_on=written + timedelta(days=3),
            written_on=written,
            document_number=number,
        )
    for year, count in ((2021, 9), (2022, 11), (2023, 10), (2024, 12), (2025, 15)):
        for i in range(count):
            import_published_item(
                actor=author,
                unit=bureau,
                external_id=f"xqjy-{year}-news-{i + 1}",
                column=jydt,
                kind=news,
                title=f"湘桥教育动态：{year}年第{i + 1}期",
                published_on=_spread(year, i, count),
            )
    # The 2025 revision replaces the 2024 招生入学工作办法.
    change_validity(
        actor=signer, item=items[(2024, 2)], validity="repealed", on=date(2025, 4, 17)
    )


def _apply(
    officer: User,
    bureau: Unit,
    received: date,
    kind: str,
    name: str,
    subject: str,
    channel: str = "in_person",
) -> Application:
    signed_on = received if channel == "registered_post" else None
    confirmed_on = received if channel in {"email", "online"} else None
    return applications.register_application(
        actor=officer,
        unit=bureau,
        channel=channel,
        submitted_on=received,
        applicant=applications.ApplicantData(
            kind=kind,
            name=name,
            phone="13800000100",
            org_code="91445102MA00000011" if kind != "natural_person" else "",
        ),
        request=applications.RequestData(
            subject=f"{subject}{MARK}",
            description=f"{subject}的有关文件和数据",
            form_wanted="electronic",
            delivery="email",
        ),
        signed_on=signed_on,
        confirmed_on=confirmed_on,
    )


# (received, applicant kind, name, subject, channel, outcome, decided)
APPLICATIONS = [
    (
        date(2024, 3, 11),
        "natural_person",
        "演示申请人乙",
        "2024年学区划分方案",
        "in_person",
        "granted",
        date(2024, 3, 25),
    ),
    (
        date(2024, 6, 3),
        "natural_person",
        "演示申请人丙",
        "某小学食堂招标文件",
        "email",
        "partially_granted",
        date(2024, 6, 21),
    ),
    (
        date(2024, 8, 19),
        "commercial_enterprise",
        "演示培训公司",
        "校外培训机构年检结果",
        "registered_post",
        "granted",
        date(2024, 9, 6),
    ),
    (
        date(2024, 10, 14),
        "natural_person",
        "演示申请人丁",
        "1998年民办代课教师名册",
        "in_person",
        "unavailable_not_held",
        date(2024, 10, 30),
    ),
    (
        date(2024, 12, 27),
        "natural_person",
        "演示申请人戊",
        "2024年教师招聘面试成绩",
        "online",
        "granted",
        date(2025, 1, 10),
    ),
    (
        date(2025, 2, 17),
        "natural_person",
        "演示申请人己",
        "2025年秋季招生计划",
        "in_person",
        "granted",
        date(2025, 3, 3),
    ),
    (
        date(2025, 3, 24),
        "natural_person",
        "演示申请人庚",
        "某中学校舍安全鉴定报告",
        "email",
        "partially_granted",
        date(2025, 4, 11),
    ),
    (
        date(2025, 4, 7),
        "legal_service_org",
        "演示律师事务所",
        "某学生伤害事故调查材料",
        "registered_post",
        "withheld_third_party",
        date(2025, 4, 28),
    ),
    (
        date(2025, 5, 12),
        "natural_person",
        "演示申请人辛",
        "区教育局内部会议纪要",
        "in_person",
        "withheld_process_information",
        date(2025, 5, 30),
    ),
    (
        date(2025, 6, 9),
        "natural_person",
        "演示申请人壬",
        "2003年学校撤并批复",
        "online",
        "unavailable_not_held",
        date(2025, 6, 27),
    ),
    (
        date(2025, 7, 14),
        "natural_person",
        "演示申请人壬",
        "2003年学校撤并批复",
        "online",
        "not_processed_repeat",
        date(2025, 7, 21),
    ),
    (
        date(2025, 9, 1),
        "commercial_enterprise",
        "演示教育科技有限公司",
        "2025年教育装备采购项目清单",
        "email",
        "granted",
        date(2025, 9, 26),
    ),
    (
        date(2025, 10, 20),
        "natural_person",
        "演示申请人癸",
        "学生资助发放明细",
        "in_person",
        "other",
        date(2025, 10, 24),
    ),
    (
        date(2025, 12, 22),
        "natural_person",
        "演示申请人子",
        "2025年教师职称评审结果",
        "in_person",
        "granted",
        date(2026, 1, 9),
    ),
]


def _load_applications(bureau: Unit, officer: User) -> None:
    if Application.objects.filter(unit=bureau, subject__endswith=MARK).exists():
        return
    today = timezone.localdate()
    made = []
    for received, kind, name, subject, channel, outcome, decided in APPLICATIONS:
        app = _apply(officer, bureau, received, kind, name, subject, channel)
        if subject == "2025年教育装备采购项目清单":
            applications.issue_fee_notice(
                actor=officer,
                application=app,
                on=date(2025, 9, 8),
                basis="per_page",
                pages=60,
            )
            applications.record_fee_payment(
                actor=officer, application=app, on=date(2025, 9, 12)
            )
        if decided <= today:
            if outcome == "other":
                applications.withdraw(
                    actor=officer, application=app, on=decided, reason="申请人书面撤回"
                )
            else:
                applications.decide(
                    actor=officer,
                    application=app,
                    outcome_key=outcome,
                    on=decided,
                    reasoning="依据《中华人民共和国政府信息公开条例》作出答复",
                )
        made.append(app)
    withheld = next(a for a in made if a.outcome == "withheld_third_party")
    review = applications.file_appeal(
        actor=officer,
        application=withheld,
        kind="administrative_review",
        filed_on=date(2025, 5, 20),
        body="潮州市湘桥区人民政府",
    )
    applications.conclude_appeal(
        actor=officer, appeal=review, result="upheld", on=date(2025, 7, 18)
    )
    process = next(a for a in made if a.outcome == "withheld_process_information")
    applications.file_appeal(
        actor=officer,
        application=process,
        kind="litigation_direct",
        filed_on=date(2025, 11, 3),
        body="潮州市湘桥区人民法院",
    )


EXTERNAL = {
    2024: {
        "administrative_licensing_decisions": 28,
        "administrative_penalty_decisions": 1,
    },
    2025: {
        "administrative_licensing_decisions": 36,
        "administrative_penalty_decisions": 2,
    },
}


def _load_external(bureau: Unit) -> None:
    for year, values in EXTERNAL.items():
        for key, value in {
            "administrative_coercion_decisions": 0,
            "administrative_fees_amount_wan_yuan": 0,
            **values,
        }.items():
            services.enter_external_figure(
                actor=None,
                unit=bureau,
                year=year,
                key=key,
                value=value,
                source="区教育局行政审批股、政策法规股年度台账（演示数据）",
            )


def load_report_demo() -> None:
    bureau = Unit.objects.filter(org_code=BUREAU_CODE).first()
    if bureau is None:
        return
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=["author", "signer", "officer"])
    }
    _load_2017(bureau, staff["author"])
    _load_items(bureau, staff["author"], staff["signer"])
    _load_applications(bureau, staff["officer"])
    if not ExternalFigure.objects.filter(unit=bureau).exists():
        _load_external(bureau)
