from django.urls import path

from . import officer_views, views

app_name = "representation"

P = "g/<slug:slug>/representation/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "forums/new/", officer_views.forum_new, name="forum_new"),
    path(P + "forums/<int:forum_id>/", views.forum_detail, name="forum"),
    path(P + "forums/<int:forum_id>/edit/", officer_views.forum_edit, name="forum_edit"),
    path(P + "seats/<int:seat_id>/", officer_views.seat_manage, name="seat"),
    path(P + "meetings/<int:forum_meeting_id>/", views.meeting_detail, name="meeting"),
    path(P + "meetings/<int:forum_meeting_id>/report/", views.report_file, name="report"),
    path(P + "positions/", views.positions, name="positions"),
    path(P + "positions.csv", views.positions_csv, name="positions_csv"),
    path(P + "positions/new/", officer_views.position_new, name="position_new"),
    path(P + "positions/<int:position_id>/", views.position_detail, name="position"),
    path(P + "coverage/", officer_views.coverage, name="coverage"),
    path(P + "coverage.csv", officer_views.coverage_csv, name="coverage_csv"),
]
