"""POST /api/v1/complaints/: token and signature per source, strict input, idempotency on the source's id."""
from __future__ import annotations

import json

import pytest

from budget_requests.complaints.models import Complaint
from workflows.models import AuditEvent

from .conftest import LAPOR_SECRET, LAPOR_TOKEN, SIARAN_SECRET, body, post

pytestmark = pytest.mark.django_db


def test_signed_complaint_is_received_and_matched(client, complaint_world):
    w = complaint_world
    r = post(client, body(asset_code="cctv-bbk-01"))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["source"] == "siaran" and data["asset"] == "CCTV-BBK-01" and data["org_unit"] == "kel-babakan"
    assert data["state"] == "triage" and data["duplicate"] is False
    c = Complaint.objects.get(pk=data["id"])
    assert c.triage_position.code == "operator-kelurahan-kel-babakan"
    assert AuditEvent.objects.filter(action="complaint.received", object_id=str(c.pk)).count() == 1
    assert c.process is not None and c.process.task_set.filter(flow_task_type="HUMAN").count() == 1


def test_same_source_id_again_returns_the_existing_complaint(client, complaint_world):
    first = post(client, body())
    again = post(client, body(title="Judul lain, kiriman ulang"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["duplicate"] is True
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().title == "CCTV simpang mati"


def test_same_id_from_another_source_is_another_complaint(client, complaint_world):
    assert post(client, body()).status_code == 201
    r = post(client, body(), token=LAPOR_TOKEN, secret=LAPOR_SECRET)
    assert r.status_code == 201 and r.json()["source"] == "lapor"
    assert Complaint.objects.count() == 2


@pytest.mark.parametrize("case", ["bad", "missing", "other_sources_secret", "body_changed"])
def test_bad_or_missing_signature_is_refused_and_writes_nothing(client, complaint_world, case):
    from budget_requests.complaints.signing import sign

    payload = json.dumps(body()).encode()
    kwargs = {
        "bad": {"signature": "sha256=" + "0" * 64},
        "missing": {"secret": None},
        "other_sources_secret": {"secret": LAPOR_SECRET},
        "body_changed": {"signature": sign(SIARAN_SECRET, payload + b" ")},
    }[case]
    events = AuditEvent.objects.count()
    r = post(client, None, raw=payload, **kwargs)
    assert r.status_code == 401
    assert r.json()["code"] == ("signature_missing" if case == "missing" else "bad_signature")
    assert "tanda tangan" in r.json()["detail"].lower()
    assert Complaint.objects.count() == 0 and AuditEvent.objects.count() == events


def test_token_of_another_source_with_this_sources_signature_is_refused(client, complaint_world):
    # LAPOR!'s token, the body signed with SIARAN's secret: the token names LAPOR!, whose secret does not match.
    r = post(client, body(), token=LAPOR_TOKEN, secret=SIARAN_SECRET)
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_missing_or_unknown_token_is_401(client, complaint_world, token):
    r = post(client, body(), token=token)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert Complaint.objects.count() == 0


def test_inactive_source_is_refused(client, complaint_world):
    complaint_world.siaran.__class__.objects.filter(pk=complaint_world.siaran.pk).update(is_active=False)
    assert post(client, body()).status_code == 401


@pytest.mark.parametrize("overrides, field, words", [
    ({"external_id": "SRN 1; DROP"}, "external_id", "nomor pengaduan"),
    ({"category": "jalan_rusak"}, "category", "pilihan"),
    ({"title": None}, "title", "harus diisi"),
    ({"reported_at": "kemarin"}, "reported_at", "format"),
    ({"reported_at": "2999-01-01T00:00:00+07:00"}, "reported_at", "masa depan"),
    ({"latitude": "-6.3"}, "latitude", "lintang dan bujur"),
    ({"latitude": "95", "longitude": "106.7"}, "latitude", "95"),
    ({"priority": "tinggi"}, "priority", "tidak dikenal"),
])
def test_bad_payload_is_an_indonesian_400_and_writes_nothing(client, complaint_world, overrides, field, words):
    events = AuditEvent.objects.count()
    r = post(client, body(**overrides))
    assert r.status_code == 400, r.content
    data = r.json()
    assert data["field"] == field
    assert words.lower() in data["detail"].lower() or field == "latitude" and "90" in data["detail"]
    assert Complaint.objects.count() == 0 and AuditEvent.objects.count() == events


def test_body_that_is_not_json_is_400(client, complaint_world):
    r = post(client, None, raw=b"{not json")
    assert r.status_code == 400 and "JSON" in r.json()["detail"]
    assert Complaint.objects.count() == 0


def test_schema_documents_the_endpoint_and_its_signature_header(client, complaint_world):
    r = client.get("/api/schema/?format=json")
    assert r.status_code == 200
    schema = r.json()
    op = schema["paths"]["/api/v1/complaints/"]["post"]
    assert any(p["name"] == "X-Pamong-Signature" and p["in"] == "header" and p["required"] for p in op["parameters"])
    assert {"201", "200", "400", "401"} <= set(op["responses"])
    assert op["security"] == [{"complaintSourceToken": []}]
    assert schema["components"]["securitySchemes"]["complaintSourceToken"]["scheme"] == "bearer"
