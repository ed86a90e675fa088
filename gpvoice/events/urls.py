from django.urls import path

from . import officer_views, views

app_name = "events"

urlpatterns = [
    path("g/<slug:slug>/sessions/", views.session_list, name="list"),
    path("g/<slug:slug>/sessions/new/", views.session_new, name="new"),
    path("g/<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="detail"),
    path("g/<slug:slug>/sessions/<int:session_id>/change/", officer_views.session_edit, name="edit"),
    path(
        "g/<slug:slug>/sessions/<int:session_id>/bookings/", officer_views.session_bookings, name="bookings"
    ),
    path("g/<slug:slug>/sessions/<int:session_id>/bookings.csv", officer_views.bookings_csv, name="csv"),
    path("sessions/offer/<str:token>/", views.offer, name="offer"),
    path("sessions/join/<str:token>/", views.session_by_link, name="link"),
]
