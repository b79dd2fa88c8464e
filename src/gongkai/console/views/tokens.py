from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import ApiToken, User
from gongkai.accounts.tokens import create_token, revoke_token
from gongkai.console.views.common import staff_view


@staff_view()
def tokens(request: HttpRequest) -> HttpResponse:
    """A user's own API tokens; a new token is shown once, right after creation."""
    user: User = request.user  # type: ignore[assignment]
    new_token = ""
    if request.method == "POST":
        try:
            _row, new_token = create_token(
                actor=user, name=request.POST.get("name", "")
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "console/tokens.html",
        {"title": "接口令牌", "tokens": user.api_tokens.all(), "new_token": new_token},
    )


@staff_view()
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    revoke_token(actor=user, token=get_object_or_404(ApiToken, pk=pk, user=user))
    messages.success(request, "令牌已撤销。")
    return redirect("console:tokens")
