"""The figures of the annual report, computed from the records with SQL aggregation
(no counter is kept by hand), for one unit, a unit with the units below it
(consolidated), or all units (a county-level aggregate).

Table 三 follows ``gongkai.applications.figures``: an application counts from the
day it was received until the day it was answered (``decided_on``), so 新收 + 上年结转
= 总计 + 结转下年度 holds by construction and next year's 上年结转 is this year's 结转.
Table 二's 规章 and 行政规范性文件 come from the items' kind and 有效性: issued in the
year of their 成文日期, repealed (废止 or 失效) in the year of ``validity_changed_on``,
in force on 12月31日 when issued by then and not repealed by then — so 现行有效(Y) =
现行有效(Y−1) + 制发 − 废止 also holds by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.applications.models import Appeal, Application, ApplicationEvent, EventKind
from gongkai.catalogue.models import (
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Item,
    Kind,
    Status,
    Validity,
)
from gongkai.law import report_template as tpl
from gongkai.law.report_template import ReportFormat
from gongkai.reports.models import ChannelTally, ExternalFigure, ExternalKey


@dataclass(frozen=True)
class Scope:
    """Whose records count: one unit, a unit and the units below it, or all."""

    unit: Unit | None
    consolidated: bool = False

    def q(self, prefix: str = "unit") -> Q:
        if self.unit is None:
            return Q()
        if self.consolidated:
            return Q(**{f"{prefix}__path__startswith": self.unit.path})
        return Q(**{prefix: self.unit})

    @property
    def label(self) -> str:
        if self.unit is None:
            return "全部单位汇总"
        return self.unit.name + ("（含下属单位汇总）" if self.consolidated else "")


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _aware_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz),
    )


def _disclosed(scope: Scope) -> Any:
    """Items that were published and are not withdrawn."""
    return Item.objects.filter(
        scope.q(), index_number__isnull=False, published_revision__isnull=False
    ).exclude(status=Status.WITHDRAWN)


def art20_1(scope: Scope, year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件: issued, repealed, in force on 12月31日.

    The two kinds' ids are read first and the items filtered on their revision's
    ``kind_id``: the database then starts from the few revisions of those kinds
    (the index on ``kind_id``) instead of joining every item of the scope to its
    revision, which read the whole revision table, bodies included, for a
    county-wide report (README, "Benchmark")."""
    start, end = _year_bounds(year)
    roles = {"regulation": "regulations", "normative_document": "normative_documents"}
    role_of = dict(
        Kind.objects.filter(report_role__in=list(roles)).values_list(
            "pk", "report_role"
        )
    )
    out = {v: {"issued": 0, "repealed": 0, "in_force": 0} for v in roles.values()}
    if not role_of:
        return out
    gone = Q(validity__in=[Validity.REPEALED, Validity.EXPIRED])
    rows = (
        _disclosed(scope)
        .filter(published_revision__kind__in=list(role_of))
        .annotate(
            issued_on=Coalesce(
                "published_revision__written_on", "published_revision__formed_on"
            ),
            kind_id=F("published_revision__kind"),
        )
        .values("kind_id")
        .annotate(
            issued=Count("id", filter=Q(issued_on__range=(start, end))),
            repealed=Count(
                "id", filter=gone & Q(validity_changed_on__range=(start, end))
            ),
            in_force=Count(
                "id",
                filter=Q(issued_on__lte=end)
                & (Q(validity=Validity.IN_FORCE) | Q(validity_changed_on__gt=end)),
            ),
        )
    )
    for rec in rows:
        counts = out[roles[role_of[rec["kind_id"]]]]
        for key in counts:
            counts[key] += rec[key]
    return out


