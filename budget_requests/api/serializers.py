"""Serializers: read shapes of requests, envelopes and assets; input shapes of create and the actions.

Input fields are deliberately loose (amounts as text such as "1.500.000"): the services validate and answer
with ``RequestError`` codes and Indonesian messages, the same as the web forms.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Asset, Decision, Envelope, LedgerEntry, Quote, RepairRequest, RequestState
from ..services.requests import MAX_QUOTES, MAX_TEXT


class AssetSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.__str__", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    owner_authority_label = serializers.CharField(source="get_owner_authority_display", read_only=True)

    class Meta:
        model = Asset
        fields = ["id", "tag", "kind", "kind_label", "description", "location", "org_unit", "org_unit_name",
                  "owner_authority", "owner_authority_label", "is_active"]


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    request = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "kind_label", "amount", "request", "spp_number", "spm_number", "sp2d_number",
                  "paid_on", "room_after", "capacity", "note", "created_at"]


class EnvelopeSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.__str__", read_only=True)
    room = serializers.IntegerField(read_only=True)

    class Meta:
        model = Envelope
        fields = ["id", "name", "sub_kegiatan", "account_code", "code_list_version", "fiscal_year", "org_unit",
                  "org_unit_name", "allocated", "reserved", "paid", "room"]


class EnvelopeCreateSerializer(serializers.Serializer):
    """A new envelope from the DPA: codes from the shipped code list (``budget_requests.codelist``)."""

    org_unit = serializers.CharField(max_length=100, help_text=_("Kode unit, mis. kec-setu"))
    sub_kegiatan = serializers.CharField(max_length=32, help_text=_("Mis. 7.01.01.2.09.0006"))
    account_code = serializers.CharField(max_length=64, help_text=_("Mis. 5.1.02.03.02.0405"))
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=200)
    allocation = serializers.IntegerField(required=False, min_value=1, default=None, allow_null=True)


class EnvelopeDetailSerializer(EnvelopeSerializer):
    ledger = serializers.SerializerMethodField()

    class Meta(EnvelopeSerializer.Meta):
        fields = EnvelopeSerializer.Meta.fields + ["ledger"]

    def get_ledger(self, obj) -> list[dict]:
        return LedgerEntrySerializer(obj.entries.order_by("pk")[:1000], many=True).data


class DecisionSerializer(serializers.ModelSerializer):
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    actor = serializers.CharField(source="actor.__str__", read_only=True, default=None)
    rule = serializers.CharField(source="rule.__str__", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = ["id", "step_index", "revision", "outcome", "outcome_label", "is_final", "amount", "actor",
                  "capacity_label", "reason", "justification", "rule", "created_at"]


class QuoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = ["id", "vendor_name", "vendor_npwp", "amount"]


class RepairRequestSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.CharField(source="org_unit.__str__", read_only=True)
    asset = serializers.SlugRelatedField(slug_field="tag", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    waiting_on_province = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = RepairRequest
        fields = ["id", "number", "summary", "state", "state_label", "waiting_on_province", "org_unit",
                  "org_unit_name", "asset", "category", "problem", "amount", "urgency", "payment_route", "envelope",
                  "is_flagged", "current_step", "revision", "created_at", "submitted_at", "decided_at", "paid_at",
                  "closed_at", "forwarded_at", "status_note"]

    def get_waiting_on_province(self, obj) -> bool:
        return obj.state == RequestState.FORWARDED_TO_PROVINCE

    def get_summary(self, obj) -> str:
        from ..selectors import request_summary

        return request_summary(obj)


class RepairRequestDetailSerializer(RepairRequestSerializer):
    route = serializers.JSONField(read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)

    class Meta(RepairRequestSerializer.Meta):
        fields = RepairRequestSerializer.Meta.fields + ["route", "decisions", "quotes"]


class QuoteInputSerializer(serializers.Serializer):
    vendor_name = serializers.CharField(max_length=200)
    vendor_npwp = serializers.CharField(max_length=32, required=False, allow_blank=True)
    amount = serializers.CharField(max_length=40, help_text=_("Rupiah utuh, mis. 1500000 atau \"1.500.000\"."))


class RepairRequestCreateSerializer(serializers.Serializer):
    org_unit = serializers.CharField(required=False, max_length=64, help_text=_("Kode unit (kelurahan/kecamatan); bawaan: unit Anda."))
    asset = serializers.CharField(max_length=64, help_text=_("Nomor aset (tag) atau ID."))
    category = serializers.CharField(max_length=32)
    problem = serializers.CharField(max_length=MAX_TEXT)
    amount = serializers.CharField(max_length=40, help_text=_("Rupiah utuh, mis. 1500000 atau \"1.500.000\"."))
    envelope = serializers.IntegerField()
    urgency = serializers.CharField(required=False, default="normal", max_length=32)
    payment_route = serializers.CharField(required=False, default="UP", max_length=8)
    quotes = QuoteInputSerializer(many=True, required=False, max_length=MAX_QUOTES,
                                  help_text=_("Paling banyak 10 penawaran, seperti pada formulir."))
    submit = serializers.BooleanField(required=False, default=False, help_text=_("Langsung ajukan setelah dibuat."))


class ApproveInputSerializer(serializers.Serializer):
    justification = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class PaymentInputSerializer(serializers.Serializer):
    """One payment act: ``spp`` (bendahara/PPTK), ``verify`` (PPK-SKPD), ``spm`` (PA/KPA), ``sp2d`` (Kuasa BUD)
    or ``up_spend`` (bendahara, from UP); ``refuse`` with a ``reason`` for verify/spm/sp2d."""

    step = serializers.ChoiceField(choices=["spp", "verify", "spm", "sp2d", "up_spend"])
    refuse = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    payee_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    payee_npwp = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    bank_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    bank_account = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    ppn = serializers.IntegerField(required=False, min_value=0, default=0)
    pph = serializers.IntegerField(required=False, min_value=0, default=0)
    pph_article = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    contract_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    contract_date = serializers.DateField(required=False, allow_null=True, default=None)
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True)
