from django.contrib import admin
from django.urls import include, path

from gpvoice.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("gpvoice.accounts.urls")),
    path("", include("gpvoice.core.urls")),
    path("", include("gpvoice.directory.urls")),
    path("", include("gpvoice.governance.urls")),
    path("", include("gpvoice.ballots.urls")),
    path("", include("gpvoice.priorities.urls")),
    path("", include("gpvoice.intake.urls")),
    path("", include("gpvoice.notifications.urls")),
    path("", include("gpvoice.meetings.urls")),
    path("", include("gpvoice.soundingboard.urls")),
    path("", include("gpvoice.events.urls")),
    path("", include("gpvoice.glance.urls")),
    path("", include("gpvoice.representation.urls")),
    path("", include("gpvoice.engagement.urls")),
    path("", include("gpvoice.api.urls")),
    path("api/v1/", api.urls),
]

handler404 = "gpvoice.core.views.not_found"
