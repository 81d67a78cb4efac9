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


def deadline_of(formation, code):
    return {d.code: d for d in formation_deadlines(Formation.objects.get(pk=formation.pk))}.get(code)


def test_handover_and_penetapan_show_both_readings_across_idul_fitri(people):
    f = to_persetujuan(people, make_draft(people))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))
    record(f, people, "sesuai", dt.date(2026, 3, 2))
    record(f, people, "disetujui", dt.date(2026, 3, 16), "Keputusan DPRD 7/2026")
    # Handover within 7 days of Monday 16 March 2026. UU 12/2011 "hari" (calendar): Monday 23 March, a cuti
    # bersama day, not moved. UU 23/2014 "Hari" (working): 17, 25, 26, 27, 30, 31 March, 1 April.
    handover = deadline_of(f, "penyampaian-dprd")
    assert (handover.own_due, handover.alt_due, handover.due) == (
        dt.date(2026, 3, 23), dt.date(2026, 4, 1), dt.date(2026, 3, 23))
    assert handover.to_confirm and handover.alt_day_kind == "working" and "UU 12/2011" in handover.article
    assert "Undang-Undang Nomor 23 Tahun 2014" in handover.alt_reading
    # Penetapan within 30 days: 15 April (calendar) or 6 May (working days, 20-24 March and Good Friday off).
    penetapan = deadline_of(f, "penetapan")
    assert (penetapan.due, penetapan.latest_due) == (dt.date(2026, 4, 15), dt.date(2026, 5, 6))


def test_noreg_counts_working_days_not_idul_fitri(people):
    f = to_persetujuan(people, make_draft(people))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))
    record(f, people, "sesuai", dt.date(2026, 3, 2))
    record(f, people, "disetujui", dt.date(2026, 3, 16), "Keputusan DPRD 7/2026")
    record(f, people, "diterima", dt.date(2026, 3, 18))
    # Permendagri 80/2015 Pasal 100 ayat (2): 3 "Hari" (hari kerja) from Wednesday 18 March. Counted in
    # calendar days it fell on Saturday 21 March, Idul Fitri; in working days Nyepi (19), the cuti bersama
    # (18 is the start, 20, 23, 24) and the weekend are skipped: 25, 26, 27 March.
    send = deadline_of(f, "noreg-penyampaian")
    assert send.due == dt.date(2026, 3, 27) and send.alt_due is None
    # one reading only, but the "Hari" definition is still to be matched with the official text
    assert send.to_confirm
    assert send.day_kind == "working" and send.article == "Permendagri 80/2015 Pasal 100 ayat (2)"
    assert '"Hari adalah hari kerja."' in send.day_definition
    record(f, people, "dikirim", dt.date(2026, 3, 19))
    # Pasal 102 ayat (1): noreg within 7 Hari of receipt (Thursday 19 March, Nyepi): 25 March … 2 April.
    assert due_of(f, "noreg-penerbitan") == dt.date(2026, 4, 2)
    assert due_of(f, "noreg-penyampaian") is None
    assert due_of(f, "penetapan") == dt.date(2026, 4, 15)


def test_evaluasi_fix_within_seven_working_days(people):
    f = to_persetujuan(people, make_draft(people, evaluasi_kind="retribusi", title="Retribusi Daerah"))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))  # pembahasan I → pembahasan II directly
    record(f, people, "disetujui", dt.date(2026, 3, 2), "Keputusan DPRD 8/2026")
    record(f, people, "diterima", dt.date(2026, 3, 5))
    assert Formation.objects.get(pk=f.pk).stage == Stage.EVALUASI
    # No penetapan clock yet: an evaluated Perda counts it from the Gubernur's evaluasi decision.
    assert due_of(f, "penetapan") is None and due_of(f, "penetapan-evaluasi") is None
    record(f, people, "tidak_sesuai", dt.date(2026, 3, 17))
    # Pasal 99 ayat (2): 7 Hari from Tuesday 17 March — was 24 March (a cuti bersama day) in calendar days.
    assert due_of(f, "evaluasi-penyempurnaan") == dt.date(2026, 4, 2)


def test_rules_cache_counts_like_the_calendar(people):
    rules = DeadlineRules()
    for code in ("harmonisasi", "fasilitasi", "penyampaian-dprd", "evaluasi-penyempurnaan", "noreg-penyampaian",
                 "noreg-penerbitan", "penetapan", "penetapan-evaluasi"):
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
    assert "15 April 2026 dalam hari kalender, 6 Mei 2026 dalam hari kerja" in late.first().body


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


def test_signing_between_the_two_readings_is_not_dinyatakan_sah(people):
    # Persetujuan bersama 16 March 2026: 30 calendar days end 15 April, 30 working days 6 May. On 6 May the
    # deadline has not passed under the working-day reading, so the Perda is not printed "dinyatakan sah".
    f = _to_penetapan(people, make_draft(people))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 5, 6))
    f.regulation.refresh_from_db()
    assert f.regulation.dinyatakan_sah is False


