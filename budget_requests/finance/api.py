"""Finance API (``/api/v1/finance/…``): the dashboard figures from the same selectors, scoped like the page.

Query parameters (all optional): ``year``, ``month_from``, ``month_to``, ``unit`` (org-unit code within your
scope), ``category``, ``state``. A refusal is 403 with ``{"code", "detail"}`` (Indonesian message).
"""
from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors as sel
from .forms import filter_from_params
from .policy import require_finance_viewer

FILTER_PARAMS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Tahun anggaran (bawaan: tahun ini)"),
    OpenApiParameter("month_from", OpenApiTypes.INT, description="Bulan awal 1–12"),
    OpenApiParameter("month_to", OpenApiTypes.INT, description="Bulan akhir 1–12"),
    OpenApiParameter("unit", OpenApiTypes.STR, description="Kode unit (kecamatan/kelurahan) dalam cakupan Anda"),
    OpenApiParameter("category", OpenApiTypes.STR, description="Kategori perbaikan"),
    OpenApiParameter("state", OpenApiTypes.STR, description="Status permohonan"),
]


class EnvelopeFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField()
    unit_code = serializers.CharField()
    account_code = serializers.CharField()
    name = serializers.CharField()
    allocated = serializers.IntegerField(help_text="Pagu (Rp)")
    reserved = serializers.IntegerField(help_text="Terikat (Rp)")
    paid = serializers.IntegerField(help_text="Terbayar (Rp)")
    room = serializers.IntegerField(help_text="Sisa pagu (Rp)")
    absorption_paid = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    absorption_committed = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


class StateFigureSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    period = serializers.CharField()
    envelopes = EnvelopeFigureSerializer(many=True)
    totals = EnvelopeFigureSerializer()
    states = StateFigureSerializer(many=True)


class AgeingFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.IntegerField()


class BinSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()


class RouteTimesSerializer(serializers.Serializer):
    route = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.IntegerField()
    median = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    p90 = serializers.IntegerField(allow_null=True)
    bins = BinSerializer(many=True)


class RedFlagFigureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.IntegerField()
    request_number = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    basis = serializers.CharField()
    total = serializers.IntegerField()
    threshold = serializers.IntegerField()
    threshold_kind = serializers.CharField()
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    reviewed = serializers.BooleanField()


class RedFlagPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RedFlagFigureSerializer(many=True)


def _envelope(e: sel.EnvelopeRow) -> dict:
    return {"id": e.id, "unit": e.unit, "unit_code": e.unit_code, "account_code": e.account_code, "name": e.name,
            "allocated": e.allocated, "reserved": e.reserved, "paid": e.paid, "room": e.room,
            "absorption_paid": e.absorption_paid, "absorption_committed": e.absorption_committed}


class _FinanceView(APIView):
    def filter(self, request):
        require_finance_viewer(request.user, request=request)
        f, _form = filter_from_params(request.query_params, request.user)
        return f


class SummaryView(_FinanceView):
    @extend_schema(parameters=FILTER_PARAMS, responses=SummarySerializer,
                   summary="Pagu, terikat, terbayar, sisa, penyerapan dan permohonan per status")
    def get(self, request):
        f = self.filter(request)
        rows = sel.envelope_summary(request.user, f)
        data = {"period": f.period_label, "envelopes": [_envelope(e) for e in rows],
                "totals": _envelope(sel.envelope_totals(rows)),
                "states": [vars(s) for s in sel.requests_by_state(request.user, f)]}
        return Response(SummarySerializer(data).data)


class AgeingView(_FinanceView):
    @extend_schema(parameters=FILTER_PARAMS, responses=AgeingFigureSerializer(many=True),
                   summary="Umur permohonan terbuka dalam hari kerja (0–2, 3–5, 6–10, >10)")
    def get(self, request):
        f = self.filter(request)
        return Response(AgeingFigureSerializer([vars(a) for a in sel.ageing(request.user, f)], many=True).data)


class DecisionTimesView(_FinanceView):
    @extend_schema(parameters=FILTER_PARAMS, responses=RouteTimesSerializer(many=True),
                   summary="Waktu sampai keputusan per rute (lurah, camat, pusat, semua): median, p90, sebaran")
    def get(self, request):
        f = self.filter(request)
        data = [{"route": t.route, "label": t.label, "count": t.count, "amount": t.amount, "median": t.median,
                 "p90": t.p90, "bins": [{"low": lo, "high": hi, "count": n} for lo, hi, n in t.bins]}
                for t in sel.decision_times(request.user, f)]
        return Response(RouteTimesSerializer(data, many=True).data)


class RedFlagsView(_FinanceView):
    @extend_schema(parameters=[*FILTER_PARAMS, OpenApiParameter("page", OpenApiTypes.INT, description="Halaman")],
                   responses=RedFlagPageSerializer,
                   summary="Tanda merah (dugaan pemecahan paket) pada permohonan dalam cakupan")
    def get(self, request):
        f = self.filter(request)
        qs = sel.red_flags(request.user, f)
        page = self.paginator.paginate_queryset(qs, request, view=self) if self.paginator else list(qs)
        data = [{"id": r.pk, "request_id": r.request_id, "request_number": r.request.number,
                 "unit": str(r.request.org_unit), "basis": r.basis, "total": r.total, "threshold": r.threshold,
                 "threshold_kind": r.threshold_kind, "window_start": r.window_start, "window_end": r.window_end,
                 "created_at": r.created_at, "reviewed": r.reviewed_at is not None} for r in page]
        out = RedFlagFigureSerializer(data, many=True).data
        return self.paginator.get_paginated_response(out) if self.paginator else Response(out)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            from rest_framework.settings import api_settings
            cls = api_settings.DEFAULT_PAGINATION_CLASS
            self._paginator = cls() if cls else None
        return self._paginator
