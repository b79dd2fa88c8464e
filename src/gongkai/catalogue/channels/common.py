"""What the channels share: the item's address on the portal, its publication date,
file names and writing export files through Django's default storage."""

from __future__ import annotations

import re
from datetime import date

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import Delivery, Item
from gongkai.catalogue.outbox import DeliveryError
from gongkai.catalogue.services.common import ALLOWED_TAGS

# The body as printed or posted elsewhere: structure only, no links (they lead
# nowhere on paper or inside WeChat), no images, no styles.
TEXT_TAGS = ALLOWED_TAGS - {"a"}
CELL_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
UNSAFE_IN_NAME = re.compile(r"[^0-9A-Za-z._-]+")


def portal_url(item: Item) -> str:
    """The item's page on the portal (``GONGKAI_PUBLIC_URL`` + its path)."""
    base = str(getattr(settings, "GONGKAI_PUBLIC_URL", "")).rstrip("/")
    return base + reverse("portal:item", args=[item.pk])


def published_on(delivery: Delivery) -> date:
    """The 发布日期 shown to readers: the item's first publication, in local time."""
    moment = delivery.item.published_at or delivery.created_at
    return timezone.localdate(moment)


def clean_body(html: str) -> str:
    return nh3.clean(html, tags=TEXT_TAGS, attributes=CELL_ATTRIBUTES)


def file_stem(delivery: Delivery) -> str:
    """``<date>-<索引号>``, plus ``-r<n>`` for a later revision: the same delivery
    always gets the same name, so a repeated delivery replaces its own file."""
    index = UNSAFE_IN_NAME.sub("-", delivery.item.index_number or str(delivery.item.pk))
    stem = f"{published_on(delivery):%Y-%m-%d}-{index.strip('-')}"
    number = delivery.revision.number
    return stem if number <= 1 else f"{stem}-r{number}"


def unit_folder(delivery: Delivery) -> str:
    unit = delivery.channel.unit
    return UNSAFE_IN_NAME.sub("-", unit.org_code) or str(unit.pk)


def replace_file(name: str, data: bytes) -> str:
    """Write ``name``, replacing an earlier copy (a delivery repeated after a crash
    writes the same name again; a half-written file from the crash is replaced)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # Another worker wrote the same name in between; leave no stray copy and
        # let the outbox try again.
        default_storage.delete(saved)
        raise DeliveryError(f"导出文件被同时写入，稍后重试：{name}")
    return saved
