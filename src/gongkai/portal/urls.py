from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, URLResolver, path

from gongkai.applications.views import public as applications
from gongkai.catalogue.views import public as catalogue
from gongkai.core.pagecache import cached_public_page as cached
from gongkai.obligations.urls_public import urlpatterns as obligations_public
from gongkai.portal import views
from gongkai.portal.sitemaps import SITEMAPS
from gongkai.reports.urls_public import urlpatterns as reports_public
from gongkai.search.urls_public import urlpatterns as search_public

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", cached(views.home), name="home"),
    path("guide/", cached(views.guide), name="guide"),
    path(
        "sitemap.xml",
        cached(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("catalogue/", cached(views.catalogue_index), name="catalogue"),
    path("columns/<slug:slug>/", cached(catalogue.column), name="column"),
    path("items/<int:pk>/", cached(catalogue.item), name="item"),
    path(
        "items/<int:pk>/attachments/<int:att>/", catalogue.attachment, name="attachment"
    ),
    path("feeds/rss.xml", cached(catalogue.rss), name="rss"),
    path("feeds/atom.xml", cached(catalogue.atom), name="atom"),
    path(
        "feeds/units/<str:org_code>/rss.xml",
        cached(catalogue.unit_rss),
        name="unit_rss",
    ),
    path(
        "feeds/units/<str:org_code>/atom.xml",
        cached(catalogue.unit_atom),
        name="unit_atom",
    ),
    path("feeds/<slug:slug>/rss.xml", cached(catalogue.rss), name="column_rss"),
    path("feeds/<slug:slug>/atom.xml", cached(catalogue.atom), name="column_atom"),
    path("preferences/elder-mode/", views.toggle_elder_mode, name="elder_mode"),
    path("apply/", applications.apply, name="apply"),
    path("apply/receipt/<str:code>/", applications.receipt, name="receipt"),
    path("apply/receipt/<str:code>/pdf/", applications.receipt_pdf, name="receipt_pdf"),
    path("track/", applications.track, name="track"),
]
urlpatterns += search_public + reports_public + obligations_public
