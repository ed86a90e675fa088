from django.urls import path

from .views import bulletins as b
from .views import consultations as c
from .views import engagement as e

app_name = "engagement"

urlpatterns = [
    path("g/<slug:slug>/consultations/", c.consultation_list, name="consultations"),
    path("g/<slug:slug>/consultations/new/", c.consultation_new, name="consultation_new"),
    path("g/<slug:slug>/consultations/<int:consultation_id>/", c.consultation_detail, name="consultation"),
    path("g/<slug:slug>/consultations/<int:consultation_id>/answer/", c.consultation_answer, name="answer"),
    path(
        "g/<slug:slug>/consultations/<int:consultation_id>/results/", c.consultation_results, name="results"
    ),
    path("g/<slug:slug>/consultations/<int:consultation_id>/manage/", c.consultation_manage, name="manage"),
    path(
        "g/<slug:slug>/consultations/<int:consultation_id>/responses.csv",
        c.consultation_export,
        name="export",
    ),
    path("g/<slug:slug>/bulletins/", b.bulletin_list, name="bulletins"),
    path("g/<slug:slug>/bulletins/new/", b.bulletin_new, name="bulletin_new"),
    path("g/<slug:slug>/bulletins/preferences/", b.preferences, name="preferences"),
    path("g/<slug:slug>/bulletins/<int:bulletin_id>/", b.bulletin_detail, name="bulletin"),
    path("g/<slug:slug>/bulletins/<int:bulletin_id>/edit/", b.bulletin_edit, name="bulletin_edit"),
    path("g/<slug:slug>/engagement/", e.engagement_view, name="view"),
    path("g/<slug:slug>/engagement/thin.csv", e.thin_export, name="thin_export"),
    path("unsubscribe/<str:token>/", b.unsubscribe, name="unsubscribe"),
]
