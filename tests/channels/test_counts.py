from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from gongkai.catalogue.channels.counts import (
    deliveries_by_channel,
    publication_counts,
)
from gongkai.catalogue.models import (
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Item,
    Status,
)
from tests.catalogue.conftest import School, draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World

BEIJING = ZoneInfo("Asia/Shanghai")


def published(school: School) -> Item:
    item = draft(school)
    publish_quickly(school, item)
    item.refresh_from_db()
    return item


def deliver_at(delivery: Delivery, moment: datetime) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.DELIVERED, delivered_at=moment
    )


def test_deliveries_count_per_channel_kind_in_the_local_year_they_were_delivered(
    world: World, school: School
) -> None:
    for kind in (ChannelKind.WECHAT, ChannelKind.LED, ChannelKind.WEBHOOK):
        Channel.objects.create(unit=world.school_a, kind=kind, name=str(kind.label))
    published(school)
    wechat, led, webhook = (
        Delivery.objects.get(channel__kind=k)
        for k in (ChannelKind.WECHAT, ChannelKind.LED, ChannelKind.WEBHOOK)
    )
    # 23:30 on New Year's Eve in Beijing is still 2025; 00:30 is 2026 there
    # although it is 2025 in UTC.
    deliver_at(wechat, datetime(2025, 12, 31, 23, 30, tzinfo=BEIJING))
    deliver_at(led, datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING))
    Delivery.objects.filter(pk=webhook.pk).update(status=DeliveryStatus.FAILED)

    assert deliveries_by_channel(world.school_a, 2025) == {
        "feed": 0,
        "webhook": 0,
        "wechat": 1,
        "notice_board": 0,
        "led": 0,
    }
    assert deliveries_by_channel(world.school_a, 2026)["led"] == 1
    assert sum(deliveries_by_channel(world.school_a, 2026).values()) == 1


def test_a_consolidated_count_adds_the_schools_below_the_unit(world: World) -> None:
    bureau, school = staff_for(world.bureau, "bureau"), staff_for(world.school_a, "s")
    for unit in (world.bureau, world.school_a):
        Channel.objects.create(unit=unit, kind=ChannelKind.WECHAT, name="公众号")
    published(bureau)
    published(school)
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)
    for delivery in Delivery.objects.all():
        deliver_at(delivery, moment)

    assert deliveries_by_channel(world.bureau, 2026)["wechat"] == 1
    assert deliveries_by_channel(world.bureau, 2026, consolidated=True)["wechat"] == 2
    assert deliveries_by_channel(world.school_b, 2026, consolidated=True)["wechat"] == 0
    assert publication_counts(world.bureau, timezone.localdate().year)["portal"] == 1
    assert (
        publication_counts(world.bureau, timezone.localdate().year, True)["portal"] == 2
    )


def test_the_seed_year_counts_26_items_on_the_website_and_169_wechat_posts(
    world: World,
) -> None:
    """The 2017 report of 湘桥区教育局: 26 items on the website, 169 WeChat posts."""
    bureau = staff_for(world.bureau, "bureau")
    channel = Channel.objects.create(
        unit=world.bureau, kind=ChannelKind.WECHAT, name="教育局公众号"
    )
    template = published(bureau)
    assert template.published_revision is not None
    day = datetime(2017, 6, 1, 10, 0, tzinfo=BEIJING)
    Item.objects.bulk_create(
        Item(
            unit=world.bureau,
            status=Status.PUBLISHED,
            index_number=f"000014349/2017-{n:05d}",
            published_at=day,
            imported=True,
        )
        for n in range(1, 27)
    )
    Delivery.objects.bulk_create(
        Delivery(
            item=template,
            revision=template.published_revision,
            channel=channel,
            idempotency_key=f"import-2017-wechat-{n}",
            status=DeliveryStatus.DELIVERED,
            next_attempt_at=day,
            delivered_at=day,
        )
        for n in range(169)
    )

    counts = publication_counts(world.bureau, 2017)
    assert counts["portal"] == 26 and counts["wechat"] == 169
    assert sum(counts.values()) == 26 + 169
