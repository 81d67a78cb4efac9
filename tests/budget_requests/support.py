"""Builders for budget_requests tests: the illustrative delegation matrix and a small world on top of the
Tangsel seed (units, people, envelopes, assets). Used by the ``delegation_matrix``/``repair_world`` fixtures
of ``tests/conftest.py``."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from workflows.acting import local_date
from workflows.models import OrgUnit, User

LURAH_LIMIT = 5_000_000
CAMAT_LIMIT = 50_000_000
TOP_LIMIT = 200_000_000
CAMAT_ACTING_SHARE = 20  # a Plh/Plt camat decides up to Rp40 juta
ACCOUNT = "5.1.02.03.02.0405"
SUB_KEGIATAN = "7.01.01.2.09.0006"  # a kecamatan's DPA, in the shipped code list


def make_matrix(year: int | None = None, *, lurah: int = LURAH_LIMIT, camat: int = CAMAT_LIMIT, top: int = TOP_LIMIT,
                camat_share: int = CAMAT_ACTING_SHARE) -> dict:
    """The illustrative matrix: the lurah as KPA decides up to ``lurah``; Diskominfo verifies technically above
    ``camat``; the camat as PA of the kecamatan's DPA decides up to ``top``; the Kepala Diskominfo as PA decides
    spending from Diskominfo's own DPA (a central envelope). BPKAD has no row: as BUD it issues SP2D, it does
    not approve in the PA's place."""
    from budget_requests.models import DelegationRule, ResponseUnit, StepKind

    year = year or local_date().year
    common = dict(fiscal_year=year, effective_from=dt.date(year, 1, 1), legal_basis="Perwali (ilustratif) 2026")
    return {
        "lurah": DelegationRule.objects.create(
            position_kind="lurah", level="kpa_lurah", max_single_amount=lurah, step_order=10, acting_allowed=True,
            acting_share_pct=100, response_time_value=4, response_time_unit=ResponseUnit.HOURS, **common),
        "diskominfo": DelegationRule.objects.create(
            position_kind="kepala_diskominfo", level="technical", max_single_amount=top, step_order=15,
            applies_above=camat, acting_allowed=True, step_kind=StepKind.TECHNICAL_VERIFICATION,
            response_time_value=2, **common),
        "camat": DelegationRule.objects.create(
            position_kind="camat", level="pa_camat", max_single_amount=top, step_order=20, acting_allowed=True,
            acting_share_pct=camat_share, response_time_value=1, response_time_unit=ResponseUnit.WORKING_DAYS,
            **common),
        "diskominfo_pa": DelegationRule.objects.create(
            position_kind="kepala_diskominfo", level="pa_skpd", max_single_amount=top, step_order=30,
            acting_allowed=True, acting_share_pct=50, response_time_value=2, **common),
    }


def user(username: str) -> User:
    return User.objects.get(username=username)