def test_late_penetapan_is_marked_dinyatakan_sah_in_the_text(people, monkeypatch):
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    f = _to_penetapan(people, make_draft(people))
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 5, 7))
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 5, 8))
    reg = Formation.objects.get(pk=f.pk).regulation
    assert reg.dinyatakan_sah is True
    assert reg.enacted_version.snapshot["regulation"]["dinyatakan_sah"] is True
    from perda.render.html import render_html

    assert "Peraturan Daerah ini dinyatakan sah." in render_html(reg.enacted_version.snapshot)


def test_declare_valid_without_signature_only_after_the_deadline(people):
    f = _to_penetapan(people, make_draft(people))
    for early in (dt.date(2026, 4, 16), dt.date(2026, 5, 6)):
        with pytest.raises(svc.FormationError):
            enactment.formation_declare_valid(formation=f, actor=people.kabag, on=early)
    enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 5, 7))
    f = Formation.objects.get(pk=f.pk)
    assert f.stage == Stage.PENGUNDANGAN and f.regulation.dinyatakan_sah and f.regulation.signer_name == ""
    assert f.records.last().outcome == "dinyatakan_sah"


def _apbd_to_penetapan(people, *, evaluasi_on):
    """An APBD Perda approved jointly on 2 March 2026, evaluated by the Gubernur on ``evaluasi_on``."""
    f = to_persetujuan(people, make_draft(people, evaluasi_kind="apbd", title="Anggaran Pendapatan dan Belanja "
                                                                                "Daerah Tahun Anggaran 2026"))
    record(f, people, "selesai", dt.date(2026, 2, 9))
    record(f, people, "selesai", dt.date(2026, 2, 16))
    record(f, people, "disetujui", dt.date(2026, 3, 2), "Keputusan DPRD 9/2026")
    record(f, people, "diterima", dt.date(2026, 3, 4))
    record(f, people, "sesuai", evaluasi_on, "Keputusan Gubernur Banten 900/2026")
    record(f, people, "dikirim", evaluasi_on)
    record(f, people, "diterbitkan", evaluasi_on + dt.timedelta(days=1), "3-60/2026")
    return Formation.objects.get(pk=f.pk)


def test_apbd_signed_on_time_after_a_late_evaluasi(people, monkeypatch):
    # Permendagri 80/2015 Pasal 102 ayat (3): the Gubernur decided the evaluasi on Thursday 16 April 2026,
    # 45 days after persetujuan bersama. The Wali Kota signs on 30 April: late counted from persetujuan
    # bersama (1 April), in time counted from the evaluasi decision. No "dinyatakan sah".
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    f = _apbd_to_penetapan(people, evaluasi_on=dt.date(2026, 4, 16))
    clock = deadline_of(f, "penetapan-evaluasi")
    assert deadline_of(f, "penetapan") is None
    assert clock.start == dt.date(2026, 4, 16) and clock.due == dt.date(2026, 5, 16)
    assert "Pasal 102 ayat (3)" in clock.article and clock.to_confirm
    assert enactment.penetapan_due(f) == clock.latest_due > dt.date(2026, 5, 16)
    enactment.formation_enact(formation=f, actor=people.walikota, signed_on=dt.date(2026, 4, 30))
    enactment.formation_promulgate(formation=f, actor=people.sekda, promulgated_on=dt.date(2026, 5, 4))
    reg = Formation.objects.get(pk=f.pk).regulation
    assert reg.dinyatakan_sah is False
    from perda.render.html import render_html

    assert "dinyatakan sah" not in render_html(reg.enacted_version.snapshot)


def test_apbd_evaluasi_clock_across_idul_fitri(people):
    # Evaluasi decided Thursday 19 March 2026 (Nyepi): 30 calendar days → 18 April; 30 working days skip
    # 20–24 March (Idul Fitri 1447 H and its cuti bersama) and Good Friday → 7 May.
    f = _apbd_to_penetapan(people, evaluasi_on=dt.date(2026, 3, 19))
    clock = deadline_of(f, "penetapan-evaluasi")
    assert (clock.due, clock.latest_due) == (dt.date(2026, 4, 18), dt.date(2026, 5, 7))
    with pytest.raises(svc.FormationError):
        enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 5, 7))
    enactment.formation_declare_valid(formation=f, actor=people.kabag, on=dt.date(2026, 5, 8))
    assert Formation.objects.get(pk=f.pk).regulation.dinyatakan_sah is True


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


def test_formation_page_shows_article_definition_and_both_readings(client, people):
    from django.urls import reverse

    f = _to_penetapan(people, make_draft(people))
    client.force_login(people.kabag)
    page = client.get(reverse("perda:formation_detail", args=[f.regulation_id])).content.decode()
    assert 'data-deadline="penetapan"' in page and "UU 12/2011 Pasal 79 ayat (1)" in page
    assert 'data-reading="calendar">15 April 2026<' in page and 'data-reading="working">6 Mei 2026<' in page
    import re

    block = re.search(r'data-deadline="penetapan".*?data-readings', page, re.S).group(0)
    assert "data-to-confirm" in block and "perlu dikonfirmasi" in block and "UU 12/2011 menulis" in block
