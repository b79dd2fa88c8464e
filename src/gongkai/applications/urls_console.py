from django.urls import path

from gongkai.applications.views import console

urlpatterns = [
    path("applications/", console.application_list, name="applications"),
    path("applications/new/", console.application_new, name="application_new"),
    path("applications/<int:pk>/", console.application_detail, name="application"),
    path(
        "applications/<int:pk>/files/<int:file_id>/",
        console.application_file,
        name="application_file",
    ),
    path(
        "applications/<int:pk>/<str:step>/",
        console.application_step,
        name="application_step",
    ),
]
