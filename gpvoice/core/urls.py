from django.urls import path

from . import invitation_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
    path("g/<slug:slug>/", views.group_home, name="group_home"),
    path("g/<slug:slug>/people/", views.group_people, name="group_people"),
    path("g/<slug:slug>/people/invite/", views.group_invite, name="group_invite"),
    path("g/<slug:slug>/people/invitations/", invitation_views.group_invitations, name="group_invitations"),
    path("g/<slug:slug>/people/<int:membership_id>/", views.group_membership_edit, name="group_membership"),
    path("g/<slug:slug>/audit/", views.group_audit, name="group_audit"),
]