def external(scope: Scope, year: int) -> tuple[dict[str, Decimal], list[str]]:
    """The entered figures summed over the scope, and their sources."""
    figures = ExternalFigure.objects.filter(scope.q(), year=year)
    sums = {
        rec["key"]: rec["total"]
        for rec in figures.values("key").annotate(total=Sum("value"))
    }
    grouped: dict[tuple[str, str], list[str]] = {}
    for name, key, source in figures.values_list("unit__short_name", "key", "source"):
        grouped.setdefault((name, source), []).append(ExternalKey(key).label)
    sources = [
        f"{name}：{'、'.join(labels)}——{source}"
        for (name, source), labels in grouped.items()
    ]
    return {k: sums.get(k, Decimal(0)) for k in ExternalKey.values}, sources


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def section2(scope: Scope, year: int) -> tuple[dict[str, Any], list[str]]:
    docs = art20_1(scope, year)
    ext, sources = external(scope, year)
    return {
        "art20_1": docs,
        "art20_5": {
            "administrative_licensing_decisions": int(ext[ExternalKey.LICENSING])
        },
        "art20_6": {
            "administrative_penalty_decisions": int(ext[ExternalKey.PENALTY]),
            "administrative_coercion_decisions": int(ext[ExternalKey.COERCION]),
        },
        "art20_8": {
            "administrative_fees_amount_wan_yuan": _number(ext[ExternalKey.FEES])
        },
    }, sources


def section3(
    scope: Scope, year: int, fmt: ReportFormat = ReportFormat.gb2021
) -> dict[str, list[int]]:
    """Table 三: row key → the 7 columns of the template (four GROUP BY queries)."""
    start, end = _year_bounds(year)
    rows = tpl.empty_rows(fmt)
    col = {c: i for i, c in enumerate(tpl.COLUMNS)}
    base = Application.objects.filter(scope.q(), received_on__isnull=False)
    open_at = {
        "carried_over": base.filter(received_on__lt=start).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gte=start)
        ),
        "new_received": base.filter(received_on__range=(start, end)),
        "carried_forward": base.filter(received_on__lte=end).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gt=end)
        ),
    }
    for key, qs in open_at.items():
        for rec in qs.values("applicant_kind").annotate(n=Count("id")):
            rows[key][col[rec["applicant_kind"]]] += rec["n"]
    answered = base.filter(decided_on__range=(start, end)).exclude(outcome="")
    for rec in answered.values("outcome", "applicant_kind").annotate(n=Count("id")):
        for key in (tpl.row_for_outcome(rec["outcome"], fmt), "total_processed"):
            rows[key][col[rec["applicant_kind"]]] += rec["n"]
    for values in rows.values():
        values[-1] = sum(values[:-1])
    return rows


