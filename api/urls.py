from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("networks", views.NetworkViewSet, basename="network")
router.register("clubs", views.ClubViewSet, basename="club")
router.register("pillars", views.PillarViewSet, basename="pillar")
router.register("services", views.ServiceViewSet, basename="service")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("referrals", views.ReferralViewSet, basename="referral")

# The schema in the reader's language: Polish unless the request asks for English (?lang=en or Accept-Language).
DESCRIPTION = _(
    "The API of the National Reintegration Network portal for the systems around it: reference data (regions, "
    "municipalities, networks, clubs, the service catalogue, partner organisations) and referrals of people to "
    "clubs from social assistance centres (OPS) and labour offices (PUP). Each call carries an API key issued in "
    "the workbench by the national coordinator or a ROPS (header Authorization: Bearer <key>); the key reaches "
    "exactly what its role and scope reach in the portal, and what is out of its scope answers 404."
)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/figures/dashboard/", views.DashboardFiguresView.as_view(), name="figures_dashboard"),
    path("v1/figures/annual/", views.AnnualFiguresView.as_view(), name="figures_annual"),
    path("v1/figures/regions/<str:terc>/", views.RegionFiguresView.as_view(), name="figures_region"),
    path(
        "v1/schema/",
        SpectacularAPIView.as_view(api_version="1", custom_settings={"DESCRIPTION": DESCRIPTION}),
        name="schema",
    ),
    # The browsable docs for signed-in users (the workbench's sign-in); Swagger UI's script is a file of
    # its own, as the Content Security Policy allows no inline script.
    path("v1/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    # Any other address under the API (an identifier with a dot or a slash in it) is the API's JSON 404.
    re_path(r"^v1/", views.not_found),
]
