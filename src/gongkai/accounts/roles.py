"""Roles a user can hold, and the separation of the three administrators (三员分立)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    AUTHOR = "author", "撰稿人"
    UNIT_REVIEWER = "unit_reviewer", "单位审核人"
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", "保密审查员"
    SIGNER = "signer", "签发领导"
    DISCLOSURE_OFFICER = "disclosure_officer", "公开办工作人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


ADMIN_ROLES: frozenset[str] = frozenset(
    {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
)
BUSINESS_ROLES: frozenset[str] = frozenset(Role.values) - ADMIN_ROLES


def roles_conflict(current: set[str], new: str) -> str | None:
    """Return why ``new`` cannot join ``current`` under 三员分立, or None.

    An administrator role is held alone: no one administers users and also
    grants roles or audits them, and no administrator handles disclosure work.
    """
    others = current - {new}
    if not others:
        return None
    if new in ADMIN_ROLES:
        return "三员分立：管理员角色不能与其他角色兼任"
    if others & ADMIN_ROLES:
        return "三员分立：该用户已是管理员，不能再兼任其他角色"
    return None