def section4(scope: Scope, year: int) -> dict[str, dict[str, int]]:
    """Reviews and lawsuits filed in the year, by their result as at 12月31日; a
    lawsuit where the unit is only the review body sued with the original agency is
    left out (国办公开办函〔2021〕30号)."""
    _start, end = _year_bounds(year)
    out = tpl.empty_section4()
    appeals = (
        Appeal.objects.filter(
            scope.q("application__unit"), filed_on__year=year, as_review_body=False
        )
        .annotate(
            at_end=Case(
                When(concluded_on__lte=end, then=F("result")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
        .values("kind", "at_end")
        .annotate(n=Count("id"))
    )
    for rec in appeals:
        out[rec["kind"]][rec["at_end"]] += rec["n"]
        out[rec["kind"]]["total"] += rec["n"]
    return out


def fees(scope: Scope, year: int) -> dict[str, int]:
    """信息处理费 collected (payments recorded in the year) and notices issued."""
    start, end = _year_bounds(year)
    events = ApplicationEvent.objects.filter(
        scope.q("application__unit"), on__range=(start, end)
    )
    paid = events.filter(kind=EventKind.FEE_PAID).aggregate(
        total=Sum(Cast(KT("data__amount_yuan"), IntegerField())), n=Count("id")
    )
    notices = events.filter(kind=EventKind.FEE_NOTICE).count()
    return {
        "collected_yuan": paid["total"] or 0,
        "payments": paid["n"],
        "notices": notices,
    }


def fee_text(year: int, fee: dict[str, int]) -> str:
    if not fee["payments"]:
        return f"{year}年，无收取信息处理费情况。"
    return (
        f"{year}年，依据《政府信息公开信息处理费管理办法》发出收费通知{fee['notices']}件，"
        f"收取信息处理费{fee['payments']}笔，共计{fee['collected_yuan']}元。"
    )


PRE2019_ITEM_CLASS = {
    "news": "items_news",
    "interpretation": "items_news",
    "": "items_news",
    "guide": "items_guide",
    "document": "items_document",
    "regulation": "items_document",
    "normative_document": "items_document",
    "annual_report": "items_document",
}
CHANNEL_FIELDS = {
    "applications_in_person": ("in_person", "oral"),
    "applications_online": ("online",),
    "applications_post": ("registered_post", "ordinary_letter"),
    "applications_fax": ("fax",),
    "applications_phone": ("phone",),
    "applications_email": ("email",),
}


def pre2019(scope: Scope, year: int) -> tuple[dict[str, int], list[str]]:
    """The seed report's figures: items disclosed by kind, channels, applications by
    channel, fees, reviews and lawsuits."""
    start, end = _aware_bounds(year)
    out = dict.fromkeys(tpl.PRE2019_FIGURES, 0)
    published = _disclosed(scope).filter(published_at__gte=start, published_at__lt=end)
    for rec in published.values("published_revision__kind__report_role").annotate(
        n=Count("id")
    ):
        role = rec["published_revision__kind__report_role"] or ""
        if role == "public_concern_response":
            out["public_concern_responses"] += rec["n"]
        else:
            out[PRE2019_ITEM_CLASS.get(role, "items_news")] += rec["n"]
    out["items_total"] = out["items_news"] + out["items_guide"] + out["items_document"]
    sources: list[str] = []
    delivered = Delivery.objects.filter(
        scope.q("item__unit"),
        status=DeliveryStatus.DELIVERED,
        delivered_at__gte=start,
        delivered_at__lt=end,
    )
    wechat_items = (
        delivered.filter(channel__kind=ChannelKind.WECHAT)
        .values("item")
        .distinct()
        .count()
    )
    website_items = (
        delivered.filter(channel__config__report_as="government_website")
        .values("item")
        .distinct()
        .count()
    )
    out["wechat_posts"] += wechat_items
    out["government_website"] += website_items
    if wechat_items or website_items:
        sources.append(
            f"发布渠道投递记录：微信公众号 {wechat_items} 条，政府网站 {website_items} 条"
        )
    tallies = ChannelTally.objects.filter(scope.q(), year=year)
    field = {"wechat": "wechat_posts", "government_website": "government_website"}
    for tally in tallies.select_related("unit"):
        if tally.channel in field:
            out[field[tally.channel]] += tally.count
        sources.append(
            f"{tally.unit.short_name}：{tally.get_channel_display()} {tally.count} 条——{tally.source}"
        )
    d_start, d_end = _year_bounds(year)
    received = Application.objects.filter(
        scope.q(), received_on__range=(d_start, d_end)
    )
    by_channel = {
        rec["channel"]: rec["n"]
        for rec in received.values("channel").annotate(n=Count("id"))
    }
    out["applications_total"] = sum(by_channel.values())
    for key, channels in CHANNEL_FIELDS.items():
        out[key] = sum(by_channel.get(c, 0) for c in channels)
    fee = fees(scope, year)
    out["fees_yuan"] = fee["collected_yuan"]
    appeals = section4(scope, year)
    out["administrative_reviews"] = appeals["administrative_review"]["total"]
    out["lawsuits"] = (
        appeals["litigation_direct"]["total"]
        + appeals["litigation_after_review"]["total"]
    )
    return out, sources
