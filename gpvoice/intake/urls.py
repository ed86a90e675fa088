from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    # Public: no account.
    path("spa/<slug:slug>/", views.front_door, name="front_door"),
    path("spa/<slug:slug>/sent/", views.sent, name="sent"),
    path("spa/verify/<str:token>/", views.verify, name="verify"),
    path("spa/track/<str:token>/", views.track, name="track"),
    path("spa/track/<str:token>/files/<int:file_id>/", views.track_download, name="track_file"),
    # Officers.
    path("g/<slug:slug>/requests/", views.queue, name="queue"),
    path("g/<slug:slug>/requests/service-levels/", views.service_levels, name="service_levels"),
    path("g/<slug:slug>/requests/categories/", views.categories, name="categories"),
    path("g/<slug:slug>/requests/<str:reference>/", views.detail, name="detail"),
    path("g/<slug:slug>/requests/<str:reference>/files/<int:file_id>/", views.download, name="file"),
]
