from django.urls import path

from . import views, views_documents, views_notifications, views_signing

def _favicon(request):
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("pamong/favicon.svg"))


urlpatterns = [
    path("favicon.ico", _favicon, name="favicon"),
    path("", views.home, name="home"),
    path("tugas/<int:pk>/", views.task_open, name="task_open"),
    path("healthz", views.healthz, name="healthz"),
    path("publik/segel-jejak-audit.<str:fmt>", views.audit_seals_download, name="audit_seals_download"),
    path("notifikasi/", views_notifications.notification_list, name="notifications"),
    path("notifikasi/tandai-dibaca/", views_notifications.notification_mark_read_view, name="notifications_mark_read"),
    path("notifikasi/<int:pk>/buka/", views_notifications.notification_open, name="notification_open"),
    path("dokumen/<int:pk>/unduh/", views_documents.document_download, name="document_download"),
    path("dokumen/<int:pk>/status/", views_documents.document_status, name="document_status"),
    path("tte/<str:kind_key>/<str:object_id>/tandatangani/", views_signing.document_sign_view, name="document_sign"),
    path("publik/verifikasi/<uuid:public_id>", views_signing.signature_verify, name="signature_verify"),
    path("publik/verifikasi/<uuid:public_id>/", views_signing.signature_verify),
]
