"""Demo data: the two complaint systems and a few complaints in each stage, through the services.

The demo sources have fixed tokens and secrets (below, also in the README) so that a complaint can be posted
to a local ``make run`` by hand; they have no status address, so their updates wait in the outbox page.
Idempotent: sources and complaints already there are kept.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from workflows.models import OrgUnit, User

DEMO_SOURCES = (
    # code, name, kind, id label, token, HMAC secret
    ("siaran", "SIARAN", "siaran", "ID SIARAN", "demo-siaran-token", "demo-siaran-rahasia-hmac"),
    ("lapor", "SP4N-LAPOR!", "lapor", "TrackingID", "demo-lapor-token", "demo-lapor-rahasia-hmac"),
)
CCTV_TAG = "CCTV-BBK-01"


def _sources() -> dict:
    from .models import ComplaintSource
    from .services import complaint_source_create

    found = {s.code: s for s in ComplaintSource.objects.all()}
    for code, name, kind, label, token, secret in DEMO_SOURCES:
        if code not in found:
            found[code], _ = complaint_source_create(actor=None, code=code, name=name, kind=kind,
                                                     external_id_label=label, token=token, secret=secret)
    return found


def _cctv() -> None:
    from ..models import Asset, AssetKind

    babakan = OrgUnit.objects.filter(code="kel-babakan").first()
    if babakan is not None and not Asset.objects.filter(tag=CCTV_TAG).exists():
        Asset.objects.create(tag=CCTV_TAG, kind=AssetKind.CCTV, description="CCTV pemantau taman kelurahan",
                             location="Taman Kelurahan Babakan, Jl. Babakan Raya", org_unit=babakan,
                             technical_owner=OrgUnit.objects.filter(code="diskominfo").first())


def _complaints(sources: dict) -> int:
    from ..models import Envelope
    from .models import Complaint
    from .services import complaint_close, complaint_receive, complaint_to_repair

    now = timezone.now()
    rows = (
        ("siaran", "SRN-2026-000101", "CCTV taman mati", "Kamera CCTV di taman kelurahan tidak menyala sejak Senin.",
         "cctv", {"asset_code": CCTV_TAG}, None),
        ("lapor", "LPR-5821904", "Wi-Fi publik balai warga tidak bisa tersambung",
         "Sinyal ada tetapi tidak bisa masuk internet.", "wifi_publik",
         {"kelurahan": "Pondok Benda", "location": "Balai warga"}, None),
        ("lapor", "LPR-5821977", "Internet gratis di lapangan mati", "Sudah seminggu tidak bisa dipakai.",
         "wifi_publik", {"location": "Lapangan dekat sekolah"}, None),
        ("siaran", "SRN-2026-000117", "Printer kelurahan macet", "Printer di loket macet terus.",
         "perangkat_kantor", {"asset_code": "BABAKAN-PRN-01"}, "close"),
        ("siaran", "SRN-2026-000123", "Anjungan mandiri layar mati", "Layar anjungan di kantor kelurahan gelap.",
         "perangkat_kantor", {"asset_code": "KIOSK-BBK-01"}, "repair"),
    )
    made = 0
    operator = User.objects.filter(username="operator.babakan").first()
    for i, (code, ext, title, text, category, extra, then) in enumerate(rows):
        source = sources[code]
        if Complaint.objects.filter(source=source, external_id=ext).exists():
            continue
        data = {"external_id": ext, "title": title, "description": text, "category": category,
                "reported_at": now - dt.timedelta(hours=6 + i), **extra}
        c, _ = complaint_receive(source=source, data=data, payload={k: str(v) for k, v in data.items()})
        made += 1
        if operator is None:
            continue
        if then == "close":
            complaint_close(complaint=c, actor=operator, reason="Printer sudah diganti melalui pengadaan rutin "
                                                                "kelurahan pekan lalu.")
        elif then == "repair":
            envelope = Envelope.objects.filter(org_unit__code="kec-setu").order_by("-fiscal_year").first()
            if envelope is not None:
                complaint_to_repair(
                    complaint=c, actor=operator, org_unit=c.org_unit, asset=c.asset, category="hardware",
                    problem=f"Pengaduan SIARAN {ext}: {text}", amount=1_750_000, envelope=envelope, urgency="normal",
                    payment_route="UP", quotes=[{"vendor_name": "CV Layar Terang", "amount": 1_750_000}])
    return made


def seed_demo(*, stdout=None) -> dict:
    sources = _sources()
    _cctv()
    return {"complaint_sources": len(sources), "complaints": _complaints(sources)}
