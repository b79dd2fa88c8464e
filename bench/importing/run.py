"""Import benchmark and bulk loader: N generated items through ``gongkai items
import``'s own service (validation, 索引号, bulk writes, audit event, search
index in the same transaction), in chunks as a migration would feed them.

    mkdir -p /tmp/gk-bench
    GONGKAI_DATA_DIR=/tmp/gk-bench .venv/bin/python bench/importing/run.py --items 100000
    .venv/bin/python bench/importing/run.py --items 50000 --to-file /tmp/items.jsonl
    createdb -h 127.0.0.1 -U postgres gk_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_bench \\
        GONGKAI_DATA_DIR=/tmp/gk-bench-pg .venv/bin/python bench/importing/run.py --items 100000

The items are those of ``bench/search/generate.py`` (titles and bodies of a few
hundred to a few thousand characters, 文号, 21 agencies × 3 columns), written as
the rows a legacy export holds. A later run adds the next N items (their ids
continue), so a database is filled to a million in steps. It refuses to run
without ``GONGKAI_DATA_DIR`` (the data must not land in the project's ``var/``)
and on a database holding items it did not write. Prints the rate of every
chunk and overall, and the process's peak memory; then merges the search index's
segments (``--no-optimize``: not) and prints the rate with that included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "search"))


def _setup() -> None:
    if "GONGKAI_DATA_DIR" not in os.environ:
        sys.exit("set GONGKAI_DATA_DIR to a scratch folder, e.g. /tmp/gk-bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _write_file(path: Path, items: int, seed: int) -> None:
    """The legacy rows as a JSONL export, to time the command end to end:
    ``gongkai items import FILE --create-units --create-columns``."""
    from generate import generate, legacy_row

    with path.open("w", encoding="utf-8") as out:
        for g in generate(items, seed=seed):
            out.write(json.dumps(legacy_row(g), ensure_ascii=False) + "\n")
    print(f"wrote {items:,} rows to {path} ({path.stat().st_size / 2**20:,.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--no-optimize",
        action="store_true",
        help="leave the search index's segments unmerged at the end",
    )
    parser.add_argument(
        "--to-file",
        type=Path,
        help="write the rows to this JSONL file (for `gongkai items import`) instead",
    )
    args = parser.parse_args()
    if args.to_file:
        _write_file(args.to_file, args.items, args.seed)
        return
    _setup()
    from django.db import connection
    from generate import generate, legacy_row

    from gongkai.accounts.models import Unit
    from gongkai.accounts.services import create_unit
    from gongkai.catalogue.importing.service import import_rows
    from gongkai.catalogue.importing.sources import SourceRow
    from gongkai.catalogue.models import Item

    first = Item.objects.count()
    if Item.objects.exclude(external_id__startswith="bench-").exists():
        sys.exit("the database holds items this benchmark did not write")
    if not Unit.objects.exists():
        create_unit(
            actor=None,
            parent=None,
            name="基准测试教育局",
            short_name="教育局",
            org_code="BENCH0000",
        )
    print(f"database: {connection.vendor}; items before: {first}; adding {args.items}")
    started = time.perf_counter()
    imported = indexed_seconds = 0.0
    chunk: list[SourceRow] = []

    def flush() -> None:
        nonlocal imported, indexed_seconds
        report = import_rows(
            actor=None,
            rows=chunk,
            source="bench.jsonl",
            format="jsonl",
            create_units=True,
            create_columns=True,
        )
        if report.rejected:
            sys.exit(f"rejected rows: {report.rejected[:3]}")
        imported += report.imported
        indexed_seconds += report.index_seconds
        print(
            f"  {first + int(imported):>9,} items: chunk of {report.imported:,} in "
            f"{report.seconds:.1f} s ({report.rate:,.0f}/s, index "
            f"{report.index_seconds:.1f} s)",
            flush=True,
        )
        chunk.clear()

    for g in generate(first + args.items, seed=args.seed):
        if g.number < first:
            continue
        chunk.append(SourceRow(line=g.number + 1, data=legacy_row(g)))
        if len(chunk) == args.chunk:
            flush()
    if chunk:
        flush()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"imported {int(imported):,} items in {seconds:.1f} s: "
        f"{imported / seconds:,.0f} items/s including the search index "
        f"({indexed_seconds:.1f} s of it indexing, generation included in the "
        f"total); peak memory {peak:.0f} MiB"
    )
    if not args.no_optimize:
        # What `gongkai items import` runs after an import of 1,000 or more.
        from gongkai.search.services import optimise_index

        report = optimise_index()
        seconds += report.seconds
        print(
            f"merged the index: {report.segments_before} -> {report.segments_after}"
            f" segments in {report.seconds:.1f} s ({report.steps} steps); with it"
            f" {imported / seconds:,.0f} items/s"
        )


if __name__ == "__main__":
    main()
