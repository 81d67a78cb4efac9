import datetime as dt

import pytest

from workflows.acting import acting_for, positions_for, who_acts_for
from workflows.models import Capacity, OrgUnit, OrgUnitKind, Position, User
from workflows.permissions import forget_cached_positions
from workflows.services.org import assignment_create

pytestmark = pytest.mark.django_db


def test_tangsel_tree_has_7_kecamatan_and_54_kelurahan(tangsel):
    assert OrgUnit.objects.filter(kind=OrgUnitKind.KECAMATAN).count() == 7
    assert OrgUnit.objects.filter(kind=OrgUnitKind.KELURAHAN).count() == 54
    setu = OrgUnit.objects.get(code="kec-setu")
    assert sorted(setu.children.values_list("name", flat=True)) == [
        "Babakan", "Bakti Jaya", "Kademangan", "Keranggan", "Muncul", "Setu",
    ]
    jurang = OrgUnit.objects.get(name="Jurang Mangu Barat")
    assert "Jurangmangu Barat" in jurang.aliases
    assert jurang.is_within(OrgUnit.objects.get(code="kec-pondok-aren"))
    assert not jurang.is_within(setu)


def test_plh_acts_only_on_the_days_of_the_order():
    from workflows.seed import seed_demo

    monday = dt.date(2026, 3, 2)
    seed_demo(today=dt.date(2026, 1, 5))
    camat_setu = Position.objects.get(code="camat-kec-setu")
    camat = User.objects.get(username="camat.setu")
    sekcam = User.objects.get(username="sekcam.setu")
    assignment_create(
        position=camat_setu, user=sekcam, capacity=Capacity.PLH,
        starts_on=monday, ends_on=monday + dt.timedelta(days=2), decree="Sprint Plh 01/2026",
    )

    before = who_acts_for(camat_setu, monday - dt.timedelta(days=1))
    assert [(a.user, a.capacity) for a in before] == [(camat, Capacity.DEFINITIF)]

    for day in (monday, monday + dt.timedelta(days=1), monday + dt.timedelta(days=2)):
        acting = who_acts_for(camat_setu, day)
        assert [(a.user, a.capacity) for a in acting] == [(sekcam, Capacity.PLH)]
        assert acting[0].capacity_label == "Plh. Camat Setu"
        assert acting_for(camat, camat_setu, day) is None
        assert acting_for(sekcam, camat_setu, day).capacity == Capacity.PLH

    after = monday + dt.timedelta(days=3)
    assert acting_for(sekcam, camat_setu, after) is None
    assert acting_for(camat, camat_setu, after).capacity == Capacity.DEFINITIF
    # The sekcam keeps their own post throughout.
    assert {a.position.code for a in positions_for(sekcam, monday)} == {"sekcam-kec-setu", "camat-kec-setu"}


def test_position_permission_follows_the_acting_official(tangsel):
    camat_setu = Position.objects.get(code="camat-kec-setu")
    camat = User.objects.get(username="camat.setu")
    sekcam = User.objects.get(username="sekcam.setu")
    # seed_demo appointed the sekcam Plh from today, so today the camat's queue permission moved.
    assert sekcam.has_perm(camat_setu.permission_name)
    assert not camat.has_perm(camat_setu.permission_name)
    forget_cached_positions(camat)
    assert camat.has_perm(Position.objects.get(code="camat-kec-setu").permission_name) is False


def test_plh_needs_an_end_date(tangsel):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        assignment_create(
            position=Position.objects.get(code="lurah-kel-muncul"), user=User.objects.get(username="camat.setu"),
            capacity=Capacity.PLH, starts_on=dt.date(2026, 5, 4),
        )


def test_seed_demo_is_idempotent(tangsel):
    from workflows.seed import seed_demo

    counts = (OrgUnit.objects.count(), Position.objects.count(), User.objects.count())
    seed_demo()
    assert (OrgUnit.objects.count(), Position.objects.count(), User.objects.count()) == counts
