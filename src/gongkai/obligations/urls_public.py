from django.urls import URLPattern, URLResolver, path

from gongkai.obligations.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("obligations/", public.obligation_index, name="obligation_index"),
    path("obligations/units/<int:pk>/", public.obligation_unit, name="obligation_unit"),
]
