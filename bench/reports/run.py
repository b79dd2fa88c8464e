"""Annual report benchmark: generate one county's disclosure records, then time
``build_report`` (what ``gongkai report build`` runs) for one unit, the county
consolidation and all units.

    mkdir -p /tmp/gk-reports-sqlite
    GONGKAI_DATA_DIR=/tmp/gk-reports-sqlite .venv/bin/python bench/reports/run.py
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE gk_reports_bench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_reports_bench \\
        GONGKAI_DATA_DIR=/tmp/gk-reports-pg .venv/bin/python bench/reports/run.py

The records (``generate.py``, seeded: the same options give the same records)
are written with bulk inserts straight into the tables (no services, no search
indexing). It refuses to run without ``GONGKAI_DATA_DIR`` (the data must not land
in the project's ``var/``) and on a database holding anything but its own
records; a second run on a filled database skips straight to timing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import (
    AGENCY_KINDS,
    AS_OF,
    BUREAUS,
    EXTERNAL,
    PREFIX,
    ROOT_KINDS,
    SCHOOL_KINDS,
    YEARS,
    Kinds,
    Picker,
    UnitPlan,
    body_pool,
    generate_applications,
    generate_items,
    plan_units,
)

REPORT_YEAR = 2025
PRE2019_YEAR = 2017
LOAD_LIMIT = 1.5
LOAD_POLL_S = 30
LOAD_WAIT_MAX_S = 20 * 60


def load_items(n: int, plan: list[UnitPlan], seed: int, batch: int) -> None:
    from django.db import connection, transaction

    from gongkai.catalogue.models import (
        Channel,
        ChannelKind,
        Delivery,
        DeliveryStatus,
        Item,
        ItemRevision,
        Kind,
        Status,
    )

    ids = dict(Kind.objects.values_list("slug", "pk"))
    kinds = Kinds(
        ids,
        Picker(list(AGENCY_KINDS), list(AGENCY_KINDS.values())),
        Picker(list(ROOT_KINDS), list(ROOT_KINDS.values())),
        Picker(list(SCHOOL_KINDS), list(SCHOOL_KINDS.values())),
    )
    # Channels: the county government's website (counted as 政府网站 in the
    # pre-2019 report) and a WeChat account per bureau from mid-2016.
    channels: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for u, unit in enumerate(plan):
        if unit.role == "root":
            ch = Channel.objects.create(
                unit_id=unit.pk,
                kind=ChannelKind.WEBHOOK,
                name="县政府门户网站",
                config={
                    "url": "https://www.example.gov.cn/hook",
                    "report_as": "government_website",
                },
            )
            channels[u].append((ch.pk, date(2015, 1, 1)))
        if unit.role in {"root", "bureau"}:
            ch = Channel.objects.create(
                unit_id=unit.pk,
                kind=ChannelKind.WECHAT,
                name=f"{unit.short}微信公众号",
                config={"app_id": f"wx{unit.code.lower()}"},
            )
            channels[u].append((ch.pk, date(2016, 7, 1)))
    pool = body_pool(seed)
    rng = random.Random(seed + 2)
    serial: Counter[tuple[int, int]] = Counter()
    item_table = Item._meta.db_table
    revision_table = ItemRevision._meta.db_table
    update = (
        f"UPDATE {item_table} SET published_revision_id = r.id, "
        f"draft_revision_id = r.id, is_public = TRUE FROM {revision_table} r "
        f"WHERE r.item_id = {item_table}.id AND {item_table}.id BETWEEN %s AND %s"
    )
    written = 0
    started = time.perf_counter()
    column_of = {"news": 0, "document": 1, "normative-document": 1, "regulation": 1}
    for year, rows in generate_items(n, plan, kinds, seed):
        for chunk in (rows[i : i + batch] for i in range(0, len(rows), batch)):
            numbers = []
            for r in chunk:
                serial[(r.unit, year)] += 1
                numbers.append(
                    f"{plan[r.unit].code}/{year}-{serial[(r.unit, year)]:05d}"
                )
            with transaction.atomic():
                items = Item.objects.bulk_create(
                    [
                        Item(
                            unit_id=plan[r.unit].pk,
                            status=Status.PUBLISHED,
                            imported=True,
                            external_id=f"{PREFIX.lower()}-{written + i}",
                            published_at=r.published_at,
                            index_number=number,
                            validity=r.validity,
                            validity_changed_on=r.validity_changed_on,
                        )
                        for i, (r, number) in enumerate(
                            zip(chunk, numbers, strict=True)
                        )
                    ]
                )
                revisions = ItemRevision.objects.bulk_create(
                    [
                        ItemRevision(
                            item_id=item.pk,
                            number=1,
                            column_id=plan[r.unit].columns[column_of.get(r.slug, 2)],
                            kind_id=ids[r.slug],
                            title=r.title,
                            body=pool[r.body_start : r.body_start + r.body_len],
                            document_number=r.document_number,
                            written_on=r.written_on,
                            formed_on=r.written_on or r.published_at.date(),
                        )
                        for item, r in zip(items, chunk, strict=True)
                    ]
                )
                with connection.cursor() as cursor:
                    cursor.execute(update, [items[0].pk, items[-1].pk])
                deliveries = []
                for item, revision, r in zip(items, revisions, chunk, strict=True):
                    for channel, since in channels.get(r.unit, ()):
                        wechat = since.year > 2015
                        if r.published_at.date() < since or (
                            wechat and rng.random() >= 0.3
                        ):
                            continue
                        at = r.published_at + timedelta(minutes=rng.randrange(1, 30))
                        deliveries.append(
                            Delivery(
                                item_id=item.pk,
                                revision_id=revision.pk,
                                channel_id=channel,
                                idempotency_key=(
                                    f"item-{item.pk}-rev-{revision.pk}-ch-{channel}"
                                ),
                                status=DeliveryStatus.DELIVERED,
                                attempts=1,
                                next_attempt_at=r.published_at,
                                delivered_at=at,
                            )
                        )
                Delivery.objects.bulk_create(deliveries)
            written += len(chunk)
        print(
            f"  items {year}: {len(rows):,} (total {written:,}, "
            f"{time.perf_counter() - started:.0f} s)",
            flush=True,
        )


def load_applications(n: int, plan: list[UnitPlan], seed: int, batch: int) -> None:
    from django.db import transaction

    from gongkai.applications.models import Appeal, Application, ApplicationEvent

    total = 0
    started = time.perf_counter()
    for year, rows in generate_applications(n, plan, seed):
        for chunk in (rows[i : i + batch] for i in range(0, len(rows), batch)):
            with transaction.atomic():
                apps = Application.objects.bulk_create(
                    [Application(**r.app) for r in chunk]
                )
                ApplicationEvent.objects.bulk_create(
                    [
                        ApplicationEvent(
                            application_id=a.pk,
                            kind=kind,
                            on=on,
                            summary=summary,
                            data=data,
                        )
                        for a, r in zip(apps, chunk, strict=True)
                        for kind, on, summary, data in r.events
                    ]
                )
                Appeal.objects.bulk_create(
                    [
                        Appeal(application_id=a.pk, **appeal)
                        for a, r in zip(apps, chunk, strict=True)
                        for appeal in r.appeals
                    ]
                )
            total += len(chunk)
        print(
            f"  applications {year}: {len(rows):,} (total {total:,}, "
            f"{time.perf_counter() - started:.0f} s)",
            flush=True,
        )


def load_entered(plan: list[UnitPlan], seed: int) -> None:
    """ExternalFigure (table 二's licensing, penalties, coercion and fees) for the
    bureaus from 2019, and ChannelTally (WeChat posts that are not items) before
    2019."""
    from gongkai.reports.models import ChannelTally, ExternalFigure, ExternalKey

    rng = random.Random(seed + 4)
    keys = (
        ExternalKey.LICENSING,
        ExternalKey.PENALTY,
        ExternalKey.COERCION,
        ExternalKey.FEES,
    )
    figures = []
    tallies = []
    for unit in plan:
        ranges = EXTERNAL.get(unit.short)
        for year in YEARS:
            if ranges and year >= 2019:
                for key, span in zip(keys, ranges, strict=True):
                    if span is None:
                        continue
                    value = rng.randrange(*span)
                    figures.append(
                        ExternalFigure(
                            unit_id=unit.pk,
                            year=year,
                            key=key,
                            value=(value + rng.randrange(100) / 100)
                            if key == ExternalKey.FEES
                            else value,
                            source=f"{unit.short}业务系统{year}年度统计",
                        )
                    )
            if unit.role in {"root", "bureau"} and year < 2019:
                tallies.append(
                    ChannelTally(
                        unit_id=unit.pk,
                        year=year,
                        channel="wechat",
                        count=rng.randrange(40, 400),
                        source="微信公众号后台群发记录",
                    )
                )
    ExternalFigure.objects.bulk_create(figures)
    ChannelTally.objects.bulk_create(tallies)


# --- setup, checks, timing ------------------------------------------------------


def _setup() -> None:
    if "GONGKAI_DATA_DIR" not in os.environ:
        sys.exit("set GONGKAI_DATA_DIR to a scratch folder, e.g. /tmp/gk-reports")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _state(args: argparse.Namespace) -> str:
    """'empty', 'filled' (this script's records at these sizes) or exit."""
    from gongkai.accounts.models import Unit, User
    from gongkai.applications.models import Application
    from gongkai.catalogue.models import Item
    from gongkai.reports.models import ExternalFigure

    units = Unit.objects.count()
    items = Item.objects.count()
    apps = Application.objects.count()
    foreign = (
        Unit.objects.exclude(org_code__startswith=PREFIX).exists()
        or Item.objects.exclude(external_id__startswith=f"{PREFIX.lower()}-").exists()
        or Application.objects.exclude(reference__startswith=PREFIX).exists()
        or User.objects.exists()
    )
    if foreign:
        sys.exit(
            f"the database holds other data ({units} units, {items} items, "
            f"{apps} applications); use a fresh one"
        )
    if units == items == apps == 0:
        return "empty"
    if (
        units == args.units + 1
        and items == args.items
        and apps == args.applications
        and ExternalFigure.objects.exists()
    ):
        return "filled"
    sys.exit(
        f"the database holds an incomplete or differently sized run ({units} units, "
        f"{items} items, {apps} applications); use a fresh one"
    )


def load(args: argparse.Namespace, plan: list[UnitPlan]) -> None:
    from django.db import connection, transaction

    from gongkai.accounts import services as accounts
    from gongkai.catalogue.models import Column

    started = time.perf_counter()
    with transaction.atomic():
        created_units: list[Any] = []
        for unit in plan:
            created_units.append(
                accounts.create_unit(
                    actor=None,
                    parent=None if unit.parent is None else created_units[unit.parent],
                    name=unit.name,
                    short_name=unit.short,
                    org_code=unit.code,
                    kind=unit.kind,
                )
            )
            unit.pk = created_units[-1].pk
        names = (("政务动态", "zwdt"), ("政策文件", "zcwj"), ("其他信息", "qtxx"))
        created = Column.objects.bulk_create(
            [
                Column(unit_id=unit.pk, name=name, slug=slug, sort_order=i)
                for unit in plan
                for i, (name, slug) in enumerate(names)
            ]
        )
        for i, unit in enumerate(plan):
            unit.columns = tuple(c.pk for c in created[3 * i : 3 * i + 3])
    print(f"  units and columns: {len(plan)} units", flush=True)
    load_items(args.items, plan, args.seed, args.batch)
    load_applications(args.applications, plan, args.seed, args.batch)
    with transaction.atomic():
        load_entered(plan, args.seed)
    print(f"generated and wrote the records in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load; the timings should not depend on
        # when it happens to run.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")


def attach(plan: list[UnitPlan]) -> None:
    """The primary keys of an existing run's units."""
    from gongkai.accounts.models import Unit

    pks = dict(Unit.objects.values_list("org_code", "pk"))
    for unit in plan:
        unit.pk = pks[unit.code]


def wait_for_quiet() -> float:
    """Wait until the 1-minute load average is below LOAD_LIMIT (at most 20
    minutes); the load at the start of timing."""
    waited = 0
    load = os.getloadavg()[0]
    while load >= LOAD_LIMIT and waited < LOAD_WAIT_MAX_S:
        print(
            f"  load {load:.2f} ≥ {LOAD_LIMIT}: waiting ({waited} s so far)", flush=True
        )
        time.sleep(LOAD_POLL_S)
        waited += LOAD_POLL_S
        load = os.getloadavg()[0]
    if load >= LOAD_LIMIT:
        print(f"  load still {load:.2f} after {waited} s: timing anyway")
    return load


def data_shape() -> None:
    from django.db import connection
    from django.db.models import Count

    from gongkai.applications.models import Appeal, Application, ApplicationEvent
    from gongkai.catalogue.models import Delivery, Item, ItemRevision
    from gongkai.reports.models import ChannelTally, ExternalFigure

    counts = {
        "items": Item.objects.count(),
        "revisions": ItemRevision.objects.count(),
        "deliveries": Delivery.objects.count(),
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "appeals": Appeal.objects.count(),
        "external figures": ExternalFigure.objects.count(),
        "channel tallies": ChannelTally.objects.count(),
    }
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    roles = (
        Item.objects.values("published_revision__kind__report_role", "validity")
        .filter(
            published_revision__kind__report_role__in=[
                "regulation",
                "normative_document",
            ]
        )
        .annotate(n=Count("id"))
        .order_by("published_revision__kind__report_role", "validity")
    )
    print(
        "规章/行政规范性文件: "
        + ", ".join(
            f"{r['published_revision__kind__report_role']} {r['validity']} {r['n']:,}"
            for r in roles
        )
    )
    open_apps = Application.objects.filter(outcome="").count()
    print(f"applications still open on {AS_OF}: {open_apps:,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        size = Path(connection.settings_dict["NAME"]).stat().st_size
    print(f"database size: {size / 2**30:.2f} GiB")


@dataclass
class Case:
    label: str
    call: Callable[[], dict[str, Any]]


def cases(plan: list[UnitPlan]) -> list[Case]:
    from gongkai.accounts.models import Unit
    from gongkai.law.report_template import ReportFormat
    from gongkai.reports.compute import build_report

    bureau = Unit.objects.get(org_code=plan[BUREAUS.index("教育局") + 1].code)
    root = Unit.objects.get(org_code=plan[0].code)
    return [
        Case(
            f"one unit ({bureau.short_name}), gb2021, {REPORT_YEAR}",
            lambda: build_report(
                unit=bureau, year=REPORT_YEAR, fmt=ReportFormat.gb2021
            ),
        ),
        Case(
            f"one unit ({bureau.short_name}), pre2019, {PRE2019_YEAR}",
            lambda: build_report(
                unit=bureau, year=PRE2019_YEAR, fmt=ReportFormat.pre2019
            ),
        ),
        Case(
            f"county consolidation ({len(plan) - 1} units + root), gb2021, {REPORT_YEAR}",
            lambda: build_report(
                unit=root, year=REPORT_YEAR, fmt=ReportFormat.gb2021, consolidated=True
            ),
        ),
        Case(
            f"all units, gb2021, {REPORT_YEAR}",
            lambda: build_report(unit=None, year=REPORT_YEAR, fmt=ReportFormat.gb2021),
        ),
    ]


def summary(report: dict[str, Any]) -> str:
    if "pre2019" in report:
        p = report["pre2019"]
        return (
            f"items {p['items_total']:,}, applications {p['applications_total']:,}, "
            f"wechat {p['wechat_posts']:,}, reviews {p['administrative_reviews']}, "
            f"lawsuits {p['lawsuits']}"
        )
    rows = report["section3"]["rows"]
    docs = report["section2"]["art20_1"]
    s4 = report["section4"]
    return (
        f"二: 规范性文件 {docs['normative_documents']}, 规章 {docs['regulations']}; "
        f"三: 新收 {rows['new_received'][-1]:,}, 上年结转 {rows['carried_over'][-1]:,}, "
        f"办结 {rows['total_processed'][-1]:,}, 结转 {rows['carried_forward'][-1]:,}; "
        f"四: 复议 {s4['administrative_review']['total']}, "
        f"诉讼 {s4['litigation_direct']['total'] + s4['litigation_after_review']['total']}; "
        f"fees {report['fees']['payments']} payments {report['fees']['collected_yuan']:,} 元"
    )


def measure(plan: list[UnitPlan], repeat: int, wait: bool) -> None:
    from django.db import connection

    from gongkai.reports.compute import table_findings

    load = wait_for_quiet() if wait else os.getloadavg()[0]
    print(f"timing on {connection.vendor}, 1-minute load at start {load:.2f}")
    rows = []
    for case in cases(plan):
        seconds = []
        report: dict[str, Any] = {}
        for _ in range(repeat):
            started = time.perf_counter()
            report = case.call()
            seconds.append(time.perf_counter() - started)
        findings = table_findings(report)
        tracemalloc.start()
        case.call()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((case.label, min(seconds), statistics.median(seconds), peak))
        print(
            f"  {case.label}: min {min(seconds):.3f} s, median "
            f"{statistics.median(seconds):.3f} s, runs "
            + " ".join(f"{s:.3f}" for s in seconds)
            + f", peak Python heap {peak / 2**10:.0f} KiB",
            flush=True,
        )
        print(
            f"    {summary(report)}" + (f"; FINDINGS: {findings}" if findings else "")
        )
    end_load = os.getloadavg()
    print()
    print("| scope | min | median | peak heap |")
    print("|---|---|---|---|")
    for label, best, median, peak in rows:
        print(f"| {label} | {best:.2f} s | {median:.2f} s | {peak / 2**10:.0f} KiB |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nload average at the end: {end_load[0]:.2f} {end_load[1]:.2f} {end_load[2]:.2f}; "
        f"process peak RSS {rss:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=500, help="units below the root")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument(
        "--no-wait", action="store_true", help="time at once, whatever the load"
    )
    args = parser.parse_args()
    _setup()
    from django.db import connection

    plan = plan_units(args.units)
    state = _state(args)
    print(
        f"database: {connection.vendor}; {args.units + 1} units, {args.items:,} items, "
        f"{args.applications:,} applications, seed {args.seed}"
    )
    if state == "empty":
        load(args, plan)
    else:
        attach(plan)
    data_shape()
    measure(plan, args.repeat, not args.no_wait)


if __name__ == "__main__":
    main()