def make_world(matrix: dict) -> SimpleNamespace:
    """Setu (camat on leave: the Sekcam is Plh today, per the seed) and Pamulang (camat present)."""
    from budget_requests.models import Asset, AssetKind, OwnerAuthority
    from budget_requests.services import envelope_allocate, envelope_create

    year = local_date().year
    admin = user("admin")
    w = SimpleNamespace(matrix=matrix, year=year, admin=admin)
    w.kota = OrgUnit.objects.get(code="kota-tangsel")
    w.diskominfo = OrgUnit.objects.get(code="diskominfo")
    w.kec_setu = OrgUnit.objects.get(code="kec-setu")
    w.babakan = OrgUnit.objects.get(code="kel-babakan")
    w.kel_setu = OrgUnit.objects.get(code="kel-setu")
    w.kec_pamulang = OrgUnit.objects.get(code="kec-pamulang")
    w.pondok_benda = OrgUnit.objects.get(code="kel-pondok-benda")

    w.operator_babakan = user("operator.babakan")
    w.lurah_babakan = user("lurah.babakan")
    w.lurah_setu = user("lurah-kel-setu")
    w.camat_setu = user("camat.setu")
    w.plh_camat_setu = user("sekcam.setu")
    w.operator_pb = user("operator-kelurahan-kel-pondok-benda")
    w.lurah_pb = user("lurah-kel-pondok-benda")
    w.camat_pamulang = user("camat-kec-pamulang")
    w.operator_kec_pamulang = user("operator-kecamatan-kec-pamulang")
    w.kadis = user("kadis.diskominfo")
    w.kepala_bpkad = user("kepala.bpkad")
    w.bendahara_setu = user("bendahara.setu")
    w.bendahara_pamulang = user("bendahara-kec-pamulang")
    w.pptk_setu = user("pptk.setu")
    w.ppk_setu = user("ppk.setu")
    w.ppk_pamulang = user("ppk-skpd-kec-pamulang")
    w.kuasa_bud = user("kuasa.bud")

    w.env_setu = envelope_create(actor=admin, org_unit=w.kec_setu, sub_kegiatan=SUB_KEGIATAN, account_code=ACCOUNT, fiscal_year=year,
                                 name="Pemeliharaan TI Kecamatan Setu")
    envelope_allocate(envelope=w.env_setu, amount=500_000_000, actor=admin)
    w.env_pamulang = envelope_create(actor=admin, org_unit=w.kec_pamulang, sub_kegiatan=SUB_KEGIATAN,
                                     account_code=ACCOUNT, fiscal_year=year,
                                     name="Pemeliharaan TI Kecamatan Pamulang")
    envelope_allocate(envelope=w.env_pamulang, amount=500_000_000, actor=admin)

    def asset(tag, unit, kind=AssetKind.PC, owner=OwnerAuthority.KOTA):
        return Asset.objects.create(tag=tag, kind=kind, description=f"{kind} {tag}", location="Kantor",
                                    org_unit=unit, owner_authority=owner, technical_owner=w.diskominfo)

    w.pc_babakan = asset("TI-BBK-001", w.babakan)
    w.printer_babakan = asset("TI-BBK-002", w.babakan, AssetKind.PRINTER)
    w.pc_kel_setu = asset("TI-STU-001", w.kel_setu)
    w.cctv_province = asset("CCTV-PROV-001", w.babakan, AssetKind.CCTV, OwnerAuthority.PROVINSI)
    w.pc_pb = asset("TI-PB-001", w.pondok_benda)
    w.server_kec_pamulang = asset("TI-PML-SRV", w.kec_pamulang, AssetKind.SERVER)
    return w


def new_request(w, *, amount, unit=None, asset=None, actor=None, envelope=None, category="hardware",
                vendor="CV Maju Jaya", submit=True, payment_route="UP"):
    from budget_requests.services import request_create, request_submit

    unit = unit or w.babakan
    defaults = {
        w.babakan.pk: (w.pc_babakan, w.operator_babakan, w.env_setu),
        w.pondok_benda.pk: (w.pc_pb, w.operator_pb, w.env_pamulang),
        w.kec_pamulang.pk: (w.server_kec_pamulang, w.operator_kec_pamulang, w.env_pamulang),
        w.kel_setu.pk: (w.pc_kel_setu, user("operator-kelurahan-kel-setu"), w.env_setu),
    }[unit.pk]
    obj = request_create(
        actor=actor or defaults[1], org_unit=unit, asset=asset or defaults[0], category=category,
        problem="Perangkat mati total, tidak menyala.", amount=amount, envelope=envelope or defaults[2],
        quotes=[{"vendor_name": vendor, "amount": amount}], payment_route=payment_route,
    )
    if submit:
        request_submit(request_obj=obj, actor=actor or defaults[1])
    return obj


def route_kinds(obj) -> list[str]:
    return [s["position_kind"] for s in obj.route]


def tiny_image(fmt: str = "JPEG", size: tuple[int, int] = (4, 3)) -> bytes:
    """A real image of a few pixels (uploads are opened with Pillow, so magic bytes alone are refused)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()
