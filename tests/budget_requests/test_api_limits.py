"""The API enforces the same limits as the forms: at most ten quotes on a request, texts no longer than the
forms allow; nothing is written when a limit is passed."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from budget_requests.models import Quote, RepairRequest
from budget_requests.services import quote_add
from budget_requests.services.errors import RequestError
from budget_requests.services.requests import MAX_QUOTES
from tests.budget_requests.support import new_request
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def _payload(w, quotes: int, **over):
    return {"asset": w.pc_babakan.tag, "category": "hardware", "problem": "Printer macet.", "amount": "1.500.000",
            "envelope": w.env_setu.pk, **over,
            "quotes": [{"vendor_name": f"CV {i}", "amount": "1500000"} for i in range(quotes)]}


@pytest.mark.parametrize("count", [MAX_QUOTES + 1, 1000])
def test_the_api_refuses_more_quotes_than_the_form_allows(repair_world, count):
    w = repair_world
    client = APIClient()
    client.force_authenticate(w.operator_babakan)
    before = AuditEvent.objects.count()
    response = client.post("/api/v1/repair-requests/", _payload(w, count), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "quotes"
    assert "10" in response.json()["detail"]
    assert not RepairRequest.objects.exists() and not Quote.objects.exists()
    assert AuditEvent.objects.count() == before
    ok = client.post("/api/v1/repair-requests/", _payload(w, MAX_QUOTES), format="json")
    assert ok.status_code == 201 and Quote.objects.count() == MAX_QUOTES


def test_the_service_refuses_an_eleventh_quote_added_later(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    for i in range(MAX_QUOTES - 1):
        quote_add(request_obj=r, actor=w.operator_babakan, vendor_name=f"CV {i}", amount=1_000_000)
    with pytest.raises(RequestError) as exc:
        quote_add(request_obj=r, actor=w.operator_babakan, vendor_name="CV lebih", amount=1_000_000)
    assert exc.value.code == "too_many_quotes"
    assert Quote.objects.filter(request=r).count() == MAX_QUOTES


def test_the_form_refuses_more_quote_rows_than_it_shows(client, repair_world):
    w = repair_world
    client.force_login(w.operator_babakan)
    data = {"org_unit": str(w.babakan.pk), "asset": w.pc_babakan.pk, "category": "hardware", "problem": "Rusak.",
            "amount": "1.000.000", "urgency": "normal", "payment_route": "UP", "envelope": w.env_setu.pk,
            "quotes-TOTAL_FORMS": "11", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0",
            "quotes-MAX_NUM_FORMS": "10"}
    for i in range(11):
        data[f"quotes-{i}-vendor_name"] = f"CV {i}"
        data[f"quotes-{i}-amount"] = "1.000.000"
    response = client.post(reverse("budget_requests:request_new"), data)
    assert response.status_code == 400
    assert not RepairRequest.objects.exists()


@pytest.mark.parametrize("field, path, value", [
    ("problem", "", "x" * 5001),
    ("justification", "approve/", "x" * 5001),
    ("reason", "reject/", "x" * 5001),
    ("number", "payment/", "S" * 65),
])
def test_texts_are_limited_as_on_the_forms(repair_world, field, path, value):
    w = repair_world
    client = APIClient()
    if not path:
        client.force_authenticate(w.operator_babakan)
        response = client.post("/api/v1/repair-requests/", _payload(w, 1, problem=value), format="json")
    else:
        r = new_request(w, amount=1_000_000)
        client.force_authenticate(w.lurah_babakan if field != "number" else w.bendahara_setu)
        body = {field: value} if field != "number" else {"step": "spp", "number": value, "issued_on": "2026-01-02"}
        response = client.post(f"/api/v1/repair-requests/{r.pk}/{path}", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
