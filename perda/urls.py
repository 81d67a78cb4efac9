"""URLs of the perda app (app_name "perda"). Drafting (editor, previews, exports) and formation
(formation, consultation, public pages): additive edits only, each in its own block."""
from django.urls import path

from .amendments import pages as amendment_pages
from .views import consultation as consultation_views
from .views import editor as editor_views
from .views import imports as import_views
from .views import formation as formation_views
from .views import public as public_views

app_name = "perda"

urlpatterns = [
    # --- drafting: editor, previews, exports, redline, import ----------------------------------
    path("perda/", editor_views.regulation_list, name="regulation_list"),
    path("perda/baru/", editor_views.regulation_new, name="regulation_new"),
    path("perda/impor/", import_views.regulation_import, name="regulation_import"),
    path("perda/<int:regulation_id>/", editor_views.editor, name="editor"),
    path("perda/<int:regulation_id>/data/", editor_views.regulation_meta, name="regulation_meta"),
    path("perda/<int:regulation_id>/ketentuan/<uuid:uid>/", editor_views.provision_page, name="provision"),
    path("perda/<int:regulation_id>/ubah/", editor_views.editor_action, name="editor_action"),
    path("perda/<int:regulation_id>/pratinjau/", editor_views.preview, name="preview"),
    path("perda/<int:regulation_id>/pdf/", editor_views.pdf, name="pdf"),
    path("perda/<int:regulation_id>/akn/", editor_views.akn, name="akn"),
    path("perda/<int:regulation_id>/naskah-akademik/", editor_views.naskah_akademik, name="naskah_akademik"),
    path("perda/<int:regulation_id>/bandingkan/", editor_views.compare, name="compare"),
    # --- formation ---------------------------------------------------------------------------
    path("perda/pembentukan/", formation_views.formation_list, name="formation_list"),
    path("perda/<int:regulation_id>/pembentukan/", formation_views.formation_detail, name="formation_detail"),
    path("perda/<int:regulation_id>/pembentukan/mulai/", formation_views.formation_start, name="formation_start"),
    path("perda/<int:regulation_id>/pembentukan/tetapkan/tinjau/", formation_views.enact_confirm, name="enact_confirm"),
    path("perda/<int:regulation_id>/pembentukan/<slug:action>/", formation_views.formation_action,
         name="formation_action"),
    path("perda/<int:regulation_id>/pembentukan/lampiran/<int:record_id>/", formation_views.record_attachment,
         name="record_attachment"),
    # --- consultation, staff side ------------------------------------------------------------
    path("perda/<int:regulation_id>/konsultasi/buka/", consultation_views.consultation_open, name="consultation_open"),
    path("perda/konsultasi/<int:consultation_id>/", consultation_views.consultation_manage,
         name="consultation_manage"),
    path("perda/konsultasi/<int:consultation_id>/masukan/<int:comment_id>/", consultation_views.comment_dispose,
         name="comment_dispose"),
    path("perda/konsultasi/<int:consultation_id>/laporan/", consultation_views.consultation_report,
         name="consultation_report"),
    # --- public pages, no login --------------------------------------------------------------
    path("publik/konsultasi/", public_views.consultation_list, name="public_consultations"),
    path("publik/konsultasi/<int:consultation_id>/", public_views.consultation_detail, name="public_consultation"),
    path("publik/konsultasi/<int:consultation_id>/naskah-akademik/", public_views.naskah_akademik,
         name="public_naskah_akademik"),
    path("publik/jdih/", public_views.jdih_list, name="jdih_list"),
    path("publik/jdih/jdihn.json", public_views.jdihn_feed, name="jdihn_feed"),
    path("publik/jdih/<int:regulation_id>/", public_views.jdih_detail, name="jdih_detail"),
    path("publik/jdih/<int:regulation_id>/pdf/", public_views.jdih_pdf, name="jdih_pdf"),
    path("publik/jdih/<int:regulation_id>/akn/", public_views.jdih_akn, name="jdih_akn"),
    # --- amending regulations -------------------------------------------------------------------------
    path("perda/<int:regulation_id>/perubahan/", amendment_pages.amendment_start_view, name="amendment_start"),
]
