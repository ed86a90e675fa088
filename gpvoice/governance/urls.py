from django.urls import path

from . import delegation_views, exports, views

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
