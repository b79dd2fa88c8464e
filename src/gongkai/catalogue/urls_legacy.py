"""Redirects from the old site's addresses. ``/legacy/<old path or id>`` always;
the old site's own paths (e.g. ``/zwgk/…``) too when their prefixes are listed in
the setting ``GONGKAI_LEGACY_PREFIXES``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.urls import URLPattern, path, re_path

from gongkai.catalogue.views import legacy

app_name = "legacy"


def prefix_patterns(prefixes: Iterable[str]) -> list[URLPattern]:
    patterns: list[URLPattern] = []
    for prefix in prefixes:
        bare = prefix.strip("/")
        if bare:
            patterns.append(
                re_path(
                    rf"^(?P<prefix>{re.escape(bare)}/)(?P<old>.*)$",
                    legacy.redirect_prefixed,
                    name=f"prefix_{len(patterns)}",
                )
            )
    return patterns


urlpatterns: list[URLPattern] = [
    path("legacy/<path:old>", legacy.redirect_legacy, name="redirect"),
    *prefix_patterns(getattr(settings, "GONGKAI_LEGACY_PREFIXES", ())),
]
