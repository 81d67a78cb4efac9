"""Done-when of issue 3 (domain part), through the services, with the illustrative matrix."""
import datetime as dt
from decimal import Decimal

import pytest

from budget_requests.models import (
    Asset, Decision, DelegationRule, Envelope, LedgerEntry, RepairRequest, RequestState,
)
from budget_requests.services import (
    envelope_allocate, envelope_create, request_approve, request_cancel, request_close, request_create, payment_up_spend,
    request_reject, request_return, request_submit, request_update,
)
from budget_requests.services.errors import RequestError
from tests.budget_requests.support import new_request, route_kinds
from workflows.acting import local_date
from workflows.models import AuditEvent, OrgUnit
from workflows.policy import Denied

pytestmark = pytest.mark.django_db
S = RequestState


def fresh(obj):
    return RepairRequest.objects.get(pk=obj.pk)


@pytest.mark.parametrize("amount", [4_999_999, 5_000_000])
def test_up_to_the_lurah_limit_the_lurah_decides_in_one_step(repair_world, amount):
    w = repair_world
    r = new_request(w, amount=amount)
    assert r.number.startswith(f"PR/{w.year}/")
    assert route_kinds(r) == ["lurah"]
    request_approve(request_obj=r, actor=w.lurah_babakan)
    r = fresh(r)
    assert r.state == S.APPROVED
    d = r.decisions.get()
    assert (d.rule_id, d.capacity_label, d.is_final) == (w.matrix["lurah"].pk, "Lurah Babakan", True)
    env = Envelope.objects.get(pk=w.env_setu.pk)
    assert (env.reserved, env.room) == (amount, 500_000_000 - amount)


def test_one_rupiah_above_the_lurah_limit_goes_to_the_camat(repair_world):
    w = repair_world
    r = new_request(w, amount=5_000_001, unit=w.pondok_benda)
    assert route_kinds(r) == ["camat"]
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=r, actor=w.lurah_pb)
    assert exc.value.code == "not_acting_for_position"
    request_approve(request_obj=r, actor=w.camat_pamulang)
    assert fresh(r).state == S.APPROVED
    assert fresh(r).decisions.get().rule_id == w.matrix["camat"].pk


def test_sixty_million_is_verified_by_diskominfo_and_decided_by_the_camat_not_bpkad(repair_world):
    """Above Rp50 juta in a kecamatan's DPA the camat as PA decides, after Diskominfo's technical
    verification; the Kepala BPKAD (BUD) has no step."""
    w = repair_world
    r = new_request(w, amount=60_000_000, unit=w.pondok_benda)
    assert route_kinds(r) == ["kepala_diskominfo", "camat"]
    assert [s["level"] for s in fresh(r).route] == ["technical", "pa_camat"]
    # Out of turn: neither the camat nor BPKAD can act on the Diskominfo step.
    for actor in (w.camat_pamulang, w.kepala_bpkad):
        with pytest.raises(Denied):
            request_approve(request_obj=r, actor=actor)
    request_approve(request_obj=r, actor=w.kadis)
    assert (fresh(r).state, fresh(r).current_step) == (S.UNDER_REVIEW, 1)
    assert Envelope.objects.get(pk=w.env_pamulang.pk).reserved == 0  # nothing reserved before the last step
    with pytest.raises(Denied):
        request_approve(request_obj=r, actor=w.kepala_bpkad)
    request_approve(request_obj=r, actor=w.camat_pamulang)
    r = fresh(r)
    assert r.state == S.APPROVED
    assert list(r.decisions.values_list("position__kind", "rule_id", "is_final")) == [
        ("kepala_diskominfo", w.matrix["diskominfo"].pk, False),
        ("camat", w.matrix["camat"].pk, True),
    ]
    assert Envelope.objects.get(pk=w.env_pamulang.pk).reserved == 60_000_000


