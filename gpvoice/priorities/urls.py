from django.urls import path

from . import views

app_name = "priorities"

urlpatterns = [
    path("g/<slug:slug>/priorities/", views.round_list, name="list"),
    path("g/<slug:slug>/priorities/new/", views.round_new, name="new"),
    path("g/<slug:slug>/priorities/<int:round_id>/", views.round_detail, name="detail"),
    path("g/<slug:slug>/priorities/<int:round_id>/consolidate/", views.round_consolidate, name="consolidate"),
    path("g/<slug:slug>/priorities/<int:round_id>/next-phase/", views.round_advance, name="advance"),
    path("g/<slug:slug>/priorities/<int:round_id>/adopt/", views.round_adopt, name="adopt"),
    path(
        "g/<slug:slug>/priorities/<int:round_id>/adopted/<int:priority_id>/",
        views.priority_detail,
        name="priority",
    ),
]
