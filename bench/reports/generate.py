"""The seeded generator of the report benchmark's records (no Django): one
county government, its bureaus, institutions and schools; published items with
their kinds, 有效性 and dates; applications with applicants, channels, dates,
outcomes, fees and appeals; figures entered by hand. The same sizes and seed give
the same records."""

from __future__ import annotations

import bisect
import itertools
import random
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PREFIX = "BRPT"  # org codes, references and external ids of the generated records
YEARS = tuple(range(2015, 2026))
# The day the 2025 reports are drawn up: an answer dated later is still open, an
# appeal concluded later is still pending.
AS_OF = date(2026, 1, 15)
TZ = ZoneInfo("Asia/Shanghai")

# --- the units ----------------------------------------------------------------

BUREAUS = (
    "教育局",
    "发展和改革局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "医疗保障局",
    "统计局",
    "民政局",
    "司法局",
    "行政审批局",
    "公安局",
    "城市管理局",
)
# 事业单位 (kind "other") below a bureau: (name, parent bureau).
INSTITUTIONS = (
    ("疾病预防控制中心", "卫生健康委员会"),
    ("人民医院", "卫生健康委员会"),
    ("中医院", "卫生健康委员会"),
    ("妇幼保健院", "卫生健康委员会"),
    ("社会保险服务中心", "人力资源和社会保障局"),
    ("不动产登记中心", "自然资源和规划局"),
    ("住房公积金管理中心", "住房和城乡建设局"),
    ("公路事业发展中心", "交通运输局"),
    ("水利工程管理所", "水利局"),
    ("农业技术推广中心", "农业农村局"),
    ("图书馆", "文化广电和旅游局"),
    ("文化馆", "文化广电和旅游局"),
    ("教师发展中心", "教育局"),
    ("招生考试中心", "教育局"),
    ("医疗保障服务中心", "医疗保障局"),
    ("城市管理综合执法大队", "城市管理局"),
)
# Applications per unit (relative): land, housing and the county government draw
# most; schools very few.
APP_WEIGHT = {
    "root": 80.0,
    "自然资源和规划局": 60.0,
    "住房和城乡建设局": 50.0,
    "人力资源和社会保障局": 20.0,
    "公安局": 20.0,
    "市场监督管理局": 20.0,
    "教育局": 15.0,
    "bureau": 8.0,
    "other": 3.0,
    "school": 0.3,
}
ITEM_WEIGHT = {"root": 40.0, "教育局": 25.0, "bureau": 15.0, "other": 3.0}


@dataclass
class UnitPlan:
    name: str
    short: str
    code: str
    kind: str  # accounts.UnitKind: agency, school, other
    role: str  # root, bureau, other, school
    parent: int | None  # index in the plan
    item_weight: float
    app_weight: float
    pk: int = 0
    columns: tuple[int, ...] = ()


