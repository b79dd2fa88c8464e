"""Search parameters from a query string, length-limited and validated.

The HTML page is lenient: a value it cannot use is dropped or clamped and the
page says so. The API is strict: the same value is a 400 with the reason. Facet
values are checked against what exists (unit, column, kind) or what is possible
(year, validity), so an unknown one never reaches a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column, Kind, Validity
from gongkai.search.tokens import clean, query_terms

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
MAX_PAGE = 10_000
PAGE_SIZE = 20
PAGE_MAX_SIZE = 50
API_PAGE_MAX_SIZE = 1000
SORTS = {"relevance": "相关度", "date": "发布时间"}
FIRST_YEAR = 1949
# Raw input longer than this is not even cleaned; it is cut (page) or refused (API).
RAW_QUERY_LIMIT = 10 * MAX_QUERY_CHARS


class InvalidSearch(Exception):
    """A parameter the API refuses, with the reason in Chinese."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    unit: int | None = None
    column: int | None = None
    kind: str | None = None
    year: int | None = None
    validity: str | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    terms: tuple[str, ...] = field(default=(), compare=False)

    @property
    def filtered(self) -> bool:
        return any(
            v is not None
            for v in (self.unit, self.column, self.kind, self.year, self.validity)
        )

    @property
    def has_criteria(self) -> bool:
        return bool(self.terms) or self.filtered


class _Reader:
    def __init__(self, data: Mapping[str, Any], strict: bool) -> None:
        self.data = data
        self.strict = strict
        self.messages: list[str] = []

    def raw(self, name: str) -> str:
        value = self.data.get(name)
        return "" if value is None else str(value).strip()

    def refuse(self, name: str, message: str, page_message: str) -> None:
        if self.strict:
            raise InvalidSearch(name, message)
        self.messages.append(page_message)

    def integer(self, name: str, label: str) -> int | None:
        raw = self.raw(name)
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
            self.refuse(name, f"{name} 应为正整数", f"{label}无效，已忽略。")
            return None
        return int(raw)

    def query(self) -> tuple[str, tuple[str, ...]]:
        raw = self.raw("q")
        if len(raw) > RAW_QUERY_LIMIT:
            if self.strict:
                raise InvalidSearch("q", f"检索词不能超过{MAX_QUERY_CHARS}个字")
            raw = raw[:RAW_QUERY_LIMIT]
        q = clean(raw)
        if len(q) > MAX_QUERY_CHARS:
            self.refuse(
                "q",
                f"检索词不能超过{MAX_QUERY_CHARS}个字",
                f"检索词过长，只按前{MAX_QUERY_CHARS}个字检索。",
            )
            q = q[:MAX_QUERY_CHARS]
        terms = query_terms(q)
        if len(terms) > MAX_TERMS:
            self.refuse(
                "q",
                f"检索词最多{MAX_TERMS}个（以空格分隔）",
                f"检索词最多{MAX_TERMS}个，只按前{MAX_TERMS}个检索。",
            )
            terms = terms[:MAX_TERMS]
        return q, tuple(terms)

    def unit(self) -> int | None:
        pk = self.integer("unit", "发布机构")
        if pk is not None and not Unit.objects.filter(pk=pk).exists():
            self.refuse("unit", "没有该发布机构", "没有该发布机构，已忽略此条件。")
            return None
        return pk

    def column(self) -> int | None:
        pk = self.integer("column", "栏目")
        if pk is not None and not Column.objects.filter(pk=pk).exists():
            self.refuse("column", "没有该栏目", "没有该栏目，已忽略此条件。")
            return None
        return pk

    def kind(self) -> str | None:
        slug = self.raw("kind")
        if not slug:
            return None
        if len(slug) > 40 or not Kind.objects.filter(slug=slug).exists():
            self.refuse("kind", "没有该信息类别", "没有该信息类别，已忽略此条件。")
            return None
        return slug

    def year(self) -> int | None:
        year = self.integer("year", "年份")
        last = timezone.localdate().year + 1
        if year is not None and not FIRST_YEAR <= year <= last:
            self.refuse(
                "year",
                f"年份应在 {FIRST_YEAR} 至 {last} 之间",
                "年份超出范围，已忽略此条件。",
            )
            return None
        return year

    def validity(self) -> str | None:
        value = self.raw("validity")
        if not value:
            return None
        if value not in Validity.values:
            self.refuse(
                "validity",
                f"有效性应为 {'、'.join(Validity.values)} 之一",
                "有效性条件无效，已忽略。",
            )
            return None
        return value

    def sort(self) -> str:
        value = self.raw("sort") or "relevance"
        if value not in SORTS:
            self.refuse(
                "sort", "sort 应为 relevance 或 date", "排序方式无效，已按相关度排序。"
            )
            return "relevance"
        return value

    def page(self) -> int:
        raw = self.raw("page")
        if not raw:
            return 1
        if raw.isascii() and raw.isdigit():
            number = int(raw) if len(raw) <= 9 else MAX_PAGE + 1
            if 1 <= number <= MAX_PAGE:
                return number
        self.refuse(
            "page",
            f"page 应为 1 至 {MAX_PAGE} 之间的整数",
            "页码无效，已显示第 1 页。",
        )
        return 1

    def page_size(self, default: int, maximum: int) -> int:
        size = self.integer("page_size", "每页条数")
        if size is None:
            return default
        if not 1 <= size <= maximum:
            self.refuse(
                "page_size",
                f"page_size 应为 1 至 {maximum} 之间的整数",
                f"每页条数应为 1 至 {maximum}，已按 {default} 条显示。",
            )
            return default
        return size


def parse_params(
    data: Mapping[str, Any], *, strict: bool, max_page_size: int = PAGE_MAX_SIZE
) -> tuple[SearchParams, list[str]]:
    """Parameters and the messages explaining what was dropped (lenient mode).
    In strict mode the first unusable parameter raises ``InvalidSearch``."""
    reader = _Reader(data, strict)
    q, terms = reader.query()
    params = SearchParams(
        q=q,
        terms=terms,
        unit=reader.unit(),
        column=reader.column(),
        kind=reader.kind(),
        year=reader.year(),
        validity=reader.validity(),
        sort=reader.sort(),
        page=reader.page(),
        page_size=reader.page_size(PAGE_SIZE, max_page_size),
    )
    return params, reader.messages
