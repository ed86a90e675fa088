from django.urls import path

from . import public_views, views

app_name = "glance"

urlpatterns = [
    path("p/<slug:slug>/", public_views.public_page, name="public"),
    path("p/<slug:slug>/verify/", public_views.verify, name="verify"),
    path("g/<slug:slug>/public-page/", views.public_settings, name="public_settings"),
    path("g/<slug:slug>/public-page/named/", views.consent, name="consent"),
]
