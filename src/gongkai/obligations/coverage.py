"""Coverage (落实情况): for each unit and obligation of a year, whether it was met
on time, late, is due soon, overdue, not yet due, without information or not
applicable. The rules are in ``gongkai.law.obligations``; this module loads the
facts in a few queries and applies them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.accounts.models import Unit, User
from gongkai.accounts.selectors import units_visible_to
from gongkai.catalogue.models import Item, Status
from gongkai.law import obligations as rules
from gongkai.law.obligations import Coverage, CoverageStatus, ItemFact, Period
from gongkai.law.workcalendar import WorkCalendar
from gongkai.obligations.models import Exemption, Mode, Obligation, ObligationLink
from gongkai.obligations.selectors import (
    applies_to,
    obligations_for,
    obligations_visible_to,
)

ON_REQUEST_NOTE = "依申请公开事项，不计主动公开时限"


@dataclass
class Cell:
    obligation: Obligation
    unit: Unit
    coverage: Coverage
    periods: list[tuple[Period, Coverage]]
    items: list[Item] = field(default_factory=list)

    @property
    def status(self) -> CoverageStatus:
        return self.coverage.status


@dataclass
class Row:
    obligation: Obligation
    cells: list[Cell]


@dataclass
class Matrix:
    year: int
    today: date
    units: list[Unit]
    rows: list[Row]

    def cells(self) -> list[Cell]:
        return [c for r in self.rows for c in r.cells]

    def counts(self) -> dict[CoverageStatus, int]:
        found = Counter(c.status for c in self.cells())
        return {s: found.get(s, 0) for s in CoverageStatus}

    def figures(self) -> rules.CoverageFigures:
        return rules.coverage_figures(c.status for c in self.cells())


def item_fact(item: Item) -> ItemFact | None:
    """The dates coverage needs; None for a withdrawn item (it fulfils nothing)."""
    if item.status == Status.WITHDRAWN:
        return None
    if item.is_public and item.published_revision is not None:
        assert item.published_at is not None
        return ItemFact(
            item.published_revision.formed_on, timezone.localdate(item.published_at)
        )
    if item.draft_revision is None:
        return None
    return ItemFact(item.draft_revision.formed_on, None)


def build_matrix(
    *,
    units: Sequence[Unit],
    obligations: Sequence[Obligation],
    year: int,
    today: date,
    calendar: WorkCalendar,
    public_only: bool = False,
) -> Matrix:
    """The matrix of ``obligations`` × ``units`` for ``year``. ``public_only`` counts
    only published items (what the portal may show)."""
    links = ObligationLink.objects.filter(
        obligation__in=obligations, year=year, item__unit__in=units
    ).select_related("item__unit", "item__published_revision", "item__draft_revision")
    if public_only:
        links = links.filter(item__is_public=True)
    grouped: dict[tuple[int, int, str], list[Item]] = defaultdict(list)
    for link in links.order_by("item__published_at", "item_id"):
        grouped[(link.obligation_id, link.item.unit_id, link.period)].append(link.item)
    exempt = {
        (e.obligation_id, e.unit_id): e.reason
        for e in Exemption.objects.filter(
            obligation__in=obligations, unit__in=units, year=year
        )
    }
    rows = []
    for obligation in obligations:
        rule = rules.parse_time_rule(obligation.time_rule)
        cells = []
        for unit in units:
            applicable = applies_to(obligation, unit)
            reason = exempt.get((obligation.pk, unit.pk), "")
            if applicable and obligation.mode == Mode.ON_REQUEST:
                reason = reason or ON_REQUEST_NOTE
            periods, items = [], []
            for period in rules.periods_in_year(rule, year):
                found = grouped.get((obligation.pk, unit.pk, period.key), [])
                facts = [f for f in map(item_fact, found) if f is not None]
                items += [i for i in found if item_fact(i) is not None]
                periods.append(
                    (
                        period,
                        rules.assess_period(
                            rule,
                            period,
                            facts,
                            today=today,
                            calendar=calendar,
                            applicable=applicable,
                            exemption=reason,
                            effective_from=obligation.effective_from,
                        ),
                    )
                )
            coverage = rules.combine([c for _p, c in periods])
            cells.append(Cell(obligation, unit, coverage, periods, items))
        rows.append(Row(obligation, cells))
    return Matrix(year, today, list(units), rows)


def staff_matrix(
    user: User, *, year: int, today: date, calendar: WorkCalendar
) -> Matrix:
    """Units × obligations in the user's scope (the bureau sees its schools)."""
    units = list(units_visible_to(user).filter(is_active=True).order_by("path"))
    return build_matrix(
        units=units,
        obligations=list(obligations_visible_to(user)),
        year=year,
        today=today,
        calendar=calendar,
    )


def unit_matrix(
    unit: Unit,
    *,
    year: int,
    today: date,
    calendar: WorkCalendar,
    public_only: bool = False,
    obligations: QuerySet[Obligation] | None = None,
) -> Matrix:
    """One unit's obligations (its 标准目录 page)."""
    chosen = obligations if obligations is not None else obligations_for(unit)
    return build_matrix(
        units=[unit],
        obligations=list(chosen),
        year=year,
        today=today,
        calendar=calendar,
        public_only=public_only,
    )


def coverage_figures(
    unit: Unit,
    *,
    year: int,
    today: date,
    calendar: WorkCalendar,
    consolidated: bool = False,
) -> rules.CoverageFigures:
    """Figures for the annual report: the unit's own obligations, or with
    ``consolidated`` those of every unit below it too."""
    units = (
        list(Unit.objects.filter(path__startswith=unit.path, is_active=True))
        if consolidated
        else [unit]
    )
    ids = {o.pk for u in units for o in obligations_for(u)}
    chosen = (
        Obligation.objects.filter(pk__in=ids)
        .select_related("unit")
        .prefetch_related("named_units")
    )
    matrix = build_matrix(
        units=units,
        obligations=list(chosen),
        year=year,
        today=today,
        calendar=calendar,
    )
    return matrix.figures()


def coverage_narrative(
    unit: Unit, *, year: int, today: date, calendar: WorkCalendar
) -> str:
    """The sentence the annual report quotes (按时 / 逾期 / 未公开)."""
    figures = coverage_figures(unit, year=year, today=today, calendar=calendar)
    return rules.coverage_narrative(unit.name, year, figures)
