"""Publication counts per channel and year, for the annual report (e.g. the 2017
report's 26 items on the website and 169 WeChat posts). Computed from the
outbox and the items, never kept by hand."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import ChannelKind, Delivery, DeliveryStatus, Item

PORTAL = "portal"


def _deliveries(unit: Unit, consolidated: bool) -> QuerySet[Delivery]:
    if consolidated:
        return Delivery.objects.filter(channel__unit__path__startswith=unit.path)
    return Delivery.objects.filter(channel__unit=unit)


def deliveries_by_channel(
    unit: Unit, year: int, consolidated: bool = False
) -> dict[str, int]:
    """Delivered deliveries per channel kind, by the year (local time) in which
    they were delivered; every kind is present, zero if none. ``consolidated``
    adds the units below ``unit`` (a bureau and its schools)."""
    counts = dict.fromkeys(ChannelKind.values, 0)
    rows = (
        _deliveries(unit, consolidated)
        .filter(status=DeliveryStatus.DELIVERED, delivered_at__year=year)
        .values("channel__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["channel__kind"]] = row["n"]
    return counts


def portal_items(unit: Unit, year: int, consolidated: bool = False) -> int:
    """Items first published on the portal in the year (local time), including
    those withdrawn since: they were published that year."""
    items = (
        Item.objects.filter(unit__path__startswith=unit.path)
        if consolidated
        else Item.objects.filter(unit=unit)
    )
    return items.filter(index_number__isnull=False, published_at__year=year).count()


def publication_counts(
    unit: Unit, year: int, consolidated: bool = False
) -> dict[str, int]:
    """``portal`` (the website itself) and every channel kind."""
    return {
        PORTAL: portal_items(unit, year, consolidated),
        **deliveries_by_channel(unit, year, consolidated),
    }
