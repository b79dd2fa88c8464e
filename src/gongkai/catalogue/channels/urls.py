"""Console URLs of the channel exports (to be included in the console URLconf)."""

from django.urls import URLPattern, path

from gongkai.catalogue.channels import views

urlpatterns: list[URLPattern] = [
    path(
        "deliveries/<int:pk>/noticeboard.pdf",
        views.noticeboard_pdf,
        name="noticeboard_pdf",
    ),
    path("deliveries/<int:pk>/led.txt", views.led_line, name="led_line"),
    path("deliveries/<int:pk>/led-latest.txt", views.led_latest, name="led_latest"),
]
