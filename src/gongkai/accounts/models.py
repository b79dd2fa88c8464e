"""Units (行政机关 and schools, as a tree), their departments, users and roles."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from gongkai.accounts.roles import Role


class UnitKind(models.TextChoices):
    AGENCY = "agency", "行政机关"
    SCHOOL = "school", "学校"
    OTHER = "other", "其他单位"


class Unit(models.Model):
    """An agency or a school. Units form a tree: the bureau → its schools.

    ``path`` is a materialised path ("/1/4/") so that "this unit and all below
    it" is one indexed ``LIKE`` query on SQLite and PostgreSQL alike.
    """

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    kind = models.CharField(max_length=16, choices=UnitKind, default=UnitKind.AGENCY)
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    org_code = models.CharField(
        "组织机构代码",
        max_length=18,
        unique=True,
        help_text="用于索引号前段码，如 000014349 或统一社会信用代码",
    )
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    fax = models.CharField("传真", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.CharField("网址", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["path", "sort_order", "id"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Department(models.Model):
    """A section inside a unit (股室), e.g. 人秘股 or 装备办."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("名称", max_length=60)
    is_disclosure_office = models.BooleanField("政府信息公开工作机构", default=False)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        ordering: ClassVar = ["unit", "name"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="department_unique_name"
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_disclosure_office=True),
                name="one_disclosure_office_per_unit",
            ),
        ]
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"

    def __str__(self) -> str:
        return f"{self.unit.short_name}·{self.name}"


class User(AbstractUser):
    """A member of staff. Belongs to one unit and holds roles through ``UserRole``."""

    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def role_set(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            # .all() uses a prefetch_related("roles") cache when the list has one.
            cached = {grant.role for grant in self.roles.all()}
            self._role_cache = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_set()


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A staff member's token for the API. Only its SHA-256 is stored; the token is
    shown once when created. It acts with the user's roles and unit scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
