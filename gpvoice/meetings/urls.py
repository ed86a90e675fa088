from django.urls import path

from . import officer_views, views

app_name = "meetings"

urlpatterns = [
    path("g/<slug:slug>/meetings/", views.meeting_list, name="list"),
    path("g/<slug:slug>/meetings/new/", views.meeting_new, name="new"),
    path("g/<slug:slug>/meetings/settings/", views.meeting_settings, name="settings"),
    path("g/<slug:slug>/meetings/calendar.ics", views.group_calendar, name="group_calendar"),
    path("g/<slug:slug>/meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("g/<slug:slug>/meetings/<int:meeting_id>/pack/", views.meeting_pack, name="pack"),
    path("g/<slug:slug>/meetings/<int:meeting_id>/pack.pdf", views.meeting_pack_pdf, name="pack_pdf"),
    path(
        "g/<slug:slug>/meetings/<int:meeting_id>/papers/<int:paper_id>/", views.paper_download, name="paper"
    ),
    path("g/<slug:slug>/meetings/<int:meeting_id>/manage/", officer_views.meeting_manage, name="manage"),
    path("g/<slug:slug>/meetings/<int:meeting_id>/agenda/", officer_views.meeting_agenda, name="agenda"),
    path("g/<slug:slug>/meetings/<int:meeting_id>/minutes/", officer_views.meeting_minutes, name="minutes"),
    path("meetings/calendar/", views.my_calendar, name="my_calendar"),
    path("meetings/calendar/<str:token>.ics", views.personal_feed, name="feed"),
]
