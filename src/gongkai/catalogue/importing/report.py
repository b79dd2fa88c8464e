"""The outcome of an import: what was imported, every rejected row with its line
and reason, and the warnings; printed by the command and saved as JSON."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gongkai.catalogue.importing.validation import Rejection


def new_batch_id() -> str:
    return f"{timezone.localtime():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def id_ranges(ids: list[int]) -> list[list[int]]:
    """``[1, 2, 3, 7]`` as ``[[1, 3], [7, 7]]``: a batch's items stay findable from
    its audit event without listing every id."""
    ranges: list[list[int]] = []
    for pk in sorted(ids):
        if ranges and pk == ranges[-1][1] + 1:
            ranges[-1][1] = pk
        else:
            ranges.append([pk, pk])
    return ranges


@dataclass
class RowNote:
    line: int
    label: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "source": self.label, "message": self.message}


@dataclass
class ImportReport:
    batch: str
    source: str
    format: str
    total: int = 0
    imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    file_notes: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    created_columns: list[str] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    attachments: int = 0
    indexed: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.imported / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "source": self.source,
            "format": self.format,
            "total": self.total,
            "imported": self.imported,
            "rejected": [r.as_dict() for r in sorted(self.rejected, key=_order)],
            "warnings": [n.as_dict() for n in self.notes],
            "file_warnings": self.file_notes,
            "created_units": self.created_units,
            "created_columns": self.created_columns,
            "attachments": self.attachments,
            "item_ids": id_ranges(self.item_ids),
            "indexed_for_search": self.indexed,
            "seconds": round(self.seconds, 3),
            "search_index_seconds": round(self.index_seconds, 3),
            "items_per_second": round(self.rate, 1),
        }

    def lines(self) -> list[str]:
        """The report for a person, in Chinese."""
        out = [
            f"导入批次 {self.batch}（{self.source}）：共 {self.total} 条，"
            f"导入 {self.imported} 条，拒绝 {len(self.rejected)} 条，附件 {self.attachments} 个。",
            f"用时 {self.seconds:.2f} 秒，{self.rate:.0f} 条/秒（其中写入检索索引 "
            f"{self.indexed} 条用时 {self.index_seconds:.2f} 秒）。",
        ]
        out += [f"新建单位：{name}" for name in self.created_units]
        out += [f"新建栏目：{name}" for name in self.created_columns]
        out += [f"注意：{note}" for note in self.file_notes]
        if self.rejected:
            out.append("被拒绝的行：")
            out += [
                f"  {r.label or f'第 {r.line} 行'}"
                f"{f'（{r.external_id}）' if r.external_id else ''}：{r.reason}"
                for r in sorted(self.rejected, key=_order)
            ]
        if self.notes:
            out.append("提示：")
            out += [
                f"  {n.label or f'第 {n.line} 行'}：{n.message}" for n in self.notes
            ]
        return out


def _order(rejection: Rejection) -> int:
    return rejection.line
