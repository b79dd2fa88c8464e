"""Search benchmark: generate N items, index them, then measure query latency
and check recall and precision against brute-force substring truth.

    mkdir -p /tmp/gk-bench
    GONGKAI_DATA_DIR=/tmp/gk-bench .venv/bin/python bench/search/run.py --items 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_bench \\
        GONGKAI_DATA_DIR=/tmp/gk-bench .venv/bin/python bench/search/run.py --items 10000

It refuses to run without ``GONGKAI_DATA_DIR`` (the data must not land in the
project's ``var/``) and on a database holding anything but its own items.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
BENCH_ORG = "BENCH0000"


def _setup() -> None:
    if "GONGKAI_DATA_DIR" not in os.environ:
        sys.exit("set GONGKAI_DATA_DIR to a scratch folder, e.g. /tmp/gk-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _load(n: int, seed: int) -> float:
    """Write the generated items (bulk, published, not indexed); seconds taken."""
    from django.db import transaction
    from generate import generate

    from gongkai.accounts import services as accounts
    from gongkai.catalogue.models import Item, ItemRevision, Kind, Status, Validity
    from gongkai.catalogue.services.columns import create_column

    started = time.perf_counter()
    with transaction.atomic():
        bureau = accounts.create_unit(
            actor=None,
            parent=None,
            name="基准测试教育局",
            short_name="教育局",
            org_code=BENCH_ORG,
        )
        units = [bureau] + [
            accounts.create_unit(
                actor=None,
                parent=bureau,
                name=f"基准测试第{i}学校",
                short_name=f"{i}校",
                org_code=f"BENCH{i:04d}",
                kind="school",
            )
            for i in range(1, 21)
        ]
        columns = [
            [
                create_column(actor=None, unit=unit, name=name, slug=slug)
                for name, slug in (
                    ("通知公告", "tzgg"),
                    ("政策文件", "zcwj"),
                    ("校务公开", "xwgk"),
                )
            ]
            for unit in units
        ]
    kinds = list(Kind.objects.order_by("pk")[:5])
    serials: dict[tuple[int, int], int] = defaultdict(int)
    batch: list[Any] = []

    def flush() -> None:
        with transaction.atomic():
            items = Item.objects.bulk_create(
                [
                    Item(
                        unit=units[g.unit],
                        status=Status.PUBLISHED,
                        imported=True,
                        external_id=f"bench-{g.number}",
                        published_at=g.published_at,
                        index_number=index,
                        validity=validity,
                    )
                    for g, index, validity in batch
                ]
            )
            revisions = ItemRevision.objects.bulk_create(
                [
                    ItemRevision(
                        item=item,
                        number=1,
                        column=columns[g.unit][g.column],
                        kind=kinds[g.kind % len(kinds)],
                        title=g.title,
                        body=g.body,
                        document_number=g.document_number,
                        formed_on=g.published_at.date(),
                    )
                    for item, (g, _, _) in zip(items, batch, strict=True)
                ]
            )
            for item, revision in zip(items, revisions, strict=True):
                item.published_revision = item.draft_revision = revision
                item.is_public = True
            Item.objects.bulk_update(
                items, ["published_revision", "draft_revision", "is_public"]
            )
        batch.clear()

    rng = random.Random(seed)
    for g in generate(n, seed=seed, units=len(units), kinds=len(kinds)):
        year = g.published_at.year
        serials[(g.unit, year)] += 1
        index = f"{units[g.unit].org_code}/{year}-{serials[(g.unit, year)]:05d}"
        roll = rng.random()
        validity = (
            Validity.REPEALED
            if roll < 0.03
            else Validity.EXPIRED
            if roll < 0.06
            else Validity.IN_FORCE
        )
        batch.append((g, index, validity))
        if len(batch) == 2000:
            flush()
    if batch:
        flush()
    return time.perf_counter() - started


# PostgreSQL builds a GIN index from scratch far faster than it adds entries one
# document at a time: a bulk load drops the two and builds them afterwards.
GIN_INDEXES = {
    "search_searchdocument_tsv": "tsv",
    "search_searchdocument_title_tsv": "title_tsv",
}


@contextmanager
def _bulk_load_indexes() -> Iterator[None]:
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '2GB'")
            for name, column in GIN_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name}"
                    f" ON search_searchdocument USING gin ({column})"
                )
        print(f"GIN indexes built in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from gongkai.catalogue.models import Item
    from gongkai.search.models import SearchDocument
    from gongkai.search.services import rebuild_index

    existing = Item.objects.count()
    foreign = Item.objects.exclude(external_id__startswith="bench-").exists()
    if foreign or existing not in {0, args.items}:
        sys.exit(f"the database holds other data ({existing} items); use a fresh one")
    print(f"database: {connection.vendor}, items: {args.items}")
    if existing == 0:
        print(f"generated and wrote the items in {_load(args.items, args.seed):.1f} s")
    if SearchDocument.objects.count() != args.items:
        started = time.perf_counter()
        with _bulk_load_indexes():
            report = rebuild_index()
        ms = (time.perf_counter() - started) * 1000
        print(f"rebuild_index: {report.indexed} documents in {ms / 1000:.1f} s")
    from measure import measure

    measure(args.queries, args.seed)


if __name__ == "__main__":
    main()
