"""The JDIHN feed (/publik/jdih/jdihn.json): its shape against the JSON Schema kept beside these tests, its
values against the regulations (a base, an amended one, a revoked one), bounded queries and caching; the
Permenkumham 8/2019 metadata refusal at publication; and the metadata on the JDIH page."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.cache import cache
from django.urls import reverse

from perda.models import Amendment, Formation, Regulation
from perda.services import enactment
from perda.services import formation as svc
from perda.services.formation import FormationError
from perda.services.versions import version_freeze
from perda.states import Stage

from .doc_factories import RegulationFactory
from .formation_support import JDIH_METADATA, fill_jdih_metadata, make_draft, people  # noqa: F401
from .test_formation import PDF, finish, walk_to_penetapan

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jdihn-feed.schema.json").read_text(encoding="utf-8"))
SITE = "https://jdih.tangerangselatankota.go.id"
ABSTRAK = "Peraturan Daerah ini memberi landasan hukum bagi penyelenggaraan kota cerdas."


@pytest.fixture(autouse=True)
def _setup(settings, monkeypatch):
    settings.PAMONG_SITE_URL = SITE + "/"
    monkeypatch.setattr("perda.services.enactment.render_version_pdf", lambda version: PDF)
    cache.clear()


def feed(client) -> list[dict]:
    r = client.get(reverse("perda:jdihn_feed"))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    return json.loads(r.content.decode("utf-8"))


def by_id(entries: list[dict], reg: Regulation) -> dict:
    return next(e for e in entries if e["idData"] == str(reg.pk))


def publish_through_formation(people, title: str, *, promulgated_on=dt.date(2026, 4, 2), **metadata) -> Regulation:
    f = finish(people, walk_to_penetapan(people, make_draft(people, title=title)), promulgated_on=promulgated_on)
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    fill_jdih_metadata(f, people.kabag, **metadata)
    svc.formation_publish(formation=Formation.objects.get(pk=f.pk), actor=people.kabag)
    return Regulation.objects.get(pk=f.regulation_id)


def publish_shortcut(people, *, title: str, number: int, promulgated_on: dt.date, amends: Regulation | None = None,
                     in_force_on: dt.date | None = None, kind: str = "perda") -> Regulation:
    """An enacted, published regulation without walking its formation (the feed reads only its facts)."""
    reg = RegulationFactory(kind=kind, title=title, pemrakarsa=people.diskominfo, drafter=people.pemrakarsa,
                            amends=amends, number=number, year=promulgated_on.year, enacted_on=promulgated_on,
                            promulgated_on=promulgated_on, gazette_number=number, **JDIH_METADATA,
                            sumber=f"{'LD' if kind == 'perda' else 'BD'} {promulgated_on.year} ({number}) : 3 hlm.")
    version = version_freeze(regulation=reg, label="diundangkan", actor=None, allow_errors=True)
    Regulation.objects.filter(pk=reg.pk).update(enacted_version=version)
    if amends is not None:
        Amendment.objects.create(regulation=reg, source="draf", in_force_on=in_force_on)
    Formation.objects.create(regulation=reg, stage=Stage.SELESAI)
    return reg


@pytest.fixture
def base(people) -> Regulation:
    return publish_through_formation(people, "Penyelenggaraan Kota Cerdas", abstrak=ABSTRAK)


# --- shape ------------------------------------------------------------------------------------------------

def test_schema_is_valid_and_not_vacuous():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert list(validator.iter_errors([{"idData": "1"}]))  # keys missing
    assert validator.is_valid([]) and not validator.is_valid({})  # an empty feed is an empty array


def test_feed_validates_against_the_schema(client, people, base):
    publish_shortcut(people, title="Perubahan atas Peraturan Daerah Nomor 1 Tahun 2026 tentang Penyelenggaraan Kota "
                     "Cerdas", number=2, promulgated_on=dt.date(2026, 6, 1), amends=base)
    publish_shortcut(people, kind="perwali", title="Tata Kelola Satu Data", number=1,
                     promulgated_on=dt.date(2026, 5, 4))
    entries = feed(client)
    assert len(entries) == 3
    jsonschema.validate(entries, SCHEMA, cls=jsonschema.Draft202012Validator)
    # one wrong value makes the schema fail: the test of the shape could fail
    broken = [dict(entries[0], tanggal_pengundangan="02-04-2026")]
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(broken)


# --- content ----------------------------------------------------------------------------------------------

def test_feed_values_of_a_base_regulation(client, people, base):
    entry = by_id(feed(client), base)
    assert entry == {
        "idData": str(base.pk),
        "tahun_pengundangan": "2026",
        "tanggal_pengundangan": "2026-04-02",
        "jenis": "Peraturan Daerah",
        "noPeraturan": "1",
        "judul": "Peraturan Daerah Kota Tangerang Selatan Nomor 1 Tahun 2026 tentang Penyelenggaraan Kota Cerdas",
        "noPanggil": "-",
        "singkatanJenis": "PERDA",
        "tempatTerbit": "Tangerang Selatan",
        "penerbit": "Bagian Hukum Sekretariat Daerah Kota Tangerang Selatan",
        "deskripsiFisik": "-",
        "sumber": "LD 2026 (1) : 10 hlm.",
        "subjek": "KOTA CERDAS - TEKNOLOGI INFORMASI",
        "isbn": "-",
        "status": "Berlaku",
        "bahasa": "Indonesia",
        "bidangHukum": "Hukum Administrasi Negara",
        "teuBadan": "Tangerang Selatan (Kota)",
        "nomorIndukBuku": "-",
        "fileDownload": "perda-2026-1.pdf",
        "urlDownload": f"{SITE}/publik/jdih/{base.pk}/pdf/",
        "urlDetailPeraturan": f"{SITE}/publik/jdih/{base.pk}/",
        "operasi": "4",
        "display": "1",
        "abstrak": ABSTRAK,
    }
    # the download the feed points to is the frozen PDF under that name
    pdf = client.get(reverse("perda:jdih_pdf", args=[base.pk]))
    assert pdf.status_code == 200 and "perda-2026-1.pdf" in pdf["Content-Disposition"]


def test_amended_regulation_reads_diubah_and_its_amendment_is_listed(client, people, base):
    amending = publish_shortcut(people, title="Perubahan atas Peraturan Daerah Nomor 1 Tahun 2026 tentang "
                                "Penyelenggaraan Kota Cerdas", number=2, promulgated_on=dt.date(2026, 6, 1),
                                amends=base)
    entries = feed(client)
    assert by_id(entries, base)["status"] == "Diubah"
    entry = by_id(entries, amending)
    assert entry["status"] == "Berlaku"
    assert entry["judul"] == ("Peraturan Daerah Kota Tangerang Selatan Nomor 2 Tahun 2026 tentang Perubahan atas "
                              "Peraturan Daerah Nomor 1 Tahun 2026 tentang Penyelenggaraan Kota Cerdas")
    assert (entry["noPeraturan"], entry["tanggal_pengundangan"], entry["sumber"]) == ("2", "2026-06-01",
                                                                                      "LD 2026 (2) : 3 hlm.")
    assert "abstrak" not in entry  # no abstract, no key


def test_amendment_not_yet_in_force_leaves_the_base_berlaku(client, people, base):
    publish_shortcut(people, title="Perubahan atas Kota Cerdas", number=2, promulgated_on=dt.date(2026, 6, 1),
                     amends=base, in_force_on=dt.date.today() + dt.timedelta(days=30))
    assert by_id(feed(client), base)["status"] == "Berlaku"


def test_revoked_regulation_reads_dicabut(client, people, base):
    publish_shortcut(people, title="Perubahan atas Kota Cerdas", number=2, promulgated_on=dt.date(2026, 6, 1),
                     amends=base)
    assert by_id(feed(client), base)["status"] == "Diubah"
    revoking = publish_through_formation(people, "Pencabutan Peraturan Daerah tentang Penyelenggaraan Kota Cerdas",
                                         promulgated_on=dt.date(2026, 7, 1), revokes=[base])
    assert list(revoking.revokes.all()) == [base]
    entries = feed(client)  # the cached body is not served: the fingerprint changed
    assert by_id(entries, base)["status"] == "Dicabut"
    assert by_id(entries, revoking)["status"] == "Berlaku"
    html = client.get(reverse("perda:jdih_detail", args=[base.pk])).content.decode()
    assert "Dicabut dengan" in html and f"Peraturan Daerah {revoking.number}/2026" in html


def test_only_published_regulations_are_in_the_feed(client, people, base):
    draft = make_draft(people, title="Rancangan Belum Terbit")
    svc.formation_start(regulation=draft, actor=people.kabag)
    assert [e["idData"] for e in feed(client)] == [str(base.pk)]


# --- queries and caching ---------------------------------------------------------------------------------

def test_feed_queries_do_not_grow_with_regulations(client, people, django_assert_max_num_queries):
    first = publish_shortcut(people, title="Satu", number=1, promulgated_on=dt.date(2026, 2, 1))
    publish_shortcut(people, title="Perubahan Satu", number=2, promulgated_on=dt.date(2026, 3, 1), amends=first)
    with django_assert_max_num_queries(2):  # the fingerprint, then the regulations with their status
        assert len(feed(client)) == 2
    for n in range(3, 23):
        base = publish_shortcut(people, title=f"Peraturan {n}", number=n, promulgated_on=dt.date(2026, 4, 1))
        if n % 2:
            publish_shortcut(people, title=f"Perubahan {n}", number=100 + n, promulgated_on=dt.date(2026, 5, 1),
                             amends=base)
    cache.clear()
    with django_assert_max_num_queries(2):  # the fingerprint, then the regulations with their status
        entries = feed(client)
    assert len(entries) == 32 and sum(e["status"] == "Diubah" for e in entries) == 11
    with django_assert_max_num_queries(1):  # cached: only the fingerprint is read
        assert feed(client) == entries
    r = client.get(reverse("perda:jdihn_feed"))
    assert "max-age=300" in r["Cache-Control"] and "public" in r["Cache-Control"]


# --- Permenkumham 8/2019: publication refused until the metadata is complete -----------------------------

def test_publication_refused_naming_the_missing_fields(people):
    f = finish(people, walk_to_penetapan(people, make_draft(people)))
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    with pytest.raises(FormationError) as refused:
        svc.formation_publish(formation=f, actor=people.kabag)
    message = refused.value.messages[0]
    assert "Permenkumham 8/2019" in message
    for label in ("T.E.U. badan", "Tempat penetapan", "Sumber", "Subjek", "Bahasa", "Lokasi", "Bidang hukum"):
        assert label in message
    assert "Penerbit" not in message and "Abstrak" not in message  # not required
    assert Formation.objects.get(pk=f.pk).stage == Stage.PENYEBARLUASAN
    fill_jdih_metadata(f, people.kabag, subjek="", lokasi="  ")
    with pytest.raises(FormationError) as refused:
        svc.formation_publish(formation=f, actor=people.kabag)
    assert refused.value.messages[0].endswith("lengkapi dahulu: Subjek, Lokasi.")
    fill_jdih_metadata(f, people.kabag)
    svc.formation_publish(formation=f, actor=people.kabag)
    assert Formation.objects.get(pk=f.pk).stage == Stage.SELESAI


def test_metadata_is_bagian_hukum_work_at_penyebarluasan_and_audited(people):
    from workflows.models import AuditEvent
    from workflows.policy import Denied

    f = finish(people, walk_to_penetapan(people, make_draft(people)))
    enactment.enacted_pdf_freeze(regulation_id=f.regulation_id)
    with pytest.raises(Denied):
        fill_jdih_metadata(f, people.pemrakarsa)
    with pytest.raises(FormationError):  # revoking a draft is refused, nothing written
        fill_jdih_metadata(f, people.kabag, revokes=[make_draft(people, title="Belum diundangkan")])
    assert Regulation.objects.get(pk=f.regulation_id).subjek == ""
    reg = fill_jdih_metadata(f, people.kabag)
    event = AuditEvent.objects.filter(action="perda.jdih_metadata.update").latest("pk")
    assert event.after["subjek"] == "KOTA CERDAS - TEKNOLOGI INFORMASI" and event.before["subjek"] == ""
    assert reg.subjek == "KOTA CERDAS - TEKNOLOGI INFORMASI"
    svc.formation_publish(formation=f, actor=people.kabag)
    with pytest.raises(Denied):  # published: the stage is over
        fill_jdih_metadata(f, people.kabag, subjek="LAIN")


# --- the JDIH page ----------------------------------------------------------------------------------------

def test_jdih_page_shows_the_metadata(client, people, base):
    html = client.get(reverse("perda:jdih_detail", args=[base.pk])).content.decode()
    for text in ("Tangerang Selatan (Kota)", "LD 2026 (1) : 10 hlm.", "KOTA CERDAS - TEKNOLOGI INFORMASI",
                 "Hukum Administrasi Negara", "PERDA", "Berlaku", ABSTRAK, reverse("perda:jdihn_feed")):
        assert text in html, text


def test_perwali_and_imported_text_of_another_region(client, people):
    from perda.metadata import metadata_suggestions

    own = publish_shortcut(people, kind="perwali", title="Tata Kelola Satu Data", number=4,
                           promulgated_on=dt.date(2026, 5, 4))
    other = publish_shortcut(people, kind="perda", title="Pemakaman", number=4, promulgated_on=dt.date(2025, 3, 3))
    Regulation.objects.filter(pk=other.pk).update(imported_from_text=True, region_name="Kota Surabaya")
    entries = feed(client)
    assert by_id(entries, own)["judul"] == "Peraturan Wali Kota Tangerang Selatan Nomor 4 Tahun 2026 tentang Tata " \
                                          "Kelola Satu Data"
    assert (by_id(entries, own)["jenis"], by_id(entries, own)["singkatanJenis"]) == ("Peraturan Wali Kota", "PERWALI")
    assert by_id(entries, own)["sumber"] == "BD 2026 (4) : 3 hlm."
    assert by_id(entries, other)["judul"] == "Peraturan Daerah Kota Surabaya Nomor 4 Tahun 2025 tentang Pemakaman"
    other = Regulation.objects.get(pk=other.pk)
    Regulation.objects.filter(pk=other.pk).update(teu_badan="", sumber="")
    suggested = metadata_suggestions(Regulation.objects.get(pk=other.pk))
    assert suggested["teu_badan"] == "Surabaya (Kota)" and suggested["sumber"] == "LD 2025 (4)"  # no PDF: no pages


KABUPATEN_BANDUNG = {"kind": "kabupaten", "name": "Bandung", "province": "Jawa Barat", "capital": "Soreang"}


def test_kabupaten_head_regulation_is_a_peraturan_bupati_in_the_feed(client, people, settings):
    settings.PAMONG_REGION = KABUPATEN_BANDUNG
    own = publish_shortcut(people, kind="perwali", title="Tata Kelola Satu Data", number=4,
                           promulgated_on=dt.date(2026, 5, 4))
    # Imported texts of other regions keep the head their data names: the printed heading, else the region.
    kota = publish_shortcut(people, kind="perwali", title="Ruang Rapat", number=12, promulgated_on=dt.date(2025, 2, 3))
    Regulation.objects.filter(pk=kota.pk).update(imported_from_text=True, region_name="Kota Surabaya",
                                                 kind_heading="PERATURAN WALI KOTA SURABAYA")
    pergub = publish_shortcut(people, kind="perwali", title="Tarif", number=7, promulgated_on=dt.date(2024, 1, 8))
    Regulation.objects.filter(pk=pergub.pk).update(imported_from_text=True, region_name="Provinsi Bali")
    entries = feed(client)
    jsonschema.validate(entries, SCHEMA, cls=jsonschema.Draft202012Validator)
    mine = by_id(entries, own)
    assert mine["judul"] == "Peraturan Bupati Bandung Nomor 4 Tahun 2026 tentang Tata Kelola Satu Data"
    assert (mine["jenis"], mine["singkatanJenis"]) == ("Peraturan Bupati", "PERBUP")
    assert by_id(entries, kota)["judul"] == "Peraturan Wali Kota Surabaya Nomor 12 Tahun 2025 tentang Ruang Rapat"
    assert by_id(entries, kota)["singkatanJenis"] == "PERWALI"
    assert (by_id(entries, pergub)["jenis"], by_id(entries, pergub)["singkatanJenis"]) == (
        "Peraturan Gubernur", "PERGUB")
    assert not any("Wali Kota Bandung" in e["judul"] for e in entries)
    # The JDIH page of the regency's own regulation names its kind the same way.
    html = client.get(reverse("perda:jdih_detail", args=[own.pk])).content.decode()
    assert "Peraturan Bupati Nomor 4" in html and "PERBUP" in html and "Peraturan Wali Kota" not in html
    listing = client.get(reverse("perda:jdih_list")).content.decode()
    assert "Peraturan Bupati Nomor 4" in listing and "Peraturan Wali Kota Nomor 12" in listing


def test_imported_perbup_in_a_kota_keeps_its_bupati(client, people):
    from perda.metadata import kind_meta

    other = publish_shortcut(people, kind="perwali", title="Pasar", number=3, promulgated_on=dt.date(2024, 3, 3))
    Regulation.objects.filter(pk=other.pk).update(imported_from_text=True, region_name="Kabupaten Donggala")
    other = Regulation.objects.get(pk=other.pk)
    assert kind_meta(other).jenis == "Peraturan Bupati" and other.kind_label == "Peraturan Bupati"
    entry = by_id(feed(client), other)
    assert entry["judul"] == "Peraturan Bupati Donggala Nomor 3 Tahun 2024 tentang Pasar"
    # The kind's choice label is the same for every region (fixed in the migrations).
    assert other.get_kind_display() == "Peraturan Kepala Daerah (Perwali/Perbup)"
