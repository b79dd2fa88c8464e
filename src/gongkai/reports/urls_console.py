from django.urls import URLPattern, URLResolver, path

from gongkai.reports.views import console

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", console.report_list, name="reports"),
    path("reports/<int:pk>/", console.report_draft, name="report_draft"),
]
