from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from gongkai.applications.urls_console import urlpatterns as application_urls
from gongkai.applications.urls_documents import urlpatterns as document_urls
from gongkai.catalogue.channels.urls import urlpatterns as channel_exports
from gongkai.catalogue.urls_console import urlpatterns as item_urls
from gongkai.console.views import (
    audit,
    auth,
    calendar,
    inbox,
    security,
    tokens,
    units,
    users,
)
from gongkai.obligations.urls_console import urlpatterns as obligations_console
from gongkai.reports.urls_console import urlpatterns as reports_console
from gongkai.search.urls_console import urlpatterns as search_console

app_name = "console"
urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth.password, name="password"),
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("", inbox.inbox, name="inbox"),
    path(
        "notifications/<int:pk>/read/",
        inbox.notification_read,
        name="notification_read",
    ),
    path("units/", units.unit_list, name="units"),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit_edit"),
    path("units/<int:parent_pk>/new-unit/", units.unit_create, name="unit_create"),
    path(
        "units/<int:pk>/new-department/",
        units.department_create,
        name="department_create",
    ),
    path("users/", users.user_list, name="users"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user"),
    path(
        "users/<int:pk>/<str:action>/",
        users.user_action,
        name="user_action",
    ),
    path("security/", security.security, name="security"),
    path("audit/", audit.audit_log, name="audit"),
    path("calendar/", calendar.calendar_index, name="calendar"),
    path("calendar/<int:year>/", calendar.calendar_year, name="calendar_year"),
]
urlpatterns += application_urls
urlpatterns += document_urls
urlpatterns += item_urls
urlpatterns += channel_exports
urlpatterns += reports_console + search_console + obligations_console
