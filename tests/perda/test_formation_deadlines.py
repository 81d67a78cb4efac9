"""Statutory deadlines of the formation stages on real 2026 dates across Nyepi and Idul Fitri 1447 H, the
reminders and escalations, and the "dinyatakan sah" rule for a late penetapan."""
from __future__ import annotations

import datetime as dt

import pytest

from perda.models import DeadlineNotice, Formation
from perda.selectors import DeadlineRules, formation_deadlines
from perda.services import enactment
from perda.services import formation as svc
from perda.states import Stage
from workflows.calendar import deadline_due
from workflows.models import Notification

from .formation_support import make_draft, people  # noqa: F401
from .test_formation import PDF, record

pytestmark = pytest.mark.django_db


def due_of(formation, code):
    return {d.code: d.due for d in formation_deadlines(Formation.objects.get(pk=formation.pk))}.get(code)


def to_persetujuan(people, reg, *, submitted=dt.date(2026, 2, 2)):
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_start_drafting(formation=f, actor=people.kabag, on=submitted - dt.timedelta(days=1))
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=submitted)
    return f


def test_harmonisasi_working_days_skip_nyepi_and_idul_fitri(people):
    f = to_persetujuan(people, make_draft(people), submitted=dt.date(2026, 3, 17))
    # 5 working days from Tuesday 17 March 2026: 18–24 March are Nyepi, Idul Fitri, cuti bersama and a weekend.
    assert due_of(f, "harmonisasi") == dt.date(2026, 3, 31)


def test_fasilitasi_fifteen_working_days_skip_holidays_and_good_friday(people):
    f = to_persetujuan(people, make_draft(people), submitted=dt.date(2026, 2, 2))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 3, 10))  # pembahasan I → fasilitasi from 10 March
    assert Formation.objects.get(pk=f.pk).stage == Stage.FASILITASI
    assert due_of(f, "fasilitasi") == dt.date(2026, 4, 8)


def test_calendar_day_deadlines_do_not_move_for_holidays(people):
    f = to_persetujuan(people, make_draft(people))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))
    record(f, people, "sesuai", dt.date(2026, 3, 2))
    record(f, people, "disetujui", dt.date(2026, 3, 16), "Keputusan DPRD 7/2026")
    # handover within 7 days (lands on a cuti bersama day: calendar days are not moved); penetapan 30 days
    assert due_of(f, "penyampaian-dprd") == dt.date(2026, 3, 23)
    assert due_of(f, "penetapan") == dt.date(2026, 4, 15)
    record(f, people, "diterima", dt.date(2026, 3, 18))
    # sent for noreg within 3 days of receipt: Saturday 21 March, Idul Fitri
    assert due_of(f, "noreg-penyampaian") == dt.date(2026, 3, 21)
    record(f, people, "dikirim", dt.date(2026, 3, 19))
    assert due_of(f, "noreg-penerbitan") == dt.date(2026, 3, 26)
    assert due_of(f, "noreg-penyampaian") is None
    assert due_of(f, "penetapan") == dt.date(2026, 4, 15)


def test_evaluasi_fix_within_seven_days(people):
    f = to_persetujuan(people, make_draft(people, evaluasi_kind="retribusi", title="Retribusi Daerah"))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))  # pembahasan I → pembahasan II directly
    record(f, people, "disetujui", dt.date(2026, 3, 2), "Keputusan DPRD 8/2026")
    record(f, people, "diterima", dt.date(2026, 3, 5))
    assert Formation.objects.get(pk=f.pk).stage == Stage.EVALUASI
    record(f, people, "tidak_sesuai", dt.date(2026, 3, 17))
    assert due_of(f, "evaluasi-penyempurnaan") == dt.date(2026, 3, 24)


def test_rules_cache_counts_like_the_calendar(people):
    rules = DeadlineRules()
    for code in ("harmonisasi", "fasilitasi", "penyampaian-dprd", "noreg-penyampaian", "penetapan"):
        for start in (dt.date(2026, 3, 13), dt.date(2026, 12, 22), dt.date(2027, 3, 5)):
            assert rules.due(rules.rule(code, start), start) == deadline_due(code, start)


def test_reminder_then_escalation_once_each(people):
    f = to_persetujuan(people, make_draft(people), submitted=dt.date(2026, 3, 17))  # due 31 March
    assert svc.formation_check_deadlines(today=dt.date(2026, 3, 25)) == []  # 6 days left: quiet
    notices = svc.formation_check_deadlines(today=dt.date(2026, 3, 29))
    assert [n.kind for n in notices] == ["reminder"]
    assert Notification.objects.filter(recipient=people.kabag, subject__startswith="Tenggat").count() == 1
    assert svc.formation_check_deadlines(today=dt.date(2026, 3, 30)) == []  # sent once
    notices = svc.formation_check_deadlines(today=dt.date(2026, 4, 1))
    assert [n.kind for n in notices] == ["escalation"]
    assert Notification.objects.filter(recipient=people.kabag, subject__startswith="Lewat tenggat").count() == 1
    assert svc.formation_check_deadlines(today=dt.date(2026, 4, 2)) == []
    assert DeadlineNotice.objects.filter(formation=f).count() == 2


