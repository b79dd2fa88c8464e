from django.urls import URLPattern, URLResolver, path

from gongkai.core.pagecache import cached_public_page as cached
from gongkai.search.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", cached(public.search_page), name="search"),
    path("api/search", cached(public.api_search), name="api_search"),
]