def test_central_envelope_in_diskominfos_dpa_is_decided_by_its_pa(repair_world):
    """A public Wi-Fi repair at a kelurahan paid from Diskominfo's own DPA: the Kepala Diskominfo decides
    (as PA), not the lurah or the camat, and the money comes from Diskominfo's envelope."""
    from budget_requests.models import AssetKind
    from budget_requests.services import envelope_allocate, envelope_create

    w = repair_world
    central = envelope_create(actor=w.admin, org_unit=w.diskominfo, sub_kegiatan="2.16.01.2.09.0006",
                              account_code="5.1.02.03.02.0405",
                              fiscal_year=w.year, name="Pemeliharaan Wi-Fi publik (terpusat)")
    envelope_allocate(envelope=central, amount=300_000_000, actor=w.admin)
    wifi = Asset.objects.create(tag="WIFI-BBK-C1", kind=AssetKind.WIFI_PUBLIK, description="Titik Wi-Fi",
                                location="Balai warga", org_unit=w.babakan, technical_owner=w.diskominfo)
    r = new_request(w, amount=3_000_000, asset=wifi, envelope=central, category="wifi")
    assert [(s["position_kind"], s["role"], s["level"]) for s in fresh(r).route] == [
        ("kepala_diskominfo", "decide", "pa_skpd")]
    for actor in (w.lurah_babakan, w.plh_camat_setu, w.kepala_bpkad):
        with pytest.raises(Denied):
            request_approve(request_obj=r, actor=actor)
    request_approve(request_obj=r, actor=w.kadis)
    assert fresh(r).state == S.APPROVED
    assert Envelope.objects.get(pk=central.pk).reserved == 3_000_000
    assert Envelope.objects.get(pk=w.env_setu.pk).reserved == 0
    # A central envelope of an office that does not own the asset is refused.
    # No sub kegiatan of the shipped code list is BPKAD's: the row is made directly for this check.
    other = Envelope.objects.create(org_unit=OrgUnit.objects.get(code="bpkad"), account_code="5.1.02.03.02.0405",
                                    fiscal_year=w.year, name="Lain")
    with pytest.raises(RequestError) as exc:
        new_request(w, amount=3_000_000, asset=wifi, envelope=other, category="wifi", submit=False)
    assert exc.value.code == "invalid_envelope"


def test_kecamatan_request_starts_at_the_camat(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, unit=w.kec_pamulang)
    assert route_kinds(r) == ["camat"]


def test_plh_camat_within_the_share_approves_and_beyond_it_cannot(repair_world):
    w = repair_world  # the seed makes the Sekcam Plh. Camat Setu today; the camat rule allows 20% to a Plh
    within = new_request(w, amount=40_000_000)
    beyond = new_request(w, amount=40_000_001, asset=w.printer_babakan, vendor="CV Lain")
    request_approve(request_obj=within, actor=w.plh_camat_setu)
    assert fresh(within).state == S.APPROVED
    assert fresh(within).decisions.get().capacity_label == "Plh. Camat Setu"
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=beyond, actor=w.plh_camat_setu, justification="x")
    assert exc.value.code == "acting_share_exceeded"
    assert "Rp40.000.000" in exc.value.message
    assert fresh(beyond).state == S.UNDER_REVIEW
    assert not fresh(beyond).decisions.exists()
    # The holder is on leave: while the Plh is in force the camat does not act for the position.
    with pytest.raises(Denied):
        request_approve(request_obj=beyond, actor=w.camat_setu, justification="x")


def test_plh_not_allowed_when_the_rule_says_no(repair_world):
    w = repair_world
    DelegationRule.objects.filter(pk=w.matrix["camat"].pk).update(acting_allowed=False)
    r = new_request(w, amount=6_000_000)
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=r, actor=w.plh_camat_setu)
    assert exc.value.code == "acting_not_allowed"


def test_lurah_on_another_kelurahans_request_is_denied_with_an_audit_event(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)  # Babakan
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=r, actor=w.lurah_setu)
    assert exc.value.code == "not_found"  # outside the lurah's scope: refused before anything else is checked
    event = AuditEvent.objects.filter(action="repair_request.denied", object_id=str(r.pk)).get()
    assert event.actor == w.lurah_setu
    assert event.after == {"attempted": "approve", "code": "not_found"}
    assert fresh(r).state == S.UNDER_REVIEW and not Decision.objects.filter(request=r).exists()


def test_self_approval_is_refused(repair_world):
    w = repair_world
    # The lurah raises a request himself: he may not approve it (four-eyes).
    r = new_request(w, amount=1_000_000, actor=w.lurah_babakan)
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=r, actor=w.lurah_babakan)
    assert exc.value.code == "four_eyes"
    assert AuditEvent.objects.filter(action="repair_request.denied", object_id=str(r.pk)).exists()


