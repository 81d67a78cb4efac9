"""Fixtures of the complaint tests: the repair world plus two complaint systems and public assets."""
from __future__ import annotations

import json

import pytest

SIARAN_TOKEN = "siaran-test-token"
LAPOR_TOKEN = "lapor-test-token"
SIARAN_SECRET = "siaran-test-secret"
LAPOR_SECRET = "lapor-test-secret"


@pytest.fixture
def complaint_world(repair_world):
    from budget_requests.complaints.services import complaint_source_create
    from budget_requests.models import Asset, AssetKind

    w = repair_world
    w.siaran, _ = complaint_source_create(actor=None, code="siaran", name="SIARAN", kind="siaran",
                                          external_id_label="ID SIARAN", token=SIARAN_TOKEN, secret=SIARAN_SECRET)
    w.lapor, _ = complaint_source_create(actor=None, code="lapor", name="SP4N-LAPOR!", kind="lapor",
                                         external_id_label="TrackingID", token=LAPOR_TOKEN, secret=LAPOR_SECRET)
    w.cctv_babakan = Asset.objects.create(
        tag="CCTV-BBK-01", kind=AssetKind.CCTV, description="Kamera CCTV simpang", org_unit=w.babakan,
        location="Simpang Jalan Raya Puspiptek depan Pasar Babakan", technical_owner=w.diskominfo)
    w.cctv_babakan_2 = Asset.objects.create(
        tag="CCTV-BBK-02", kind=AssetKind.CCTV, description="Kamera CCTV taman", org_unit=w.babakan,
        location="Taman Kota Babakan sisi utara", technical_owner=w.diskominfo)
    w.wifi_pb = Asset.objects.create(
        tag="WIFI-PB-01", kind=AssetKind.WIFI_PUBLIK, description="Titik Wi-Fi publik", org_unit=w.pondok_benda,
        location="Balai Warga RW 05 Pondok Benda", technical_owner=w.diskominfo)
    return w


def body(**overrides) -> dict:
    data = {
        "external_id": "SRN-2026-0001", "title": "CCTV simpang mati", "description": "Sudah tiga hari layar gelap.",
        "category": "cctv", "reported_at": "2026-03-02T09:00:00+07:00", "location": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, *, token=SIARAN_TOKEN, secret=SIARAN_SECRET, signature=None, raw: bytes | None = None):
    from budget_requests.complaints.signing import sign

    payload = raw if raw is not None else json.dumps(data).encode("utf-8")
    headers = {}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if signature is None and secret is not None:
        signature = sign(secret, payload)
    if signature is not None:
        headers["HTTP_X_PAMONG_SIGNATURE"] = signature
    return client.post("/api/v1/complaints/", data=payload, content_type="application/json", **headers)