def plan_units(below: int) -> list[UnitPlan]:
    """The county government, its bureaus, institutions and the schools below the
    education bureau: ``below`` units under the root."""
    schools = below - len(BUREAUS) - len(INSTITUTIONS)
    if schools < 10:
        sys.exit(f"--units must be at least {len(BUREAUS) + len(INSTITUTIONS) + 10}")
    plan = [
        UnitPlan(
            "基准县人民政府", "县政府", f"{PREFIX}00000", "agency", "root", None, 0, 0
        )
    ]
    for i, name in enumerate(BUREAUS, start=1):
        plan.append(
            UnitPlan(
                f"基准县{name}",
                name,
                f"{PREFIX}{i:05d}",
                "agency",
                "bureau",
                0,
                ITEM_WEIGHT.get(name, ITEM_WEIGHT["bureau"]),
                APP_WEIGHT.get(name, APP_WEIGHT["bureau"]),
            )
        )
    plan[0].item_weight, plan[0].app_weight = ITEM_WEIGHT["root"], APP_WEIGHT["root"]
    for name, parent in INSTITUTIONS:
        plan.append(
            UnitPlan(
                f"基准县{name}",
                name,
                f"{PREFIX}{len(plan):05d}",
                "other",
                "other",
                BUREAUS.index(parent) + 1,
                ITEM_WEIGHT["other"],
                APP_WEIGHT["other"],
            )
        )
    education = BUREAUS.index("教育局") + 1
    # 3 senior high, 2 vocational, 1 special school; the rest 1 : 6 : 3 junior
    # high, primary, kindergarten.
    numbers: Counter[str] = Counter()
    for i in range(schools):
        if i < 3:
            sort, weight = "高级中学", 2.0
        elif i < 5:
            sort, weight = "职业中学", 2.0
        elif i == 5:
            sort, weight = "特殊教育学校", 1.0
        else:
            sort = ("初级中学", *["小学"] * 6, *["幼儿园"] * 3)[(i - 6) % 10]
            weight = 1.0
        numbers[sort] += 1
        name = f"基准县第{numbers[sort]}{sort}"
        plan.append(
            UnitPlan(
                name,
                f"第{numbers[sort]}{sort}",
                f"{PREFIX}{len(plan):05d}",
                "school",
                "school",
                education,
                weight,
                APP_WEIGHT["school"],
            )
        )
    return plan


# --- shared helpers -------------------------------------------------------------


class Picker:
    """Weighted choice by bisection on cumulative weights (fast for 1M draws)."""

    def __init__(self, values: Sequence[Any], weights: Sequence[float]) -> None:
        self.values = list(values)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def split(total: int, weights: dict[int, float]) -> dict[int, int]:
    """``total`` split over the keys in proportion to the weights (largest remainder)."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: out[k] - raw[k])[: total - sum(out.values())]:
        out[k] += 1
    return out


def workday(rng: random.Random, year: int) -> date:
    """A day of the year, mostly a weekday."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    while True:
        day = first + timedelta(days=rng.randrange(days))
        if day.weekday() < 5 or rng.random() < 0.1:
            return day


PHRASES = (
    "根据《中华人民共和国政府信息公开条例》",
    "为进一步做好",
    "经研究决定",
    "现将有关事项通知如下",
    "各乡镇人民政府、县直各部门",
    "认真贯彻落实党中央、国务院决策部署",
    "坚持以人民为中心的发展思想",
    "切实加强组织领导",
    "确保各项工作落到实处",
    "请各单位结合实际",
    "于每月底前报送",
    "联系人及电话",
    "义务教育阶段学校",
    "学生资助资金",
    "营养改善计划",
    "校舍安全排查",
    "城乡居民基本医疗保险",
    "高标准农田建设",
    "农村人居环境整治",
    "安全生产专项整治",
    "优化营商环境",
    "财政预算执行情况",
    "部门决算",
    "“三公”经费",
    "政府采购",
    "公开招聘工作人员",
    "拟聘用人员名单公示",
    "公示期为五个工作日",
    "如有异议",
    "请以书面形式反映",
    "特此公告。",
    "本通知自印发之日起施行。",
    "有效期五年。",
    "。",
    "，",
    "2025年",
    "第一季度",
    "共计",
    "万元",
    "项",
)
TOPICS = (
    "义务教育招生入学",
    "学生资助",
    "校园安全",
    "城乡居民医保缴费",
    "高标准农田建设项目",
    "农村危房改造",
    "安全生产检查",
    "财政预算",
    "部门决算",
    "公开招聘",
    "重大项目建设",
    "环境质量状况",
    "防汛抗旱",
    "优化营商环境",
    "行政执法",
    "政府采购",
    "食品安全抽检",
    "就业创业补贴",
    "养老服务补贴",
    "征地补偿安置",
)
NEWS_FORMS = ("召开{}工作会议", "开展{}专项行动", "{}工作取得阶段性成效", "部署{}工作")
DOCUMENT_FORMS = ("关于{}的通知", "关于印发{}实施方案的通知", "关于{}的公告", "{}公示")
NORMATIVE_FORMS = ("关于{}的实施办法", "{}管理暂行办法", "关于{}的若干规定")


