"""The working-day calendar against the real 2026 and 2027 calendars (national holidays + cuti bersama)."""
import datetime as dt
import json
import zoneinfo

import holidays
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from workflows import calendar
from workflows.calendar import (
    add_calendar_days,
    add_working_days,
    add_working_hours,
    deadline_due,
    deadline_dues,
    is_working_day,
    working_days_between,
    working_hours_between,
)
from workflows.models import AuditEvent, LegalDeadline, NonWorkingDay, NonWorkingDayKind
from workflows.services.calendar import (
    DEFAULT_CUTI_BERSAMA_FILE,
    cuti_bersama_load,
    cuti_bersama_load_file,
    non_working_day_set,
    working_day_override_set,
)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
D = dt.date.fromisoformat

pytestmark = pytest.mark.django_db


def wib(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


# --- working days -----------------------------------------------------------------------------------------

def test_weekend_is_not_a_working_day():
    assert is_working_day(D("2026-11-27"))  # Friday
    assert not is_working_day(D("2026-11-28"))  # Saturday
    assert not is_working_day(D("2026-11-29"))  # Sunday
    assert add_working_days(D("2026-11-27"), 1) == D("2026-11-30")


def test_idul_fitri_1447_period_march_2026():
    # Nyepi (19 Mar) and Idul Fitri 1447 H (21–22 Mar) with the cuti bersama of 18, 20, 23 and 24 March.
    assert is_working_day(D("2026-03-17"))
    for day in ("2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"):
        assert not is_working_day(D(day)), day
    assert is_working_day(D("2026-03-25"))
    assert add_working_days(D("2026-03-17"), 1) == D("2026-03-25")
    assert working_days_between(D("2026-03-17"), D("2026-03-25")) == 1
    assert working_days_between(D("2026-03-13"), D("2026-03-31")) == 7  # 16,17,25,26,27,30,31


def test_idul_fitri_1448_period_march_2027():
    # Nyepi (Mon 8 Mar), cuti 9, Idul Fitri 1448 H 10–11, cuti 12 and 15 March 2027.
    for day in ("2027-03-08", "2027-03-09", "2027-03-10", "2027-03-11", "2027-03-12", "2027-03-15"):
        assert not is_working_day(D(day)), day
    assert add_working_days(D("2027-03-05"), 1) == D("2027-03-16")
    assert working_days_between(D("2027-03-05"), D("2027-03-16")) == 1


def test_christmas_and_new_year():
    # 24 Dec 2026 cuti bersama (Thu), 25 Dec Christmas (Fri), weekend, 1 Jan 2027 New Year (Fri).
    assert not is_working_day(D("2026-12-24"))
    assert not is_working_day(D("2026-12-25"))
    assert is_working_day(D("2026-12-31"))
    assert not is_working_day(D("2027-01-01"))
    assert add_working_days(D("2026-12-23"), 1) == D("2026-12-28")
    assert working_days_between(D("2026-12-23"), D("2027-01-04")) == 5
    assert not is_working_day(D("2027-12-24"))


def test_negative_and_zero_counts():
    assert add_working_days(D("2026-03-25"), 0) == D("2026-03-25")
    assert add_working_days(D("2026-03-25"), -1) == D("2026-03-17")
    assert working_days_between(D("2026-03-25"), D("2026-03-17")) == -1
    assert add_calendar_days(D("2026-12-30"), 3) == D("2027-01-02")
    assert add_calendar_days(D("2026-12-30"), -30) == D("2026-11-30")


def test_aware_datetime_counts_as_its_wib_date():
    # 17:30 UTC on 24 Mar 2026 is 00:30 WIB on 25 Mar: a working day.
    at = dt.datetime(2026, 3, 24, 17, 30, tzinfo=dt.timezone.utc)
    assert is_working_day(at)
    assert add_working_days(at, 0) == D("2026-03-25")


@hsettings(max_examples=40, deadline=None)
@given(start=st.dates(D("2026-01-01"), D("2027-11-30")), n=st.integers(0, 40))
def test_working_days_between_inverts_add_working_days(start, n):
    end = add_working_days(start, n)
    assert is_working_day(end) or n == 0
    assert working_days_between(start, end) == n


# --- the data behind it -----------------------------------------------------------------------------------

def test_shipped_cuti_bersama_agree_with_the_holidays_package():
    """The data file was typed by hand; the pinned package's government category is an independent check."""
    rows = set(NonWorkingDay.objects.filter(kind=NonWorkingDayKind.CUTI_BERSAMA).values_list("date", flat=True))
    for year in (2026, 2027):
        package = set(holidays.Indonesia(years=year, categories=(holidays.GOVERNMENT,)).keys())
        assert {d for d in rows if d.year == year} == package, year


def test_cancelling_a_cuti_bersama_is_a_data_change_and_is_audited():
    assert not is_working_day(D("2026-05-15"))
    non_working_day_set(date=D("2026-05-15"), kind=NonWorkingDayKind.CUTI_BERSAMA,
                        name="Cuti bersama Kenaikan Yesus Kristus", is_active=False, reason="SKB perubahan")
    assert is_working_day(D("2026-05-15"))  # cache cleared by the service
    assert NonWorkingDay.objects.filter(date=D("2026-05-15"), is_active=False).exists()  # not deleted
    event = AuditEvent.objects.get(action="calendar.non_working_day.update")
    assert event.before["is_active"] is True and event.after["is_active"] is False


def test_regional_day_off_and_working_day_override():
    monday = D("2026-06-15")
    assert is_working_day(monday)
    non_working_day_set(date=monday, kind=NonWorkingDayKind.LIBUR_DAERAH, name="HUT Kota (contoh)")
    assert not is_working_day(monday)
    assert add_working_days(D("2026-06-12"), 1) == D("2026-06-17")  # 16 Jun is Tahun Baru Islam
    working_day_override_set(date=D("2026-06-16"), name="Libur digeser (contoh)")
    assert is_working_day(D("2026-06-16"))
    assert calendar.non_working_reason(monday) == "HUT Kota (contoh)"
    assert calendar.non_working_reason(D("2026-11-28")) == "Sabtu"


def test_cache_expires_for_writes_made_by_another_process(settings):
    monday = D("2026-06-15")
    assert is_working_day(monday)
    # A write from another process does not clear this process's cache ...
    NonWorkingDay.objects.create(date=monday, kind=NonWorkingDayKind.LAINNYA, name="Libur luar biasa")
    assert is_working_day(monday)
    # ... until the entry expires.
    settings.PAMONG_CALENDAR_CACHE_SECONDS = 0
    assert not is_working_day(monday)


def test_cuti_bersama_loading_is_idempotent():
    # The migration already loaded the shipped file: loading it again changes nothing and audits nothing.
    before = AuditEvent.objects.count()
    assert cuti_bersama_load_file(path=DEFAULT_CUTI_BERSAMA_FILE) == 0
    assert AuditEvent.objects.count() == before
    data = {"years": [{"year": 2028, "legal_basis": "SKB 2028 (contoh)", "legal_basis_to_confirm": True,
                       "days": [{"date": "2028-01-31", "name": "Cuti bersama (contoh)"}]}]}
    assert cuti_bersama_load(data=data) == 1
    assert cuti_bersama_load(data=data) == 0
    row = NonWorkingDay.objects.get(date=D("2028-01-31"))
    assert row.to_confirm and row.legal_basis == "SKB 2028 (contoh)"
    assert not is_working_day(D("2028-01-31"))


def test_shipped_file_marks_unconfirmed_dates():
    data = json.loads(DEFAULT_CUTI_BERSAMA_FILE.read_text(encoding="utf-8"))
    assert {block["year"] for block in data["years"]} >= {2026, 2027}
    assert all(day.get("to_confirm") for block in data["years"] if block["year"] == 2027 for day in block["days"])


# --- office hours -----------------------------------------------------------------------------------------

def test_add_working_hours_over_a_weekend():
    # Friday 13 Mar 2026 15:00 + 2 h: one hour on Friday, one on Monday morning.
    assert add_working_hours(wib("2026-03-13T15:00"), 2) == wib("2026-03-16T09:00")


def test_add_working_hours_over_idul_fitri():
    assert add_working_hours(wib("2026-03-17T14:00"), 4) == wib("2026-03-25T10:00")


def test_add_working_hours_edges():
    assert add_working_hours(wib("2026-03-17T08:00"), 8) == wib("2026-03-17T16:00")  # ends at closing time
    assert add_working_hours(wib("2026-03-16T06:00"), 1) == wib("2026-03-16T09:00")  # before opening
    assert add_working_hours(wib("2026-03-16T18:00"), 0.5) == wib("2026-03-17T08:30")  # after closing
    utc = dt.datetime(2026, 3, 16, 1, 0, tzinfo=dt.timezone.utc)  # 08:00 WIB
    assert add_working_hours(utc, dt.timedelta(minutes=90)) == wib("2026-03-16T09:30")
    with pytest.raises(ValueError):
        add_working_hours(utc, -1)


def test_office_hours_come_from_settings(settings):
    settings.PAMONG_OFFICE_HOURS = {"start": "07:30", "end": "16:00", "weekdays": [0, 1, 2, 3, 4]}
    assert add_working_hours(wib("2026-03-16T06:00"), 1) == wib("2026-03-16T08:30")


def test_working_hours_between():
    assert working_hours_between(wib("2026-03-13T15:00"), wib("2026-03-16T09:00")) == 2
    assert working_hours_between(wib("2026-03-17T14:00"), wib("2026-03-25T10:00")) == 4
    assert working_hours_between(wib("2026-03-16T09:00"), wib("2026-03-13T15:00")) == -2
    assert working_hours_between(wib("2026-03-21T10:00"), wib("2026-03-22T10:00")) == 0


# --- legal deadlines --------------------------------------------------------------------------------------

def test_legal_deadlines_are_seeded_with_their_basis():
    rows = {r.code: r for r in LegalDeadline.objects.all()}
    assert {"harmonisasi", "fasilitasi", "penyampaian-dprd", "evaluasi-penyempurnaan", "noreg-penyampaian",
            "noreg-penerbitan", "penetapan"} <= set(rows)
    assert (rows["harmonisasi"].days, rows["harmonisasi"].day_kind, rows["harmonisasi"].to_confirm) == (5, "working", True)
    assert (rows["penetapan"].days, rows["penetapan"].day_kind) == (30, "calendar")
    assert all(r.legal_basis and r.counts_from for r in rows.values())


def test_working_day_deadline_lands_after_the_holidays():
    # Harmonisasi (5 working days) from Mon 16 Mar 2026: 17, 25, 26, 27, 30 March.
    assert deadline_due("harmonisasi", D("2026-03-16")) == D("2026-03-30")
    # Fasilitasi (15 working days) from Mon 1 Mar 2027 crosses Idul Fitri 1448 H and Good Friday.
    assert deadline_due("fasilitasi", D("2027-03-01")) == D("2027-04-01")


def test_calendar_day_deadline_is_not_moved_by_a_holiday():
    assert deadline_due("penyampaian-dprd", D("2026-12-18")) == D("2026-12-25")
    assert deadline_due("penetapan", wib("2026-12-01T10:00")) == D("2026-12-31")


# Every clock from Tuesday 17 March 2026, the working day before Nyepi (Thu 19), its cuti bersama (Wed 18),
# the cuti bersama of Idul Fitri 1447 H (Fri 20, Mon 23, Tue 24), Idul Fitri itself (Sat 21–Sun 22) and
# Good Friday (3 April): (rule's own reading, the other reading or None).
IDUL_FITRI_2026 = {
    "harmonisasi": (D("2026-03-31"), None),          # 5 hari kerja: 25, 26, 27, 30, 31 March
    "fasilitasi": (D("2026-04-15"), None),           # 15 hari kerja
    "penyampaian-dprd": (D("2026-03-24"), D("2026-04-02")),  # 7 hari (UU 12/2011) vs 7 Hari (UU 23/2014)
    "evaluasi-penyempurnaan": (D("2026-04-02"), None),  # 7 Hari: was 24 March, a cuti bersama day
    "noreg-penyampaian": (D("2026-03-27"), None),    # 3 Hari: was Friday 20 March, a cuti bersama day
    "noreg-penerbitan": (D("2026-04-02"), None),     # 7 Hari: was 24 March
    "penetapan": (D("2026-04-16"), D("2026-05-07")),
    "penetapan-evaluasi": (D("2026-04-16"), D("2026-05-07")),
}


@pytest.mark.parametrize("code", sorted(IDUL_FITRI_2026))
def test_every_clock_across_idul_fitri_2026(code):
    assert not any(calendar.is_working_day(D(f"2026-03-{d}")) for d in (18, 19, 20, 21, 22, 23, 24))
    dues = deadline_dues(code, D("2026-03-17"))
    assert (dues.due, dues.alt_due) == IDUL_FITRI_2026[code]
    assert dues.earliest == min(d for d in IDUL_FITRI_2026[code] if d)
    assert dues.latest == max(d for d in IDUL_FITRI_2026[code] if d)
    for day in (dues.due, dues.alt_due):
        rule = LegalDeadline.objects.get(code=code)
        if day is not None and (rule.day_kind == "working" or day == dues.alt_due):
            assert calendar.is_working_day(day), f"{code}: a working-day deadline falls on a day off ({day})"


def test_every_deadline_states_its_counting_and_source():
    for rule in LegalDeadline.objects.filter(code__in=IDUL_FITRI_2026):
        assert rule.article and rule.day_definition, rule.code
        assert rule.day_kind in ("working", "calendar")
        if rule.alt_day_kind:
            # two laws disagree: both readings recorded, the rule needs confirmation (also a DB constraint)
            assert rule.alt_reading and rule.to_confirm and rule.alt_day_kind != rule.day_kind
    readings = {r.code: (r.day_kind, r.alt_day_kind) for r in LegalDeadline.objects.all()}
    assert readings["noreg-penyampaian"] == readings["noreg-penerbitan"] == ("working", "")
    assert readings["evaluasi-penyempurnaan"] == ("working", "")
    assert readings["penetapan"] == readings["penyampaian-dprd"] == ("calendar", "working")
    assert "Hari adalah hari kerja" in LegalDeadline.objects.get(code="noreg-penerbitan").day_definition


def test_clocks_resting_on_an_unmatched_hari_definition_need_confirmation():
    # Permendagri 80/2015 Pasal 1 ("Hari adalah hari kerja") was read only in secondary transcriptions.
    for code in ("fasilitasi", "evaluasi-penyempurnaan", "noreg-penyampaian", "noreg-penerbitan"):
        rule = LegalDeadline.objects.get(code=code)
        assert rule.day_kind == "working" and rule.to_confirm, code
        assert "naskah resmi" in rule.note, code


def test_alt_reading_without_to_confirm_is_refused():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from workflows.services.calendar import legal_deadline_create, legal_deadline_update

    with pytest.raises(ValidationError):
        legal_deadline_create(code="contoh", name="Contoh", days=3, day_kind="calendar", alt_day_kind="working",
                              legal_basis="Contoh", counts_from="contoh", effective_from=D("2026-01-01"))
    rule = LegalDeadline.objects.get(code="penetapan")
    with pytest.raises(ValidationError):
        legal_deadline_update(rule=rule, to_confirm=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalDeadline.objects.filter(pk=rule.pk).update(to_confirm=False)


def test_deadline_rule_in_force_on_the_start_date_applies():
    LegalDeadline.objects.create(
        code="harmonisasi", name="Pengharmonisasian (aturan baru, contoh)", days=10, day_kind="working",
        legal_basis="Peraturan baru (contoh)", counts_from="permohonan lengkap", effective_from=D("2027-01-01"),
    )
    assert deadline_due("harmonisasi", D("2026-12-28")) == add_working_days(D("2026-12-28"), 5)
    assert deadline_due("harmonisasi", D("2027-01-04")) == add_working_days(D("2027-01-04"), 10)
    with pytest.raises(LookupError):
        deadline_due("tidak-ada", D("2026-01-05"))
