"""LAPOR!'s working-day clocks on the triage task: counted over Idul Fitri 2026 and its cuti bersama, fired as
viewflow timers, escalating operator → lurah → camat, then reminding."""
from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from viewflow.workflow.models import Task

from budget_requests.complaints.clocks import FOLLOW_UP_CODE, FORWARD_CODE, triage_due
from budget_requests.complaints.flows import ComplaintFlow
from workflows.calendar import deadline_rule
from workflows.models import AuditEvent
from workflows.tasks import fire_workflow_timers

from .support import fresh, open_tasks, receive

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_clocks_are_data_with_their_basis_and_marked_to_confirm(tangsel):
    for code, days in ((FORWARD_CODE, 3), (FOLLOW_UP_CODE, 5)):
        rule = deadline_rule(code, dt.date(2026, 3, 17))
        assert rule.days == days and rule.day_kind == "working" and rule.to_confirm
        assert "76 Tahun 2013" in rule.legal_basis and "62 Tahun 2018" in rule.legal_basis


def test_clocks_skip_nyepi_idul_fitri_and_cuti_bersama_2026(tangsel):
    # Received Tuesday 17 March 2026: 18 (cuti bersama Nyepi), 19 (Nyepi), 20 (cuti bersama), 21–22 (Idul Fitri,
    # weekend), 23–24 (cuti bersama) are not working days; the 1st working day after is Wednesday 25 March.
    received = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WIB)
    now = received
    assert triage_due(received_at=received, level=0, now=now) == dt.datetime(2026, 3, 27, 16, 0, tzinfo=WIB)
    assert triage_due(received_at=received, level=1, now=now) == dt.datetime(2026, 3, 31, 16, 0, tzinfo=WIB)
    # Past both clocks: a reminder at the close of the next working day.
    assert triage_due(received_at=received, level=2, now=dt.datetime(2026, 3, 19, 9, 0, tzinfo=WIB)) == \
        dt.datetime(2026, 3, 25, 16, 0, tzinfo=WIB)


def _timer(c):
    timers = [t for t in open_tasks(c) if t.flow_task_type == "TIMER"]
    assert len(timers) == 1
    return timers[0]


def _fire(c):
    Task.objects.filter(pk=_timer(c).pk).update(scheduled=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    fire_workflow_timers()
    return fresh(c)


def _triage_position_id(c) -> int:
    task = [t for t in open_tasks(c) if t.flow_task == ComplaintFlow.triage][0]
    return int(task.owner_permission.rsplit("_", 1)[1])


def test_timer_is_the_forwarding_clock_and_escalates_like_a_repair_step(complaint_world):
    from workflows.calendar import add_working_days, office_hours

    w = complaint_world
    c = receive(w.lapor, external_id="LPR-7", asset_code="CCTV-BBK-01")
    due = dt.datetime.combine(add_working_days(c.received_at, 3), office_hours().end, tzinfo=office_hours().tz)
    assert _timer(c).scheduled == due

    c = _fire(c)  # past 3 working days: the lurah
    assert c.escalation_level == 1 and c.escalated_to.code == "lurah-kel-babakan"
    assert _triage_position_id(c) == c.escalated_to_id
    follow_up = dt.datetime.combine(add_working_days(c.received_at, 5), office_hours().end, tzinfo=office_hours().tz)
    assert _timer(c).scheduled == follow_up

    c = _fire(c)  # past 5 working days: the camat
    assert c.escalation_level == 2 and c.escalated_to.code == "camat-kec-setu"
    c = _fire(c)  # then a reminder to the same position
    assert c.escalation_level == 3 and c.escalated_to.code == "camat-kec-setu"
    actions = list(AuditEvent.objects.filter(object_id=str(c.pk), action__in=["complaint.escalated",
                                                                               "complaint.reminded"])
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["complaint.escalated", "complaint.escalated", "complaint.reminded"]


def test_escalated_lurah_may_close_and_the_operator_still_may_not_after_it_is_closed(complaint_world):
    from budget_requests.complaints.services import complaint_close
    from budget_requests.errors import RequestError

    w = complaint_world
    c = _fire(receive(w.lapor, external_id="LPR-8", asset_code="CCTV-BBK-01"))
    complaint_close(complaint=c, actor=w.lurah_babakan, reason="Sudah diperbaiki penyedia dalam masa garansi.")
    assert fresh(c).state == "closed"
    with pytest.raises(RequestError) as err:  # a wrong state, not a refusal
        complaint_close(complaint=c, actor=w.operator_babakan, reason="lagi")
    assert err.value.code == "wrong_state"
