from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.catalogue import outbox
from gongkai.catalogue.models import Channel, Delivery
from tests.catalogue.conftest import School, draft
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World

pytestmark = pytest.mark.urls("tests.channels.urls")


def test_staff_download_the_exports_of_their_own_units_only(
    world: World, school: School, client: Client
) -> None:
    Channel.objects.create(unit=world.school_a, kind="notice_board", name="公告栏")
    Channel.objects.create(
        unit=world.school_a, kind="led", name="LED", config={"encoding": "gb18030"}
    )
    publish_quickly(school, draft(school, title="开学通知"))
    assert outbox.run_outbox().delivered == 2
    sheet = Delivery.objects.get(channel__kind="notice_board")
    screen = Delivery.objects.get(channel__kind="led")
    urls = {
        "pdf": reverse("channels:noticeboard_pdf", args=[sheet.pk]),
        "line": reverse("channels:led_line", args=[screen.pk]),
        "latest": reverse("channels:led_latest", args=[screen.pk]),
    }

    assert client.get(urls["pdf"]).status_code == 302  # to the login page

    client.force_login(school.author)
    pdf = client.get(urls["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")
    latest = client.get(urls["latest"])
    assert latest["Content-Type"] == "text/plain; charset=gb18030"
    text = latest.content.decode("gb18030")
    assert text.startswith("开学通知 ")
    assert client.get(urls["line"]).status_code == 200
    wrong_kind = reverse("channels:noticeboard_pdf", args=[screen.pk])
    assert client.get(wrong_kind).status_code == 404

    client.force_login(world.school_b_author)
    assert client.get(urls["pdf"]).status_code == 404
    client.force_login(world.author)  # the bureau sees its schools
    assert client.get(urls["pdf"]).status_code == 200
