"""Demo data of IT-repair spending, on top of ``workflows.seed`` (the Tangsel org tree and demo logins).

* the illustrative delegation matrix for the current fiscal year (lurah as KPA Rp5 juta; Diskominfo technical
  verification above Rp50 juta; camat as PA up to Rp200 juta, Plh/Plt up to 20%; Kepala Diskominfo as PA of
  Diskominfo's own DPA; no BPKAD row: as BUD it issues SP2D, it does not approve);
* an envelope (pagu pemeliharaan TI) for every kecamatan and every kelurahan (kecamatan DPAs), and a central
  envelope in Diskominfo's DPA (public Wi-Fi and networks);
* a few IT assets at every kelurahan (PC, printer, network switch, public Wi-Fi point) plus a province-owned
  CCTV on a provincial road;
* requests in every state, created through the services by the demo users (operator.babakan, lurah.babakan,
  sekcam.setu as Plh. Camat Setu today, kadis.diskominfo, kepala.bpkad, bendahara.setu …), including a
  split-purchase set that is flagged for the Inspektorat.

Idempotent: each part is skipped when its demo rows exist (matrix per year, envelope per unit/account/year,
asset per tag, the requests by the marker in their problem text).
"""
from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.test.utils import override_settings

from workflows.acting import local_date
from workflows.models import OrgUnit, OrgUnitKind, User

ACCOUNT = "5.1.02.03.02.0405"
# Sub kegiatan of the code list (budget_requests/data/kodefikasi.json): a kecamatan's DPA (kelurahan funds sit
# in it) and Diskominfo's own DPA.
SUB_KEGIATAN_KECAMATAN = "7.01.01.2.09.0006"
SUB_KEGIATAN_DISKOMINFO = "2.16.01.2.09.0006"
ACCOUNT_NAME = "Belanja Pemeliharaan Peralatan dan Mesin (TI)"
KECAMATAN_ALLOCATION = 750_000_000
KELURAHAN_ALLOCATION = 60_000_000
CENTRAL_ALLOCATION = 1_500_000_000
CENTRAL_ENVELOPE_NAME = "Pemeliharaan Wi-Fi publik dan jaringan (terpusat)"
MARKER = "[demo]"


def _matrix(year: int) -> int:
    """The illustrative matrix. Who decides follows whose DPA the envelope sits in (levels.py): the lurah as
    KPA and the camat as PA for a kecamatan's DPA, the Kepala Diskominfo as PA for Diskominfo's own DPA;
    Diskominfo verifies technically above Rp50 juta; BPKAD (BUD) has no row, it issues SP2D."""
    from .models import DelegationRule, ResponseUnit, StepKind

    if DelegationRule.objects.filter(fiscal_year=year).exists():
        return 0
    decree = f"Keputusan Wali Kota tentang Pelimpahan Kewenangan (ilustratif) {year}"
    common = dict(fiscal_year=year, effective_from=dt.date(year, 1, 1), needs_confirmation=True)
    rows = [
        DelegationRule(position_kind="lurah", level="kpa_lurah", max_single_amount=5_000_000, step_order=10,
                       acting_allowed=True, acting_share_pct=100, response_time_value=4,
                       response_time_unit=ResponseUnit.HOURS, monthly_cap_per_unit=25_000_000,
                       legal_basis=f"{decree}; camat selaku PA menunjuk lurah selaku KPA (PP 12/2019)",
                       note="Lurah sebagai KPA atas dana kelurahan dalam DPA kecamatan", **common),
        DelegationRule(position_kind="kepala_diskominfo", level="technical", max_single_amount=200_000_000,
                       applies_above=50_000_000, step_order=15, acting_allowed=True,
                       step_kind=StepKind.TECHNICAL_VERIFICATION, response_time_value=2,
                       legal_basis=f"{decree}; verifikasi teknis TIK oleh Diskominfo",
                       note="Verifikasi teknis Diskominfo di atas Rp50 juta", **common),
        DelegationRule(position_kind="camat", level="pa_camat", max_single_amount=200_000_000, step_order=20,
                       acting_allowed=True, acting_share_pct=20, response_time_value=1,
                       response_time_unit=ResponseUnit.WORKING_DAYS,
                       legal_basis=f"{decree}; camat selaku PA atas DPA kecamatan (PP 12/2019); batas Rp200 juta = "
                                   "pengadaan langsung (Perpres 16/2018 jo. 12/2021)",
                       note="Camat sebagai PA", **common),
        DelegationRule(position_kind="kepala_diskominfo", level="pa_skpd", max_single_amount=200_000_000,
                       step_order=30, acting_allowed=True, acting_share_pct=50, response_time_value=2,
                       legal_basis=f"{decree}; Kepala Diskominfo selaku PA atas DPA Diskominfo (PP 12/2019)",
                       note="Pagu terpusat di DPA Diskominfo", **common),
    ]
    DelegationRule.objects.bulk_create(rows)
    return len(rows)


