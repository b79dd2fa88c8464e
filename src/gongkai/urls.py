from django.urls import include, path

from gongkai.api import api
from gongkai.core import ops

urlpatterns = [
    path("console/", include("gongkai.console.urls")),
    path("api/", api.urls),
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.metrics, name="metrics"),
    path("", include("gongkai.portal.urls")),
    path("", include("gongkai.catalogue.urls_legacy")),
]

handler400 = "gongkai.core.views.bad_request"
handler403 = "gongkai.core.views.permission_denied"
handler404 = "gongkai.core.views.page_not_found"
handler500 = "gongkai.core.views.server_error"
