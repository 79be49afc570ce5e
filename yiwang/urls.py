from django.contrib import admin
from django.urls import include, path

import yiwang.admin  # noqa: F401  (site titles)
from yiwang.accounts import views as account_views
from yiwang.core import views as core_views

urlpatterns = [
    path("", account_views.root, name="root"),
    # Browsers ask for /favicon.ico on their own (for a PDF or JSON answer, where no page names the icon).
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("home/", account_views.home, name="home"),
    path("accounts/", include("yiwang.accounts.urls")),
    path("", include("yiwang.areas.urls")),
    path("cases/", include("yiwang.cases.urls")),
    path("", include("yiwang.grids.urls")),
    path("", include("yiwang.online.urls")),
    path("stats/", include("yiwang.stats.urls")),
    path("warnings/", include("yiwang.warnings.urls")),
    path("finance/", include("yiwang.finance.urls")),
    path("maritime/", include("yiwang.maritime.urls")),
    path("cobuild/", include("yiwang.cobuild.urls")),
    path("triage/", include("yiwang.triage.urls")),
    path("privacy/", include("yiwang.privacy.urls")),
    path("", include("yiwang.core.urls")),
    path("", include("yiwang.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("yiwang.api_urls")),
]

handler404 = "yiwang.middleware.not_found"
