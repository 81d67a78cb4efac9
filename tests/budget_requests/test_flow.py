"""RepairFlow: every path ends where the FSM does; tasks are addressed to positions; timers escalate."""
import datetime as dt

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from budget_requests.flows import END_STATES, RepairFlow
from budget_requests.models import RepairRequest, RequestState
from budget_requests.services import (
    payment_up_spend, request_approve, request_cancel, request_close, request_reject, request_return,
    request_submit, request_update,
)
from tests.budget_requests.support import new_request
from workflows.acting import local_date
from workflows.calendar import add_working_hours
from workflows.models import AuditEvent, Position
from workflows.permissions import forget_cached_positions
from workflows.tasks import fire_workflow_timers

pytestmark = pytest.mark.django_db
S = RequestState
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]


def fresh(obj):
    return RepairRequest.objects.get(pk=obj.pk)


def open_tasks(obj):
    return list(Task.objects.filter(process_id=fresh(obj).process_id, status__in=OPEN))


def open_human(obj):
    tasks = [t for t in open_tasks(obj) if t.flow_task_type == "HUMAN"]
    assert len(tasks) <= 1
    return tasks[0] if tasks else None


def assert_ended(obj, end_name):
    obj = fresh(obj)
    process = obj.process
    assert process.status == STATUS.DONE and process.finished
    ends = [t.flow_task.name for t in process.task_set.filter(flow_task_type="END")]
    assert ends == [end_name]
    assert obj.state in END_STATES[end_name]
    assert open_tasks(obj) == []


