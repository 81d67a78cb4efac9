"""Finance URLs (app_name "finance"), included at the root by config/urls.py.

``/keuangan/…`` pages (login), ``/publik/transparansi/`` (public), ``/api/v1/finance/…`` (API)."""
from django.urls import path

from ..sipd import views as sipd
from . import api, views

app_name = "finance"

urlpatterns = [
    path("keuangan/", views.dashboard, name="dashboard"),
    path("keuangan/rincian/", views.drilldown, name="drilldown"),
    path("keuangan/ekspor/<slug:key>.<str:fmt>", views.export, name="export"),
    path("keuangan/laporan/", views.reports, name="reports"),
    path("keuangan/laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("keuangan/simulasi/", views.scenarios, name="scenarios"),
    path("keuangan/simulasi/<int:pk>/", views.scenario_edit, name="scenario_edit"),
    path("keuangan/simulasi/<int:pk>/hasil/", views.scenario_run, name="scenario_run"),
    path("keuangan/sipd/", sipd.sipd_home, name="sipd"),
    path("keuangan/sipd/ekspor/", sipd.export_create, name="sipd_export_create"),
    path("keuangan/sipd/ekspor/<int:pk>/", sipd.export_detail, name="sipd_export"),
    path("keuangan/sipd/ekspor/<int:pk>.<str:fmt>", sipd.export_download, name="sipd_export_download"),
    path("keuangan/sipd/impor/", sipd.sp2d_upload, name="sipd_import"),
    path("keuangan/sipd/impor/<int:pk>/", sipd.reconciliation, name="sipd_reconciliation"),
    path("keuangan/sipd/impor/<int:pk>/baris/<int:line_pk>/<slug:action>/", sipd.line_action,
         name="sipd_line_action"),
    path("publik/transparansi/", views.transparency, name="transparency"),
    path("api/v1/finance/summary/", api.SummaryView.as_view(), name="api_summary"),
    path("api/v1/finance/ageing/", api.AgeingView.as_view(), name="api_ageing"),
    path("api/v1/finance/decision-times/", api.DecisionTimesView.as_view(), name="api_decision_times"),
    path("api/v1/finance/red-flags/", api.RedFlagsView.as_view(), name="api_red_flags"),
]
