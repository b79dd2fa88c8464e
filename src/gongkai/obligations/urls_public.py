from django.urls import URLPattern, URLResolver, path

from gongkai.core.pagecache import cached_public_page as cached
from gongkai.obligations.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("obligations/", cached(public.obligation_index), name="obligation_index"),
    path(
        "obligations/units/<int:pk>/",
        cached(public.obligation_unit),
        name="obligation_unit",
    ),
]
