from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("g/<slug:slug>/api-tokens/", views.tokens, name="tokens"),
    path("api/v1/docs", views.docs, name="docs"),
]
