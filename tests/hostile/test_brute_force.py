"""Password guessing against the console login: the Nth wrong password locks the
account (per account, so rotating client addresses does not buy more guesses), the
right password is then refused with a Chinese message, and other accounts are not
affected. (The basic lockout and its lifting are in tests/console.)"""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import PASSWORD, World

LOGIN = "/console/login/"


def _attempt(password: str, address: str, username: str = "author") -> Any:
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password}
    )


def test_guesses_from_rotating_addresses_lock_the_account_at_the_limit(
    world: World, settings: Any
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        response = _attempt(f"guess-{n}-password", f"203.0.113.{n + 1}")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.content.decode()
    # One guess short of the limit, the right password still works.
    assert _attempt(PASSWORD, "198.51.100.7").status_code == 302

    for n in range(limit):
        _attempt(f"guess-{n}-password", f"203.0.113.{n + 1}")
    locked = _attempt(PASSWORD, "198.51.100.8")
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode()
    # Another account, from the same addresses, is not locked.
    assert _attempt(PASSWORD, "203.0.113.1", username="a_author").status_code == 302
