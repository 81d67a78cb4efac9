"""Django admin of complaints: a source's address, clocks and activity are edited here; its token is created
with ``manage.py complaint_source_create`` (only the digest is stored). Complaints and outbox rows are
read-only: they change only through the services."""
from django.contrib import admin

from workflows.admin import NoDeleteMixin, ReadOnlyMixin

from .models import Complaint, ComplaintSource, ComplaintUpdate


@admin.register(ComplaintSource)
class ComplaintSourceAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "callback_url", "uses_lapor_clocks", "is_active")
    fields = ("code", "name", "kind", "external_id_label", "callback_url", "uses_lapor_clocks", "is_active",
              "token_digest")
    readonly_fields = ("code", "kind", "token_digest")

    def has_add_permission(self, request):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("external_id", "source", "title", "org_unit", "asset", "state", "received_at")
    list_filter = ("source", "state", "match_basis")
    list_select_related = ("source", "org_unit", "asset")
    search_fields = ("external_id", "title")


@admin.register(ComplaintUpdate)
class ComplaintUpdateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("complaint", "event", "status", "attempts", "last_attempt_at", "delivered_at")
    list_filter = ("status", "event")
    list_select_related = ("complaint__source",)
