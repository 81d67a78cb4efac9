"""Admin: read-mostly views of the regulation documents. Writes belong to the services (audited), so the
admin offers no add/change/delete for versions and only inspection for the rest."""
from django.contrib import admin

from .models import DasarHukum, Konsiderans, Provision, Regulation, Version


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Regulation)
class RegulationAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "evaluasi_kind", "pemrakarsa", "number", "year", "updated_at")
    list_filter = ("kind", "evaluasi_kind", "year")
    search_fields = ("title",)


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    list_display = ("regulation", "seq", "label", "created_by", "created_at", "sha256")
    list_filter = ("regulation",)
    readonly_fields = ("regulation", "seq", "label", "created_by", "created_at", "snapshot", "sha256")


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ("regulation", "kind", "heading", "order", "removed_at")
    list_filter = ("kind",)


admin.site.register(Konsiderans, ReadOnlyAdmin)
admin.site.register(DasarHukum, ReadOnlyAdmin)
