"""Admin: changelists load with bounded queries, writes go through audited services, records stay read-only."""
import datetime as dt
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory
from workflows import calendar
from workflows.models import (
    Assignment,
    AuditEvent,
    Capacity,
    GeneratedDocument,
    LegalDeadline,
    NonWorkingDay,
    Notification,
    OrgUnit,
    Position,
    User,
    WorkingDayOverride,
)
from workflows.services.audit import audit_record
from workflows.services.notify import notify_users

pytestmark = pytest.mark.django_db

MODELS = [User, OrgUnit, Position, Assignment, NonWorkingDay, WorkingDayOverride, LegalDeadline, Notification,
          GeneratedDocument, AuditEvent]


@pytest.fixture
def superuser(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _make_rows(n: int) -> None:
    from django.db import transaction

    city = OrgUnitFactory(code=f"kota-{n}", kind="kota")
    for i in range(n):
        unit = OrgUnitFactory(code=f"kel-{n}-{i}", parent=city, aliases=[f"alias {i}"])
        position = PositionFactory(code=f"pos-{n}-{i}", org_unit=unit)
        user = UserFactory(username=f"u-{n}-{i}")
        AssignmentFactory(position=position, user=user)
        notify_users(users=[user], subject=f"S {i}", body="", email=False, obj=position)
        with transaction.atomic():
            audit_record(actor=user, action="uji.tindakan", obj=position)


def _all_changelists(client, django_assert_max_num_queries):
    for model in MODELS:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200, model


def test_changelists_load_with_bounded_queries(client, superuser, django_assert_max_num_queries):
    _make_rows(2)
    _all_changelists(client, django_assert_max_num_queries)
    _make_rows(25)
    _all_changelists(client, django_assert_max_num_queries)


def test_org_unit_list_is_indented_and_searchable_by_alias(client, superuser):
    city = OrgUnitFactory(code="kota", name="Kota Uji", kind="kota")
    OrgUnitFactory(code="kel-babakan", name="Babakan", parent=city, aliases=["Babakkan"])
    url = reverse("admin:workflows_orgunit_changelist")
    text = client.get(url, {"q": "babakkan"}).content.decode()
    assert '<span class="pamong-org-depth-1">Babakan</span>' in text and "pamong/admin.css" in text
    css = (Path(__file__).resolve().parents[2] / "static" / "pamong" / "admin.css").read_text()
    assert ".pamong-org-depth-1 { padding-left: 1.5em; }" in css
    assert "Kota Uji" not in client.get(url, {"q": "babakkan"}).content.decode().split("result_list")[-1]


def test_audit_events_cannot_be_added_changed_or_deleted(client, superuser):
    from django.db import transaction

    with transaction.atomic():
        event = audit_record(actor=superuser, action="uji.tindakan", obj=superuser)
    model_admin = admin.site._registry[AuditEvent]
    request = type("R", (), {"user": superuser})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert client.get(reverse("admin:workflows_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:workflows_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    change_url = reverse("admin:workflows_auditevent_change", args=[event.pk])
    assert client.get(change_url).status_code == 200  # view only
    client.post(change_url, {"action": "diubah"})
    assert AuditEvent.objects.get(pk=event.pk).action == "uji.tindakan"
    response = client.get(reverse("admin:workflows_auditevent_changelist"), {"action": "uji.tindakan",
                                                                           "aliran": "workflows.user"})
    assert response.status_code == 200 and "uji.tindakan" in response.content.decode()


def test_read_only_records(superuser):
    request = type("R", (), {"user": superuser})()
    for model in (Notification, GeneratedDocument, OrgUnit, Position):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    for model in (Assignment, NonWorkingDay, LegalDeadline, User):
        assert not admin.site._registry[model].has_delete_permission(request), model


def test_adding_an_assignment_goes_through_the_service(client, superuser):
    position = PositionFactory(title="Camat Setu")
    person = UserFactory()
    response = client.post(reverse("admin:workflows_assignment_add"), {
        "position": position.pk, "user": person.pk, "capacity": Capacity.PLH,
        "starts_on": "2026-03-02", "ends_on": "2026-03-04", "decree": "Sprin Plh 1", "note": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = Assignment.objects.get(position=position, user=person)
    event = AuditEvent.objects.get(action="assignment.create")
    assert event.actor == superuser and event.object_id == str(assignment.pk)


def test_plh_without_end_is_refused_in_the_form(client, superuser):
    response = client.post(reverse("admin:workflows_assignment_add"), {
        "position": PositionFactory().pk, "user": UserFactory().pk, "capacity": Capacity.PLH,
        "starts_on": "2026-03-02", "ends_on": "", "decree": "", "note": "",
    })
    assert response.status_code == 200
    assert "Plh. harus memiliki tanggal selesai" in response.content.decode()
    assert not Assignment.objects.exists() and not AuditEvent.objects.exists()


def test_changing_an_assignment_only_ends_it_and_is_audited(client, superuser):
    assignment = AssignmentFactory(starts_on=dt.date(2026, 1, 1))
    other_user = UserFactory()
    response = client.post(reverse("admin:workflows_assignment_change", args=[assignment.pk]), {
        "ends_on": "2026-06-30", "note": "Mutasi", "user": other_user.pk, "capacity": Capacity.PLT,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment.refresh_from_db()
    assert (assignment.ends_on, assignment.note) == (dt.date(2026, 6, 30), "Mutasi")
    assert assignment.user_id != other_user.pk and assignment.capacity == Capacity.DEFINITIF
    event = AuditEvent.objects.get(action="assignment.end")
    assert event.before == {"ends_on": None, "note": ""} and event.after["ends_on"] == "2026-06-30"


def test_non_working_day_added_in_admin_is_audited_and_seen_by_the_calendar(client, superuser):
    monday = dt.date(2026, 6, 15)
    assert calendar.is_working_day(monday)
    response = client.post(reverse("admin:workflows_nonworkingday_add"), {
        "date": "2026-06-15", "kind": "libur_daerah", "name": "HUT Kota (contoh)", "legal_basis": "Perwali (contoh)",
        "is_active": "on",
    })
    assert response.status_code == 302
    assert not calendar.is_working_day(monday)
    assert AuditEvent.objects.filter(action="calendar.non_working_day.create", actor=superuser).exists()


def test_legal_deadline_numbers_do_not_change_in_place(client, superuser):
    rule = LegalDeadline.objects.get(code="penetapan")
    response = client.post(reverse("admin:workflows_legaldeadline_change", args=[rule.pk]), {
        "name": rule.name, "days": 60, "counts_from": rule.counts_from, "legal_basis": rule.legal_basis,
        "note": "Catatan baru", "to_confirm": "on", "article": rule.article, "wording": rule.wording,
        "day_definition": rule.day_definition, "alt_reading": rule.alt_reading,
    })
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days == 30 and rule.note == "Catatan baru"
    assert AuditEvent.objects.filter(action="calendar.legal_deadline.update").count() == 1


def test_legal_deadline_page_shows_both_readings_and_keeps_them_to_confirm(client, superuser):
    rule = LegalDeadline.objects.get(code="penetapan")
    url = reverse("admin:workflows_legaldeadline_change", args=[rule.pk])
    page = client.get(url).content.decode()
    assert "UU 12/2011 Pasal 79 ayat (1)" in page and "Undang-Undang Nomor 23 Tahun 2014" in page
    assert "Bacaan lain" in page and "hari kerja" in page
    # Unticking "perlu dikonfirmasi" while two readings stand is refused, the row unchanged.
    response = client.post(url, {
        "name": rule.name, "counts_from": rule.counts_from, "legal_basis": rule.legal_basis, "note": "x",
        "article": rule.article, "wording": rule.wording, "day_definition": rule.day_definition,
        "alt_reading": rule.alt_reading,
    }, follow=True)
    rule.refresh_from_db()
    assert rule.to_confirm and rule.note != "x"
    assert "perlu dikonfirmasi" in response.content.decode()