def test_penetapan_escalates_to_walikota_and_kabag(people):
    f = to_persetujuan(people, make_draft(people))
    for outcome, day, number in [("selesai", dt.date(2026, 2, 9), ""), ("selesai", dt.date(2026, 2, 16), ""),
                                 ("sesuai", dt.date(2026, 3, 2), ""),
                                 ("disetujui", dt.date(2026, 3, 16), "K-1"), ("diterima", dt.date(2026, 3, 17), ""),
                                 ("dikirim", dt.date(2026, 3, 17), ""), ("diterbitkan", dt.date(2026, 3, 20), "3-1/2026")]:
        record(f, people, outcome, day, number)
    svc.formation_check_deadlines(today=dt.date(2026, 4, 16))
    late = Notification.objects.filter(subject__startswith="Lewat tenggat")
    assert {n.recipient for n in late} == {people.walikota, people.kabag}
    assert "dinyatakan sah" in late.first().body


def _to_penetapan(people, reg):
    f = to_persetujuan(people, reg)
    for outcome, day, number in [("selesai", dt.date(2026, 2, 9), ""), ("selesai", dt.date(2026, 2, 16), ""),
                                 ("sesuai", dt.date(2026, 3, 2), ""),
                                 ("disetujui", dt.date(2026, 3, 16), "K-1"), ("diterima", dt.date(2026, 3, 17), ""),
                                 ("dikirim", dt.date(2026, 3, 17), ""), ("diterbitkan", dt.date(2026, 3, 20), "3-1/2026")]:
        record(f, people, outcome, day, number)
    return Formation.objects.get(pk=f.pk)


def test_signing_on_the_last_day_is_in_time(people):
    f = _to_penetapan(people, make_draft(people))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 15))
    f.regulation.refresh_from_db()
    assert f.regulation.dinyatakan_sah is False and f.regulation.signer_title == "WALI KOTA TANGERANG SELATAN"


def test_late_penetapan_is_marked_dinyatakan_sah_in_the_text(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    f = _to_penetapan(people, make_draft(people))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 16))
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 4, 17))
    reg = Formation.objects.get(pk=f.pk).regulation
    assert reg.dinyatakan_sah is True
    assert reg.enacted_version.snapshot["regulation"]["dinyatakan_sah"] is True
    from perda.render.html import render_html

    assert "Peraturan Daerah ini dinyatakan sah." in render_html(reg.enacted_version.snapshot)


def test_declare_valid_without_signature_only_after_the_deadline(people):
    f = _to_penetapan(people, make_draft(people))
    with pytest.raises(svc.FormationError):
        enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 4, 15))
    enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 4, 16))
    f = Formation.objects.get(pk=f.pk)
    assert f.stage == Stage.PENGUNDANGAN and f.regulation.dinyatakan_sah and f.regulation.signer_name == ""
    assert f.records.last().outcome == "dinyatakan_sah"


def test_perwali_has_no_penetapan_deadline(people):
    reg = make_draft(people, kind="perwali")
    f = svc.formation_start(regulation=reg, actor=people.kabag)
    svc.formation_submit(formation=f, actor=people.pemrakarsa, on=dt.date(2026, 2, 2))
    record(f, people, "selesai", dt.date(2026, 2, 5), "BA-2")
    f = Formation.objects.get(pk=f.pk)
    assert f.stage == Stage.PENETAPAN and formation_deadlines(f) == []
    with pytest.raises(svc.FormationError):
        enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 6, 1))


def test_escalation_goes_to_the_plh_acting_for_kabag_hukum(people):
    from tests.factories import AssignmentFactory, UserFactory
    from workflows.models import Capacity, Position

    plh = UserFactory(username="plh.kabag")
    AssignmentFactory(position=Position.objects.get(code="kabag-hukum"), user=plh, capacity=Capacity.PLH,
                      starts_on=dt.date(2026, 3, 30), ends_on=dt.date(2026, 4, 3))
    to_persetujuan(people, make_draft(people), submitted=dt.date(2026, 3, 17))  # harmonisasi due 31 March
    svc.formation_check_deadlines(today=dt.date(2026, 4, 1))
    late = Notification.objects.get(subject__startswith="Lewat tenggat")
    assert late.recipient == plh and late.capacity == "Plh. Kepala Bagian Hukum"
