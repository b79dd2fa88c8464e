from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkai.accounts.models import Department, Unit, User, UserRole
from gongkai.audit.models import AuditEvent
from gongkai.audit.verify import verify_chain
from gongkai.catalogue.models import Column
from gongkai.search.services import index_status


@pytest.mark.django_db
def test_the_demo_loads_the_seed_bureau_with_its_office_columns_and_one_user_per_role(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    bureau = Unit.objects.get(name="潮州市湘桥区教育局")
    office = Department.objects.get(unit=bureau, is_disclosure_office=True)
    assert (office.name, office.phone) == ("人秘股", "2259400")
    assert Department.objects.filter(unit=bureau, name="装备办").exists()
    assert list(Column.objects.filter(unit=bureau).values_list("name", flat=True)) == [
        "机构设置",
        "法规制度",
        "教育动态",
        "党建工作",
        "招生考试",
        "教育资源",
        "公文发布",
        "创强专栏",
        "校园风采",
    ]
    assert bureau.children.count() >= 3
    roles = set(UserRole.objects.values_list("role", flat=True))
    assert roles == {
        "author",
        "unit_reviewer",
        "confidentiality_reviewer",
        "signer",
        "disclosure_officer",
        "system_admin",
        "security_admin",
        "audit_admin",
    }
    assert "Gongkai-demo-2026" in out and "sysadmin" in out
    # Each publication wrote an index segment; the demo ends merged.
    assert index_status().segments in {None, 1}


@pytest.mark.django_db
def test_loading_the_demo_twice_duplicates_nothing() -> None:
    call_command("demo")
    counts = [
        m.objects.count()
        for m in (Unit, Department, User, UserRole, Column, AuditEvent)
    ]
    call_command("demo")
    assert [
        m.objects.count()
        for m in (Unit, Department, User, UserRole, Column, AuditEvent)
    ] == counts
    assert verify_chain().ok
