"""The LED channel (LED 屏): plain-text lines for the scrolling screens of schools.

Each delivery writes ``exports/led/<unit>/<date>-<索引号>.txt`` with one line
(title and date, at most ``max_chars`` characters) and rebuilds ``latest.txt``
there with the ``latest`` most recent items, newest first. Screen software on
Windows usually wants GB18030 with CRLF: ``config["encoding"] = "gb18030"``
gives both; otherwise UTF-8 with LF (``config["newline"]`` = ``"crlf"`` or
``"lf"`` overrides)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from gongkai.catalogue.channels.common import (
    file_stem,
    published_on,
    replace_file,
    unit_folder,
)
from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus
from gongkai.catalogue.outbox import DeliveryError

DEFAULT_MAX_CHARS = 60
DEFAULT_LATEST = 10
MIN_MAX_CHARS = 16  # a date (10) and a few characters of the title
ELLIPSIS = "…"


def led_line(title: str, day: date, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """``<title> <YYYY-MM-DD>`` in at most ``max_chars`` characters; a long title
    is cut with an ellipsis, the date is always kept."""
    stamp = f"{day:%Y-%m-%d}"
    title = " ".join(title.split())  # no line breaks or tabs on a one-line screen
    room = max_chars - len(stamp) - 1
    if len(title) > room:
        title = title[: room - 1].rstrip() + ELLIPSIS
    return f"{title} {stamp}"


def _int_option(config: dict[str, Any], key: str, default: int, least: int) -> int:
    try:
        value = int(config.get(key, default))
    except (TypeError, ValueError):
        value = -1
    if value < least:
        raise DeliveryError(f"LED 渠道配置“{key}”无效：应为不小于 {least} 的整数")
    return value


def _encode(lines: list[str], config: dict[str, Any]) -> bytes:
    encoding = (
        "gb18030" if str(config.get("encoding", "")).lower() == "gb18030" else "utf-8"
    )
    newline = str(config.get("newline", "crlf" if encoding == "gb18030" else "lf"))
    end = "\r\n" if newline.lower() == "crlf" else "\n"
    return "".join(line + end for line in lines).encode(encoding)


def folder(delivery: Delivery) -> str:
    return f"exports/led/{unit_folder(delivery)}"


def file_name(delivery: Delivery) -> str:
    return f"{folder(delivery)}/{file_stem(delivery)}.txt"


def latest_name(delivery: Delivery) -> str:
    return f"{folder(delivery)}/latest.txt"


def latest_lines(delivery: Delivery, count: int, max_chars: int) -> list[str]:
    """The channel's most recent public items, newest first, one line each (the
    newest revision of an item only). ``delivery`` counts as delivered."""
    rows = (
        Delivery.objects.filter(channel=delivery.channel, item__is_public=True)
        .filter(Q(status=DeliveryStatus.DELIVERED) | Q(pk=delivery.pk))
        .select_related("item", "revision")
        .order_by("-item__published_at", "-item_id", "-revision__number", "-id")
    )
    lines: list[str] = []
    seen: set[int] = set()
    for row in rows.iterator():
        if row.item_id in seen:
            continue
        seen.add(row.item_id)
        lines.append(led_line(row.revision.title, published_on(row), max_chars))
        if len(lines) == count:
            break
    return lines


def export_to_led(delivery: Delivery) -> None:
    """Sender for ``led`` channels."""
    config = delivery.channel.config
    max_chars = _int_option(config, "max_chars", DEFAULT_MAX_CHARS, MIN_MAX_CHARS)
    count = _int_option(config, "latest", DEFAULT_LATEST, 1)
    line = led_line(delivery.revision.title, published_on(delivery), max_chars)
    replace_file(file_name(delivery), _encode([line], config))
    # One rebuild of latest.txt per channel at a time: the channel row stays
    # locked until the outbox commits this delivery, so the next worker's list
    # includes it.
    list(
        Channel.objects.select_for_update()
        .filter(pk=delivery.channel_id)
        .values_list("pk", flat=True)
    )
    lines = latest_lines(delivery, count, max_chars)
    replace_file(latest_name(delivery), _encode(lines, config))