def _envelopes(year: int, admin: User) -> int:
    from .models import Envelope
    from .services import envelope_allocate, envelope_create

    units = OrgUnit.objects.filter(kind__in=[OrgUnitKind.KECAMATAN, OrgUnitKind.KELURAHAN]).order_by("path")
    existing = set(Envelope.objects.filter(fiscal_year=year, account_code=ACCOUNT).values_list("org_unit_id", flat=True))
    made = 0
    diskominfo = OrgUnit.objects.filter(code="diskominfo").first()
    if diskominfo is not None and not Envelope.objects.filter(org_unit=diskominfo, fiscal_year=year,
                                                               account_code=ACCOUNT).exists():
        env = envelope_create(actor=admin, org_unit=diskominfo, sub_kegiatan=SUB_KEGIATAN_DISKOMINFO,
                              account_code=ACCOUNT, fiscal_year=year, name=CENTRAL_ENVELOPE_NAME)
        envelope_allocate(envelope=env, amount=CENTRAL_ALLOCATION, actor=admin, note=f"DPA Diskominfo {year} (demo)")
        made += 1
    for unit in units:
        if unit.pk in existing:
            continue
        env = envelope_create(actor=admin, org_unit=unit, sub_kegiatan=SUB_KEGIATAN_KECAMATAN, account_code=ACCOUNT,
                              fiscal_year=year, name=f"Pemeliharaan TI {unit}")
        amount = KECAMATAN_ALLOCATION if unit.kind == OrgUnitKind.KECAMATAN else KELURAHAN_ALLOCATION
        envelope_allocate(envelope=env, amount=amount, actor=admin, note=f"DPA {year} (demo)")
        made += 1
    return made


def _tag(unit: OrgUnit, suffix: str) -> str:
    return f"{unit.code.removeprefix('kel-').upper()}-{suffix}"


def _assets() -> int:
    from .models import Asset, AssetKind, OwnerAuthority

    diskominfo = OrgUnit.objects.filter(code="diskominfo").first()
    kelurahan = list(OrgUnit.objects.filter(kind=OrgUnitKind.KELURAHAN).select_related("parent").order_by("path"))
    existing = set(Asset.objects.values_list("tag", flat=True))
    rows = []
    for unit in kelurahan:
        office = f"Kantor Kelurahan {unit.name}"
        for suffix, kind, description in (
            ("PC-01", AssetKind.PC, "PC meja layanan administrasi kependudukan"),
            ("PRN-01", AssetKind.PRINTER, "Printer laser pelayanan"),
            ("SW-01", AssetKind.NETWORK, "Switch jaringan 24 port"),
            ("WIFI-01", AssetKind.WIFI_PUBLIK, "Titik Wi-Fi publik balai warga"),
        ):
            tag = _tag(unit, suffix)
            if tag not in existing:
                rows.append(Asset(tag=tag, kind=kind, description=description, location=office, org_unit=unit,
                                  technical_owner=diskominfo))
    babakan = OrgUnit.objects.filter(code="kel-babakan").first()
    if babakan is not None:
        for tag, kind, description, location, owner in (
            ("PC-BBK-01", AssetKind.PC, "PC loket pelayanan", "Kantor Kelurahan Babakan", OwnerAuthority.KOTA),
            ("KIOSK-BBK-01", AssetKind.KIOSK, "Anjungan layanan mandiri", "Kantor Kelurahan Babakan",
             OwnerAuthority.KOTA),
            ("CCTV-PROV-BBK-01", AssetKind.CCTV, "CCTV simpang jalan provinsi",
             "Jl. Raya Puspiptek (jalan provinsi), Babakan", OwnerAuthority.PROVINSI),
        ):
            if tag not in existing:
                rows.append(Asset(tag=tag, kind=kind, description=description, location=location, org_unit=babakan,
                                  owner_authority=owner, technical_owner=diskominfo))
    Asset.objects.bulk_create(rows)
    return len(rows)


