"""URLs of budget_requests (app_name "budget_requests"), included at the root by config/urls.py.

Web pages live under ``/anggaran/``; the REST API under ``/api/v1/`` (``budget_requests.api``).
"""
from django.urls import include, path

from .views import assets, envelopes, flags, requests

app_name = "budget_requests"

urlpatterns = [
    path("anggaran/", requests.request_list, name="request_list"),
    path("anggaran/permohonan/baru/", requests.request_new, name="request_new"),
    path("anggaran/permohonan/<int:pk>/", requests.request_detail, name="request_detail"),
    path("anggaran/permohonan/<int:pk>/ubah/", requests.request_edit, name="request_edit"),
    path("anggaran/permohonan/<int:pk>/aksi/<slug:action>/", requests.request_action, name="request_action"),
    path("anggaran/foto/<int:pk>/", requests.photo_file, name="photo_file"),
    path("anggaran/pagu/", envelopes.envelope_list, name="envelope_list"),
    path("anggaran/pagu/<int:pk>/", envelopes.envelope_detail, name="envelope_detail"),
    path("anggaran/aset/", assets.asset_list, name="asset_list"),
    path("anggaran/aset/impor/", assets.asset_import, name="asset_import"),
    path("anggaran/tanda-merah/", flags.redflag_list, name="redflag_list"),
    path("anggaran/tanda-merah/<int:pk>/telaah/", flags.redflag_review_view, name="redflag_review"),
    path("api/v1/", include("budget_requests.api.urls")),
]
