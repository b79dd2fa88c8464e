"""Staff views linking items to obligations, and marking units not applicable."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.catalogue.models import Item
from gongkai.console.views.common import (
    add_service_error,
    scoped_unit_or_404,
    staff_view,
)
from gongkai.obligations import services
from gongkai.obligations.forms import ExemptForm, LinkForm
from gongkai.obligations.models import Exemption, Obligation, ObligationLink
from gongkai.obligations.permissions import can_link_items
from gongkai.obligations.selectors import (
    obligations_for,
    suggest_obligations,
    unlinked_items,
)
from gongkai.obligations.views.console import _user, _visible

LIST_LIMIT = 50


def _item(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(
        Item.objects.select_related(
            "unit", "draft_revision__column", "draft_revision__kind"
        ),
        pk=pk,
    )
    scoped_unit_or_404(_user(request), item.unit, request)
    return item


@staff_view()
def obligation_items(request: HttpRequest) -> HttpResponse:
    """Items not yet linked, each with the best suggestion to confirm."""
    user = _user(request)
    pending = unlinked_items(user)
    by_unit: dict[int, list[Obligation]] = {}
    rows = []
    for item in pending[:LIST_LIMIT]:
        if item.unit_id not in by_unit:
            by_unit[item.unit_id] = list(obligations_for(item.unit))
        best = suggest_obligations(item, limit=1, candidates=by_unit[item.unit_id])
        rows.append((item, best[0][0] if best else None))
    return render(
        request,
        "obligations/console_items.html",
        {
            "title": "待关联公开事项的信息",
            "rows": rows,
            "total": pending.count(),
            "limit": LIST_LIMIT,
        },
    )


@staff_view()
def obligation_item_link(request: HttpRequest, item_pk: int) -> HttpResponse:
    user = _user(request)
    item = _item(request, item_pk)
    current = ObligationLink.objects.filter(item=item).select_related("obligation")
    link = current.first()
    suggestions = suggest_obligations(item)
    initial = {}
    if link is not None:
        initial = {"obligation": link.obligation_id, "period": link.period}
    elif suggestions:
        initial = {"obligation": suggestions[0][0].pk}
    form = LinkForm(
        request.POST or None, obligations=obligations_for(item.unit), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.link_item(
                actor=user,
                item=item,
                obligation=form.cleaned_data["obligation"],
                period=form.cleaned_data["period"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"已关联“{saved.obligation}”（{saved.period_label}）。"
            )
            return redirect("console:obligation_item_link", item_pk=item.pk)
    revision = item.draft_revision or item.published_revision
    return render(
        request,
        "obligations/console_link.html",
        {
            "title": "关联公开事项",
            "item": item,
            "revision": revision,
            "link": link,
            "suggestions": suggestions,
            "form": form,
            "can_link": can_link_items(user, item.unit),
        },
    )


@staff_view()
@require_POST
def obligation_item_unlink(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = _item(request, item_pk)
    try:
        services.unlink_item(actor=_user(request), item=item)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消关联。")
    return redirect("console:obligation_item_link", item_pk=item.pk)


@staff_view()
@require_POST
def obligation_exempt(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = _user(request)
    obligation = _visible(request, pk)
    form = ExemptForm(request.POST, units=list(Unit.objects.all()))
    if not form.is_valid():
        messages.error(request, "请选择单位、填写年度和不适用原因。")
        return redirect("console:obligation", pk=pk)
    unit = scoped_unit_or_404(user, form.cleaned_data["unit"], request)
    year = form.cleaned_data["year"]
    try:
        services.exempt_unit(
            actor=user,
            obligation=obligation,
            unit=unit,
            year=year,
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已标记{unit.short_name}{year}年不适用。")
    return redirect(f"{reverse('console:obligation', args=[pk])}?year={year}")


@staff_view()
@require_POST
def obligation_exemption_revoke(
    request: HttpRequest, pk: int, exemption_pk: int
) -> HttpResponse:
    user = _user(request)
    obligation = _visible(request, pk)
    exemption = get_object_or_404(
        Exemption.objects.select_related("unit", "obligation"),
        pk=exemption_pk,
        obligation=obligation,
    )
    scoped_unit_or_404(user, exemption.unit, request)
    try:
        services.revoke_exemption(actor=user, exemption=exemption)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销不适用标记。")
    return redirect("console:obligation", pk=pk)
