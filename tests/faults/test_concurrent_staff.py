"""Two staff acting on the same item or application at once: one wins, the other is
told so in Chinese, and nothing is lost or done twice. Real threads with their own
database connections (SQLite file in WAL mode, or PostgreSQL), and stale forms
submitted through the console."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import psycopg
import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.applications import services as applications
from gongkai.applications.models import Application, EventKind
from gongkai.audit.models import AuditEvent
from gongkai.audit.verify import verify_chain
from gongkai.catalogue.models import Finding, FindingStatus, Item, Status
from gongkai.catalogue.services import editing, review
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import CHECKLIST, ID_NUMBER, School, draft
from tests.conftest import World, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
STALE = "该信息已被他人修改，请刷新后重试"


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released together; each result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _based_on(page: str) -> str:
    match = re.search(r'name="based_on" value="([0-9a-f]+)"', page)
    assert match is not None, "the edit form carries the version it was based on"
    return match[1]


def _form(item: Item, based_on: str, **changes: str) -> dict[str, str]:
    rev = item.draft_revision
    assert rev is not None
    return {
        "column": str(rev.column_id),
        "kind": str(rev.kind_id),
        "title": rev.title,
        "summary": rev.summary,
        "body": rev.body,
        "document_number": rev.document_number,
        "written_on": rev.written_on.isoformat() if rev.written_on else "",
        "formed_on": rev.formed_on.isoformat(),
        "topic": rev.topic,
        "genre": rev.genre,
        "interprets": "",
        "based_on": based_on,
        **changes,
    }


def test_a_stale_edit_form_is_refused_instead_of_overwriting_a_colleagues_edit(
    world: World, school: School
) -> None:
    colleague = make_user(world.school_a, "s_author2", Role.AUTHOR)
    item = draft(school)
    url = reverse("console:item_edit", args=[item.pk])
    mine, theirs = Client(), Client()
    mine.force_login(school.author)
    theirs.force_login(colleague)
    # Both open the edit form of the same draft.
    my_version = _based_on(mine.get(url).content.decode())
    their_version = _based_on(theirs.get(url).content.decode())
    assert my_version == their_version

    saved = theirs.post(url, _form(item, their_version, title="同事改过的标题"))
    assert saved.status_code == 302
    refused = mine.post(url, _form(item, my_version, title="我改的标题"))

    assert refused.status_code == 200
    assert STALE in refused.content.decode()
    item.refresh_from_db()
    assert item.draft_revision is not None
    assert item.draft_revision.title == "同事改过的标题"
    assert AuditEvent.objects.filter(action="catalogue.draft_updated").count() == 1
    # After reloading, the edit goes through on top of the colleague's.
    fresh = _based_on(mine.get(url).content.decode())
    assert mine.post(url, _form(item, fresh, title="我改的标题")).status_code == 302
    item.refresh_from_db()
    assert item.draft_revision is not None
    assert item.draft_revision.title == "我改的标题"


def test_two_authors_saving_the_same_draft_at_once_one_wins(
    world: World, school: School
) -> None:
    colleague = make_user(world.school_a, "s_author2", Role.AUTHOR)
    item = draft(school)
    version = editing.draft_version(item)

    def save(actor: User, title: str) -> Callable[[], Any]:
        return lambda: editing.update_draft(
            actor=actor,
            item=Item.objects.get(pk=item.pk),
            based_on=version,
            title=title,
        )

    results = at_once(save(school.author, "甲的标题"), save(colleague, "乙的标题"))

    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and refused[0].message == STALE
    winner = next(r for r in results if not isinstance(r, Exception))
    item.refresh_from_db()
    assert item.draft_revision is not None
    assert item.draft_revision.title == winner.title
    assert AuditEvent.objects.filter(action="catalogue.draft_updated").count() == 1


def test_a_stale_approval_does_not_approve_the_step_after_it(
    world: World, school: School
) -> None:
    """A leader who is both unit reviewer and signer has the unit-review page open;
    meanwhile the item passed unit review and 保密审查. Their click on “通过” must not
    sign it off and publish it."""
    leader = make_user(world.school_a, "s_leader", Role.UNIT_REVIEWER, Role.SIGNER)
    item = draft(school)
    review.submit(actor=school.author, item=item)
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("console:item", args=[item.pk])).content.decode()
    assert 'name="step" value="unit_review"' in page

    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    response = client.post(
        reverse("console:item_action", args=[item.pk, "approve"]),
        {"step": "unit_review", "comment": "同意"},
        follow=True,
    )

    assert STALE in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.SIGN_OFF and not item.is_public
    # The same stale page's “退回” is refused too.
    client.post(
        reverse("console:item_action", args=[item.pk, "return"]),
        {"step": "unit_review", "comment": "再看看"},
    )
    item.refresh_from_db()
    assert item.status == Status.SIGN_OFF


def test_two_signers_signing_off_at_once_publish_once(
    world: World, school: School
) -> None:
    other_signer = make_user(world.school_a, "s_signer2", Role.SIGNER)
    item = draft(school)
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )

    def sign(actor: User) -> Callable[[], Any]:
        return lambda: review.approve(
            actor=actor, item=Item.objects.get(pk=item.pk), step=Status.SIGN_OFF
        )

    results = at_once(sign(school.signer), sign(other_signer))

    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and STALE in refused[0].message
    assert sum(r is None for r in results) == 1
    item.refresh_from_db()
    assert item.is_public and item.index_number
    assert AuditEvent.objects.filter(action="catalogue.sign_off_approved").count() == 1
    assert verify_chain().ok


def test_two_reviewers_resolving_the_same_finding_one_wins(
    world: World, school: School
) -> None:
    other = make_user(world.school_a, "s_secrecy2", Role.CONFIDENTIALITY_REVIEWER)
    item = draft(school, body=f"<p>联系人身份证号{ID_NUMBER}。</p>")
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    finding = Finding.objects.get()

    def resolve(actor: User, action: str, reason: str) -> Callable[[], Any]:
        # Each reviewer acts on the finding as their page loaded it.
        stale = Finding.objects.get(pk=finding.pk)
        return lambda: review.resolve_finding(
            actor=actor, finding=stale, action=action, reason=reason
        )

    results = at_once(
        resolve(school.secrecy, "mask", ""),
        resolve(other, "false_positive", "系公开的办事电话"),
    )

    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1 and "已由他人处理" in refused[0].message
    finding.refresh_from_db()
    assert finding.status in {FindingStatus.MASKED, FindingStatus.FALSE_POSITIVE}
    assert AuditEvent.objects.filter(action="catalogue.finding_resolved").count() == 1


def _registered(world: World, officer: User) -> Application:
    return applications.register_application(
        actor=officer,
        unit=world.bureau,
        channel="registered_post",
        submitted_on=date(2025, 10, 31),
        signed_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        evidence="挂号信封扫描件",
        today=date(2025, 11, 10),
    )


def _wait_until_blocked() -> None:
    """Until the other thread waits for the lock this one holds: on PostgreSQL seen
    in pg_stat_activity (from a connection of its own: inside a transaction the view
    is a snapshot); SQLite shows nothing, so give it a moment."""
    if connection.vendor != "postgresql":
        time.sleep(0.5)
        return
    params = connection.get_connection_params()
    conninfo = {k: v for k, v in params.items() if k in {"host", "port", "user"}}
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"], autocommit=True, **conninfo
    ) as monitor:
        for _ in range(200):
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                " AND datname = current_database()"
            ).fetchone()
            if row is not None and row[0] > 0:
                return
            time.sleep(0.05)
    raise AssertionError("the second officer never waited for the lock")


def test_two_officers_extending_the_same_application_at_once_extend_it_once(
    world: World, officer: User
) -> None:
    """The “only one extension” rule is checked under the row lock: the second
    officer, who read the record before the first one's extension committed, is
    refused once the lock is theirs."""
    colleague = make_user(world.bureau, "officer2", Role.DISCLOSURE_OFFICER)
    app = _registered(world, officer)
    outcome: list[Any] = []

    def second_officer() -> None:
        try:
            applications.extend(
                actor=colleague,
                application=Application.objects.get(pk=app.pk),
                on=date(2025, 11, 21),
                workdays=10,
                approved_by="股长",
                reason="另一位工作人员同时延期",
                today=date(2025, 11, 21),
            )
            outcome.append("extended")
        except ServiceError as exc:
            outcome.append(exc.message)
        finally:
            connections.close_all()

    with transaction.atomic():
        applications.extend(
            actor=officer,
            application=app,
            on=date(2025, 11, 20),
            workdays=5,
            approved_by="股长",
            reason="需要调取档案",
            today=date(2025, 11, 21),
        )
        thread = threading.Thread(target=second_officer)
        thread.start()
        _wait_until_blocked()
    thread.join(timeout=60)

    assert outcome == ["答复期限只能延长一次（第三十三条）"]
    assert app.events.filter(kind=EventKind.EXTENDED).count() == 1
    assert verify_chain().ok


def test_a_stale_approval_through_the_api_is_refused_too(
    world: World, school: School
) -> None:
    from gongkai.accounts.tokens import create_token

    leader = make_user(world.school_a, "s_leader", Role.UNIT_REVIEWER, Role.SIGNER)
    _row, secret = create_token(actor=leader, name="审核")
    item = draft(school)
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    response = Client().post(
        f"/api/staff/items/{item.pk}/approve",
        '{"step": "unit_review", "comment": "同意"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert STALE in response.json()["error"]
    item.refresh_from_db()
    assert item.status == Status.SIGN_OFF and not item.is_public
