"""The Perda editor's services check authority themselves through ``perda.policy`` and derive the capacity they
record in the audit trail; no caller can pass one in."""
import datetime as dt

import pytest

from perda.models import Konsiderans, Provision, Regulation
from perda.services import editor as ed
from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory
from workflows.acting import local_date
from workflows.models import AuditEvent, Capacity, OrgUnitKind, PositionKind
from workflows.policy import Denied

from .doc_factories import RegulationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    return RegulationFactory()


def _holder(kind, title, *, unit=None, capacity=Capacity.DEFINITIF):
    unit = unit or OrgUnitFactory(kind=OrgUnitKind.PERANGKAT_DAERAH)
    position = PositionFactory(kind=kind, title=title, org_unit=unit)
    user = UserFactory()
    AssignmentFactory(position=position, user=user, capacity=capacity, starts_on=local_date() - dt.timedelta(days=3))
    return user


def _last_capacity(reg):
    return AuditEvent.objects.filter(object_id=str(reg.pk)).order_by("-id").values_list("capacity", flat=True)[0]


def test_an_official_unrelated_to_the_draft_is_refused_and_nothing_is_written(reg):
    lurah = _holder(PositionKind.LURAH, "Lurah Babakan", unit=OrgUnitFactory())
    for call in (
        lambda: ed.konsiderans_add(actor=lurah, regulation=reg, text="bahwa untuk ..."),
        lambda: ed.provision_add(actor=lurah, regulation=reg, kind="bab", heading="KETENTUAN UMUM"),
        lambda: ed.regulation_update(actor=lurah, regulation=reg, title="Judul lain"),
    ):
        with pytest.raises(Denied) as exc:
            call()
        assert exc.value.code == "not_pemrakarsa"
    assert not Konsiderans.objects.exists() and not Provision.objects.exists()
    assert Regulation.objects.get(pk=reg.pk).title == reg.title


def test_the_refusal_comes_before_any_message_about_the_stage(reg, monkeypatch):
    from perda import selectors

    monkeypatch.setattr(selectors, "draft_is_editable", lambda regulation: False)
    outsider = UserFactory()
    with pytest.raises(Denied):
        ed.konsiderans_add(actor=outsider, regulation=reg, text="bahwa ...")
    with pytest.raises(ed.EditorError):
        ed.konsiderans_add(actor=reg.drafter, regulation=reg, text="bahwa ...")


def test_the_capacity_is_derived_by_the_service(reg):
    ed.konsiderans_add(actor=reg.drafter, regulation=reg, text="bahwa untuk melaksanakan ...")
    assert _last_capacity(reg) == "Perancang penanggung jawab"
    plh_kabag = _holder(PositionKind.KABAG_HUKUM, "Kepala Bagian Hukum", capacity=Capacity.PLH)
    ed.provision_add(actor=plh_kabag, regulation=reg, kind="bab", heading="KETENTUAN UMUM")
    assert _last_capacity(reg) == "Plh. Kepala Bagian Hukum"
    pemrakarsa = _holder(PositionKind.PEMRAKARSA, "Kepala Dinas Kominfo", unit=reg.pemrakarsa)
    ed.dasar_hukum_add(actor=pemrakarsa, regulation=reg, text="Undang-Undang Nomor 23 Tahun 2014")
    assert _last_capacity(reg) == "Kepala Dinas Kominfo"


def test_no_caller_can_pass_a_capacity(reg):
    with pytest.raises(TypeError):
        ed.konsiderans_add(actor=reg.drafter, regulation=reg, text="bahwa ...", capacity="Wali Kota")
    assert not Konsiderans.objects.exists()


def test_starting_a_draft_needs_a_post_and_records_the_pemrakarsa_capacity():
    unit = OrgUnitFactory(kind=OrgUnitKind.PERANGKAT_DAERAH)
    nobody = UserFactory()
    with pytest.raises(Denied):
        ed.regulation_create(actor=nobody, kind="perda", title="Kota Cerdas", pemrakarsa=unit, drafter=nobody,
                             propemperda_year=2026)
    assert not Regulation.objects.exists()
    kadis = _holder(PositionKind.PEMRAKARSA, "Kepala Dinas Kominfo", unit=unit)
    reg = ed.regulation_create(actor=kadis, kind="perda", title="Kota Cerdas", pemrakarsa=unit, drafter=kadis,
                               propemperda_year=2026)
    assert _last_capacity(reg) == "Kepala Dinas Kominfo"
