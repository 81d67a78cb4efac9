"""Django admin: the delegation matrix is edited here by an administrator (data, not code). Envelope totals,
ledger entries, request state and decisions are read-only: they change only through the services."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .codelist import validate_codes
from .errors import RequestError
from .models import Asset, Decision, DelegationRule, Envelope, LedgerEntry, Quote, RedFlag, RepairRequest


@admin.register(DelegationRule)
class DelegationRuleAdmin(admin.ModelAdmin):
    list_display = ("fiscal_year", "step_order", "position_kind", "level", "category", "max_single_amount",
                    "applies_above", "monthly_cap_per_unit", "acting_allowed", "acting_share_pct",
                    "endorses_above_limit", "step_kind", "response_time_value", "response_time_unit", "effective_from",
                    "effective_until", "needs_confirmation")
    list_filter = ("fiscal_year", "position_kind", "level", "step_kind", "category", "needs_confirmation")
    ordering = ("-fiscal_year", "step_order", "category")
    fieldsets = (
        (None, {"fields": ("fiscal_year", "effective_from", "effective_until", "legal_basis", "needs_confirmation",
                           "note")}),
        (_("Jabatan dan batas"), {"fields": ("position_kind", "level", "category", "step_order", "step_kind",
                                             "max_single_amount", "applies_above", "monthly_cap_per_unit",
                                             "endorses_above_limit")}),
        (_("Plh/Plt"), {"fields": ("acting_allowed", "acting_share_pct")}),
        (_("Waktu tanggap"), {"fields": ("response_time_value", "response_time_unit")}),
    )

    def has_delete_permission(self, request, obj=None):
        # A rule that allowed a decision is evidence: end it with ``effective_until`` instead of deleting.
        return False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("tag", "kind", "description", "org_unit", "owner_authority", "is_active")
    list_filter = ("kind", "owner_authority", "is_active")
    search_fields = ("tag", "description", "location", "org_unit__name")
    autocomplete_fields = ()
    raw_id_fields = ("org_unit", "technical_owner")

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "amount", "room_after", "request", "spp_number", "spm_number", "sp2d_number",
              "paid_on", "actor", "capacity", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EnvelopeForm(forms.ModelForm):
    add_allocation = forms.IntegerField(
        label=_("tambah alokasi (Rp)"), required=False, min_value=1,
        help_text=_("Dicatat sebagai entri alokasi di buku besar pagu."),
    )

    class Meta:
        model = Envelope
        fields = ("org_unit", "sub_kegiatan", "account_code", "fiscal_year", "name")

    def clean(self):
        # A new envelope's codes are checked against the shipped code list, as the service checks them.
        data = super().clean()
        if self.instance.pk is None and data.get("org_unit") is not None:
            try:
                data["sub_kegiatan"], data["account_code"] = validate_codes(
                    org_unit=data["org_unit"], sub_kegiatan=data.get("sub_kegiatan", ""),
                    account_code=data.get("account_code", ""))
            except RequestError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(Envelope)
class EnvelopeAdmin(admin.ModelAdmin):
    form = EnvelopeForm
    list_display = ("name", "org_unit", "sub_kegiatan", "account_code", "fiscal_year", "allocated", "reserved", "paid",
                    "room")
    list_filter = ("fiscal_year",)
    search_fields = ("name", "account_code", "org_unit__name")
    readonly_fields = ("allocated", "reserved", "paid", "room")
    raw_id_fields = ("org_unit",)
    inlines = [LedgerEntryInline]

    @admin.display(description=_("sisa"))
    def room(self, obj):
        return obj.room

    def save_model(self, request, obj, form, change):
        from .services import envelope_allocate, envelope_create

        if change:
            super().save_model(request, obj, form, change)
        else:  # through the service: code list version and the audit event
            d = form.cleaned_data
            created = envelope_create(actor=request.user, org_unit=d["org_unit"], sub_kegiatan=d["sub_kegiatan"],
                                      account_code=d["account_code"], fiscal_year=d["fiscal_year"], name=d["name"],
                                      request=request)
            obj.pk, obj.code_list_version, obj.created_at = created.pk, created.code_list_version, created.created_at
            obj._state.adding = False
        amount = form.cleaned_data.get("add_allocation")
        if amount:
            envelope_allocate(envelope=obj, amount=amount, actor=request.user, note=str(_("melalui admin")),
                              request=request)

    def get_readonly_fields(self, request, obj=None):
        # Identity is fixed once created; totals always come from the ledger (services.ledger).
        if obj is not None:
            return ("org_unit", "sub_kegiatan", "account_code", "code_list_version", "fiscal_year") + tuple(
                self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    fields = ("created_at", "step_index", "revision", "position", "actor", "capacity_label", "outcome", "is_final",
              "amount", "rule", "reason", "justification")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    can_delete = False
    readonly_fields = ("vendor_name", "vendor_npwp", "amount", "file")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RepairRequest)
class RepairRequestAdmin(admin.ModelAdmin):
    list_display = ("number", "org_unit", "asset", "amount", "state", "current_step", "is_flagged", "submitted_at")
    list_filter = ("state", "is_flagged", "category", "payment_route")
    search_fields = ("number", "asset__tag", "org_unit__name", "problem")
    list_select_related = ("org_unit", "asset")
    inlines = [QuoteInline, DecisionInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # raised through the web form / API (services)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    list_display = ("request", "kind", "basis", "total", "threshold", "threshold_kind", "created_at", "reviewed_at",
                    "finding")
    list_filter = ("kind", "basis", "threshold_kind", "finding")
    readonly_fields = ("kind", "request", "related_requests", "basis", "basis_value", "window_days", "window_start",
                       "window_end", "total", "threshold", "threshold_kind", "legal_basis", "explanation", "created_at",
                       "reviewed_by", "reviewed_at", "finding", "review_note")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from .complaints import admin as complaints_admin  # noqa: E402,F401  (registers the complaint models)
