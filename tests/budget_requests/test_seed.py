"""The demo seed: matrix, envelopes everywhere, assets, requests in every state, a flagged split; idempotent."""

import pytest

from budget_requests.models import Asset, DelegationRule, Envelope, RedFlag, RepairRequest, RequestState
from workflows.models import OrgUnit

pytestmark = pytest.mark.django_db
S = RequestState


def test_seed_demo_covers_every_state_and_is_idempotent(tangsel):
    from budget_requests.seed import seed_demo

    first = seed_demo()
    assert first["rules"] == 4 and first["requests"] >= 14
    units = OrgUnit.objects.filter(kind__in=["kecamatan", "kelurahan"]).count()
    assert Envelope.objects.count() == units + 1 == 62  # every kecamatan/kelurahan, and Diskominfo's central one
    assert all(e.allocated > 0 for e in Envelope.objects.all())
    kelurahan = OrgUnit.objects.filter(kind="kelurahan").count()
    assert Asset.objects.values("org_unit").distinct().count() == kelurahan
    assert Asset.objects.filter(owner_authority="provinsi", kind="cctv").exists()
    states = set(RepairRequest.objects.values_list("state", flat=True))
    assert states >= {S.DRAFT, S.UNDER_REVIEW, S.RETURNED, S.REJECTED, S.APPROVED, S.FORWARDED_TO_PROVINCE,
                      S.PAID, S.CLOSED, S.CANCELLED}
    waiting = {r.current_route_step["position_kind"] for r in RepairRequest.objects.filter(state=S.UNDER_REVIEW)}
    assert waiting >= {"lurah", "camat", "kepala_diskominfo"}
    # Both shapes: requests spending from kecamatan DPAs and one from Diskominfo's central DPA, decided by
    # its PA; nobody waits on BPKAD to approve.
    levels = {s["level"] for r in RepairRequest.objects.exclude(route=[]) for s in r.route}
    assert {"kpa_lurah", "pa_camat", "technical", "pa_skpd"} <= levels and "bud" not in levels
    central = RepairRequest.objects.get(envelope__org_unit__code="diskominfo")
    assert (central.state, central.current_route_step["level"]) == (S.UNDER_REVIEW, "pa_skpd")
    assert RedFlag.objects.filter(basis="asset", request__asset__tag="PC-BBK-01").exists()

    again = seed_demo()
    assert (again["rules"], again["envelopes"], again["assets"], again["requests"]) == (0, 0, 0, 0)
    assert DelegationRule.objects.count() == 4
