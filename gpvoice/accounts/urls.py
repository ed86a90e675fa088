from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="invitation_accept"),
    path("account/", views.profile, name="profile"),
    path("account/declarations/", views.declaration_change, name="declaration_change"),
    path("account/declarations/new/", views.declaration_new, name="declaration_new"),
    path("account/stronger-sign-in/", views.strong_sign_in_needed, name="strong_sign_in_needed"),
]
