from django.urls import path

from gongkai.applications.views import public as applications
from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("columns/<slug:slug>/", views.column, name="column"),
    path("preferences/elder-mode/", views.toggle_elder_mode, name="elder_mode"),
    path("apply/", applications.apply, name="apply"),
    path("apply/receipt/<str:code>/", applications.receipt, name="receipt"),
    path("apply/receipt/<str:code>/pdf/", applications.receipt_pdf, name="receipt_pdf"),
    path("track/", applications.track, name="track"),
]
