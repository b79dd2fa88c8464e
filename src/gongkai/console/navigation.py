from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from gongkai.accounts import permissions
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def console_links(user: User) -> list[Link]:
    links = [
        Link("工作台", reverse("console:inbox")),
        Link("主动公开", reverse("console:items")),
        Link("标准目录", reverse("console:obligation_list")),
        Link("年度报告", reverse("console:reports")),
        Link("本单位", reverse("console:units")),
    ]
    if user.has_role(Role.DISCLOSURE_OFFICER):
        links.append(Link("依申请公开", reverse("console:applications")))
    if permissions.can_manage_users(user) or permissions.can_manage_roles(user):
        links.append(Link("用户与角色", reverse("console:users")))
    if permissions.can_manage_roles(user):
        links.append(Link("安全策略", reverse("console:security")))
    if permissions.can_read_audit(user):
        links.append(Link("审计日志", reverse("console:audit")))
    links.append(Link("接口令牌", reverse("console:tokens")))
    links.append(Link("修改密码", reverse("console:password")))
    return links
