"""/api/v1/: every app's endpoints on one router, the token endpoint, the schema and its docs."""

from importlib import import_module

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from yiwang.accounts.api import obtain_token
from yiwang.areas import api as areas_api

# Each app's api.py has register(router), adding its viewsets.
API_MODULES = [
    "yiwang.core.api",
    "yiwang.cases.api",
    "yiwang.grids.api",
    "yiwang.online.api",
    "yiwang.stats.api",
    "yiwang.warnings.api",
    "yiwang.finance.api",
    "yiwang.triage.api",
    "yiwang.maritime.api",
    "yiwang.notifications.api",
    "yiwang.cobuild.api",
    "yiwang.privacy.api",
]

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("areas", areas_api.AreaViewSet, basename="area")
router.register("centres", areas_api.CentreViewSet, basename="centre")
router.register("windows", areas_api.WindowViewSet, basename="window")
router.register("teams", areas_api.TeamViewSet, basename="team")
router.register("organisations", areas_api.OrganisationViewSet, basename="organisation")
for module in API_MODULES:
    import_module(module).register(router)

urlpatterns = [
    path("token", obtain_token, name="api-token"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="openapi"), name="api-redoc"),
    *router.urls,
]
