"""The /api/obligations endpoints and the ``obligations`` management command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gongkai.accounts.models import User
from gongkai.obligations.models import Obligation, ObligationLink
from tests.api.test_api import bearer
from tests.catalogue.conftest import draft, staff_for
from tests.conftest import World

from .helpers import item_for


def test_the_public_api_lists_the_catalogue_and_its_published_coverage(
    clock: Any, client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item_for(school, catalogue["招生计划"], "一年级招生计划")
    item_for(school, catalogue["学校介绍"], "学校介绍", publish=False)
    rows = client.get("/api/obligations").json()
    assert len(rows) == 30 and rows[0]["unit"] == "测试区教育局"
    mine = client.get(f"/api/obligations?unit={world.school_a.pk}").json()
    assert "教师招聘" not in {r["name"] for r in mine}
    coverage = client.get(
        f"/api/obligations/coverage?unit={world.school_a.pk}&year=2026"
    ).json()
    cells = {c["obligation"]: c for c in coverage["cells"]}
    assert cells[catalogue["招生计划"].pk]["status"] == "on_time"
    assert cells[catalogue["学校介绍"].pk]["status"] == "no_information"
    assert coverage["as_of"] == "2026-03-02"
    for fmt, kind in [("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("json", "json")]:
        response = client.get(f"/api/obligations/export?format={fmt}&what=coverage")
        assert kind in response["Content-Type"]
    assert client.get("/api/obligations/export?format=pdf").status_code == 422
    assert client.get("/api/obligations?unit=999999").status_code == 404


def test_staff_endpoints_need_a_token_and_keep_to_the_users_scope(
    clock: Any,
    client: Client,
    world: World,
    officer: User,
    catalogue: dict[str, Obligation],
) -> None:
    assert client.get("/api/obligations/staff/coverage").status_code == 401
    school = staff_for(world.school_a, "s1")
    item_for(school, catalogue["学校介绍"], "学校介绍", publish=False)
    headers = bearer(officer)
    coverage = client.get("/api/obligations/staff/coverage?year=2026", **headers).json()
    assert [u["name"] for u in coverage["units"]] == [
        "测试区教育局",
        "测试第一小学",
        "测试第二小学",
    ]
    assert coverage["counts"]["not_due"] == 1
    mine = client.get(
        "/api/obligations/staff/catalogue", **bearer(world.school_a_author)
    )
    assert "教师招聘" not in {r["name"] for r in mine.json()}


def test_an_item_is_linked_through_the_api_from_a_suggestion(
    client: Client, world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item = draft(school, title="2025年一年级招生范围和学区划分")
    headers = bearer(school.author)
    base = f"/api/obligations/staff/items/{item.pk}"
    suggestions = client.get(f"{base}/suggestions", **headers).json()
    assert suggestions[0]["title"] == "招生管理›招生范围"
    body = json.dumps({"obligation": suggestions[0]["obligation"], "period": ""})
    linked = client.put(
        f"{base}/link", body, content_type="application/json", **headers
    )
    assert linked.json()["period"] == "2025"
    refused = client.put(
        f"{base}/link",
        json.dumps({"obligation": catalogue["教师招聘"].pk}),
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 400 and "不适用" in refused.json()["error"]
    assert client.delete(f"{base}/link", **headers).status_code == 204
    assert not ObligationLink.objects.exists()
    other = bearer(world.school_b_author)
    assert client.get(f"{base}/suggestions", **other).status_code == 404


def test_the_command_imports_exports_and_refuses_bad_files(
    world: World, catalogue: dict[str, Obligation], tmp_path: Path
) -> None:
    out = StringIO()
    target = tmp_path / "目录.xlsx"
    call_command(
        "obligations", "export", "--format", "xlsx", "--output", str(target), stdout=out
    )
    assert target.stat().st_size > 0
    csv_out = StringIO()
    call_command("obligations", "export", "--format", "csv", stdout=csv_out)
    assert csv_out.getvalue().startswith("序号,公开事项")
    json_out = StringIO()
    call_command(
        "obligations", "export", "--what", "coverage", "--year", "2026", stdout=json_out
    )
    assert len(json.loads(json_out.getvalue())["coverage"]["cells"]) == 90
    with pytest.raises(CommandError, match="--output"):
        call_command("obligations", "export", "--format", "xlsx")
    Obligation.objects.all().delete()
    call_command(
        "obligations", "import", str(target), "--unit", "000014349", stdout=out
    )
    assert "新增 30 项" in out.getvalue() and Obligation.objects.count() == 30
    with pytest.raises(CommandError, match="已在目录中"):
        call_command("obligations", "import", str(target))
    call_command("obligations", "import", str(target), "--update", stdout=out)
    assert "更新 30 项" in out.getvalue()
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("obligations", "import", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="组织机构代码"):
        call_command("obligations", "import", str(target), "--unit", "nope")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("obligations", "remind", "--today", "昨天")
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    with pytest.raises(CommandError, match="CSV 或 XLSX"):
        call_command("obligations", "import", str(bad))
