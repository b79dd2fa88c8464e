from django.urls import URLPattern, URLResolver, path

from gongkai.search.views import public

urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", public.search_page, name="search"),
    path("api/search", public.api_search, name="api_search"),
]
