"""The triage task: a complaint becomes a repair request or is closed with a reason; the repair's decisions
move the complaint and write the outbox in the same transaction; authority is checked and refusals audited."""
from __future__ import annotations

import pytest
from django.db import transaction

from budget_requests.complaints.flows import ComplaintFlow
from budget_requests.complaints.models import ComplaintState as S, ComplaintUpdate, MatchBasis
from budget_requests.complaints.services import complaint_close, complaint_route
from budget_requests.errors import RequestError
from budget_requests.models import RepairRequest, RequestState
from budget_requests.services import payment_up_spend, request_approve, request_reject
from workflows.acting import local_date
from workflows.models import AuditEvent
from workflows.policy import Denied

from .support import ended_at, fresh, open_tasks, receive, to_repair

pytestmark = pytest.mark.django_db


def test_complaint_lands_as_a_task_for_the_kelurahan_operator(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    human = [t for t in open_tasks(c) if t.flow_task == ComplaintFlow.triage]
    assert len(human) == 1
    assert human[0].owner_permission == f"workflows.act_for_position_{c.triage_position_id}"
    assert c.triage_position.code == "operator-kelurahan-kel-babakan"
    assert [t for t in open_tasks(c) if t.flow_task_type == "TIMER"]


def test_triage_to_repair_then_approved_then_repaired_writes_each_update(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    r = to_repair(w, c)
    c = fresh(c)
    assert c.state == S.ACCEPTED and c.repair_request_id == r.pk and r.state == RequestState.UNDER_REVIEW
    assert r.asset_id == w.cctv_babakan.pk and r.org_unit_id == w.babakan.pk
    assert ended_at(c) == ["end_accepted"]
    accepted = ComplaintUpdate.objects.get(complaint=c)
    assert accepted.event == "accepted" and accepted.payload["repair_request"] == r.number
    assert r.number in accepted.payload["message"]

    request_approve(request_obj=r, actor=w.lurah_babakan)
    assert fresh(c).state == S.REPAIR_APPROVED
    payment_up_spend(request_obj=r, actor=w.bendahara_setu, bukti_number="KW/1", issued_on=local_date(),
                     payee_name="CV Kamera Jaya")
    c = fresh(c)
    assert c.state == S.REPAIRED and c.repaired_at is not None
    assert list(ComplaintUpdate.objects.filter(complaint=c).values_list("event", flat=True)) == [
        "accepted", "repair_approved", "repaired"]
    assert AuditEvent.objects.filter(object_id=str(c.pk), action__in=[
        "complaint.accepted", "complaint.repair_approved", "complaint.repaired"]).count() == 3


def test_refused_repair_closes_the_complaint_with_the_reason(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    r = to_repair(w, c)
    request_reject(request_obj=r, actor=w.lurah_babakan, reason="Masih dalam masa garansi penyedia.")
    c = fresh(c)
    assert c.state == S.CLOSED and c.close_reason == "Masih dalam masa garansi penyedia."
    last = ComplaintUpdate.objects.filter(complaint=c).last()
    assert last.event == "closed" and "garansi" in last.payload["message"]


def test_province_asset_request_is_forwarded_and_the_complaint_closed_after_its_acceptance(complaint_world):
    w = complaint_world
    c = receive(w.lapor, external_id="LPR-9", asset_code=w.cctv_province.tag)
    r = to_repair(w, c, amount=2_000_000)
    c = fresh(c)
    assert r.state == RequestState.FORWARDED_TO_PROVINCE and c.state == S.CLOSED
    assert "Provinsi" in c.close_reason
    assert list(ComplaintUpdate.objects.filter(complaint=c).values_list("event", flat=True)) == ["accepted", "closed"]
    assert ended_at(c) == ["end_closed"]


def test_triage_to_closed_with_reason(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    complaint_close(complaint=c, actor=w.operator_babakan, reason="Kamera sudah menyala kembali saat dicek.")
    c = fresh(c)
    assert c.state == S.CLOSED and c.closed_at and c.repair_request_id is None
    update = ComplaintUpdate.objects.get(complaint=c)
    assert update.event == "closed" and update.payload["reason"] == "Kamera sudah menyala kembali saat dicek."
    assert ended_at(c) == ["end_closed"]
    assert not [t for t in open_tasks(c) if t.flow_task_type in ("HUMAN", "TIMER")]


def test_closing_without_reason_is_refused_and_writes_nothing(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    with pytest.raises(RequestError) as err:
        complaint_close(complaint=c, actor=w.operator_babakan, reason="   ")
    assert err.value.code == "reason_required"
    assert fresh(c).state == S.TRIAGE and not ComplaintUpdate.objects.exists()


def test_operator_of_another_kelurahan_is_refused_and_audited(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    with pytest.raises(Denied) as err:
        complaint_close(complaint=c, actor=w.operator_pb, reason="Bukan wilayah kami.")
    assert err.value.code == "not_triage_officer"
    assert fresh(c).state == S.TRIAGE and not ComplaintUpdate.objects.exists()
    assert AuditEvent.objects.filter(action="complaint.denied", object_id=str(c.pk)).count() == 1


def test_failed_repair_creation_leaves_the_complaint_in_triage(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    with pytest.raises(RequestError):
        to_repair(w, c, amount="-5")
    c = fresh(c)
    assert c.state == S.TRIAGE and c.repair_request_id is None
    assert not ComplaintUpdate.objects.exists()
    assert not RepairRequest.objects.filter(asset=w.cctv_babakan).exists()


def test_unmatched_complaint_goes_to_diskominfo_which_routes_it_to_the_kelurahan(complaint_world):
    from workflows.models import User

    w = complaint_world
    c = receive(w.lapor, external_id="LPR-1", title="Internet taman mati", category="wifi_publik",
                location="dekat lapangan")
    assert c.org_unit is None and c.match_basis == MatchBasis.NONE
    assert c.triage_position.kind == "teknisi_diskominfo"
    teknisi = User.objects.get(username="teknisi.diskominfo")
    complaint_route(complaint=c, actor=teknisi, asset=w.wifi_pb, note="Titik Wi-Fi di balai warga.")
    c = fresh(c)
    assert c.state == S.TRIAGE and c.org_unit == w.pondok_benda and c.match_basis == MatchBasis.ROUTED
    assert c.triage_position.code == "operator-kelurahan-kel-pondok-benda"
    human = [t for t in open_tasks(c) if t.flow_task == ComplaintFlow.triage]
    assert len(human) == 1 and human[0].owner_permission.endswith(str(c.triage_position_id))
    with pytest.raises(Denied):  # the technician's turn is over
        complaint_close(complaint=c, actor=teknisi, reason="x")


def test_follow_request_runs_inside_the_repair_transaction(complaint_world):
    w = complaint_world
    c = receive(w.siaran, asset_code="CCTV-BBK-01")
    r = to_repair(w, c)
    with pytest.raises(RuntimeError), transaction.atomic():
        request_approve(request_obj=r, actor=w.lurah_babakan)
        raise RuntimeError("roll back")
    assert fresh(c).state == S.ACCEPTED
    assert list(ComplaintUpdate.objects.filter(complaint=c).values_list("event", flat=True)) == ["accepted"]
