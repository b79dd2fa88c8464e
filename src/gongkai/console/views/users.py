from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.selectors import role_labels, units_visible_to, users_visible_to
from gongkai.accounts.services import (
    change_password,
    create_user,
    grant_role,
    revoke_role,
    set_user_active,
    unlock_user,
)
from gongkai.console.forms import PasswordForm, ReasonForm, RoleForm, UserCreateForm
from gongkai.console.views.common import (
    add_service_error,
    scoped_unit_or_404,
    staff_view,
)

USER_ACTIONS = frozenset(
    {"grant", "revoke", "activate", "deactivate", "unlock", "reset_password"}
)


def _manages_people(user: User) -> bool:
    return permissions.can_manage_users(user) or permissions.can_manage_roles(user)


def _target(request: HttpRequest, pk: int) -> User:
    actor: User = request.user  # type: ignore[assignment]
    target = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    if target.unit is None:
        raise Http404
    scoped_unit_or_404(actor, target.unit, request)
    return target


@staff_view(_manages_people)
def user_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    people = [(p, role_labels(p)) for p in users_visible_to(user)]
    return render(
        request,
        "console/users.html",
        {
            "title": "用户与角色",
            "people": people,
            "can_create": permissions.can_manage_users(user),
        },
    )


@staff_view(permissions.can_manage_users)
def user_create(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = UserCreateForm(request.POST or None, units=units_visible_to(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = create_user(
                actor=actor,
                unit=data["unit"],
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                department=data["department"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新建用户：{created.username}")
            return redirect("console:user", pk=created.pk)
    return render(request, "console/form.html", {"form": form, "title": "新建用户"})


@staff_view(_manages_people)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = _target(request, pk)
    return render(
        request,
        "console/user_detail.html",
        {
            "title": f"用户：{target.display_name}",
            "person": target,
            "roles": sorted(target.role_set()),
            "role_labels": role_labels(target),
            "role_form": RoleForm(),
            "reason_form": ReasonForm(),
            "password_form": PasswordForm(),
            "can_manage_roles": permissions.can_manage_roles(actor),
            "can_manage_users": permissions.can_manage_users(actor),
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    target = _target(request, pk)
    try:
        if action in {"grant", "revoke"}:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ServiceError("请选择有效的角色")
            role = form.cleaned_data["role"]
            if action == "grant":
                grant_role(actor=actor, user=target, role=role)
            else:
                revoke_role(actor=actor, user=target, role=role)
        elif action in {"activate", "deactivate"}:
            reason = ReasonForm(request.POST)
            if not reason.is_valid():
                raise ServiceError("请填写原因")
            set_user_active(
                actor=actor,
                user=target,
                active=action == "activate",
                reason=reason.cleaned_data["reason"],
            )
        elif action == "unlock":
            unlock_user(actor=actor, user=target)
        elif action == "reset_password":
            pw = PasswordForm(request.POST)
            if not pw.is_valid():
                raise ServiceError(
                    "；".join(str(m) for ms in pw.errors.values() for m in ms)
                )
            change_password(
                actor=actor, user=target, password=pw.cleaned_data["password"]
            )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "操作已完成。")
    return redirect("console:user", pk=target.pk)


@staff_view(_manages_people)
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in USER_ACTIONS:
        raise Http404
    return _act(request, pk, action)
