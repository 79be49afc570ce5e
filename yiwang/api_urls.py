"""/api/v1/: every app's endpoints on one router, the token endpoint, the schema and its docs."""

from importlib import import_module

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
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


def _docs_page(view):
    """The API's docs pages: behind sign-in unless DEBUG (the schema itself answers 401 then too)."""
    return view if settings.DEBUG else login_required(view)


urlpatterns = [
    path("token", obtain_token, name="api-token"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # Swagger UI's split view loads its start-up script as a file: the Content-Security-Policy allows no inline one.
    path("docs/", _docs_page(SpectacularSwaggerSplitView.as_view(url_name="openapi")), name="api-docs"),
    path("redoc/", _docs_page(csp_update({"worker-src": ["'self'", "blob:"]})(
        SpectacularRedocView.as_view(url_name="openapi"))), name="api-redoc"),
    *router.urls,
]
