from django.urls import path

from . import officer_views, views

app_name = "soundingboard"

urlpatterns = [
    path("g/<slug:slug>/sounding-board/", views.board, name="list"),
    path("g/<slug:slug>/sounding-board/new/", views.submission_new, name="new"),
    path("g/<slug:slug>/sounding-board/<int:submission_id>/", views.submission_detail, name="detail"),
    path("g/<slug:slug>/sounding-board/<int:submission_id>/review/", views.review, name="review"),
    path(
        "g/<slug:slug>/sounding-board/<int:submission_id>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
    path("g/<slug:slug>/sounding-board/manage/", officer_views.manage_list, name="manage"),
    path(
        "g/<slug:slug>/sounding-board/manage/<int:submission_id>/",
        officer_views.manage_detail,
        name="manage_detail",
    ),
]
