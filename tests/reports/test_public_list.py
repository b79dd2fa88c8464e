"""The portal lists the published annual reports."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from gongkai.catalogue.models import Kind
from gongkai.catalogue.services.columns import create_column
from gongkai.reports.historical import import_published_item
from tests.conftest import World


def test_published_annual_reports_are_listed_on_the_portal(world: World) -> None:
    column = create_column(actor=None, unit=world.bureau, name="年度报告", slug="ndbg")
    import_published_item(
        actor=None,
        unit=world.bureau,
        external_id="ndbg-2024",
        column=column,
        kind=Kind.objects.get(slug="annual-report"),
        title="测试区教育局2024年度政府信息公开工作年度报告",
        published_on=date(2025, 1, 20),
    )
    import_published_item(
        actor=None,
        unit=world.bureau,
        external_id="news-1",
        column=column,
        kind=Kind.objects.get(slug="news"),
        title="一条动态",
        published_on=date(2025, 1, 21),
    )
    page = Client().get(reverse("portal:annual_reports"), {"page": "x"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "2024年度政府信息公开工作年度报告" in text and "一条动态" not in text


def test_the_list_is_empty_but_answers_when_nothing_is_published(world: World) -> None:
    page = Client().get(reverse("portal:annual_reports"))
    assert page.status_code == 200 and "暂无已发布的年度报告" in page.content.decode()
