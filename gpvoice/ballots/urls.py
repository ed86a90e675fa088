from django.urls import path

from . import correction_views, views

app_name = "ballots"

urlpatterns = [
    path("g/<slug:slug>/ballots/", views.ballot_list, name="list"),
    path("g/<slug:slug>/ballots/new/", views.ballot_new, name="new"),
    path("g/<slug:slug>/ballots/show-of-hands/", views.hands_new, name="hands_new"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/", views.ballot_detail, name="detail"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/edit/", views.ballot_edit, name="edit"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/vote/", views.ballot_vote, name="vote"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/receipt/", views.ballot_receipt, name="receipt"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/result/", views.ballot_results, name="results"),
]

# Officers correcting a ballot, and the result as a file and a printable page (correction_views).
urlpatterns += [
    path("g/<slug:slug>/ballots/<int:ballot_id>/cancel/", correction_views.ballot_cancel, name="cancel"),
    path("g/<slug:slug>/ballots/<int:ballot_id>/extend/", correction_views.ballot_extend, name="extend"),
    path(
        "g/<slug:slug>/ballots/<int:ballot_id>/result/print/",
        correction_views.ballot_result_print,
        name="result_print",
    ),
    path(
        "g/<slug:slug>/ballots/<int:ballot_id>/result/csv/",
        correction_views.ballot_result_csv,
        name="result_csv",
    ),
]
