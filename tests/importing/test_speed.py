from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from gongkai.catalogue.importing.service import import_rows
from gongkai.catalogue.importing.sources import read_rows
from gongkai.catalogue.models import Item
from gongkai.search.models import SearchDocument
from tests.conftest import World
from tests.importing.rows import legacy_rows, write_jsonl


def test_a_large_import_writes_and_indexes_every_row_and_reports_its_speed(
    world: World, tmp_path: Path
) -> None:
    """3,000 rows in one go: every row is imported and indexed, and the report
    carries the times ``gongkai items import`` prints. The speed itself is
    measured by ``bench/importing`` (never asserted here: timing in tests
    depends on the machine's load)."""
    path = write_jsonl(tmp_path / "rows.jsonl", legacy_rows(3000))
    report = import_rows(
        actor=None,
        rows=read_rows(path),
        source=path.name,
        format="jsonl",
        default_unit=world.bureau,
        create_columns=True,
    )
    assert report.imported == 3000 == Item.objects.filter(imported=True).count()
    assert report.indexed == 3000 == SearchDocument.objects.count()
    assert 0 < report.index_seconds < report.seconds
    assert report.rate == pytest.approx(3000 / report.seconds)
    print(
        f"\n{connection.vendor}: {report.imported} 条，用时 {report.seconds:.2f} 秒"
        f"（{report.rate:.0f} 条/秒），检索索引用时 {report.index_seconds:.2f} 秒"
    )
