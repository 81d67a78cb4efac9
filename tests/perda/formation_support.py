"""Shared fixtures for the formation, consultation and public-page tests: a small org with the posts
that act in a formation, each held by one person, and a well-formed draft."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from perda.models import Regulation
from perda.samples import sample_fill
from tests.factories import AssignmentFactory, OrgUnitFactory, PositionFactory, UserFactory
from workflows.models import OrgUnitKind, PositionKind, User

from .doc_factories import RegulationFactory


@dataclass
class People:
    kabag: User
    perancang: User
    pemrakarsa: User
    walikota: User
    sekda: User
    outsider: User
    diskominfo: object


def make_people() -> People:
    city = OrgUnitFactory(code="kota-uji", name="Kota Tangerang Selatan", kind=OrgUnitKind.KOTA)
    setda = OrgUnitFactory(code="setda-uji", name="Sekretariat Daerah", kind=OrgUnitKind.PERANGKAT_DAERAH, parent=city)
    hukum = OrgUnitFactory(code="hukum-uji", name="Bagian Hukum", kind=OrgUnitKind.BAGIAN, parent=setda)
    dkis = OrgUnitFactory(code="dkis-uji", name="Dinas Komunikasi dan Informatika",
                          kind=OrgUnitKind.PERANGKAT_DAERAH, parent=city)
    start = dt.date(2020, 1, 1)

    def person(username, code, kind, title, unit):
        user = UserFactory(username=username, first_name=title.split()[0], last_name="Uji")
        position = PositionFactory(code=code, kind=kind, title=title, org_unit=unit)
        AssignmentFactory(position=position, user=user, starts_on=start)
        return user

    return People(
        kabag=person("kabag", "kabag-hukum", PositionKind.KABAG_HUKUM, "Kepala Bagian Hukum", hukum),
        perancang=person("perancang", "perancang-1", PositionKind.PERANCANG, "Perancang Peraturan", hukum),
        pemrakarsa=person("pemrakarsa", "pemrakarsa-dkis", PositionKind.PEMRAKARSA, "Pejabat Pemrakarsa Diskominfo",
                          dkis),
        walikota=person("walikota", "wali-kota", PositionKind.WALI_KOTA, "Wali Kota Tangerang Selatan", city),
        sekda=person("sekda", "sekda", PositionKind.SEKDA, "Sekretaris Daerah", setda),
        outsider=UserFactory(username="warga"),
        diskominfo=dkis,
    )


@pytest.fixture
def people(db) -> People:
    return make_people()


def make_draft(people: People, *, kind: str = "perda", evaluasi_kind: str = "", pasal_count: int = 5,
               title: str = "Penyelenggaraan Kota Cerdas") -> Regulation:
    reg = RegulationFactory(kind=kind, evaluasi_kind=evaluasi_kind, title=title, pemrakarsa=people.diskominfo,
                            drafter=people.pemrakarsa)
    sample_fill(regulation=reg, actor=people.pemrakarsa, pasal_count=pasal_count, bulk=True)
    return reg


JDIH_METADATA = {
    "teu_badan": "Tangerang Selatan (Kota)", "tempat_terbit": "Tangerang Selatan",
    "penerbit": "Bagian Hukum Sekretariat Daerah Kota Tangerang Selatan", "subjek": "KOTA CERDAS - TEKNOLOGI INFORMASI",
    "bahasa": "Indonesia", "bidang_hukum": "Hukum Administrasi Negara",
    "lokasi": "Bagian Hukum Sekretariat Daerah Kota Tangerang Selatan",
}


def fill_jdih_metadata(formation, actor, **overrides):
    """Bagian Hukum fills the Permenkumham 8/2019 metadata (publication is refused without it)."""
    from perda.metadata import sumber_text
    from perda.models import Formation
    from perda.services.jdih import jdih_metadata_update

    formation = Formation.objects.select_related("regulation").get(pk=formation.pk)
    fields = {**JDIH_METADATA, "sumber": sumber_text(formation.regulation, 10), **overrides}
    return jdih_metadata_update(formation=formation, actor=actor, **fields)
