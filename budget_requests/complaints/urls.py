"""URLs of complaints (app_name "complaints"), included at the root by config/urls.py: pages under
``/anggaran/pengaduan/`` and the complaint systems' ``POST /api/v1/complaints/``."""
from django.urls import path

from . import api, views

app_name = "complaints"

urlpatterns = [
    path("anggaran/pengaduan/", views.complaint_list, name="complaint_list"),
    path("anggaran/pengaduan/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("anggaran/pengaduan/<int:pk>/aksi/<slug:action>/", views.complaint_action, name="complaint_action"),
    path("anggaran/pengaduan/kotak-keluar/", views.outbox, name="outbox"),
    path("anggaran/pengaduan/kotak-keluar/<int:pk>/kirim-ulang/", views.outbox_retry, name="outbox_retry"),
    path("api/v1/complaints/", api.ComplaintReceiveView.as_view(), name="api_receive"),
]
