"""Outsiders learn nothing: a request outside the user's scope answers 404 on pages and in the API — the same
answer as for a request that does not exist — before any message that would tell its state or its dates."""
import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from budget_requests.models import RepairRequest, RequestState
from budget_requests.services import payment_up_spend, request_approve
from tests.budget_requests.support import new_request
from workflows.acting import local_date
from workflows.models import AuditEvent
from workflows.policy import OutOfScope

pytestmark = pytest.mark.django_db
S = RequestState

ACTION_DATA = {
    "approve": {},
    "return": {"return-reason": "Lengkapi."},
    "reject": {"reject-reason": "Tidak perlu."},
    "cancel": {"cancel-reason": "Batal."},
    "up_spend": {"up_spend-number": "KW-1", "up_spend-payee_name": "CV", "up_spend-issued_on": "2000-01-01"},
    "sp2d": {"sp2d-number": "SP2D-1", "sp2d-issued_on": "2000-01-01"},
    "close": {"close-note": "Selesai."},
    "submit": {},
}
API_DATA = {
    "approve": {}, "return": {"reason": "Lengkapi."}, "reject": {"reason": "Tidak perlu."},
    "cancel": {"reason": "Batal."}, "close": {"note": "Selesai."}, "submit": {},
    "payment": {"step": "up_spend", "number": "KW-1", "payee_name": "CV", "issued_on": "2000-01-01"},
}


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


@pytest.fixture
def approved(repair_world):
    """A Babakan request approved by its lurah (within the lurah's limit): waiting for payment."""
    w = repair_world
    r = new_request(w, amount=1_000_000)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    assert RepairRequest.objects.get(pk=r.pk).state == S.APPROVED
    return r


STATE_WORDS = ("disetujui", "status", "dibayar", "tanggal")


@pytest.mark.parametrize("action", sorted(ACTION_DATA))
def test_an_outsider_gets_404_on_the_action_page_before_any_state_message(client, repair_world, approved, action):
    w = repair_world
    client.force_login(w.bendahara_pamulang)  # a payer, but of another kecamatan
    missing = client.post(reverse("budget_requests:request_action", args=[approved.pk + 1000, action]),
                          ACTION_DATA[action])
    response = client.post(reverse("budget_requests:request_action", args=[approved.pk, action]),
                           ACTION_DATA[action])
    assert (missing.status_code, response.status_code) == (404, 404)
    body = response.content.decode().lower()
    assert not any(word in body for word in STATE_WORDS), body[:500]
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.bendahara_pamulang).exists()
    assert RepairRequest.objects.get(pk=approved.pk).state == S.APPROVED


@pytest.mark.parametrize("action", sorted(API_DATA))
def test_an_outsider_gets_404_in_the_api_before_any_state_message(repair_world, approved, action):
    w = repair_world
    client = APIClient()
    client.force_authenticate(w.bendahara_pamulang)
    missing = client.post(f"/api/v1/repair-requests/{approved.pk + 1000}/{action}/", API_DATA[action], format="json")
    response = client.post(f"/api/v1/repair-requests/{approved.pk}/{action}/", API_DATA[action], format="json")
    assert (missing.status_code, response.status_code) == (404, 404)
    assert response.json() == missing.json()
    assert RepairRequest.objects.get(pk=approved.pk).state == S.APPROVED


def test_an_outsider_with_bad_input_still_gets_404_in_the_api(repair_world, approved):
    client = APIClient()
    client.force_authenticate(repair_world.lurah_pb)
    response = client.post(f"/api/v1/repair-requests/{approved.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 404


def test_the_payment_service_refuses_an_outsider_before_checking_state_or_dates(repair_world, approved):
    w = repair_world
    with pytest.raises(OutOfScope):
        payment_up_spend(request_obj=approved, actor=w.bendahara_pamulang, bukti_number="KW", payee_name="CV",
                         issued_on=local_date() - dt.timedelta(days=400))  # before the approval date
    with pytest.raises(OutOfScope):
        request_approve(request_obj=approved, actor=w.lurah_pb)  # not waiting for approval any more


def test_an_insider_still_learns_the_state(client, repair_world, approved):
    w = repair_world
    client.force_login(w.lurah_babakan)
    response = client.post(reverse("budget_requests:request_action", args=[approved.pk, "approve"]), {})
    assert response.status_code == 400
    assert "status" in response.content.decode().lower()
