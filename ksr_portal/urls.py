import datetime

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from . import second_factor

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path(
        "deklaracja-dostepnosci/",
        TemplateView.as_view(
            template_name="accessibility.html",
            extra_context={
                "operator": settings.KSR_OPERATOR,
                "contact": settings.KSR_ACCESSIBILITY_CONTACT,
                "published": datetime.date(2026, 11, 24),
                "updated": datetime.date(2026, 11, 24),
            },
        ),
        name="accessibility",
    ),
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
    path("", include("participants.urls")),
    path("", include("networks.urls")),
    path("", include("clubs.urls")),
    path("", include("reporting.urls")),
]
