from django.urls import path

from gongkai.catalogue.views import console

urlpatterns = [
    path("items/", console.item_list, name="items"),
    path("items/new/", console.item_new, name="item_new"),
    path("items/<int:pk>/", console.item_detail, name="item"),
    path("items/<int:pk>/edit/", console.item_edit, name="item_edit"),
    path("items/<int:pk>/diff/<int:a>/<int:b>/", console.item_diff, name="item_diff"),
    path("items/<int:pk>/<str:action>/", console.item_action, name="item_action"),
]
