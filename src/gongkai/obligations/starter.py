"""The starter 标准目录 of a district education bureau, built from LAW.md §5 (the
义务教育 standard catalogue items and the 区县教育行政部门 enrolment list) and the
seed bureau's own rules (招生计划、招生政策、录取办法、录取结果; 年度报告, 指南)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from gongkai.accounts.models import Unit
from gongkai.audit.services import record_event
from gongkai.obligations.models import Obligation
from gongkai.obligations.services import clean_fields, save_obligation

STARTER = Path(__file__).parent / "fixtures" / "starter.json"


def starter_rows() -> list[dict[str, Any]]:
    """The rows; ``source`` says where each comes from and is not stored."""
    rows: list[dict[str, Any]] = json.loads(STARTER.read_text(encoding="utf-8"))
    return rows


def load_starter(unit: Unit, *, demo_items: bool = False) -> int:
    """Add the starter rows missing from ``unit``'s catalogue (one transaction, one
    audit event); returns how many were added. ``demo_items`` also drafts and
    publishes the demo's items so that every coverage state shows (demo only)."""
    existing = set(Obligation.objects.filter(unit=unit).values_list("category", "name"))
    created = 0
    with transaction.atomic():
        for number, row in enumerate(starter_rows(), start=1):
            if (row["category"], row["name"]) in existing:
                continue
            fields = {k: v for k, v in row.items() if k != "source"}
            fields["elements"] = "\n".join(row["elements"])
            save_obligation(
                unit, clean_fields(unit, fields | {"number": number}), pk=None
            )
            created += 1
        if created:
            record_event(
                actor=None,
                action="obligations.starter_loaded",
                summary=f"载入标准目录示例：{created}项",
                unit=unit,
                data={"created": created},
            )
    if demo_items:
        from gongkai.obligations.demo import load_demo_items

        load_demo_items(unit)
    return created
