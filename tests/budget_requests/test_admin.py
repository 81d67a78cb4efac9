"""The administrator edits the delegation matrix in the Django admin; totals and states stay read-only."""
import pytest

from budget_requests.models import DelegationRule, Envelope, LedgerEntry
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_w(client, repair_world):
    client.force_login(repair_world.admin)
    return client


def test_admin_adds_a_delegation_rule(admin_client_w, repair_world):
    response = admin_client_w.post("/admin/budget_requests/delegationrule/add/", {
        "fiscal_year": repair_world.year, "effective_from": f"{repair_world.year}-06-01", "effective_until": "",
        "legal_basis": "Perwali 12/2026", "note": "", "position_kind": "lurah", "category": "cctv",
        "step_order": 10, "step_kind": "approve", "max_single_amount": 7_500_000, "monthly_cap_per_unit": "",
        "acting_allowed": "on", "acting_share_pct": 50, "response_time_value": 4, "response_time_unit": "hours",
    })
    assert response.status_code == 302, response.content[:2000]
    rule = DelegationRule.objects.get(category="cctv")
    assert (rule.max_single_amount, rule.acting_share_pct) == (7_500_000, 50)


def test_admin_pages_render(admin_client_w, repair_world):
    for url in ("/admin/budget_requests/delegationrule/", "/admin/budget_requests/envelope/",
                f"/admin/budget_requests/envelope/{repair_world.env_setu.pk}/change/",
                "/admin/budget_requests/asset/", "/admin/budget_requests/repairrequest/"):
        assert admin_client_w.get(url).status_code == 200, url


def test_envelope_totals_are_read_only_and_allocation_goes_through_the_ledger(admin_client_w, repair_world):
    env = repair_world.env_setu
    response = admin_client_w.post(f"/admin/budget_requests/envelope/{env.pk}/change/", {
        "name": env.name, "add_allocation": 1_000_000, "allocated": 999_999_999,
        "entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0, "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 0,
    })
    assert response.status_code == 302, response.content[:3000]
    env = Envelope.objects.get(pk=env.pk)
    assert env.allocated == 501_000_000
    assert LedgerEntry.objects.filter(envelope=env, kind="allocate").count() == 2


def test_envelope_add_form_checks_the_code_list_and_goes_through_the_service(admin_client_w, repair_world):
    w = repair_world
    data = {"org_unit": w.kec_pamulang.pk, "sub_kegiatan": "7.01.01.2.09.0006", "account_code": "5.1.02.03.02.0000",
            "fiscal_year": w.year + 1, "name": "Pagu tahun depan", "add_allocation": "1000000",
            "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"}
    response = admin_client_w.post("/admin/budget_requests/envelope/add/", data)
    assert response.status_code == 200 and "tidak ada dalam daftar kodefikasi" in response.content.decode()
    assert not Envelope.objects.filter(fiscal_year=w.year + 1).exists()
    response = admin_client_w.post("/admin/budget_requests/envelope/add/", {**data, "account_code": "5.1.02.03.02.0405"})
    assert response.status_code == 302, response.content.decode()[:2000]
    env = Envelope.objects.get(fiscal_year=w.year + 1)
    assert env.code_list_version and env.allocated == 1_000_000
    assert AuditEvent.objects.filter(action="envelope.created", object_id=str(env.pk)).exists()
