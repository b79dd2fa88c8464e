from django.urls import URLPattern, URLResolver, path

from gongkai.core.pagecache import cached_public_page as cached
from gongkai.reports.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("annual-reports/", cached(public.annual_reports), name="annual_reports"),
]