# --- items ---------------------------------------------------------------------

# Item kinds by slug (the seeded kinds): weights for agencies and for schools and
# institutions; annual reports come one per unit and year besides these.
AGENCY_KINDS = {
    "news": 50.0,
    "document": 12.0,
    "normative-document": 3.0,
    "regulation": 0.05,
    "interpretation": 4.0,
    "public-concern-response": 3.0,
    "guide": 1.0,
    "other": 26.95,
}
ROOT_KINDS = {**AGENCY_KINDS, "normative-document": 5.0, "regulation": 0.4}
SCHOOL_KINDS = {"news": 70.0, "document": 8.0, "guide": 2.0, "other": 20.0}
YEAR_GROWTH = {y: 1 + 0.08 * (y - YEARS[0]) for y in YEARS}


@dataclass
class Kinds:
    ids: dict[str, int]
    agency: Picker
    root: Picker
    school: Picker


def _validity(rng: random.Random, slug: str, written: date) -> tuple[str, date | None]:
    """有效性 of a 规章 or 行政规范性文件 and the day it changed (by AS_OF)."""
    if slug == "normative-document":
        roll = rng.random()
        if roll < 0.35:  # 有效期五年, not renewed
            changed = written.replace(year=written.year + 5, day=min(written.day, 28))
            kind = "expired"
        elif roll < 0.5:
            changed = written + timedelta(days=rng.randrange(365, 8 * 365))
            kind = "repealed"
        else:
            return "in_force", None
    elif slug == "regulation" and rng.random() < 0.15:
        changed = written + timedelta(days=rng.randrange(2 * 365, 10 * 365))
        kind = "repealed"
    else:
        return "in_force", None
    return (kind, changed) if changed <= AS_OF else ("in_force", None)


@dataclass
class ItemRow:
    unit: int  # index in the plan
    slug: str
    published_at: datetime
    title: str
    document_number: str
    written_on: date | None
    validity: str
    validity_changed_on: date | None
    body_start: int
    body_len: int


def generate_items(
    n: int, plan: list[UnitPlan], kinds: Kinds, seed: int
) -> Iterator[tuple[int, list[ItemRow]]]:
    """Per year (in order), that year's items in publication order."""
    rng = random.Random(seed)
    # One annual report per unit for the year before, published in January.
    reports = len(plan) * len(YEARS)
    if n < reports * 5:
        sys.exit(f"--items must be at least {reports * 5} for {len(plan)} units")
    per_year = split(n - reports, {y: YEAR_GROWTH[y] for y in YEARS})
    unit_of = Picker(range(len(plan)), [u.item_weight for u in plan])
    doc_serial: Counter[tuple[int, int]] = Counter()
    for year in YEARS:
        rows: list[ItemRow] = []
        for u in range(len(plan)):
            day = date(year, 1, rng.randrange(10, 29))
            at = datetime(year, 1, day.day, rng.randrange(9, 17), rng.randrange(60))
            rows.append(
                ItemRow(
                    u,
                    "annual-report",
                    at.replace(tzinfo=TZ),
                    f"{plan[u].name}{year - 1}年政府信息公开工作年度报告",
                    "",
                    None,
                    "in_force",
                    None,
                    0,
                    0,
                )
            )
        for _ in range(per_year[year]):
            u = unit_of(rng)
            role = plan[u].role
            picker = (
                kinds.root
                if role == "root"
                else kinds.agency
                if role == "bureau"
                else kinds.school
            )
            slug = picker(rng)
            day = workday(rng, year)
            at = datetime(
                year, day.month, day.day, rng.randrange(8, 19), rng.randrange(60)
            )
            topic = TOPICS[rng.randrange(len(TOPICS))]
            written: date | None = None
            number = ""
            validity, changed = "in_force", None
            if slug in {"document", "normative-document", "regulation"}:
                written = day - timedelta(days=rng.randrange(1, 21))
                doc_serial[(u, written.year)] += 1
                number = (
                    f"{plan[u].short[:2]}发〔{written.year}〕"
                    f"{doc_serial[(u, written.year)]}号"
                )
                validity, changed = _validity(rng, slug, written)
            forms = (
                NORMATIVE_FORMS
                if slug in {"normative-document", "regulation"}
                else NEWS_FORMS
                if slug == "news"
                else DOCUMENT_FORMS
            )
            title = forms[rng.randrange(len(forms))].format(topic)
            rows.append(
                ItemRow(
                    u,
                    slug,
                    at.replace(tzinfo=TZ),
                    f"{plan[u].short}{title}",
                    number,
                    written,
                    validity,
                    changed,
                    rng.randrange(BODY_POOL_CHARS - 2000),
                    rng.randrange(200, 1400),
                )
            )
        rows.sort(key=lambda r: r.published_at)
        yield year, rows


