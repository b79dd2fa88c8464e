"""Checking legacy rows before anything is written. A row either becomes a
``ValidRow`` with every value resolved, or a ``Rejection`` naming each field that
is wrong and why; units and columns that ``--create-units``/``--create-columns``
would add are only planned here and created by the write."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit
from gongkai.catalogue.importing.addresses import MAX_LENGTH, legacy_key
from gongkai.catalogue.importing.sources import SourceRow, field_name
from gongkai.catalogue.importing.values import (
    looks_like_html,
    parse_date,
    parse_moment,
    plain_text_to_html,
)
from gongkai.catalogue.models import Column, Item, Kind, Validity
from gongkai.catalogue.services.common import normalise_document_number, sanitise_body

VALIDITY = {
    "": Validity.IN_FORCE,
    "有效": Validity.IN_FORCE,
    "现行有效": Validity.IN_FORCE,
    "失效": Validity.EXPIRED,
    "废止": Validity.REPEALED,
} | {v.value: v for v in Validity}
NO_NUMBER = {"无", "-", "—", "/"}
LIMITS = {"title": 200, "topic": 60, "genre": 60, "index_number": 64}


@dataclass
class Rejection:
    line: int
    label: str
    external_id: str
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "source": self.label,
            "id": self.external_id,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass
class ValidRow:
    source: SourceRow
    unit_name: str
    column_name: str
    column_slug: str
    kind: Kind
    external_id: str
    index_number: str
    published_at: datetime
    validity: str
    content: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlannedUnit:
    name: str
    org_code: str


class Validator:
    """Validates rows against the database as it is and against the rows seen
    before in the same file."""

    def __init__(
        self,
        *,
        default_unit: Unit | None,
        default_kind: Kind,
        create_units: bool,
        create_columns: bool,
        now: datetime | None = None,
    ) -> None:
        self.default_unit = default_unit
        self.default_kind = default_kind
        self.create_units = create_units
        self.create_columns = create_columns
        self.now = now or timezone.now()
        self.units = {u.name: u for u in Unit.objects.all()}
        self.short_names: dict[str, list[Unit]] = {}
        for unit in self.units.values():
            self.short_names.setdefault(unit.short_name, []).append(unit)
        self.columns = {(c.unit_id, c.name): c for c in Column.objects.all()}
        self.kinds = {k.slug: k for k in Kind.objects.all()}
        self.kinds |= {k.name: k for k in self.kinds.values()}
        self.planned_units: dict[str, PlannedUnit] = {}
        self.planned_columns: dict[tuple[str, str], str] = {}
        self.seen_ids: dict[str, int] = {}
        self.seen_numbers: dict[str, int] = {}
        self.existing_ids: dict[str, int] = {}
        self.existing_numbers: set[str] = set()

    def prefetch(self, rows: list[SourceRow]) -> None:
        """Look up, in a few queries, which ids and 索引号 are already taken."""
        keys = list({legacy_key(r.data.get("id", "")) for r in rows} - {""})
        numbers = list({r.data.get("index_number", "").strip() for r in rows} - {""})
        for start in range(0, len(keys), 500):
            self.existing_ids.update(
                Item.objects.filter(external_id__in=keys[start : start + 500])
                .order_by("pk")
                .values_list("external_id", "pk")
            )
        for start in range(0, len(numbers), 500):
            self.existing_numbers.update(
                n
                for n in Item.objects.filter(
                    index_number__in=numbers[start : start + 500]
                ).values_list("index_number", flat=True)
                if n
            )

    def validate(self, row: SourceRow) -> ValidRow | Rejection:
        data = row.data
        raw_id = data.get("id", "").strip()
        key = legacy_key(raw_id)
        if row.error:
            return Rejection(row.line, row.label, raw_id, "", row.error)
        errors: list[tuple[str, str]] = []
        self._check_id(key, raw_id, row.line, errors)
        if key:
            # Also a rejected row claims its id: a later row with the same id is
            # reported as the duplicate it is rather than imported silently.
            self.seen_ids.setdefault(key, row.line)
        unit_name = self._unit(data, errors)
        column_name = data.get("column", "").strip() or self._column_by_slug(
            unit_name, data.get("column_slug", "")
        )
        if not column_name:
            errors.append(("column", "请填写栏目"))
        elif unit_name:
            self._column(unit_name, column_name, data.get("column_slug", ""), errors)
        kind = self._kind(data.get("kind", "").strip(), errors)
        content = self._content(data, errors)
        published_at = self._published(data.get("published_on", ""), errors)
        written_on = self._date(data, "written_on", errors)
        if (
            written_on
            and published_at
            and written_on > timezone.localdate(published_at)
        ):
            errors.append(("written_on", "成文日期不能晚于发布日期"))
        number = self._index_number(
            data.get("index_number", "").strip(), row.line, errors
        )
        validity = VALIDITY.get(data.get("validity", "").strip())
        if validity is None:
            errors.append(
                (
                    "validity",
                    f"有效性“{data['validity']}”无法识别，应为有效、失效或废止",
                )
            )
        if errors:
            reason = "；".join(f"{field_name(f)}：{m}" if f else m for f, m in errors)
            return Rejection(row.line, row.label, raw_id, errors[0][0], reason)
        assert kind is not None and published_at is not None and validity is not None
        if number:
            self.seen_numbers[number] = row.line
        formed_on = written_on or timezone.localdate(published_at)
        content |= {"written_on": written_on, "formed_on": formed_on}
        return ValidRow(
            source=row,
            unit_name=unit_name,
            column_name=column_name,
            column_slug=data.get("column_slug", ""),
            kind=kind,
            external_id=key,
            index_number=number,
            published_at=published_at,
            validity=validity,
            content=content,
        )

    def _check_id(
        self, key: str, raw: str, line: int, errors: list[tuple[str, str]]
    ) -> None:
        if not key:
            errors.append(("id", "请填写原系统编号（用于查重和旧网址跳转）"))
        elif len(key) > MAX_LENGTH:
            errors.append(("id", f"原系统编号超过 {MAX_LENGTH} 字"))
        elif key in self.seen_ids:
            errors.append(("id", f"“{raw}”与第 {self.seen_ids[key]} 行重复"))
        elif key in self.existing_ids:
            errors.append(
                ("id", f"“{raw}”已导入过（信息编号 {self.existing_ids[key]}）")
            )

    def _unit(self, data: dict[str, str], errors: list[tuple[str, str]]) -> str:
        name = data.get("agency", "").strip()
        if not name:
            if self.default_unit is None:
                errors.append(("agency", "请填写发布机构"))
                return ""
            return self.default_unit.name
        if name in self.units or name in self.planned_units:
            return name
        by_short = self.short_names.get(name, [])
        if len(by_short) == 1:
            return by_short[0].name
        if not self.create_units:
            errors.append(("agency", f"单位“{name}”不存在（可用 --create-units 新建）"))
            return ""
        code = data.get("agency_code", "").strip()
        if not code:
            # A placeholder, reported so that the real code can be entered;
            # 索引号 already issued keep the placeholder.
            code = "X" + hashlib.sha1(name.encode()).hexdigest()[:8].upper()
        taken = {u.org_code for u in self.units.values()}
        if code in taken or code in {p.org_code for p in self.planned_units.values()}:
            errors.append(("agency_code", f"组织机构代码“{code}”已被使用"))
            return ""
        if len(name) > 100 or len(code) > 18:
            errors.append(("agency", "单位名称不能超过100字，组织机构代码不能超过18位"))
            return ""
        self.planned_units[name] = PlannedUnit(name, code)
        return name

    def _column(
        self, unit_name: str, name: str, slug: str, errors: list[tuple[str, str]]
    ) -> None:
        unit = self.units.get(unit_name)
        if unit is not None and (unit.pk, name) in self.columns:
            return
        if (unit_name, name) in self.planned_columns:
            return
        if not self.create_columns:
            errors.append(
                (
                    "column",
                    f"“{unit_name}”没有栏目“{name}”（可用 --create-columns 新建）",
                )
            )
        elif len(name) > 40:
            errors.append(("column", "栏目名称不能超过40字"))
        else:
            self.planned_columns[(unit_name, name)] = slug

    def _column_by_slug(self, unit_name: str, slug: str) -> str:
        """A crawled page that names only its column's path: the unit's column
        with that path, if there is one."""
        unit = self.units.get(unit_name)
        if not slug or unit is None:
            return ""
        found = [
            c.name
            for (u, _), c in self.columns.items()
            if u == unit.pk and c.slug == slug
        ]
        return found[0] if found else ""

    def _kind(self, value: str, errors: list[tuple[str, str]]) -> Kind | None:
        if not value:
            return self.default_kind
        kind = self.kinds.get(value)
        if kind is None:
            errors.append(("kind", f"类别“{value}”不存在"))
        return kind

    def _content(
        self, data: dict[str, str], errors: list[tuple[str, str]]
    ) -> dict[str, Any]:
        title = " ".join(data.get("title", "").split())
        if not title:
            errors.append(("title", "请填写标题"))
        for key, limit in LIMITS.items():
            value = title if key == "title" else data.get(key, "").strip()
            if len(value) > limit:
                errors.append((key, f"不能超过{limit}字"))
        # NFKC folds full-width brackets and digits (［2024］７号) to what the
        # normaliser accepts; it leaves 〔〕 alone.
        number = "".join(
            unicodedata.normalize("NFKC", data.get("doc_number", "")).split()
        )
        try:
            number = normalise_document_number("" if number in NO_NUMBER else number)
        except ServiceError as exc:
            errors.append(("doc_number", exc.message))
        body = data.get("body", "")
        if data.get("body_format") != "html" and not looks_like_html(body):
            body = plain_text_to_html(body)
        return {
            "title": title,
            "summary": data.get("summary", "").strip()[:500],
            "body": sanitise_body(body),
            "document_number": number,
            "topic": data.get("topic", "").strip(),
            "genre": data.get("genre", "").strip(),
        }

    def _published(self, value: str, errors: list[tuple[str, str]]) -> datetime | None:
        if not value.strip():
            errors.append(("published_on", "请填写发布日期"))
            return None
        try:
            moment = parse_moment(value)
        except ValueError:
            errors.append(("published_on", f"“{value}”不是有效的日期"))
            return None
        if moment > self.now:
            errors.append(("published_on", "发布日期不能晚于现在"))
        return moment

    def _date(
        self, data: dict[str, str], key: str, errors: list[tuple[str, str]]
    ) -> date | None:
        value = data.get(key, "").strip()
        if not value:
            return None
        try:
            day = parse_date(value)
        except ValueError:
            errors.append((key, f"“{value}”不是有效的日期"))
            return None
        if day > timezone.localdate(self.now):
            errors.append((key, "不能晚于今天"))
            return None
        return day

    def _index_number(
        self, number: str, line: int, errors: list[tuple[str, str]]
    ) -> str:
        if number in self.seen_numbers:
            errors.append(
                ("index_number", f"“{number}”与第 {self.seen_numbers[number]} 行重复")
            )
        elif number in self.existing_numbers:
            errors.append(("index_number", f"“{number}”已被其他信息使用"))
        return number
