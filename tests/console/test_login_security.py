from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

LOGIN = "/console/login/"


def last_action() -> str:
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    return event.action


def test_a_correct_login_opens_the_console_and_is_audited(
    world: World, client: Client
) -> None:
    response = client.post(
        LOGIN, {"username": "author", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("console:inbox")
    assert "待办事项" in response.content.decode()
    assert last_action() == "auth.login"


def test_a_wrong_password_gets_a_chinese_message_and_is_audited(
    world: World, client: Client
) -> None:
    response = client.post(
        LOGIN, {"username": "author", "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert event.action == "auth.login_failed"
    assert event.unit == world.bureau
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    world: World, client: Client, settings: object
) -> None:
    for _ in range(5):
        client.post(LOGIN, {"username": "author", "password": "wrong-password-1"})
    response = client.post(LOGIN, {"username": "author", "password": PASSWORD})
    assert response.status_code == 429
    assert "已被暂时锁定" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="auth.locked_out", actor_label="author"
    ).exists()
    assert "_auth_user_id" not in client.session


def test_the_security_administrator_lifts_a_lockout(
    world: World, client: Client
) -> None:
    for _ in range(5):
        client.post(LOGIN, {"username": "author", "password": "wrong-password-1"})
    admin = Client()
    admin.force_login(world.secadmin)
    page = admin.get(reverse("console:security"))
    assert "author" in page.content.decode()
    admin.post(reverse("console:user_action", args=[world.author.pk, "unlock"]))
    assert last_action() == "accounts.user_unlocked"
    response = client.post(LOGIN, {"username": "author", "password": PASSWORD})
    assert response.status_code == 302


def test_a_session_expires_after_thirty_minutes_without_activity(
    world: World, client: Client
) -> None:
    client.post(LOGIN, {"username": "author", "password": PASSWORD})
    assert client.get(reverse("console:inbox")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("console:inbox")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        response = client.get(reverse("console:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_forged_csrf_token_is_refused_in_chinese_and_audited(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    response = client.post(
        LOGIN,
        {
            "username": "author",
            "password": PASSWORD,
            "csrfmiddlewaretoken": "forged" * 8,
        },
    )
    assert response.status_code == 403
    assert "请求已被拒绝" in response.content.decode()
    assert last_action() == "security.csrf_rejected"
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(world: World, client: Client) -> None:
    client.force_login(world.author)
    assert client.get(reverse("console:logout")).status_code == 405
    client.post(reverse("console:logout"))
    assert client.get(reverse("console:inbox")).status_code == 302


@pytest.mark.parametrize(
    "url_name", ["console:audit", "console:security", "console:users"]
)
def test_staff_without_the_role_get_403_and_the_attempt_is_audited(
    world: World, client: Client, url_name: str
) -> None:
    client.force_login(world.author)
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert last_action() == "security.permission_denied"
