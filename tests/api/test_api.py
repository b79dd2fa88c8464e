from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.accounts.tokens import create_token, revoke_token
from gongkai.applications.models import Application
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Item
from tests.catalogue.conftest import CHECKLIST, School, draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user


def bearer(user: User) -> dict[str, str]:
    _row, token = create_token(actor=user, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(
        url, json.dumps(data), content_type="application/json", **headers
    )


APPLICATION = {
    "applicant_kind": "natural_person",
    "applicant_name": "王五",
    "id_number": "440102199001011234",
    "phone": "13700137000",
    "email": "wangwu@example.com",
    "subject": "学区划分",
    "description": "2026年公办小学学区划分方案",
    "form_wanted": "electronic",
    "delivery": "email",
}


def test_the_openapi_spec_is_served_and_no_page_loads_a_cdn(
    db: None, client: Client
) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/items" in spec["paths"] and "/api/applications" in spec["paths"]
    assert client.get("/api/docs").status_code == 404


def test_published_items_are_listed_and_read_without_credentials(
    world: World, client: Client
) -> None:
    staff = staff_for(world.bureau, "api")
    item = draft(staff, title="招生简章")
    hidden = draft(staff, title="草稿")
    publish_quickly(staff, item)
    data = client.get("/api/items", {"page_size": 1000}).json()
    assert data["total"] == 1 and data["items"][0]["title"] == "招生简章"
    assert data["items"][0]["index_number"] == item.index_number
    assert client.get(f"/api/items/{item.pk}").json()["body"].startswith("<p>")
    assert client.get(f"/api/items/{hidden.pk}").status_code == 404
    assert client.get("/api/items", {"page_size": 1001}).status_code == 422
    assert client.get("/api/items", {"page": "9" * 30}).status_code == 422


def test_an_application_submitted_twice_with_one_idempotency_key_is_one_application(
    world: World, client: Client
) -> None:
    first = post(client, "/api/applications", APPLICATION, HTTP_IDEMPOTENCY_KEY="k1")
    second = post(client, "/api/applications", APPLICATION, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201 and first.json() == second.json()
    assert Application.objects.count() == 1
    code = first.json()["query_code"]
    tracked = client.get("/api/applications/track", {"code": code}).json()
    assert tracked["status"] == "待确认收到" and "王五" not in json.dumps(
        tracked, ensure_ascii=False
    )
    missing = post(client, "/api/applications", APPLICATION)
    assert missing.status_code == 400 and "Idempotency-Key" in missing.json()["error"]


def test_bad_application_input_is_rejected_with_the_field(
    world: World, client: Client
) -> None:
    bad = post(
        client,
        "/api/applications",
        {**APPLICATION, "id_number": ""},
        HTTP_IDEMPOTENCY_KEY="k2",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "id_number"
    assert (
        post(
            client,
            "/api/applications",
            {**APPLICATION, "applicant_kind": "alien"},
            HTTP_IDEMPOTENCY_KEY="k3",
        ).status_code
        == 422
    )


def test_staff_endpoints_need_a_valid_token(world: World, client: Client) -> None:
    assert client.get("/api/staff/items").status_code == 401
    assert (
        client.get(
            "/api/staff/items", HTTP_AUTHORIZATION="Bearer gk_nonsense"
        ).status_code
        == 401
    )
    _row, token = create_token(actor=world.author, name="x")
    revoke_token(actor=world.author, token=_row)
    assert (
        client.get("/api/staff/items", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 401
    )


def test_staff_draft_review_and_publish_through_the_api(
    world: World, client: Client
) -> None:
    staff: School = staff_for(world.school_a, "apis")
    created = post(
        client,
        "/api/staff/items",
        {
            "column": "xwgk",
            "kind": "news",
            "title": "运动会通知",
            "body": "<p>正文</p>",
            "formed_on": date.today().isoformat(),
        },
        **bearer(staff.author),
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert post(
        client, f"/api/staff/items/{item_id}/submit", {}, **bearer(staff.author)
    ).json() == {"findings": 0}
    post(
        client,
        f"/api/staff/items/{item_id}/approve",
        {"comment": "同意"},
        **bearer(staff.reviewer),
    )
    refused = post(
        client,
        f"/api/staff/items/{item_id}/approve",
        {"conclusion": "同意"},
        **bearer(staff.secrecy),
    )
    assert refused.status_code == 400 and "保密审查未通过" in refused.json()["error"]
    post(
        client,
        f"/api/staff/items/{item_id}/approve",
        {"checklist": CHECKLIST, "conclusion": "同意"},
        **bearer(staff.secrecy),
    )
    done = post(
        client, f"/api/staff/items/{item_id}/approve", {}, **bearer(staff.signer)
    )
    assert done.json() == {"status": "published"}
    assert Item.objects.get(pk=item_id).is_public
    other = make_user(world.school_b, "b_api_author", Role.AUTHOR)
    assert (
        post(
            client, f"/api/staff/items/{item_id}/submit", {}, **bearer(other)
        ).status_code
        == 404
    )


def test_an_officer_handles_an_application_through_the_api(
    world: World, client: Client
) -> None:
    officer = make_user(world.bureau, "api_officer", Role.DISCLOSURE_OFFICER)
    receipt = post(
        client, "/api/applications", APPLICATION, HTTP_IDEMPOTENCY_KEY="k9"
    ).json()
    app = Application.objects.get(reference=receipt["reference"])
    headers = bearer(officer)
    today = date.today().isoformat()
    assert (
        post(
            client,
            f"/api/staff/applications/{app.pk}/steps/confirm_receipt",
            {"on": today},
            **headers,
        ).json()["status"]
        == "in_progress"
    )
    detail = client.get(f"/api/staff/applications/{app.pk}", **headers).json()
    assert (
        detail["deadline"]["period_workdays"] == 20
        and detail["id_number_hint"] == "440102********1234"
    )
    refused = post(
        client,
        f"/api/staff/applications/{app.pk}/steps/lapse_fee",
        {"on": today},
        **headers,
    )
    assert refused.status_code == 400 and "没有收费通知" in refused.json()["error"]
    decided = post(
        client,
        f"/api/staff/applications/{app.pk}/steps/decide",
        {"on": today, "outcome": "granted", "reasoning": "予以公开"},
        **headers,
    ).json()
    assert decided["outcome"] == "granted"
    listed = client.get("/api/staff/applications", **headers).json()
    assert listed == []
    assert (
        client.get("/api/staff/applications", **bearer(world.author)).status_code == 400
    )


def test_tokens_are_created_shown_once_and_revoked_in_the_console(
    world: World, client: Client
) -> None:
    client.force_login(world.author)
    page = client.post(reverse("console:tokens"), {"name": "脚本"}).content.decode()
    assert "只显示这一次" in page and "gk_" in page
    token = world.author.api_tokens.get()
    assert token.key_hash not in page
    client.post(reverse("console:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="accounts.token_revoked").exists()
