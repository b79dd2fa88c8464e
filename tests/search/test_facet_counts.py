"""The 公开目录's counts are kept as rows per facet combination: after every
kind of change they must equal counting the documents themselves."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse

from gongkai.catalogue.models import Item, Kind
from gongkai.catalogue.services import editing, publishing
from gongkai.catalogue.services.columns import create_column
from gongkai.search.models import FacetCount, SearchDocument
from gongkai.search.services import index_items, rebuild_index
from tests.catalogue.conftest import School
from tests.catalogue.test_workflow import publish_quickly
from tests.search.conftest import publish
from tests.search.test_bounded_ranking import make_items

FIELDS = ("unit_id", "column_id", "kind_id", "topic", "genre", "year")


def kept() -> dict[tuple[object, ...], int]:
    rows = FacetCount.objects.filter(documents__gt=0).values_list(*FIELDS, "documents")
    return {tuple(row[:-1]): row[-1] for row in rows}


def counted() -> dict[tuple[object, ...], int]:
    rows = SearchDocument.objects.values_list(*FIELDS).annotate(n=Count("pk"))
    return {tuple(row[:-1]): row[-1] for row in rows}


class Rollback(Exception):
    pass


def test_counts_follow_publication_republication_withdrawal_and_rebuild(
    school: School,
) -> None:
    make_items(school, 30, 7)
    assert kept() == counted() and sum(kept().values()) == 30
    item = publish(school, "招生方案", topic="教育", genre="通知")
    guide = Kind.objects.get(slug="guide")
    other = create_column(actor=None, unit=school.column.unit, name="其他", slug="qt")
    editing.update_draft(
        actor=school.author, item=item, column=other, kind=guide, topic="体育"
    )
    publish_quickly(school, item)
    assert kept() == counted()
    with pytest.raises(Rollback), transaction.atomic():
        publishing.withdraw(actor=school.signer, item=item, reason="有误")
        assert kept() == counted()
        raise Rollback
    assert kept() == counted()  # rolled back with the documents
    publishing.withdraw(actor=school.signer, item=item, reason="有误")
    assert kept() == counted() and sum(kept().values()) == 30
    some = list(Item.objects.order_by("pk").values_list("pk", flat=True)[:10])
    index_items(some)  # rewritten in place: nothing changes
    assert kept() == counted()
    FacetCount.objects.update(documents=99)  # whatever happened, rebuild repairs
    rebuild_index()
    assert kept() == counted()


def test_the_catalogue_shows_the_kept_counts(school: School, client: Client) -> None:
    make_items(school, 25, 8)
    page = client.get(reverse("portal:catalogue")).content.decode()
    total = FacetCount.objects.aggregate(n=Sum("documents"))["n"]
    assert total == 25 and "共 25 条" in page
    year, n = SearchDocument.objects.values_list("year").annotate(
        n=Count("pk")
    ).order_by("-n", "year").first() or (0, 0)
    filtered = client.get(reverse("portal:catalogue"), {"year": year})
    assert f"共 {n} 条" in filtered.content.decode()
