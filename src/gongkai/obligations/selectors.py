"""Which obligations fall on which unit, and what a user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongkai.accounts.models import Unit, UnitKind, User
from gongkai.accounts.selectors import units_visible_to
from gongkai.catalogue.models import Item, Status
from gongkai.obligations.matching import Suggestion, score
from gongkai.obligations.models import Exemption, Obligation


def ancestor_ids(unit: Unit) -> list[int]:
    """The units above ``unit``, from its materialised path ("/1/4/")."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return [i for i in ids if i != unit.pk]


def applies_to(obligation: Obligation, unit: Unit) -> bool:
    """Whether ``unit`` is a 公开主体 of ``obligation``."""
    if unit.pk == obligation.unit_id:
        return obligation.for_owner
    if any(u.pk == unit.pk for u in obligation.named_units.all()):
        return True
    return (
        obligation.for_schools
        and unit.kind == UnitKind.SCHOOL
        and obligation.unit_id in ancestor_ids(unit)
    )


def obligations_for(unit: Unit) -> QuerySet[Obligation]:
    """The obligations falling on ``unit``, from its own and its parents' catalogues."""
    condition = Q(unit=unit, for_owner=True) | Q(named_units=unit)
    if unit.kind == UnitKind.SCHOOL:
        condition |= Q(for_schools=True, unit_id__in=ancestor_ids(unit))
    ids = Obligation.objects.filter(condition).values("pk")
    return (
        Obligation.objects.filter(pk__in=ids)
        .select_related("unit")
        .prefetch_related("named_units")
        .order_by("unit__path", "number", "id")
    )


def obligations_visible_to(user: User) -> QuerySet[Obligation]:
    """Catalogues kept in the user's scope, and the obligations that fall on any
    unit in it from a catalogue above (a school sees what the bureau asks of it)."""
    if user.unit is None:
        return Obligation.objects.none()
    units = units_visible_to(user)
    condition = (
        Q(unit__in=units)
        | Q(named_units__in=units)
        | Q(for_schools=True, unit_id__in=ancestor_ids(user.unit))
    )
    ids = Obligation.objects.filter(condition).values("pk")
    return (
        Obligation.objects.filter(pk__in=ids)
        .select_related("unit")
        .prefetch_related("named_units")
        .order_by("unit__path", "number", "id")
    )


def responsible_units(obligation: Obligation, within: QuerySet[Unit]) -> list[Unit]:
    """The 公开主体 of ``obligation`` among ``within`` (active units)."""
    return [u for u in within.filter(is_active=True) if applies_to(obligation, u)]


def exemptions_of(obligation: Obligation, year: int) -> QuerySet[Exemption]:
    return Exemption.objects.filter(obligation=obligation, year=year).select_related(
        "unit", "granted_by"
    )


def unlinked_items(user: User) -> QuerySet[Item]:
    """Items in the user's scope not yet linked to any obligation (newest first)."""
    if user.unit is None:
        return Item.objects.none()
    return (
        Item.objects.filter(
            unit__path__startswith=user.unit.path,
            obligation_link__isnull=True,
            draft_revision__isnull=False,
        )
        .exclude(status=Status.WITHDRAWN)
        .select_related("unit", "draft_revision__column", "draft_revision__kind")
        .order_by("-id")
    )


def public_units(root: Unit) -> QuerySet[Unit]:
    """``root`` and the active units below it, for the portal."""
    return Unit.objects.filter(path__startswith=root.path, is_active=True)


def suggest_obligations(
    item: Item, *, limit: int = 5, candidates: list[Obligation] | None = None
) -> list[tuple[Obligation, Suggestion]]:
    """The obligations of the item's unit (or ``candidates``, when already loaded)
    that best fit its column, kind and title, best first; only those with some
    match."""
    revision = item.draft_revision or item.published_revision
    if revision is None:
        return []
    found = []
    for obligation in (
        candidates if candidates is not None else obligations_for(item.unit)
    ):
        suggestion = score(
            obligation,
            title=revision.title,
            column=revision.column.name,
            kind=revision.kind.name,
        )
        if suggestion.score > 0:
            found.append((obligation, suggestion))
    found.sort(key=lambda pair: (-pair[1].score, pair[0].number, pair[0].pk))
    return found[:limit]
