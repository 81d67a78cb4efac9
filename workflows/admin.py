"""Admin for the shared engine's reference data.

Writes go through the services, so the admin leaves the same audit trail as the application:
assignments (``assignment_create`` / ``assignment_end``), calendar days and legal deadlines
(``workflows.services.calendar``). The org tree is loaded from the organisation file and only shown here.
Notifications, generated documents and the audit trail are read-only; nothing can be deleted.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Assignment,
    AuditEvent,
    Capacity,
    GeneratedDocument,
    SignedDocument,
    SigningIdentity,
    LegalDeadline,
    NonWorkingDay,
    Notification,
    OrgUnit,
    OrgUnitKind,
    Position,
    User,
    WorkingDayOverride,
)
from .services import calendar as calendar_services
from .services.org import assignment_create, assignment_end

admin.site.site_header = _("Administrasi Pamong")
admin.site.site_title = _("Administrasi Pamong")
admin.site.index_title = _("Data rujukan")


class NoDeleteMixin:
    """Nothing is deleted: records are ended, cancelled or deactivated instead."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UnderUnitFilter(admin.SimpleListFilter):
    """Filter by a top unit (the city, a kecamatan, a city office) and everything under it."""

    title = _("di bawah unit")
    parameter_name = "unit"
    unit_path_field = "path"

    def lookups(self, request, model_admin):
        units = OrgUnit.objects.filter(depth__lte=1).exclude(kind=OrgUnitKind.KELURAHAN).order_by("path")
        return [(u.path, str(u)) for u in units.only("path", "name", "kind")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        field = self.unit_path_field
        return queryset.filter(Q(**{field: value}) | Q(**{f"{field}__startswith": value + "/"}))


class PositionUnitFilter(UnderUnitFilter):
    unit_path_field = "org_unit__path"


class AssignmentUnitFilter(UnderUnitFilter):
    unit_path_field = "position__org_unit__path"


# --- people and org ---------------------------------------------------------------------------------------

@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Kepegawaian"), {"fields": ("nip",)}),)
    list_display = ("username", "first_name", "last_name", "nip", "email", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "nip")


# static/pamong/admin.css indents the unit list 1.5em per level, up to this depth.
ORG_INDENT_LEVELS = 6


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("indented_name", "code", "kind", "kemendagri_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "aliases", "code", "kemendagri_code")
    ordering = ("path",)
    list_per_page = 100
    fields = ("code", "name", "kind", "parent", "path", "depth", "aliases", "kemendagri_code", "is_active")

    class Media:
        css = {"all": ["pamong/admin.css"]}  # the indent classes below (no inline style under the CSP)

    @admin.display(description=_("nama"), ordering="path")
    def indented_name(self, obj: OrgUnit):
        return format_html('<span class="pamong-org-depth-{}">{}</span>', min(obj.depth, ORG_INDENT_LEVELS), obj.name)


@admin.register(Position)
class PositionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "code", "kind", "org_unit", "is_active")
    list_filter = ("kind", PositionUnitFilter, "is_active")
    search_fields = ("title", "code", "org_unit__name")
    list_select_related = ("org_unit",)
    ordering = ("org_unit__path", "kind")
    fields = ("code", "title", "kind", "org_unit", "is_active")


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("position", "user", "capacity", "starts_on", "ends_on", "decree", "note")

    def clean(self):
        data = super().clean()
        capacity = data.get("capacity") or (self.instance.capacity if self.instance.pk else None)
        starts_on = data.get("starts_on") or (self.instance.starts_on if self.instance.pk else None)
        ends_on = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if capacity == Capacity.PLH and not ends_on:
            self.add_error("ends_on", _("Penugasan Plh. harus memiliki tanggal selesai."))
        return data


@admin.register(Assignment)
class AssignmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = AssignmentForm
    list_display = ("position", "user", "capacity", "starts_on", "ends_on", "decree")
    list_filter = ("capacity", AssignmentUnitFilter, "starts_on", "ends_on")
    search_fields = ("position__title", "position__code", "user__username", "user__first_name",
                     "user__last_name", "decree")
    list_select_related = ("position", "user")
    autocomplete_fields = ("position", "user")
    date_hierarchy = "starts_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Who held which post from when is history: only the end date and the note can change.
        return ("position", "user", "capacity", "starts_on", "decree", "created_at")

    def save_model(self, request, obj, form, change):
        if change:
            assignment_end(assignment=obj, ends_on=form.cleaned_data.get("ends_on"),
                           note=form.cleaned_data.get("note", ""), actor=request.user, request=request)
            return
        data = form.cleaned_data
        created = assignment_create(
            position=data["position"], user=data["user"], capacity=data["capacity"], starts_on=data["starts_on"],
            ends_on=data.get("ends_on"), decree=data.get("decree", ""), note=data.get("note", ""),
            actor=request.user,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at


# --- calendar ---------------------------------------------------------------------------------------------

class ServiceSaveMixin:
    """Show a service's ValidationError as an admin message instead of an error page."""

    def _run(self, admin_request, fn, **kwargs):
        try:
            return fn(**kwargs)
        except ValidationError as exc:
            self.message_user(admin_request, "; ".join(exc.messages), level=messages.ERROR)
            return None


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(ServiceSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ("date", "name", "kind", "to_confirm", "is_active")
    list_filter = ("kind", "to_confirm", "is_active")
    search_fields = ("name", "legal_basis")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "legal_basis", "to_confirm", "is_active", "updated_at")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        return ("date", "updated_at") if obj else ("updated_at",)

    def save_model(self, request, obj, form, change):
        row = self._run(
            request, calendar_services.non_working_day_set, date=obj.date, kind=obj.kind, name=obj.name,
            legal_basis=obj.legal_basis, to_confirm=obj.to_confirm, is_active=obj.is_active,
            actor=request.user, request=request,
        )
        if row is not None:
            obj.pk = row.pk


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(ServiceSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ("date", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "legal_basis")
    fields = ("date", "name", "legal_basis", "is_active", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        return ("date", "updated_at") if obj else ("updated_at",)

    def save_model(self, request, obj, form, change):
        row = self._run(
            request, calendar_services.working_day_override_set, date=obj.date, name=obj.name,
            legal_basis=obj.legal_basis, is_active=obj.is_active, actor=request.user, request=request,
        )
        if row is not None:
            obj.pk = row.pk


@admin.register(LegalDeadline)
class LegalDeadlineAdmin(ServiceSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name", "days", "day_kind", "alt_day_kind", "effective_from", "to_confirm")
    list_filter = ("day_kind", "to_confirm")
    search_fields = ("code", "name", "legal_basis", "article")
    fieldsets = (
        (None, {"fields": ("code", "name", "days", "day_kind", "effective_from", "counts_from", "legal_basis",
                           "to_confirm", "note")}),
        (_("Cara menghitung hari"), {"fields": ("article", "wording", "day_definition")}),
        (_("Bacaan lain (dua dasar hukum menghitung berbeda)"), {"fields": ("alt_day_kind", "alt_reading")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # A changed rule is a new row with its own "berlaku sejak"; existing rows keep their numbers.
        return ("code", "days", "day_kind", "alt_day_kind", "effective_from") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            changes = {f: form.cleaned_data[f] for f in calendar_services.LEGAL_DEADLINE_TEXT_FIELDS
                       if f in form.cleaned_data}
            self._run(request, calendar_services.legal_deadline_update, rule=obj, actor=request.user,
                      request=request, **changes)
            return
        row = self._run(
            request, calendar_services.legal_deadline_create, code=obj.code, name=obj.name, days=obj.days,
            day_kind=obj.day_kind, legal_basis=obj.legal_basis, counts_from=obj.counts_from,
            effective_from=obj.effective_from, to_confirm=obj.to_confirm, note=obj.note, article=obj.article,
            wording=obj.wording, day_definition=obj.day_definition, alt_day_kind=obj.alt_day_kind,
            alt_reading=obj.alt_reading, actor=request.user, request=request,
        )
        if row is not None:
            obj.pk = row.pk


# --- read-only records ------------------------------------------------------------------------------------

@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "capacity", "read_at", "emailed_at")
    list_filter = (
        ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter), "created_at",
    )
    search_fields = ("subject", "recipient__username", "recipient__last_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    exclude = ("content_type", "object_id")
    readonly_fields = ("about",)

    @admin.display(description=_("tentang"))
    def about(self, obj: Notification):
        return str(obj.obj) if obj.content_type_id else "—"


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "content_type", "object_id", "status", "size", "requested_by",
                    "finished_at")
    list_filter = ("status", "kind", "content_type")
    search_fields = ("kind", "object_id", "sha256", "content_sha256", "filename")
    list_select_related = ("content_type", "requested_by")
    date_hierarchy = "created_at"
    exclude = ("html",)


@admin.register(SigningIdentity)
class SigningIdentityAdmin(ServiceSaveMixin, NoDeleteMixin, admin.ModelAdmin):
    """Only the NIK is edited here (through the audited service); certificates come from the CA."""

    list_display = ("user", "nik", "certificate_serial", "valid_until")
    search_fields = ("user__username", "user__first_name", "user__last_name", "nik")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    fields = ("user", "nik", "certificate_subject", "certificate_serial", "certificate_issuer", "valid_from",
              "valid_until")
    readonly_fields = ("certificate_subject", "certificate_serial", "certificate_issuer", "valid_from", "valid_until")

    def get_readonly_fields(self, request, obj=None):
        return ("user", *self.readonly_fields) if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        from .services.signing import signing_identity_set

        row = self._run(request, signing_identity_set, user=obj.user, nik=obj.nik, actor=request.user,
                        request=request)
        if row is not None:
            obj.pk = row.pk


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("signed_at", "title", "kind", "capacity_label", "backend", "sha256")
    list_filter = ("kind", "backend")
    search_fields = ("title", "sha256", "unsigned_sha256", "signer_name", "public_id")
    list_select_related = ("signer",)
    date_hierarchy = "signed_at"


class StreamKindFilter(admin.SimpleListFilter):
    """Filter events by the kind of stream: the part before ":" ("perda.regulation", "workflows.calendar")."""

    title = _("aliran")
    parameter_name = "aliran"

    def lookups(self, request, model_admin):
        streams = AuditEvent.objects.order_by().values_list("stream", flat=True).distinct()[:5000]
        prefixes = sorted({s.split(":", 1)[0] for s in streams})
        return [(p, p) for p in prefixes]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(Q(stream=value) | Q(stream__startswith=value + ":"))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "actor_name", "capacity", "action", "object_repr", "stream", "seq")
    list_filter = ("action", StreamKindFilter, "occurred_at")
    search_fields = ("=stream", "action", "actor_name", "object_repr", "reason", "=object_id")
    date_hierarchy = "occurred_at"
    ordering = ("-id",)
    list_per_page = 100
    show_full_result_count = False
