from django.urls import path

from . import pages, public_views, views

app_name = "glance"

urlpatterns = [
    path("p/<slug:slug>/", public_views.public_page, name="public"),
    path("p/<slug:slug>/verify/", public_views.verify, name="verify"),
    path("g/<slug:slug>/public-page/", views.public_settings, name="public_settings"),
    path("g/<slug:slug>/public-page/named/", views.consent, name="consent"),
]

urlpatterns += [
    path("g/<slug:slug>/dashboard/", pages.dashboard, name="dashboard"),
    path("g/<slug:slug>/practice-record/", pages.practice_record, name="record"),
    path("g/<slug:slug>/practice-record/csv/", pages.practice_record_csv, name="record_csv"),
    path("g/<slug:slug>/annual-report/", pages.annual_report, name="report"),
    path("g/<slug:slug>/annual-report/pdf/", pages.annual_report_pdf, name="report_pdf"),
]
