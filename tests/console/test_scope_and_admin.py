from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.audit.models import AuditEvent
from tests.conftest import World, make_user


def test_a_school_user_opening_another_schools_unit_gets_404_and_an_audit_event(
    world: World, client: Client
) -> None:
    client.force_login(world.school_a_author)
    assert (
        client.get(reverse("console:unit", args=[world.school_a.pk])).status_code == 200
    )
    response = client.get(reverse("console:unit", args=[world.school_b.pk]))
    assert response.status_code == 404
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert event.action == "security.out_of_scope"
    assert event.data == {"target_unit": world.school_b.pk}


def test_the_bureau_sees_its_schools_in_the_unit_list(
    world: World, client: Client
) -> None:
    client.force_login(world.author)
    page = client.get(reverse("console:units")).content.decode()
    assert "测试第一小学" in page and "测试第二小学" in page
    client.force_login(world.school_a_author)
    page = client.get(reverse("console:units")).content.decode()
    assert "测试第一小学" in page and "测试第二小学" not in page


def test_a_school_security_administrator_cannot_touch_another_schools_user(
    world: World, client: Client
) -> None:
    school_sec = make_user(world.school_a, "a_sec", Role.SECURITY_ADMIN)
    client.force_login(school_sec)
    url = reverse("console:user_action", args=[world.school_b_author.pk, "grant"])
    response = client.post(url, {"role": Role.SIGNER})
    assert response.status_code == 404
    assert not world.school_b_author.roles.filter(role=Role.SIGNER).exists()


def test_the_system_administrator_creates_a_unit_and_a_user_in_the_console(
    world: World, client: Client
) -> None:
    client.force_login(world.sysadmin)
    response = client.post(
        reverse("console:unit_create", args=[world.bureau.pk]),
        {
            "name": "测试中学",
            "short_name": "中学",
            "org_code": "100000003",
            "kind": "school",
        },
    )
    unit = Unit.objects.get(org_code="100000003")
    assert response.status_code == 302
    assert unit.parent == world.bureau
    response = client.post(
        reverse("console:user_create"),
        {
            "username": "newbie",
            "full_name": "新人",
            "unit": unit.pk,
            "password": "Newbie-pass-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newbie").unit == unit


def test_a_bad_unit_form_shows_chinese_errors_and_saves_nothing(
    world: World, client: Client
) -> None:
    client.force_login(world.sysadmin)
    count = Unit.objects.count()
    response = client.post(
        reverse("console:unit_create", args=[world.bureau.pk]),
        {
            "name": "测试中学",
            "short_name": "中学",
            "org_code": "bad code",
            "kind": "school",
            "postcode": "12",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "组织机构代码应为8至18位数字或大写字母" in body
    assert "邮政编码应为6位数字" in body
    assert Unit.objects.count() == count


def test_the_security_administrator_grants_a_role_in_the_console(
    world: World, client: Client
) -> None:
    client.force_login(world.secadmin)
    client.post(
        reverse("console:user_action", args=[world.author.pk, "grant"]),
        {"role": Role.SIGNER},
    )
    assert world.author.roles.filter(role=Role.SIGNER).exists()
    response = client.post(
        reverse("console:user_action", args=[world.author.pk, "grant"]),
        {"role": Role.AUDIT_ADMIN},
        follow=True,
    )
    assert "三员分立" in response.content.decode()


def test_an_unknown_user_action_is_404(world: World, client: Client) -> None:
    client.force_login(world.secadmin)
    response = client.post(
        reverse("console:user_action", args=[world.author.pk, "promote"])
    )
    assert response.status_code == 404


def test_the_audit_administrator_filters_the_trail_and_verifies_the_chain(
    world: World, client: Client
) -> None:
    client.force_login(world.auditor)
    page = client.get(
        reverse("console:audit"), {"action": "accounts.role_granted"}
    ).content.decode()
    assert "accounts.role_granted" in page
    assert "accounts.unit_created" not in page
    page = client.get(reverse("console:audit"), {"verify": "1"}).content.decode()
    assert "审计链完整" in page


def test_the_audit_log_cannot_be_changed_through_the_console(
    world: World, client: Client
) -> None:
    client.force_login(world.auditor)
    count = AuditEvent.objects.count()
    assert client.post(reverse("console:audit"), {"action": "x"}).status_code == 405
    assert AuditEvent.objects.count() == count


def test_a_bad_page_number_in_the_audit_log_still_renders(
    world: World, client: Client
) -> None:
    client.force_login(world.auditor)
    assert (
        client.get(
            reverse("console:audit"), {"page": "99999999999999999999"}
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("console:audit"), {"since": "not-a-date"}).status_code == 200
    )


def test_the_inbox_counts_items_waiting_for_the_users_review(
    world: World, client: Client
) -> None:
    from gongkai.catalogue.services import review
    from tests.catalogue.conftest import draft, staff_for

    staff = staff_for(world.school_a, "inbox")
    review.submit(actor=staff.author, item=draft(staff))
    client.force_login(staff.reviewer)
    page = client.get(reverse("console:inbox")).content.decode()
    assert "待我审核的主动公开信息</a>：1 件" in page


def test_the_user_list_reads_roles_without_a_query_per_user(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    client.force_login(world.sysadmin)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("console:users")).status_code == 200