BODY_POOL_CHARS = 400_000


def body_pool(seed: int) -> str:
    rng = random.Random(seed + 1)
    parts: list[str] = []
    size = 0
    while size < BODY_POOL_CHARS:
        phrase = PHRASES[rng.randrange(len(PHRASES))]
        parts.append(phrase)
        size += len(phrase)
    return "".join(parts)


# --- applications --------------------------------------------------------------

APPLICANT_KINDS = {
    "natural_person": 86.0,
    "commercial_enterprise": 6.0,
    "research_institution": 0.8,
    "social_welfare_org": 0.7,
    "legal_service_org": 4.0,
    "other_org": 2.5,
}
CHANNELS = {
    "online": 52.0,
    "registered_post": 25.0,
    "in_person": 10.0,
    "ordinary_letter": 4.0,
    "email": 5.0,
    "fax": 1.0,
    "phone": 1.0,
    "oral": 2.0,
}
RECEIPT_BASIS = {
    "online": "网上申请提交之日",
    "in_person": "当面提交之日",
    "oral": "当面口头提出之日",
    "registered_post": "双方确认收到之日（邮件签收）",
    "ordinary_letter": "双方确认收到之日",
    "email": "双方确认收到之日",
    "fax": "双方确认收到之日",
    "phone": "双方确认收到之日",
}
# The national outcome list (gongkai.law.outcomes); other_fee_lapsed comes only
# from an unpaid fee notice.
OUTCOMES = {
    "granted": 30.0,
    "partially_granted": 7.0,
    "withheld_state_secret": 0.3,
    "withheld_prohibited_by_law": 0.5,
    "withheld_three_safeties": 0.3,
    "withheld_third_party": 1.5,
    "withheld_internal_affairs": 1.5,
    "withheld_process_information": 2.5,
    "withheld_enforcement_file": 0.8,
    "withheld_query_matter": 1.5,
    "unavailable_not_held": 24.0,
    "unavailable_needs_creation": 4.0,
    "unavailable_unclear_after_correction": 3.0,
    "not_processed_petition": 3.0,
    "not_processed_repeat": 3.0,
    "not_processed_publication": 2.0,
    "not_processed_excessive": 0.5,
    "not_processed_confirmation": 1.5,
    "other_correction_lapsed": 3.0,
    "other": 9.1,
}
APP_YEAR_WEIGHT = dict(
    zip(YEARS, (0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.3, 1.3, 1.2, 1.2, 1.1), strict=True)
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
QUERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FEE_AMOUNTS = (100, 150, 200, 300, 500, 800, 1000, 1500, 2000)


@dataclass
class AppRow:
    app: dict[str, Any]
    events: list[tuple[str, date, str, dict[str, Any]]]
    appeals: list[dict[str, Any]]


def _decision_delay(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.6:
        return rng.randrange(3, 20)
    if roll < 0.9:
        return rng.randrange(20, 29)
    if roll < 0.98:
        return rng.randrange(29, 57)  # extended (第三十三条第二款)
    return rng.randrange(57, 150)  # consultation of third parties, corrections


def _appeals(rng: random.Random, outcome: str, decided: date) -> list[dict[str, Any]]:
    chance = 0.01 if outcome in {"granted", "partially_granted"} else 0.045
    if rng.random() >= chance:
        return []
    roll = rng.random()
    kind = (
        "administrative_review"
        if roll < 0.65
        else "litigation_direct"
        if roll < 0.9
        else "litigation_after_review"
    )
    review = kind == "administrative_review"
    filed = decided + timedelta(days=rng.randrange(7, 60 if review else 180))
    if filed > AS_OF:
        return []
    concluded = filed + timedelta(
        days=rng.randrange(40, 90) if review else rng.randrange(90, 400)
    )
    roll = rng.random()
    result = "upheld" if roll < 0.75 else "corrected" if roll < 0.87 else "other"
    done = concluded <= AS_OF
    return [
        {
            "kind": kind,
            "filed_on": filed,
            "body": "基准市人民政府" if review else "基准县人民法院",
            "case_number": (
                f"基复〔{filed.year}〕{rng.randrange(1, 900)}号"
                if review
                else f"（{filed.year}）基0101行初{rng.randrange(1, 900)}号"
            ),
            "as_review_body": (not review) and rng.random() < 0.1,
            "result": result if done else "pending",
            "concluded_on": concluded if done else None,
        }
    ]


def generate_applications(
    n: int, plan: list[UnitPlan], seed: int
) -> Iterator[tuple[int, list[AppRow]]]:
    """Per year of receipt, the applications in order of receipt."""
    rng = random.Random(seed + 3)
    per_year = split(n, APP_YEAR_WEIGHT)
    unit_of = Picker(range(len(plan)), [u.app_weight for u in plan])
    applicant = Picker(list(APPLICANT_KINDS), list(APPLICANT_KINDS.values()))
    channel_of = Picker(list(CHANNELS), list(CHANNELS.values()))
    outcome_of = Picker(list(OUTCOMES), list(OUTCOMES.values()))
    serial: Counter[tuple[int, int]] = Counter()
    letters: Counter[tuple[int, int]] = Counter()
    for year in YEARS:
        drawn = sorted(
            ((workday(rng, year), unit_of(rng)) for _ in range(per_year[year])),
            key=lambda d: d[0],
        )
        rows: list[AppRow] = []
        for received, u in drawn:
            unit = plan[u]
            serial[(u, year)] += 1
            kind = applicant(rng)
            channel = channel_of(rng)
            posted = channel in {"registered_post", "ordinary_letter"}
            submitted = received - timedelta(days=rng.randrange(2, 6) if posted else 0)
            person = kind == "natural_person"
            name = (
                f"{SURNAMES[rng.randrange(len(SURNAMES))]}某某"
                if person
                else f"基准{'律师事务所' if kind == 'legal_service_org' else '有限公司'}{rng.randrange(1, 500)}"
            )
            topic = TOPICS[rng.randrange(len(TOPICS))]
            events: list[tuple[str, date, str, dict[str, Any]]] = [
                ("submitted", submitted, "提交申请", {"channel": channel}),
                ("receipt_confirmed", received, "确认收到申请", {}),
            ]
            outcome = outcome_of(rng)
            decided = received + timedelta(days=_decision_delay(rng))
            if decided > received + timedelta(days=28):
                events.append(
                    (
                        "extended",
                        received + timedelta(days=rng.randrange(18, 27)),
                        "延期答复",
                        {"working_days": 20},
                    )
                )
            if (
                received.year >= 2021
                and outcome in {"granted", "partially_granted"}
                and rng.random() < 0.03
            ):
                notice = received + timedelta(days=rng.randrange(5, 15))
                amount = FEE_AMOUNTS[rng.randrange(len(FEE_AMOUNTS))]
                events.append(
                    (
                        "fee_notice",
                        notice,
                        f"发出收费通知，应缴{amount}元",
                        {"basis": "按量计收", "amount_yuan": amount},
                    )
                )
                if rng.random() < 0.65:
                    paid = notice + timedelta(days=rng.randrange(2, 15))
                    if paid <= AS_OF:
                        events.append(
                            (
                                "fee_paid",
                                paid,
                                f"申请人缴纳信息处理费{amount}元",
                                {"amount_yuan": amount},
                            )
                        )
                    decided = paid + timedelta(days=rng.randrange(1, 10))
                else:
                    outcome = "other_fee_lapsed"
                    decided = notice + timedelta(days=rng.randrange(28, 35))
            app: dict[str, Any] = {
                "unit_id": unit.pk,
                "reference": f"{unit.code}-{year}-{serial[(u, year)]:04d}",
                "query_code": "-".join(
                    "".join(rng.choice(QUERY_ALPHABET) for _ in range(4))
                    for _ in range(4)
                ),
                "channel": channel,
                "submitted_on": submitted,
                "received_on": received,
                "receipt_basis": RECEIPT_BASIS[channel],
                "applicant_kind": kind,
                "applicant_name": name,
                "phone": f"139{rng.randrange(10**8):08d}",
                "subject": f"{topic}相关政府信息",
                "description": f"申请公开{unit.short}{topic}的相关文件及数据",
                "form_wanted": "electronic" if rng.random() < 0.6 else "paper",
                "delivery": "email" if rng.random() < 0.5 else "post",
                "due_on": received + timedelta(days=28),
            }
            appeals: list[dict[str, Any]] = []
            if decided > AS_OF:
                app["status"] = (
                    "awaiting_correction" if rng.random() < 0.2 else "in_progress"
                )
                app["outcome"] = ""
            else:
                letters[(u, decided.year)] += 1
                closed = decided + timedelta(days=rng.randrange(0, 10))
                app |= {
                    "outcome": outcome,
                    "decided_on": decided,
                    "letter_number": (
                        f"{unit.code}答〔{decided.year}〕{letters[(u, decided.year)]}号"
                    ),
                }
                events.append(("decided", decided, "作出答复", {"outcome": outcome}))
                events.append(("delivered", decided + timedelta(days=2), "送达", {}))
                if closed <= AS_OF:
                    app |= {"status": "closed", "closed_on": closed}
                    events.append(("closed", closed, "办结", {}))
                else:
                    app["status"] = "decided"
                appeals = _appeals(rng, outcome, decided)
                for a in appeals:
                    events.append(("appeal_filed", a["filed_on"], "提起复议或诉讼", {}))
                    if a["concluded_on"]:
                        events.append(
                            (
                                "appeal_concluded",
                                a["concluded_on"],
                                "复议或诉讼审结",
                                {"result": a["result"]},
                            )
                        )
            rows.append(AppRow(app, events, appeals))
        yield year, rows


# --- figures entered by hand ----------------------------------------------------

EXTERNAL = {
    # bureau short name → (licensing, penalty, coercion, fees in 万元) ranges
    "行政审批局": ((3000, 9000), None, None, (5, 40)),
    "市场监督管理局": ((400, 1500), (150, 600), (10, 60), None),
    "公安局": ((800, 3000), (2000, 8000), (50, 300), (30, 120)),
    "生态环境局": ((20, 80), (20, 90), (2, 15), None),
    "自然资源和规划局": ((100, 400), (10, 60), (1, 8), (200, 900)),
    "住房和城乡建设局": ((100, 500), (10, 50), None, (50, 300)),
    "交通运输局": ((200, 800), (300, 1200), (20, 100), None),
    "城市管理局": (None, (500, 2500), (30, 200), (10, 60)),
    "应急管理局": ((10, 50), (20, 80), (1, 10), None),
    "卫生健康委员会": ((300, 900), (20, 100), None, None),
    "教育局": ((20, 80), None, None, None),
    "文化广电和旅游局": ((30, 120), (5, 40), None, None),
    "农业农村局": ((50, 200), (10, 60), (1, 5), None),
}
