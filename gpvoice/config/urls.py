from django.contrib import admin
from django.urls import include, path, re_path

from gpvoice.api.api import api
from gpvoice.core.assets import nhsuk_asset

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    re_path(r"^assets/(?P<path>.+)$", nhsuk_asset, name="nhsuk_asset"),
    path("", include("gpvoice.accounts.urls")),
    path("", include("gpvoice.core.urls")),
    path("", include("gpvoice.directory.urls")),
    path("", include("gpvoice.governance.urls")),
    path("", include("gpvoice.ballots.urls")),
    path("", include("gpvoice.priorities.urls")),
    path("", include("gpvoice.intake.urls")),
    path("", include("gpvoice.api.urls")),
    path("api/v1/", api.urls),
]
