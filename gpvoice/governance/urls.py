from django.urls import path

from . import delegation_views, exports, public_views, views

app_name = "governance"

urlpatterns = [
    path("g/<slug:slug>/roll/", views.roll, name="roll"),
    path("g/<slug:slug>/terms/", views.terms_list, name="terms_list"),
    path("g/<slug:slug>/terms/<int:terms_id>/", views.terms_detail, name="terms"),
    path("g/<slug:slug>/mandate/", views.mandate, name="mandate"),
    path("g/<slug:slug>/mandate/extend/", views.mandate_extend, name="mandate_extend"),
    path("g/<slug:slug>/governance/settings/", views.governance_settings, name="settings"),
    path("g/<slug:slug>/delegation/", views.delegation, name="delegation"),
    path("g/<slug:slug>/delegation/<int:category_id>/", delegation_views.category_edit, name="category"),
    path("g/<slug:slug>/decisions/", views.decisions, name="decisions"),
]

# The lists as CSV files (governance.exports).
urlpatterns += [
    path("g/<slug:slug>/roll/csv/", exports.roll_csv, name="roll_csv"),
    path("g/<slug:slug>/mandate/csv/", exports.mandate_csv, name="mandate_csv"),
    path("g/<slug:slug>/decisions/csv/", exports.decisions_csv, name="decisions_csv"),
]

# The lists behind the figures of the group's public page (issue 18): no sign-in, opt-in per group.
urlpatterns += [
    path("p/<slug:slug>/footprint/", public_views.footprint, name="public_footprint"),
    path("p/<slug:slug>/members/", public_views.members, name="public_members"),
    path("p/<slug:slug>/mandate/", public_views.agreed, name="public_agreed"),
]
