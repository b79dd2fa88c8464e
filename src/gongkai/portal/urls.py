from django.urls import path

from gongkai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("columns/<slug:slug>/", views.column, name="column"),
    path("preferences/elder-mode/", views.toggle_elder_mode, name="elder_mode"),
]
