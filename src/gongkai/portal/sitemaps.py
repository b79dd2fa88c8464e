"""sitemap.xml: the portal's fixed pages, columns and every public item (an index
of 50,000-URL pages, so a million items stays within the protocol's limits)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.models import Column, Item
from gongkai.catalogue.selectors import public_columns


class FixedPages(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["portal:home", "portal:guide", "portal:catalogue", "portal:apply"]

    def location(self, item: str) -> str:
        return reverse(item)


class Columns(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"

    def items(self) -> Any:
        unit = site_unit()
        return list(public_columns(unit)) if unit else []

    def location(self, item: Column) -> str:
        return reverse("portal:column", args=[item.slug])


class Items(Sitemap):  # type: ignore[type-arg]
    limit = 50_000

    def items(self) -> QuerySet[Item]:
        return (
            Item.objects.filter(is_public=True)
            .only("pk", "published_at")
            .order_by("pk")
        )

    def location(self, item: Item) -> str:
        return reverse("portal:item", args=[item.pk])

    def lastmod(self, item: Item) -> datetime | None:
        return item.published_at


SITEMAPS = {"pages": FixedPages, "columns": Columns, "items": Items}
