"""Handing the outbox to the task worker when a publication commits
(``GONGKAI_DELIVER_ON_COMMIT``, on by default only with a queue backend)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus, Item, Status
from gongkai.catalogue.services import review
from tests.catalogue.conftest import CHECKLIST, School, draft
from tests.catalogue.test_outbox_and_index import Receiver, receiver  # noqa: F401
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def webhook(world: World, receiver: tuple[Receiver, str]) -> Receiver:  # noqa: F811
    state, url = receiver
    Channel.objects.create(
        unit=world.school_a, kind="webhook", name="区平台", config={"url": url}
    )
    return state


def test_with_the_immediate_backend_a_publication_leaves_its_deliveries_to_the_outbox(
    school: School,
    webhook: Receiver,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(school, draft(school))
    assert webhook.requests == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_with_deliver_on_commit_the_webhook_gets_the_item_when_the_publication_commits(
    school: School,
    webhook: Receiver,
    settings: Any,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.GONGKAI_DELIVER_ON_COMMIT = True
    item = draft(school)
    with django_capture_on_commit_callbacks() as callbacks:
        publish_quickly(school, item)
    # Nothing is sent inside the publishing transaction ...
    assert webhook.requests == []
    for callback in callbacks:
        callback()
    # ... and at its commit the outbox task delivers without `gongkai outbox`.
    item.refresh_from_db()
    assert [r["body"]["item"]["index_number"] for r in webhook.requests] == [
        item.index_number
    ]
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED


def test_an_item_without_channels_enqueues_nothing(
    school: School,
    settings: Any,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": [settings.GONGKAI_TASK_QUEUE],
        }
    }
    settings.GONGKAI_DELIVER_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        publish_quickly(school, draft(school))
    assert default_task_backend.results == []  # type: ignore[attr-defined]


def test_a_scheduled_publication_enqueues_the_outbox_task_for_its_time(
    school: School,
    webhook: Receiver,
    settings: Any,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    # Django's dummy backend keeps what was enqueued and can defer, like RQ.
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": [settings.GONGKAI_TASK_QUEUE],
        }
    }
    settings.GONGKAI_DELIVER_ON_COMMIT = True
    item = draft(school)
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    at = (timezone.now() + timedelta(hours=2)).replace(microsecond=250_000)
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(actor=school.signer, item=item, publish_at=at)
    assert Item.objects.get(pk=item.pk).status == Status.SCHEDULED
    [enqueued] = default_task_backend.results  # type: ignore[attr-defined]
    assert enqueued.task.name == "deliver_and_publish"
    # Not before the item's time, in the whole seconds a queue like RQ keeps.
    assert enqueued.task.run_after == at.replace(microsecond=0) + timedelta(seconds=1)
    assert enqueued.task.queue_name == settings.GONGKAI_TASK_QUEUE


def test_an_unreachable_queue_does_not_undo_the_publication(
    school: School,
    webhook: Receiver,
    settings: Any,
    django_capture_on_commit_callbacks: OnCommit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The RQ backend against a port where no Redis listens.
    settings.RQ_QUEUES = {settings.GONGKAI_TASK_QUEUE: {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_rq.RQBackend",
            "QUEUES": [settings.GONGKAI_TASK_QUEUE],
        }
    }
    settings.GONGKAI_DELIVER_ON_COMMIT = True
    item = draft(school)
    with (
        caplog.at_level(logging.ERROR, "gongkai.catalogue.services.publishing"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish_quickly(school, item)
    item.refresh_from_db()
    assert item.is_public and item.status == Status.PUBLISHED
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert "could not enqueue the outbox task" in caplog.text