def test_approve_pay_close_ends_at_end_paid(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    task = open_human(r)
    assert task.flow_task == RepairFlow.review
    assert fresh(r).process.artifact == fresh(r)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    pay_task = open_human(r)
    assert pay_task.flow_task == RepairFlow.up_spend
    bendahara = Position.objects.get(code="bendahara-kec-setu")
    assert pay_task.owner_permission == bendahara.permission_name
    payment_up_spend(request_obj=r, actor=w.bendahara_setu, bukti_number="KW-1", issued_on=local_date(),
                     payee_name="CV Maju Jaya")
    assert_ended(r, "end_paid")
    request_close(request_obj=r, actor=w.operator_babakan)
    assert_ended(r, "end_paid")
    assert fresh(r).state == S.CLOSED


def test_two_step_route_loops_through_review(repair_world):
    w = repair_world
    r = new_request(w, amount=60_000_000, unit=w.pondok_benda)
    seen = []
    for actor in (w.kadis, w.camat_pamulang):
        task = open_human(r)
        seen.append(task.owner_permission)
        request_approve(request_obj=r, actor=actor)
    assert seen == [Position.objects.get(code=c).permission_name for c in ("kepala-diskominfo", "camat-kec-pamulang")]
    assert open_human(r).flow_task == RepairFlow.up_spend
    payment_up_spend(request_obj=r, actor=w.bendahara_pamulang, bukti_number="KW-2", issued_on=local_date(),
                     payee_name="CV Maju Jaya")
    assert_ended(r, "end_paid")


def test_reject_ends_at_end_rejected(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_reject(request_obj=r, actor=w.lurah_babakan, reason="Tidak layak.")
    assert_ended(r, "end_rejected")


def test_return_then_resubmit_then_approve(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_return(request_obj=r, actor=w.lurah_babakan, reason="Foto kurang jelas.")
    revise = open_human(r)
    assert revise.flow_task == RepairFlow.revise
    assert revise.owner_permission == Position.objects.get(code="operator-kelurahan-kel-babakan").permission_name
    request_submit(request_obj=r, actor=w.operator_babakan)
    assert open_human(r).flow_task == RepairFlow.review
    request_approve(request_obj=r, actor=w.lurah_babakan)
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Sudah diperbaiki garansi.")
    assert_ended(r, "end_cancelled")


def test_return_then_cancel_ends_at_end_cancelled(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_return(request_obj=r, actor=w.lurah_babakan, reason="Lengkapi penawaran.")
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Tidak jadi.")
    assert_ended(r, "end_cancelled")


def test_cancel_under_review_ends_at_end_cancelled(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Salah input.")
    assert_ended(r, "end_cancelled")


def test_cancel_a_draft_needs_no_flow(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000, submit=False)
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Salah input.")
    assert fresh(r).state == S.CANCELLED and fresh(r).process is None


def test_province_asset_ends_at_end_forwarded(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000, asset=w.cctv_province, category="cctv")
    assert_ended(r, "end_forwarded")


def test_returned_request_switched_to_a_province_asset_ends_at_end_forwarded(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_return(request_obj=r, actor=w.lurah_babakan, reason="Ini CCTV jalan provinsi.")
    request_update(request_obj=r, actor=w.operator_babakan, asset=w.cctv_province, category="cctv")
    request_submit(request_obj=r, actor=w.operator_babakan)
    assert_ended(r, "end_forwarded")


def test_review_task_is_offered_to_whoever_acts_for_the_position(repair_world):
    w = repair_world
    r = new_request(w, amount=20_000_000)  # camat Setu step; the Sekcam is Plh today
    task = open_human(r)
    node = task.flow_task
    for user in (w.plh_camat_setu, w.camat_setu, w.lurah_babakan):
        forget_cached_positions(user)
    assert node.can_assign(w.plh_camat_setu, task)
    assert not node.can_assign(w.camat_setu, task)  # on leave: the Plh acts
    assert not node.can_assign(w.lurah_babakan, task)


def _fire_now(obj):
    timers = [t for t in open_tasks(obj) if t.flow_task_type == "TIMER"]
    assert len(timers) == 1
    Task.objects.filter(pk=timers[0].pk).update(scheduled=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    return fire_workflow_timers()


def test_overdue_steps_remind_then_escalate_when_timers_fire(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000, unit=w.pondok_benda)
    obj = fresh(r)
    timer = [t for t in open_tasks(r) if t.flow_task_type == "TIMER"][0]
    assert timer.flow_task == RepairFlow.review__timeout
    # Lurah step: 4 office hours from when the step started.
    assert timer.scheduled == add_working_hours(obj.step_started_at, 4)

    lurah_pos = Position.objects.get(code="lurah-kel-pondok-benda")
    assert _fire_now(r) == 1
    obj = fresh(r)
    assert (obj.escalation_level, obj.escalated_to) == (1, None)
    assert open_human(r).owner_permission == lurah_pos.permission_name
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="repair_request.reminded").count() == 1

    assert _fire_now(r) == 1
    obj = fresh(r)
    camat_pos = Position.objects.get(code="camat-kec-pamulang")
    assert (obj.escalation_level, obj.escalated_to) == (2, camat_pos)
    assert open_human(r).owner_permission == camat_pos.permission_name
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="repair_request.escalated").count() == 1
    # Only one review task and one timer are open at any time.
    assert sorted(t.flow_task_type for t in open_tasks(r)) == ["HUMAN", "TIMER"]

    # The camat decides the escalated lurah step under the lurah's rule.
    request_approve(request_obj=r, actor=w.camat_pamulang)
    obj = fresh(r)
    d = obj.decisions.get()
    assert obj.state == S.APPROVED
    assert (d.position, d.rule_id, d.capacity_label) == (camat_pos, w.matrix["lurah"].pk, "Camat Pamulang")
    assert open_human(r).flow_task == RepairFlow.up_spend


def test_escalation_does_not_fire_after_the_step_is_decided(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    assert [t for t in open_tasks(r) if t.flow_task_type == "TIMER"] == []
    assert fire_workflow_timers() == 0


def test_queue_shows_the_task_to_the_lurah_with_what_it_is_about(client, repair_world):
    w = repair_world
    r = fresh(new_request(w, amount=3_000_000))
    client.force_login(w.lurah_babakan)
    page = client.get("/workflow/queue/", follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert r.number in text and "TI-BBK-001" in text and "3.000.000" in text
    client.force_login(w.lurah_setu)
    assert r.number not in client.get("/workflow/queue/", follow=True).content.decode()


def test_flow_view_permission_is_scoped_to_the_unit(repair_world):
    w = repair_world
    r = fresh(new_request(w, amount=3_000_000))
    flow = RepairFlow.instance
    assert flow.has_view_permission(w.lurah_babakan, r.process)
    assert not flow.has_view_permission(w.lurah_setu, r.process)
    assert flow.has_view_permission(w.kepala_bpkad, r.process)


def test_escalated_step_may_still_be_decided_by_its_own_position(repair_world):
    w = repair_world
    r = new_request(w, amount=3_000_000, unit=w.pondok_benda)
    _fire_now(r)
    _fire_now(r)
    assert fresh(r).escalated_to is not None
    request_approve(request_obj=r, actor=w.lurah_pb)
    d = fresh(r).decisions.get()
    assert (d.capacity_label, d.rule_id) == ("Lurah Pondok Benda", w.matrix["lurah"].pk)


def test_top_step_without_a_higher_level_only_reminds(repair_world):
    w = repair_world
    r = new_request(w, amount=60_000_000, unit=w.pondok_benda)
    request_approve(request_obj=r, actor=w.kadis)
    started = fresh(r).step_started_at
    timer = [t for t in open_tasks(r) if t.flow_task_type == "TIMER"][0]
    # The camat's step (the PA, the top of the kecamatan's ladder): 1 working day of office time.
    from workflows.calendar import office_hours
    assert timer.scheduled == add_working_hours(started, office_hours().length * 1)
    for _ in range(3):
        _fire_now(r)
    obj = fresh(r)
    assert (obj.escalation_level, obj.escalated_to) == (3, None)
    assert open_human(r).owner_permission == Position.objects.get(code="camat-kec-pamulang").permission_name
    assert AuditEvent.objects.filter(object_id=str(r.pk), action="repair_request.reminded").count() == 3


def test_approval_racing_the_timer_uses_the_review_task_open_now(repair_world, monkeypatch):
    """The timer replaces the review task just before the approval gets the process lock: the approval (whose
    caller still holds the request as it was) completes the review task open now, looked up under the lock."""
    w = repair_world
    r = new_request(w, amount=3_000_000)
    stale = open_human(r)
    real_lock = RepairFlow.lock
    fired = []

    def lock_after_timer(process_pk):
        if not fired:
            fired.append(None)
            fired[0] = _fire_now(r)  # the timer wins the race for the process lock (its own lock: the real one)
        return real_lock(process_pk)

    monkeypatch.setattr(RepairFlow, "lock", lock_after_timer)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    assert fired == [1] and Task.objects.get(pk=stale.pk).status == STATUS.CANCELED
    assert fresh(r).state == S.APPROVED
    assert open_human(r).flow_task == RepairFlow.up_spend
