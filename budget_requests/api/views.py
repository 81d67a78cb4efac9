"""API viewsets. Reads are scoped with the same selectors as the pages; writes call the same services."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workflows.models import OrgUnit
from workflows.policy import Denied

from .. import selectors
from ..errors import RequestError
from ..models import Asset, Envelope, RepairRequest
from ..services import (
    envelope_allocate, envelope_create, request_approve, request_cancel, request_close, request_create, payment_record, request_reject, request_return,
    request_require_visible, request_submit,
)
from ..sipd.policy import require_bpkad
from ..views.common import all_or_nothing, request_units
from . import serializers as s

ERRORS = {400: OpenApiResponse(s.ErrorSerializer, description="RequestError"),
          403: OpenApiResponse(s.ErrorSerializer, description="Denied")}


@extend_schema_view(
    list=extend_schema(summary=_("Daftar permohonan perbaikan (sesuai cakupan Anda)"), parameters=[
        OpenApiParameter("state", str, description=_("Status (draft, under_review, approved, …) atau 'open'")),
        OpenApiParameter("unit", str, description=_("Kode unit, mis. kel-babakan atau kec-setu")),
    ]),
    retrieve=extend_schema(summary=_("Satu permohonan dengan rute dan keputusannya")),
)
class RepairRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.RepairRequestSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = selectors.request_list(self.request.user, state=self.request.query_params.get("state", ""),
                                    unit=self.request.query_params.get("unit", ""))
        if self.action == "retrieve":
            qs = qs.prefetch_related("decisions__actor", "decisions__rule", "quotes")
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.RepairRequestDetailSerializer
        if self.action == "create":
            return s.RepairRequestCreateSerializer
        return s.RepairRequestSerializer

    def _detail(self, obj, code=status.HTTP_200_OK):
        fresh = RepairRequest.objects.select_related("org_unit", "asset").prefetch_related(
            "decisions__actor", "decisions__rule", "quotes").get(pk=obj.pk)
        return Response(s.RepairRequestDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=s.RepairRequestCreateSerializer, responses={201: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Buat permohonan (dan ajukan bila submit=true)"))
    def create(self, request, *args, **kwargs):
        ser = s.RepairRequestCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        units = request_units(request.user)
        if not units:
            raise Denied("outside_unit", _("Anda tidak menjabat di kelurahan atau kecamatan."))
        unit = units[0]
        if d.get("org_unit"):
            unit = next((u for u in units if u.code == d["org_unit"]), None)
            if unit is None:
                unit = OrgUnit.objects.filter(code=d["org_unit"]).first()
                if unit is None:
                    raise RequestError("invalid_unit", _("Unit %(code)s tidak ditemukan.") % {"code": d["org_unit"]},
                                       "org_unit")
        asset_q = Q(tag=d["asset"]) | (Q(pk=int(d["asset"])) if d["asset"].isdigit() else Q(pk__in=[]))
        asset = Asset.objects.filter(asset_q).select_related("org_unit").first()
        if asset is None:
            raise RequestError("invalid_asset", _("Aset %(tag)s tidak ditemukan.") % {"tag": d["asset"]}, "asset")
        envelope = Envelope.objects.filter(pk=d["envelope"]).select_related("org_unit").first()
        if envelope is None:
            raise RequestError("invalid_envelope", _("Pagu tidak ditemukan."), "envelope")
        with all_or_nothing(user=request.user, obj=None, attempted="create", request=request):
            obj = request_create(actor=request.user, org_unit=unit, asset=asset, category=d["category"],
                                 problem=d["problem"], amount=d["amount"], envelope=envelope, urgency=d["urgency"],
                                 payment_route=d["payment_route"], quotes=d.get("quotes") or (), request=request)
            if d.get("submit"):
                request_submit(request_obj=obj, actor=request.user, request=request)
        return self._detail(obj, status.HTTP_201_CREATED)

    def _target(self, pk) -> RepairRequest:
        # An outsider gets 404, like for a request that does not exist, before their input or the request's state
        # is looked at (the attempt is recorded in the audit trail).
        obj = get_object_or_404(RepairRequest.objects.select_related("org_unit"), pk=pk)
        request_require_visible(request_obj=obj, actor=self.request.user, attempted=self.action, request=self.request)
        return obj

    def _act(self, request, pk, serializer_class, call):
        obj = self._target(pk)
        data = {}
        if serializer_class is not None:
            ser = serializer_class(data=request.data)
            ser.is_valid(raise_exception=True)
            data = ser.validated_data
        call(obj, data)
        return self._detail(obj)

    @extend_schema(request=None, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Ajukan (atau ajukan ulang setelah dikembalikan)"))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(request, pk, None, lambda o, d: request_submit(request_obj=o, actor=request.user,
                                                                          request=request))

    @extend_schema(request=s.ApproveInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Setujui langkah saat ini"))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(request, pk, s.ApproveInputSerializer, lambda o, d: request_approve(
            request_obj=o, actor=request.user, justification=d["justification"], request=request))

    @extend_schema(request=s.ReasonInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Kembalikan untuk perbaikan (alasan wajib)"))
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(request, pk, s.ReasonInputSerializer, lambda o, d: request_return(
            request_obj=o, actor=request.user, reason=d["reason"], request=request))

    @extend_schema(request=s.ReasonInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Tolak (alasan wajib)"))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(request, pk, s.ReasonInputSerializer, lambda o, d: request_reject(
            request_obj=o, actor=request.user, reason=d["reason"], request=request))

    @extend_schema(request=s.ReasonInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Batalkan (alasan wajib)"))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, pk, s.ReasonInputSerializer, lambda o, d: request_cancel(
            request_obj=o, actor=request.user, reason=d["reason"], request=request))

    @extend_schema(request=s.PaymentInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Satu langkah pembayaran: SPP, verifikasi PPK-SKPD, SPM, SP2D, atau belanja dari UP"))
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        return self._act(request, pk, s.PaymentInputSerializer, lambda o, d: payment_record(
            request_obj=o, actor=request.user, step=d["step"], refuse=d["refuse"], data=d, request=request))

    @extend_schema(request=s.CloseInputSerializer, responses={200: s.RepairRequestDetailSerializer, **ERRORS},
                   summary=_("Tutup permohonan yang dibayar atau diteruskan ke Provinsi"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, pk, s.CloseInputSerializer, lambda o, d: request_close(
            request_obj=o, actor=request.user, note=d["note"], request=request))


@extend_schema_view(list=extend_schema(summary=_("Daftar pagu (sesuai cakupan Anda)"), parameters=[
                        OpenApiParameter("fiscal_year", int, description=_("Tahun anggaran"))]),
                    retrieve=extend_schema(summary=_("Satu pagu dengan buku besarnya")))
class EnvelopeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EnvelopeSerializer

    @extend_schema(request=s.EnvelopeCreateSerializer, responses={201: s.EnvelopeDetailSerializer, **ERRORS},
                   summary=_("Buat pagu dari DPA (pejabat keuangan BPKAD); kode diperiksa terhadap daftar "
                             "kodefikasi"))
    def create(self, request, *args, **kwargs):
        require_bpkad(request.user, attempted="envelope.create", request=request)
        ser = s.EnvelopeCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        unit = OrgUnit.objects.filter(code=d["org_unit"]).first()
        if unit is None:
            raise RequestError("invalid_unit", _("Unit %(code)s tidak ditemukan.") % {"code": d["org_unit"]},
                               "org_unit")
        with transaction.atomic():
            env = envelope_create(actor=request.user, org_unit=unit, sub_kegiatan=d["sub_kegiatan"],
                                  account_code=d["account_code"], fiscal_year=d["fiscal_year"], name=d["name"],
                                  request=request)
            if d.get("allocation"):
                envelope_allocate(envelope=env, amount=d["allocation"], actor=request.user, request=request)
        return Response(s.EnvelopeDetailSerializer(env, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    def get_queryset(self):
        year = self.request.query_params.get("fiscal_year")
        return selectors.envelope_list(self.request.user, year=int(year) if (year or "").isdigit() else None)

    def get_serializer_class(self):
        return s.EnvelopeDetailSerializer if self.action == "retrieve" else s.EnvelopeSerializer


@extend_schema_view(list=extend_schema(summary=_("Daftar aset TI (sesuai cakupan Anda)")),
                    retrieve=extend_schema(summary=_("Satu aset TI")))
class AssetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AssetSerializer

    def get_queryset(self):
        return selectors.assets_visible(self.request.user).order_by("tag")
