from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import accessibility, second_factor, views

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("start/", views.start, name="start"),
    path("deklaracja-dostepnosci/", accessibility.statement, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "weryfikacja-dwuetapowa/",
        include(
            (
                [
                    path("", second_factor.verify, name="verify"),
                    path("kody-zapasowe/", second_factor.recovery_codes, name="recovery_codes"),
                ],
                "second_factor",
            )
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("participants.urls")),
    path("", include("networks.urls")),
    path("", include("clubs.urls")),
    path("", include("reporting.urls")),
]
