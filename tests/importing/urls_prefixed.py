"""The site's URLs plus redirects for old paths under ``/zwgk/``, as a deployment
with ``GONGKAI_LEGACY_PREFIXES = ["zwgk/"]`` has them."""

from django.urls import URLPattern, URLResolver, include, path

from gongkai.catalogue.urls_legacy import prefix_patterns
from gongkai.urls import urlpatterns as site

urlpatterns: list[URLPattern | URLResolver] = [
    *site,
    path("", include((prefix_patterns(["zwgk/"]), "legacy_prefixed"))),
]
