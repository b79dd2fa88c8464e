from django.urls import URLPattern, URLResolver, path

from gongkai.obligations.views import console, linking

urlpatterns: list[URLPattern | URLResolver] = [
    path("obligations/", console.obligation_list, name="obligation_list"),
    path("obligations/new/", console.obligation_new, name="obligation_new"),
    path("obligations/import/", console.obligation_import, name="obligation_import"),
    path("obligations/export/", console.obligation_export, name="obligation_export"),
    path(
        "obligations/coverage/", console.obligation_coverage, name="obligation_coverage"
    ),
    path("obligations/items/", linking.obligation_items, name="obligation_items"),
    path(
        "obligations/items/<int:item_pk>/",
        linking.obligation_item_link,
        name="obligation_item_link",
    ),
    path(
        "obligations/items/<int:item_pk>/unlink/",
        linking.obligation_item_unlink,
        name="obligation_item_unlink",
    ),
    path("obligations/<int:pk>/", console.obligation_detail, name="obligation"),
    path("obligations/<int:pk>/edit/", console.obligation_edit, name="obligation_edit"),
    path(
        "obligations/<int:pk>/delete/",
        console.obligation_delete,
        name="obligation_delete",
    ),
    path(
        "obligations/<int:pk>/exempt/",
        linking.obligation_exempt,
        name="obligation_exempt",
    ),
    path(
        "obligations/<int:pk>/exemptions/<int:exemption_pk>/revoke/",
        linking.obligation_exemption_revoke,
        name="obligation_exemption_revoke",
    ),
]
