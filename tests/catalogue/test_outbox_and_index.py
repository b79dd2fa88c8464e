from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from gongkai.catalogue import outbox
from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus
from gongkai.catalogue.services.publishing import next_index_number
from tests.catalogue.conftest import School, draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World


class Receiver:
    """A webhook receiver that acts on each idempotency key once."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.acted: dict[str, dict[str, Any]] = {}
        self.fail_next = 0


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"headers": dict(self.headers), "body": body})
            if state.fail_next:
                state.fail_next -= 1
                self.send_response(503)
            else:
                state.acted.setdefault(self.headers["Idempotency-Key"], body)
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_a_webhook_gets_the_item_signed_and_once_even_if_the_worker_dies_mid_delivery(
    world: World,
    school: School,
    receiver: tuple[Receiver, str],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state, url = receiver
    settings.GONGKAI_WEBHOOK_SECRETS = {"SCHOOL": "s3cret"}
    Channel.objects.create(
        unit=world.school_a,
        kind="webhook",
        name="区平台",
        config={"url": url, "secret_env": "SCHOOL"},
    )
    item = draft(school)
    publish_quickly(school, item)
    delivery = Delivery.objects.get()

    real_send = outbox.send_webhook

    def send_then_die(d: Delivery) -> None:
        real_send(d)
        raise SystemExit("worker killed after sending, before recording")

    monkeypatch.setitem(outbox.SENDERS, "webhook", send_then_die)
    with pytest.raises(SystemExit):
        outbox.run_outbox()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    monkeypatch.setitem(outbox.SENDERS, "webhook", real_send)
    report = outbox.run_outbox()
    assert report.delivered == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(state.requests) == 2 and len(state.acted) == 1
    body = state.acted[delivery.idempotency_key]
    assert body["item"]["index_number"] == item.index_number
    import hashlib
    import hmac

    raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    expected = hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    assert state.requests[-1]["headers"]["X-Gongkai-Signature"] == f"sha256={expected}"


def test_a_failing_receiver_is_retried_with_back_off(
    world: World, school: School, receiver: tuple[Receiver, str]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    state, url = receiver
    state.fail_next = 1
    Channel.objects.create(
        unit=world.school_a, kind="webhook", name="区平台", config={"url": url}
    )
    publish_quickly(school, draft(school))
    now = timezone.now()
    assert outbox.run_outbox(now).retried == 1
    delivery = Delivery.objects.get()
    assert (
        delivery.next_attempt_at == now + timedelta(seconds=30)
        and "503" in delivery.last_error
    )
    assert outbox.run_outbox(now).retried == 0
    assert outbox.run_outbox(now + timedelta(seconds=31)).delivered == 1


def test_the_portal_lists_published_items_in_columns_and_feeds(
    world: World, client: Client
) -> None:
    bureau = staff_for(world.bureau, "bureau")
    item = draft(bureau, title="关于2026年义务教育招生工作的通知")
    publish_quickly(bureau, item)
    hidden = draft(bureau, title="尚在起草的信息")
    for url in (reverse("portal:home"), reverse("portal:column", args=["xwgk"])):
        page = client.get(url).content.decode()
        assert (
            "关于2026年义务教育招生工作的通知" in page and "尚在起草的信息" not in page
        )
    rss = client.get(reverse("portal:rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert (
        "关于2026年义务教育招生工作的通知" in rss.content.decode()
        and item.index_number in rss.content.decode()
    )
    atom = client.get(reverse("portal:column_atom", args=["xwgk"])).content.decode()
    assert "<feed" in atom and "关于2026年义务教育招生工作的通知" in atom
    assert client.get(reverse("portal:item", args=[hidden.pk])).status_code == 404
    assert (
        client.get(
            reverse("portal:column", args=["xwgk"]), {"page": "999999999999"}
        ).status_code
        == 200
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_publishers_get_distinct_index_numbers(world: World) -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in {
        ":memory:",
        "",
    }:
        pytest.skip("needs a database file shared between threads")
    numbers: list[str] = []
    errors: list[Exception] = []

    def publisher() -> None:
        try:
            for _ in range(10):
                numbers.append(next_index_number(world.school_a, 2026))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publisher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert max(numbers) == f"{world.school_a.org_code}/2026-00040"


def test_a_schools_items_are_in_the_site_feed_and_in_the_schools_own_feed(
    world: World, school: School, client: Client
) -> None:
    item = draft(school, title="学校运动会通知")
    publish_quickly(school, item)
    assert "学校运动会通知" in client.get(reverse("portal:rss")).content.decode()
    own = client.get(
        reverse("portal:unit_atom", args=[world.school_a.org_code])
    ).content.decode()
    assert "学校运动会通知" in own
    other = client.get(
        reverse("portal:unit_rss", args=[world.school_b.org_code])
    ).content.decode()
    assert "学校运动会通知" not in other
    assert (
        client.get(reverse("portal:unit_rss", args=["NOSUCHCODE"])).status_code == 404
    )