def test_whoever_last_revised_may_not_approve(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000, submit=False)
    request_update(request_obj=r, actor=w.lurah_babakan, problem="Layar retak dan tidak menyala.")
    assert fresh(r).last_revised_by == w.lurah_babakan
    request_submit(request_obj=r, actor=w.operator_babakan)
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=r, actor=w.lurah_babakan)
    assert exc.value.code == "four_eyes"


def test_returned_and_resubmitted_unchanged_restarts_at_the_step_that_returned_it(repair_world):
    w = repair_world
    r = new_request(w, amount=60_000_000, unit=w.pondok_benda)
    request_approve(request_obj=r, actor=w.kadis)
    with pytest.raises(RequestError) as exc:
        request_return(request_obj=r, actor=w.camat_pamulang, reason="  ")
    assert exc.value.code == "required"
    request_return(request_obj=r, actor=w.camat_pamulang, reason="Lampirkan spesifikasi teknis.")
    assert fresh(r).state == S.RETURNED
    request_submit(request_obj=r, actor=w.operator_pb)
    r = fresh(r)
    assert (r.state, r.current_step, r.revision) == (S.UNDER_REVIEW, 1, 1)
    request_approve(request_obj=r, actor=w.camat_pamulang)
    assert fresh(r).state == S.APPROVED


def test_returned_and_resubmitted_with_a_new_amount_restarts_at_the_first_step_of_the_new_route(repair_world):
    w = repair_world
    r = new_request(w, amount=60_000_000, unit=w.pondok_benda)
    request_approve(request_obj=r, actor=w.kadis)
    request_return(request_obj=r, actor=w.camat_pamulang, reason="Cukup ganti modul, bukan seluruh perangkat.")
    request_update(request_obj=r, actor=w.operator_pb, amount=4_000_000)
    request_submit(request_obj=r, actor=w.operator_pb)
    r = fresh(r)
    assert (route_kinds(r), r.current_step, r.state) == (["lurah"], 0, S.UNDER_REVIEW)
    request_approve(request_obj=r, actor=w.lurah_pb)
    assert fresh(r).state == S.APPROVED


def test_province_asset_is_forwarded_not_approved_locally(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000, asset=w.cctv_province, category="cctv")
    r = fresh(r)
    assert r.state == S.FORWARDED_TO_PROVINCE and r.route == [] and r.forwarded_at
    assert r.decisions.get().outcome == "forward"
    with pytest.raises(RequestError) as exc:
        request_approve(request_obj=r, actor=w.lurah_babakan)
    assert exc.value.code == "wrong_state"
    assert Envelope.objects.get(pk=w.env_setu.pk).reserved == 0
    with pytest.raises(RequestError):
        request_close(request_obj=r, actor=w.operator_babakan)  # the province's answer must be recorded
    request_close(request_obj=r, actor=w.operator_babakan, note="Provinsi menjadwalkan perbaikan 5 Desember.")
    assert fresh(r).state == S.CLOSED


def test_insufficient_room_is_refused_and_nothing_is_written(repair_world):
    w = repair_world
    small = envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan="7.01.01.2.09.0006",
                            account_code="5.1.02.03.02.0411", fiscal_year=w.year,
                            name="Pagu kecil")
    envelope_allocate(envelope=small, amount=3_000_000, actor=w.admin)
    r = new_request(w, amount=4_000_000, envelope=small)
    audit_before = AuditEvent.objects.count()
    ledger_before = LedgerEntry.objects.count()
    with pytest.raises(RequestError) as exc:
        request_approve(request_obj=r, actor=w.lurah_babakan)
    assert exc.value.code == "insufficient_room"
    assert "Rp3.000.000" in exc.value.message and "Rp4.000.000" in exc.value.message
    r = fresh(r)
    assert r.state == S.UNDER_REVIEW
    assert not r.decisions.exists()
    assert (AuditEvent.objects.count(), LedgerEntry.objects.count()) == (audit_before, ledger_before)
    small.refresh_from_db()
    assert (small.reserved, small.room) == (0, 3_000_000)
    from viewflow.workflow.status import STATUS
    assert r.process.task_set.filter(flow_task_type="HUMAN", status=STATUS.NEW).count() == 1


