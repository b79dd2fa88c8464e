"""The project's URLs plus the channel exports, as the console will include them."""

from typing import Any

from django.urls import include, path

from gongkai.catalogue.channels.urls import urlpatterns as channel_urls
from gongkai.urls import urlpatterns as project_urls

urlpatterns: list[Any] = [
    path("channel-exports/", include((channel_urls, "channels"))),
    *project_urls,
]
