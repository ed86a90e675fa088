from django.urls import path

from . import appointment_views, exports, views

app_name = "directory"

urlpatterns = [
    path("g/<slug:slug>/directory/practices/", views.practice_list, name="practices"),
    path("g/<slug:slug>/directory/practices/csv/", exports.practices_csv, name="practices_csv"),
    path("g/<slug:slug>/directory/practices/<str:practice_code>/", views.practice_detail, name="practice"),
    path("g/<slug:slug>/directory/pcns/<str:pcn_code>/", views.pcn_detail, name="pcn"),
    path(
        "g/<slug:slug>/directory/organisations/<int:org_id>/", views.organisation_detail, name="organisation"
    ),
    path("g/<slug:slug>/directory/people/<int:person_id>/", views.person_detail, name="person"),
    path("g/<slug:slug>/footprint/", views.footprint_edit, name="footprint"),
    path("g/<slug:slug>/footprint/<int:entry_id>/remove/", views.footprint_remove, name="footprint_remove"),
]

# Appointments and signatories at the group's practices (group admins; directory.appointment_views).
urlpatterns += [
    path("g/<slug:slug>/appointments/", appointment_views.appointments_index, name="appointments"),
    path(
        "g/<slug:slug>/appointments/<str:practice_code>/",
        appointment_views.practice_appointments,
        name="practice_appointments",
    ),
]
