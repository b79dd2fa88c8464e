from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongkai.accounts.selectors import disclosure_office, site_unit

ELDER_COOKIE = "gongkai_elder"


def site(request: HttpRequest) -> dict[str, Any]:
    """Site identity for every page: the unit, its disclosure office, footer labels."""
    unit = site_unit()
    return {
        "site_unit": unit,
        "site_office": disclosure_office(unit) if unit else None,
        "site_conf": settings.GONGKAI_SITE,
        "elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1",
    }
