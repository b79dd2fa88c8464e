from django.urls import URLPattern, URLResolver, path

from gongkai.reports.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("annual-reports/", public.annual_reports, name="annual_reports"),
]