@pytest.mark.parametrize("amount, code", [
    (-5, "amount_not_positive"),
    (0, "amount_not_positive"),
    ("0", "amount_not_positive"),
    ("-1.000", "amount_not_positive"),
    ("lima juta", "amount_not_numeric"),
    ("5000000.50", "amount_not_numeric"),
    (5_000_000.0, "amount_not_numeric"),
    (Decimal("10.5"), "amount_not_numeric"),
    (True, "amount_not_numeric"),
    (None, "amount_not_numeric"),
    (10**12, "amount_too_large"),
    ("9" * 30, "amount_not_numeric"),
])
def test_bad_amounts_are_refused_in_indonesian_and_nothing_is_written(repair_world, amount, code):
    w = repair_world
    before = (RepairRequest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(RequestError) as exc:
        request_create(actor=w.operator_babakan, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                       problem="Rusak", amount=amount, envelope=w.env_setu)
    assert exc.value.code == code
    assert exc.value.field == "amount"
    assert "Nilai" in exc.value.message
    assert (RepairRequest.objects.count(), AuditEvent.objects.count()) == before


def test_amounts_in_indonesian_notation_are_accepted(repair_world):
    w = repair_world
    r = request_create(actor=w.operator_babakan, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                       problem="Rusak", amount="Rp 4.500.000", envelope=w.env_setu)
    assert r.amount == 4_500_000


def test_submit_needs_a_quote_and_an_envelope_of_this_year(repair_world):
    w = repair_world
    r = request_create(actor=w.operator_babakan, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                       problem="Rusak", amount=1_000_000, envelope=w.env_setu)
    with pytest.raises(RequestError) as exc:
        request_submit(request_obj=r, actor=w.operator_babakan)
    assert exc.value.code == "quote_required"
    assert fresh(r).state == S.DRAFT and fresh(r).number is None
    old = envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan="7.01.01.2.09.0006",
                          account_code="5.1.02.03.02.0405", fiscal_year=w.year - 1, name="Tahun lalu")
    r2 = request_create(actor=w.operator_babakan, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                        problem="Rusak", amount=1_000_000, envelope=old, quotes=[{"vendor_name": "CV A", "amount": 1}])
    with pytest.raises(RequestError) as exc:
        request_submit(request_obj=r2, actor=w.operator_babakan)
    assert exc.value.code == "wrong_fiscal_year"


def test_staff_of_another_unit_cannot_raise_a_request(repair_world):
    w = repair_world
    with pytest.raises(Denied) as exc:
        request_create(actor=w.operator_pb, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                       problem="Rusak", amount=1_000_000, envelope=w.env_setu)
    assert exc.value.code == "outside_unit"
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.operator_pb).exists()


def test_reject_needs_a_reason_and_ends_the_request(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)
    with pytest.raises(RequestError):
        request_reject(request_obj=r, actor=w.lurah_babakan, reason="")
    request_reject(request_obj=r, actor=w.lurah_babakan, reason="Perangkat sudah habis masa pakai; ajukan pengadaan.")
    r = fresh(r)
    assert r.state == S.REJECTED and r.decided_at
    assert r.decisions.get().outcome == "reject"


def test_pay_and_close_turn_the_reservation_into_spending(repair_world):
    w = repair_world
    r = new_request(w, amount=4_000_000)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    with pytest.raises(Denied):
        payment_up_spend(request_obj=r, actor=w.lurah_babakan, bukti_number="KW-1", issued_on=local_date(),
                         payee_name="CV Maju Jaya")
    with pytest.raises(RequestError):
        payment_up_spend(request_obj=r, actor=w.bendahara_setu, bukti_number="KW-1",
                         issued_on=local_date() + dt.timedelta(days=3), payee_name="CV Maju Jaya")
    payment_up_spend(request_obj=r, actor=w.bendahara_setu, bukti_number="KW/001", issued_on=local_date(),
                     payee_name="CV Maju Jaya")
    env = Envelope.objects.get(pk=w.env_setu.pk)
    assert (env.reserved, env.paid, env.room) == (0, 4_000_000, 496_000_000)
    entry = LedgerEntry.objects.get(request=r, kind="pay")
    assert (entry.spp_number, entry.sp2d_number, entry.note, entry.room_after) == ("", "", "Bukti KW/001", 496_000_000)
    request_close(request_obj=r, actor=w.operator_babakan)
    assert fresh(r).state == S.CLOSED


