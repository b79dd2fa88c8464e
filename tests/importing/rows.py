"""Generated legacy rows for import tests and the speed measurement.

``python -m tests.importing.rows 10000 /tmp/rows.jsonl`` writes a file to import
with ``gongkai items import /tmp/rows.jsonl --unit 测试区教育局 --create-columns``.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIELDS = [
    "id",
    "agency",
    "column",
    "title",
    "doc_number",
    "written_on",
    "published_on",
    "body",
]
COLUMNS = ["通知公告", "政策文件", "工作动态", "人事信息"]


def legacy_rows(
    n: int, *, agency: str = "测试区教育局", start: int = 1
) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        day = date(2019, 1, 1) + timedelta(days=i % 2000)
        rows.append(
            {
                "id": f"https://old.example.gov.cn/zwgk/tzgg/{day:%Y%m}/t{day:%Y%m%d}_{i}.htm",
                "agency": agency,
                "column": COLUMNS[i % len(COLUMNS)],
                "title": f"关于做好{day.year}年第{i}批次教育督导工作的通知",
                "doc_number": f"测教〔{day.year}〕{i % 900 + 1}号"
                if i % 3 == 0
                else "",
                "written_on": (day - timedelta(days=2)).isoformat(),
                "published_on": f"{day.isoformat()} 09:{i % 60:02d}",
                "body": f"各学校：\n为进一步做好第{i}批次督导工作，现将有关事项通知如下。\n一、提高认识。\n二、加强组织。",
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


def write_csv(
    path: Path, rows: list[dict[str, Any]], *, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


if __name__ == "__main__":
    write_jsonl(Path(sys.argv[2]), legacy_rows(int(sys.argv[1])))