def _requests(year: int) -> int:
    """Requests in every state, through the services, by the demo users."""
    from .models import Asset, Envelope, RepairRequest
    from .services import (
        payment_sp2d_issue, payment_spm_issue, payment_spp_submit, payment_spp_verify, payment_up_spend, request_approve,
        request_cancel, request_close, request_create, request_reject, request_return, request_submit,
    )

    if RepairRequest.objects.filter(problem__startswith=MARKER).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[
        "operator.babakan", "lurah.babakan", "camat.setu", "sekcam.setu", "kadis.diskominfo", "kepala.bpkad",
        "bendahara.setu", "operator-kelurahan-kel-setu", "lurah-kel-setu", "operator-kelurahan-kel-pondok-benda",
        "lurah-kel-pondok-benda", "camat-kec-pamulang", "bendahara-kec-pamulang",
        "operator-kelurahan-kel-bakti-jaya", "lurah-kel-bakti-jaya", "ppk.setu", "kuasa.bud"])}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=["kel-babakan", "kel-setu", "kel-pondok-benda",
                                                                   "kel-bakti-jaya"])}
    if len(units) < 4 or "operator.babakan" not in users:
        return 0
    envelopes = {e.org_unit.code: e for e in Envelope.objects.filter(
        fiscal_year=year, account_code=ACCOUNT, org_unit__code__in=["kec-setu", "kec-pamulang", "diskominfo"]
    ).select_related("org_unit")}
    assets = {a.tag: a for a in Asset.objects.filter(org_unit__in=units.values())}
    setu_env, pamulang_env, central_env = envelopes["kec-setu"], envelopes["kec-pamulang"], envelopes["diskominfo"]
    today = local_date()
    made = 0

    def raise_(code, operator, tag, amount, problem, *, envelope=setu_env, category="hardware", urgency="normal",
               vendor="CV Mitra Teknik Serpong", route="UP", submit=True):
        nonlocal made
        obj = request_create(actor=users[operator], org_unit=units[code], asset=assets[tag], category=category,
                             problem=f"{MARKER} {problem}", amount=amount, envelope=envelope, urgency=urgency,
                             payment_route=route, quotes=[{"vendor_name": vendor, "amount": amount}])
        if submit:
            request_submit(request_obj=obj, actor=users[operator])
        made += 1
        return obj

    def approve(obj, who):
        justification = "Kerusakan berbeda yang terjadi berurutan; bukan pemecahan paket (demo)." if obj.is_flagged else ""
        request_approve(request_obj=obj, actor=users[who], justification=justification)

    op, lurah, op_setu, lurah_setu = "operator.babakan", "lurah.babakan", "operator-kelurahan-kel-setu", "lurah-kel-setu"
    op_pb, lurah_pb = "operator-kelurahan-kel-pondok-benda", "lurah-kel-pondok-benda"
    op_bj, lurah_bj = "operator-kelurahan-kel-bakti-jaya", "lurah-kel-bakti-jaya"
    babakan_pc, babakan_prn = "PC-BBK-01", _tag(units["kel-babakan"], "PRN-01")
    babakan_sw, babakan_wifi = _tag(units["kel-babakan"], "SW-01"), _tag(units["kel-babakan"], "WIFI-01")
    setu_pc, setu_sw = _tag(units["kel-setu"], "PC-01"), _tag(units["kel-setu"], "SW-01")
    pb_pc, pb_wifi = _tag(units["kel-pondok-benda"], "PC-01"), _tag(units["kel-pondok-benda"], "WIFI-01")
    bj_pc, bj_prn = _tag(units["kel-bakti-jaya"], "PC-01"), _tag(units["kel-bakti-jaya"], "PRN-01")

    # draft
    raise_("kel-babakan", op, "KIOSK-BBK-01", 2_750_000, "Layar sentuh anjungan tidak merespons.", submit=False)
    # under review at the lurah (in lurah.babakan's inbox)
    raise_("kel-babakan", op, babakan_prn, 3_500_000, "Printer pelayanan macet dan fuser rusak.", urgency="high",
           vendor="CV Printindo")
    # under review at the camat (Plh. Camat Setu today: sekcam.setu)
    raise_("kel-babakan", op, babakan_sw, 12_000_000, "Switch jaringan kantor mati; layanan daring terhenti.",
           category="network", urgency="critical", vendor="PT Jaringan Nusantara")
    # under review at Diskominfo (technical verification above Rp50 juta, before the camat as PA decides)
    raise_("kel-setu", op_setu, setu_sw, 60_000_000, "Penggantian perangkat jaringan inti kantor kelurahan.",
           category="network", vendor="PT Jaringan Nusantara", route="LS")
    # under review at the camat as PA (Diskominfo verified)
    r = raise_("kel-pondok-benda", op_pb, pb_wifi, 75_000_000, "Peremajaan titik Wi-Fi publik dan kabel backbone.",
               envelope=pamulang_env, category="wifi", vendor="PT Telematika Banten", route="LS")
    approve(r, "kadis.diskominfo")
    # a central envelope in Diskominfo's DPA: the Kepala Diskominfo decides as its PA
    raise_("kel-babakan", op, babakan_wifi, 6_500_000, "Access point Wi-Fi publik balai warga sering putus.",
           envelope=central_env, category="wifi", vendor="PT Telematika Banten")
    # returned for revision
    r = raise_("kel-setu", op_setu, setu_pc, 4_200_000, "PC loket mati total.")
    request_return(request_obj=r, actor=users[lurah_setu], reason="Lampirkan foto kerusakan dan penawaran kedua.")
    # rejected
    r = raise_("kel-pondok-benda", op_pb, pb_pc, 3_900_000, "Penggantian PC karena lambat.", envelope=pamulang_env)
    request_reject(request_obj=r, actor=users[lurah_pb], reason="PC masih dalam masa garansi; klaim ke penyedia.")
    # approved (waiting for payment by bendahara.setu)
    r = raise_("kel-babakan", op, babakan_wifi, 4_500_000, "Access point Wi-Fi publik terbakar akibat petir.",
               category="wifi", urgency="high", vendor="CV Sinyal Prima")
    approve(r, lurah)
    # forwarded to the province (province-owned CCTV on a provincial road)
    raise_("kel-babakan", op, "CCTV-PROV-BBK-01", 8_500_000, "Kamera CCTV simpang jalan provinsi mati.",
           category="cctv", urgency="high", vendor="PT Visi Aman")
    # paid from UP (the bendahara's UP cash, against the vendor's receipt)
    r = raise_("kel-bakti-jaya", op_bj, bj_prn, 1_850_000, "Printer tidak menarik kertas.", vendor="CV Printindo")
    approve(r, lurah_bj)
    payment_up_spend(request_obj=r, actor=users["bendahara.setu"], bukti_number=f"KW/{year}/0012", issued_on=today,
                     payee_name="CV Printindo")
    # LS: SPP-LS by the bendahara, verified by the PPK-SKPD, SPM signed by the PA (Plh. Camat Setu today),
    # SP2D by the Kuasa BUD; then closed
    ls = dict(payee_name="CV Komputer Setu", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
              bank_account="0012345678901")
    r = raise_("kel-bakti-jaya", op_bj, bj_pc, 2_300_000, "Catu daya PC rusak.", vendor="CV Komputer Setu",
               route="LS")
    approve(r, lurah_bj)
    payment_spp_submit(request_obj=r, actor=users["bendahara.setu"], number=f"SPP-LS/{year}/0013", issued_on=today,
                       ppn=227_928, pph=41_441, pph_article="PPh 22", **ls)
    payment_spp_verify(request_obj=r, actor=users["ppk.setu"], issued_on=today)
    payment_spm_issue(request_obj=r, actor=users["sekcam.setu"], number=f"SPM-LS/{year}/0013", issued_on=today)
    payment_sp2d_issue(request_obj=r, actor=users["kuasa.bud"], number=f"SP2D/{year}/0042", issued_on=today)
    request_close(request_obj=r, actor=users[op_bj], note="SPJ lengkap.")
    # LS waiting for the PPK-SKPD's verification
    r = raise_("kel-bakti-jaya", op_bj, _tag(units["kel-bakti-jaya"], "SW-01"), 3_100_000, "Switch jaringan mati.",
               category="network", vendor="CV Komputer Setu", route="LS")
    approve(r, lurah_bj)
    payment_spp_submit(request_obj=r, actor=users["bendahara.setu"], number=f"SPP-LS/{year}/0014", issued_on=today,
                       **ls)
    # cancelled
    r = raise_("kel-setu", op_setu, setu_sw, 950_000, "Kabel jaringan putus.", category="network")
    request_cancel(request_obj=r, actor=users[op_setu], reason="Sudah diperbaiki teknisi Diskominfo tanpa biaya.")
    # split purchase: three Rp2.000.000 requests for the same PC within days under the Rp5 juta lurah limit
    for i, problem in enumerate(("Ganti hard disk PC loket.", "Ganti RAM PC loket.", "Ganti catu daya PC loket.")):
        r = raise_("kel-babakan", op, babakan_pc, 2_000_000, problem, vendor="CV Komputer Setu")
        if i < 2:
            approve(r, lurah)
    return made


def seed_demo(*, stdout=None) -> dict:
    started = time.perf_counter()
    year = local_date().year
    admin = User.objects.filter(username="admin").first()
    # With an eager Celery (tests) the PDFs would render inline; a worker renders them otherwise.
    eager = bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))
    with override_settings(BUDGET_DOCUMENTS_ON_EVENTS=not eager and getattr(settings, "BUDGET_DOCUMENTS_ON_EVENTS", True)):
        result = {"rules": _matrix(year), "envelopes": _envelopes(year, admin), "assets": _assets(),
                  "requests": _requests(year)}
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