def test_cancelling_an_approved_request_releases_the_reservation(repair_world):
    w = repair_world
    r = new_request(w, amount=4_000_000)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Perangkat diganti garansi.")
    env = Envelope.objects.get(pk=w.env_setu.pk)
    assert (fresh(r).state, env.reserved, env.room) == (S.CANCELLED, 0, 500_000_000)
    assert list(LedgerEntry.objects.filter(request=r).values_list("kind", flat=True)) == ["reserve", "release"]
    with pytest.raises(RequestError):
        request_cancel(request_obj=r, actor=w.operator_babakan, reason="lagi")


def test_monthly_cap_refuses_at_approval_time(repair_world):
    w = repair_world
    DelegationRule.objects.filter(pk=w.matrix["lurah"].pk).update(monthly_cap_per_unit=6_000_000)
    a = new_request(w, amount=4_000_000)
    b = new_request(w, amount=3_000_000, asset=w.printer_babakan, vendor="CV Lain", category="network")
    assert route_kinds(b) == ["lurah"]  # both fit when submitted: nothing was approved yet
    request_approve(request_obj=a, actor=w.lurah_babakan)
    with pytest.raises(Denied) as exc:
        request_approve(request_obj=b, actor=w.lurah_babakan)
    assert exc.value.code == "monthly_cap_exceeded"
    # Returned and resubmitted, the route now climbs to the camat.
    request_return(request_obj=b, actor=w.lurah_babakan, reason="Batas bulanan habis.")
    request_submit(request_obj=b, actor=w.operator_babakan)
    assert route_kinds(fresh(b)) == ["camat"]


def test_decisions_and_transitions_are_audited_with_capacity(repair_world):
    w = repair_world
    r = new_request(w, amount=20_000_000)
    request_approve(request_obj=r, actor=w.plh_camat_setu)
    actions = list(AuditEvent.objects.filter(object_id=str(r.pk), content_type__model="repairrequest")
                   .order_by("seq").values_list("action", "capacity"))
    assert actions == [
        ("repair_request.created", "Operator Kelurahan Babakan"),
        ("repair_request.submitted", "Operator Kelurahan Babakan"),
        ("repair_request.approved", "Plh. Camat Setu"),
    ]
    from workflows.services.audit import audit_verify
    assert audit_verify() is None


def test_state_is_protected_but_refresh_from_db_works(repair_world):
    w = repair_world
    r = new_request(w, amount=1_000_000)
    stale = RepairRequest.objects.get(pk=r.pk)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    stale.refresh_from_db()
    assert stale.state == S.APPROVED
    with pytest.raises(AttributeError):
        stale.state = S.DRAFT


def test_city_offices_and_auditors_do_not_raise_or_cancel_a_units_requests(repair_world):
    from workflows.models import User as U

    w = repair_world
    auditor = U.objects.get(username="auditor")
    with pytest.raises(Denied):
        request_create(actor=auditor, org_unit=w.babakan, asset=w.pc_babakan, category="hardware",
                       problem="Rusak", amount=1_000_000, envelope=w.env_setu)
    r = new_request(w, amount=1_000_000)
    for actor in (auditor, w.kepala_bpkad):
        with pytest.raises(Denied):
            request_cancel(request_obj=r, actor=actor, reason="coba")
    assert fresh(r).state == S.UNDER_REVIEW
    # The camat, above the kelurahan, may cancel it.
    request_cancel(request_obj=r, actor=w.plh_camat_setu, reason="Dobel input.")
    assert fresh(r).state == S.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_the_denial_event_is_committed_although_the_decision_rolled_back(tangsel):
    from tests.budget_requests.support import make_matrix, make_world

    w = make_world(make_matrix())
    r = new_request(w, amount=1_000_000)
    with pytest.raises(Denied):
        request_approve(request_obj=r, actor=w.lurah_setu)
    # Nothing wraps this test in a transaction: what is visible here was committed.
    assert AuditEvent.objects.filter(action="repair_request.denied", object_id=str(r.pk), actor=w.lurah_setu).count() == 1
    assert fresh(r).state == S.UNDER_REVIEW and not Decision.objects.filter(request=r).exists()
