"""Console downloads of the channel exports: a delivery's notice-board PDF or LED
line, and a LED channel's rolling ``latest.txt``. Staff see the exports of the
units in their scope only."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from gongkai.accounts.models import User
from gongkai.catalogue.channels import led, noticeboard
from gongkai.catalogue.models import ChannelKind, Delivery, DeliveryStatus
from gongkai.console.views.common import scoped_unit_or_404, staff_view


def _delivery(request: HttpRequest, pk: int, kind: str) -> Delivery:
    delivery = get_object_or_404(
        Delivery.objects.select_related("item", "revision", "channel__unit"),
        pk=pk,
        channel__kind=kind,
        status=DeliveryStatus.DELIVERED,
    )
    user: User = request.user  # type: ignore[assignment]
    scoped_unit_or_404(user, delivery.channel.unit, request)
    return delivery


def _download(name: str, content_type: str) -> HttpResponse:
    # The exports are small (a few pages, a few lines): read whole.
    if not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as fh:
        response = HttpResponse(fh.read(), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _text_type(delivery: Delivery) -> str:
    encoding = str(delivery.channel.config.get("encoding", "")).lower()
    return f"text/plain; charset={'gb18030' if encoding == 'gb18030' else 'utf-8'}"


@staff_view()
def noticeboard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk, ChannelKind.NOTICE_BOARD)
    return _download(noticeboard.file_name(delivery), "application/pdf")


@staff_view()
def led_line(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = _delivery(request, pk, ChannelKind.LED)
    return _download(led.file_name(delivery), _text_type(delivery))


@staff_view()
def led_latest(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest.txt of the LED channel that delivered ``pk``."""
    delivery = _delivery(request, pk, ChannelKind.LED)
    return _download(led.latest_name(delivery), _text_type(delivery))
