"""``POST /api/v1/complaints/``: the complaint systems (SIARAN, SP4N-LAPOR!) deliver complaints here.

Authentication per source: ``Authorization: Bearer <the source's token>`` and ``X-Pamong-Signature:
sha256=<hex HMAC-SHA256 of the raw body under the source's secret>``; both are checked before the body is read
as JSON. Strict input: unknown fields are refused, and a bad body writes nothing (400, Indonesian message).
Idempotent on the source's own id: the same ``external_id`` again answers 200 with the complaint already
received (``duplicate: true``) instead of 201.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import AnonymousUser
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _l
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api import JSONParser

from .models import Complaint, ComplaintCategory, ComplaintSource
from .services import complaint_receive
from .signing import SIGNATURE_HEADER, signature_matches, token_digest

log = logging.getLogger(__name__)
BEARER = b"bearer"
# Clocks of the complaint systems differ a little from ours: a report "from the future" beyond this is refused.
CLOCK_SKEW = dt.timedelta(minutes=10)


class ComplaintSourceAuthentication(BaseAuthentication):
    """A complaint system's bearer token, then the HMAC signature of the body (constant-time checks)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != BEARER:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk 'Bearer <token>'."),
                                                  code="bad_token")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token sumber pengaduan tidak sah."), code="bad_token") from None
        source = ComplaintSource.objects.filter(token_digest=token_digest(token), is_active=True).first()
        if source is None:
            raise exceptions.AuthenticationFailed(_("Token sumber pengaduan tidak sah."), code="bad_token")
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature:
            raise exceptions.AuthenticationFailed(
                _("Tanda tangan %(header)s wajib disertakan.") % {"header": SIGNATURE_HEADER}, code="signature_missing")
        if not signature_matches(source.hmac_secret, request.body, signature):
            log.warning("complaint API: bad signature from source %s", source.code)
            raise exceptions.AuthenticationFailed(
                _("Tanda tangan isi permintaan tidak cocok dengan rahasia sumber ini."), code="bad_signature")
        return AnonymousUser(), source

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="pengaduan"'


class ComplaintSourceScheme(OpenApiAuthenticationExtension):
    target_class = ComplaintSourceAuthentication
    name = "complaintSourceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": str(_l(
            "Token sumber pengaduan (SIARAN, SP4N-LAPOR!), disertai header X-Pamong-Signature: "
            "sha256=<HMAC-SHA256 heksadesimal dari isi permintaan mentah dengan rahasia sumber>."))}


class IsComplaintSource(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ComplaintSource)


class ComplaintInSerializer(serializers.Serializer):
    external_id = serializers.CharField(
        max_length=64, help_text=_l("Nomor pengaduan di sistem sumber: ID SIARAN atau TrackingID LAPOR!."),
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
                                   _l("Nomor pengaduan hanya boleh berisi huruf, angka, dan . _ : / -"))])
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    reported_at = serializers.DateTimeField(help_text=_l("Waktu pelaporan di sistem sumber (ISO 8601)."))
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                        required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    asset_code = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                       help_text=_l("Nomor aset bila pelapor menyebutkannya (stiker pada perangkat)."))
    kelurahan = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields)) if isinstance(self.initial_data, dict) else []
        if unknown:
            raise serializers.ValidationError(
                {unknown[0]: [_("Bidang tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}]},
                code="unknown_field")
        if (attrs.get("latitude") is None) != (attrs.get("longitude") is None):
            raise serializers.ValidationError({"latitude": [_("Lintang dan bujur diisi berdua atau tidak sama "
                                                              "sekali.")]}, code="coordinates_incomplete")
        if attrs["reported_at"] > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError({"reported_at": [_("Waktu pelaporan berada di masa depan.")]},
                                              code="reported_in_future")
        return attrs


class ComplaintReceiptSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    asset = serializers.SlugRelatedField(slug_field="tag", read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit_name = serializers.SerializerMethodField()
    triage_position = serializers.CharField(source="triage_position.title", read_only=True, default=None)
    duplicate = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "source", "external_id", "state", "state_label", "match_basis", "asset", "org_unit",
                  "org_unit_name", "triage_position", "received_at", "duplicate"]

    def get_org_unit_name(self, obj) -> str | None:
        return str(obj.org_unit) if obj.org_unit_id else None

    def get_duplicate(self, obj) -> bool:
        return bool(self.context.get("duplicate"))


class ComplaintReceiveView(APIView):
    authentication_classes = [ComplaintSourceAuthentication]
    permission_classes = [IsComplaintSource]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="complaints_receive",
        summary=_l("Terima pengaduan dari SIARAN atau SP4N-LAPOR!"),
        description=_l("Idempoten pada nomor pengaduan sumber: nomor yang sama mengembalikan pengaduan yang sudah "
                       "diterima (200, duplicate=true)."),
        request=ComplaintInSerializer,
        parameters=[OpenApiParameter(SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True, description=_l(
            "sha256=<HMAC-SHA256 heksadesimal dari isi permintaan mentah, dengan rahasia HMAC sumber>"))],
        responses={201: ComplaintReceiptSerializer,
                   200: OpenApiResponse(ComplaintReceiptSerializer, description=_l("Sudah diterima sebelumnya."))},
    )
    def post(self, request):
        ser = ComplaintInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        complaint, created = complaint_receive(source=request.auth, data=ser.validated_data, payload=request.data,
                                               request=request)
        complaint = Complaint.objects.select_related("source", "asset", "org_unit", "triage_position").get(
            pk=complaint.pk)
        body = ComplaintReceiptSerializer(complaint, context={"duplicate": not created}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
