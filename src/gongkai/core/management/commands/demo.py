from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.accounts.roles import Role
from gongkai.core.demo import DEMO_PASSWORD, load_demo
from gongkai.search.services import optimise_index


class Command(BaseCommand):
    help = "载入演示数据：潮州市湘桥区教育局及其学校、栏目和各角色用户（可重复运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        optimise_index()  # one publication, one index segment: merged
        labels = dict(Role.choices)
        self.stdout.write(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）：")
        for login in logins:
            roles = "、".join(str(labels[r]) for r in login.roles)
            self.stdout.write(f"  {login.username:<10} {login.full_name}  {roles}")
