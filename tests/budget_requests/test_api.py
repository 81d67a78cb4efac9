"""REST API /api/v1/: scoping, Indonesian errors with codes, approval through the API, token auth, schema."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from budget_requests.models import RepairRequest, RequestState
from tests.budget_requests.support import new_request
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db
S = RequestState


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def create_payload(w, **over):
    data = {"asset": w.pc_babakan.tag, "category": "hardware", "problem": "Printer macet.", "amount": "1.500.000",
            "envelope": w.env_setu.pk, "quotes": [{"vendor_name": "CV Maju", "amount": "1500000"}], "submit": True}
    data.update(over)
    return data


def test_create_and_submit_then_lurah_approves_through_the_api(repair_world):
    w = repair_world
    response = api(w.operator_babakan).post("/api/v1/repair-requests/", create_payload(w), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["amount"], body["org_unit"]) == ("under_review", 1_500_000, "kel-babakan")
    pk = body["id"]
    token = Token.objects.create(user=w.lurah_babakan)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(f"/api/v1/repair-requests/{pk}/approve/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "approved"
    assert response.json()["decisions"][0]["capacity_label"] == "Lurah Babakan"
    assert RepairRequest.objects.get(pk=pk).state == S.APPROVED


@pytest.mark.parametrize("amount,code", [
    ("-1", "amount_not_positive"), ("0", "amount_not_positive"), ("abc", "amount_not_numeric"),
    ("99999999999999", "amount_too_large"),
])
def test_validation_errors_are_indonesian_with_codes(repair_world, amount, code):
    w = repair_world
    response = api(w.operator_babakan).post("/api/v1/repair-requests/", create_payload(w, amount=amount), format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, "amount")
    assert "Nilai" in body["detail"]
    assert not RepairRequest.objects.exists()


def test_missing_field_and_reason_required(repair_world):
    w = repair_world
    payload = create_payload(w)
    del payload["problem"]
    body = api(w.operator_babakan).post("/api/v1/repair-requests/", payload, format="json").json()
    assert (body["code"], body["field"]) == ("required", "problem")
    assert "harus diisi" in body["detail"] or "wajib" in body["detail"]
    r = new_request(w, amount=1_000_000)
    response = api(w.lurah_babakan).post(f"/api/v1/repair-requests/{r.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "required" and response.json()["field"] == "reason"
    assert "wajib diisi" in response.json()["detail"]


def test_lurah_cannot_read_or_act_on_another_kelurahan(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, unit=w.pondok_benda)
    client = api(w.lurah_babakan)
    assert client.get(f"/api/v1/repair-requests/{r.pk}/").status_code == 404
    assert r.pk not in [row["id"] for row in client.get("/api/v1/repair-requests/").json()["results"]]
    response = client.post(f"/api/v1/repair-requests/{r.pk}/approve/", {}, format="json")
    assert response.status_code == 404  # the same answer as for a request that does not exist
    assert response.json()["code"] == "not_found"
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.lurah_babakan).exists()
    assert RepairRequest.objects.get(pk=r.pk).state == S.UNDER_REVIEW


def test_self_approval_is_a_403(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, actor=w.lurah_babakan)
    response = api(w.lurah_babakan).post(f"/api/v1/repair-requests/{r.pk}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "four_eyes"


def test_envelopes_and_assets_are_scoped(repair_world):
    w = repair_world
    client = api(w.lurah_babakan)
    ids = [e["id"] for e in client.get("/api/v1/envelopes/").json()["results"]]
    assert w.env_setu.pk in ids and w.env_pamulang.pk not in ids
    detail = client.get(f"/api/v1/envelopes/{w.env_setu.pk}/").json()
    assert detail["room"] == 500_000_000 and detail["ledger"][0]["kind"] == "allocate"
    assert client.get(f"/api/v1/envelopes/{w.env_pamulang.pk}/").status_code == 404
    tags = [a["tag"] for a in client.get("/api/v1/assets/").json()["results"]]
    assert w.pc_babakan.tag in tags and w.pc_pb.tag not in tags


def test_anonymous_gets_json_401_or_403():
    response = api().get("/api/v1/repair-requests/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_schema_and_docs(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/repair-requests/", "/api/v1/repair-requests/{id}/approve/",
                 "/api/v1/repair-requests/{id}/return/", "/api/v1/envelopes/{id}/", "/api/v1/assets/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content.decode()  # no CDN: works offline
    assert client.get("/api/redoc/").status_code == 200


def test_creating_in_another_unit_is_refused_and_audited(repair_world):
    w = repair_world
    payload = create_payload(w, org_unit="kel-pondok-benda", asset=w.pc_pb.tag, envelope=w.env_pamulang.pk)
    response = api(w.operator_babakan).post("/api/v1/repair-requests/", payload, format="json")
    assert response.status_code == 403 and response.json()["code"] == "outside_unit"
    assert not RepairRequest.objects.exists()
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.operator_babakan).count() == 1
