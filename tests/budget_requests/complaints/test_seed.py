"""The demo seed: two sources and complaints in triage (matched, by kelurahan, unmatched), closed and accepted."""
import pytest

from budget_requests.complaints.models import Complaint, ComplaintSource, ComplaintUpdate

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_covers_the_triage_outcomes(tangsel):
    from budget_requests.complaints.seed import seed_demo as seed_complaints
    from budget_requests.seed import seed_demo as seed_budget

    seed_budget()
    first = seed_complaints()
    assert first == {"complaint_sources": 2, "complaints": 5}
    assert set(ComplaintSource.objects.values_list("code", flat=True)) == {"siaran", "lapor"}
    states = dict(Complaint.objects.values_list("external_id", "state"))
    assert states["SRN-2026-000101"] == "triage" and states["SRN-2026-000117"] == "closed"
    assert states["SRN-2026-000123"] == "accepted"
    unmatched = Complaint.objects.get(external_id="LPR-5821977")
    assert unmatched.org_unit is None and unmatched.triage_position.kind == "teknisi_diskominfo"
    assert Complaint.objects.get(external_id="LPR-5821904").org_unit.code == "kel-pondok-benda"
    assert ComplaintUpdate.objects.filter(status="pending").count() == 2
    assert seed_complaints() == {"complaint_sources": 2, "complaints": 0}
