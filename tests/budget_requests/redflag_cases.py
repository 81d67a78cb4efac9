"""A labelled set of split-purchase cases (split / not split) for the red-flag core.

Each case is a short history of repair requests spending from city DPAs, ending with the request being
submitted; the label says whether an auditor would call the set a split package (Perpres 16/2018 Ps. 20(2)(d)
jo. Perpres 12/2021, or a split to stay under a delegation limit). Amounts and shapes follow the illustrative
matrix: a request up to Rp5 juta is decided by the lurah as KPA (per kelurahan), above that by the camat as PA
(per kecamatan, up to Rp200 juta); a central envelope by the Kepala Diskominfo. ``test_redflag_cases.py``
checks the detector on every case and ``bench/bench_redflags.py`` reports precision and recall over the set.

Some cases are deliberately hard (a vendor's name spelled two ways without an NPWP; an honest run of
breakdowns at one office): the detector is expected to get a few of them wrong, and the figures say so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from budget_requests.redflags import (
    DEFAULT_PROCUREMENT_THRESHOLD, Purchase, Vendor, find_split_purchases, normalize_location, normalize_vendor,
)

WIB = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2026, 3, 2, 9, tzinfo=WIB)
WINDOW = dt.timedelta(days=30)
LURAH_LIMIT = 5_000_000
CAMAT_LIMIT = 200_000_000
LURAH_BASIS = "Keputusan Wali Kota tentang Pelimpahan Kewenangan (ilustratif): lurah selaku KPA"
CAMAT_BASIS = "Keputusan Wali Kota tentang Pelimpahan Kewenangan (ilustratif): camat selaku PA"

_ids = iter(range(1, 10_000))


def buy(amount: int, day: float = 0, *, kel: str = "babakan", kec: str = "setu", asset: str | None = None,
        kind: str = "pc", location: str | None = None, vendor: str = "CV Mitra Teknik", npwp: str = "",
        central: bool = False, at: dt.datetime | None = None) -> Purchase:
    """One request as the detector sees it. The decider follows the illustrative matrix."""
    if central:
        holder, decider, limit, basis = "dpa:diskominfo", "position:kadis", CAMAT_LIMIT, "PA Diskominfo"
    elif amount <= LURAH_LIMIT:
        holder, decider, limit, basis = f"dpa:{kec}", f"position:lurah-{kel}", LURAH_LIMIT, LURAH_BASIS
    else:
        holder, decider, limit, basis = f"dpa:{kec}", f"position:camat-{kec}", CAMAT_LIMIT, CAMAT_BASIS
    return Purchase(
        id=next(_ids), unit_id=hash(kel) % 10_000, asset_id=hash(asset or f"{kel}-{kind}-{next(_ids)}") % 10**9,
        category="hardware", amount=amount, at=at or T0 + dt.timedelta(days=day), item_kind=kind,
        location=normalize_location(location or f"Kantor Kelurahan {kel}"),
        vendor=Vendor(npwp="".join(c for c in npwp if c.isdigit()), name=normalize_vendor(vendor)),
        holder=holder, decider=decider, decider_limit=limit, decider_basis=basis,
    )


@dataclass(frozen=True)
class Case:
    name: str
    split: bool
    requests: tuple[Purchase, ...]  # in submission order; the last one is being submitted

    def flagged(self) -> bool:
        *history, candidate = self.requests
        return bool(find_split_purchases(candidate, history, window=WINDOW,
                                         procurement_threshold=DEFAULT_PROCUREMENT_THRESHOLD))


NPWP_A = "01.234.567.8-411.000"
NPWP_B = "02.345.678.9-411.000"
NPWP_C = "03.456.789.0-411.000"

CASES: list[Case] = [
    # --- split ---------------------------------------------------------------------------------------------
    Case("three Rp2 juta repairs of one PC within 8 days (under the lurah's Rp5 juta)", True, (
        buy(2_000_000, 0, asset="PC-BBK-01"), buy(2_000_000, 4, asset="PC-BBK-01"),
        buy(2_000_000, 8, asset="PC-BBK-01"))),
    Case("issue: two Rp110 juta from one vendor in two kelurahan under the same camat", True, (
        buy(110_000_000, 0, kel="babakan", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(110_000_000, 5, kel="kademangan", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A))),
    Case("issue: three Rp70 juta 11 days apart (a 10-day window missed it)", True, (
        buy(70_000_000, 0, kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(70_000_000, 11, kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(70_000_000, 22, kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A))),
    Case("two printers of one office from one vendor on the same day, Rp4,5 juta each", True, (
        buy(4_500_000, 0, kind="printer", vendor="CV Printindo"),
        buy(4_500_000, 0.1, kind="printer", vendor="CV Printindo"))),
    Case("three PCs of one office, one vendor, two weeks, Rp3 juta each", True, (
        buy(3_000_000, 0), buy(3_000_000, 6), buy(3_000_000, 13))),
    Case("same NPWP under two spellings of the vendor's name", True, (
        buy(3_000_000, 0, location="Kantor Kelurahan Babakan", vendor="CV. Maju Jaya", npwp=NPWP_B),
        buy(3_000_000, 3, location="Posyandu Melati Babakan", vendor="CV Maju Jaya Abadi", npwp=NPWP_B))),
    Case("four CCTV cameras of one junction, one vendor, three weeks, Rp60 juta each", True, (
        buy(60_000_000, 0, kind="cctv", location="Simpang Jl. Raya Serpong km 5", vendor="PT Visi Aman"),
        buy(60_000_000, 6, kind="cctv", location="Simpang Jl. Raya Serpong km 5", vendor="PT Visi Aman"),
        buy(60_000_000, 13, kind="cctv", location="Simpang Jl. Raya Serpong km 5", vendor="PT Visi Aman"),
        buy(60_000_000, 20, kind="cctv", location="Simpang Jl. Raya Serpong km 5", vendor="PT Visi Aman"))),
    Case("one server repaired twice in 20 days for Rp120 juta each", True, (
        buy(120_000_000, 0, kel="kec", asset="SRV-SETU", kind="server", vendor="PT Data Prima"),
        buy(120_000_000, 20, kel="kec", asset="SRV-SETU", kind="server", vendor="PT Data Sentosa"))),
    Case("one Wi-Fi point, two Rp4 juta repairs three days apart", True, (
        buy(4_000_000, 0, asset="WIFI-BBK-01", kind="wifi_publik", vendor="CV Sinyal Prima"),
        buy(4_000_000, 3, asset="WIFI-BBK-01", kind="wifi_publik", vendor="CV Sinyal"))),
    Case("one kiosk, two Rp3 juta repairs in a week", True, (
        buy(3_000_000, 0, asset="KIOSK-BBK-01", kind="kiosk"), buy(3_000_000, 6, asset="KIOSK-BBK-01", kind="kiosk"))),
    Case("two switches of one office, one vendor, six days, Rp2,8 juta each", True, (
        buy(2_800_000, 0, kind="network", vendor="CV Kabel Mandiri"),
        buy(2_800_000, 6, kind="network", vendor="CV Kabel Mandiri"))),
    Case("one vendor, network works in three kelurahan of one kecamatan, Rp75 juta each in 25 days", True, (
        buy(75_000_000, 0, kel="babakan", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(75_000_000, 12, kel="setu", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(75_000_000, 25, kel="muncul", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A))),
    Case("one PC, Rp3 juta on day 0 and day 25", True, (
        buy(3_000_000, 0, asset="PC-BBK-07"), buy(3_000_000, 25, asset="PC-BBK-07"))),
    Case("three PCs of one office on one day, three vendors, Rp2 juta each", True, (
        buy(2_000_000, 0, vendor="CV Satu"), buy(2_000_000, 0.05, vendor="CV Dua"),
        buy(2_000_000, 0.1, vendor="CV Tiga"))),
    Case("one printer, four Rp1,5 juta jobs in a month", True, (
        buy(1_500_000, 0, asset="PRN-BBK-01", kind="printer"), buy(1_500_000, 9, asset="PRN-BBK-01", kind="printer"),
        buy(1_500_000, 18, asset="PRN-BBK-01", kind="printer"),
        buy(1_500_000, 27, asset="PRN-BBK-01", kind="printer"))),
    Case("two servers at the kecamatan office, one vendor, Rp110 + Rp100 juta in 10 days", True, (
        buy(110_000_000, 0, kel="kec", kind="server", location="Kantor Kecamatan Setu", vendor="PT Data Prima"),
        buy(100_000_000, 10, kel="kec", kind="server", location="Kantor Kecamatan Setu", vendor="PT Data Prima"))),
    Case("two PCs at two offices of one kelurahan, one vendor without NPWP, Rp2,6 juta each", True, (
        buy(2_600_000, 0, location="Kantor Kelurahan Babakan", vendor="CV Komputer Setu"),
        buy(2_600_000, 2, location="Balai Warga RW 03 Babakan", vendor="CV Komputer Setu"))),
    Case("central DPA: one vendor, Wi-Fi points in three kelurahan, Rp70 juta each", True, (
        buy(70_000_000, 0, kel="babakan", kind="wifi_publik", vendor="PT Telematika Banten", central=True),
        buy(70_000_000, 7, kel="pamulang-barat", kind="wifi_publik", vendor="PT Telematika Banten", central=True),
        buy(70_000_000, 14, kel="serua", kind="wifi_publik", vendor="PT Telematika Banten", central=True))),
    Case("one vendor: a switch and access points, Rp110 + Rp100 juta in one kelurahan", True, (
        buy(110_000_000, 0, kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(100_000_000, 4, kind="wifi_publik", location="Balai Warga Babakan", vendor="PT Jaringan Nusantara",
            npwp=NPWP_A))),
    Case("hard: one vendor's name spelled two ways, no NPWP, PCs at two offices", True, (
        buy(3_000_000, 0, location="Kantor Kelurahan Babakan", vendor="CV Maju Jaya"),
        buy(3_000_000, 3, location="Posyandu Melati Babakan", vendor="CV Majujaya"))),

    # --- not split -----------------------------------------------------------------------------------------
    Case("issue: a kiosk after a PC and a printer at one office (different kinds, vendors)", False, (
        buy(2_000_000, 0, kind="pc", vendor="CV Komputer Setu"),
        buy(1_500_000, 2, kind="printer", vendor="CV Printindo"),
        buy(2_750_000, 5, kind="kiosk", vendor="PT Anjungan Digital"))),
    Case("one PC, two Rp2 juta repairs (under the limit together)", False, (
        buy(2_000_000, 0, asset="PC-BBK-02"), buy(2_000_000, 5, asset="PC-BBK-02"))),
    Case("one PC, Rp3 juta 40 days apart", False, (
        buy(3_000_000, 0, asset="PC-BBK-03"), buy(3_000_000, 40, asset="PC-BBK-03"))),
    Case("one PC, across the fiscal year (20 December, 5 January)", False, (
        buy(3_000_000, asset="PC-BBK-04", at=dt.datetime(2025, 12, 20, 9, tzinfo=WIB)),
        buy(3_000_000, asset="PC-BBK-04", at=dt.datetime(2026, 1, 5, 9, tzinfo=WIB)))),
    Case("one vendor, Rp110 juta in two kecamatan (two PAs)", False, (
        buy(110_000_000, 0, kel="babakan", kec="setu", kind="network", vendor="PT Jaringan Nusantara", npwp=NPWP_A),
        buy(110_000_000, 5, kel="pondok-benda", kec="pamulang", kind="network", vendor="PT Jaringan Nusantara",
            npwp=NPWP_A))),
    Case("one vendor, Rp3 juta PCs in two kelurahan (two lurah, each within his limit)", False, (
        buy(3_000_000, 0, kel="babakan", vendor="CV Komputer Setu"),
        buy(3_000_000, 2, kel="kademangan", vendor="CV Komputer Setu"))),
    Case("the kelurahan's regular vendor: printer, switch, camera in two weeks", False, (
        buy(1_000_000, 0, kind="printer", vendor="CV Mitra Teknik"),
        buy(2_000_000, 5, kind="network", vendor="CV Mitra Teknik"),
        buy(2_500_000, 12, kind="cctv", location="Gerbang Kantor Kelurahan Babakan", vendor="CV Mitra Teknik"))),
    Case("a PC and a printer at one office, Rp4 juta each, two vendors", False, (
        buy(4_000_000, 0, kind="pc", vendor="CV Komputer Setu"),
        buy(4_000_000, 1, kind="printer", vendor="CV Printindo"))),
    Case("PCs at two offices, two vendors, Rp3 juta each", False, (
        buy(3_000_000, 0, location="Kantor Kelurahan Babakan", vendor="CV Komputer Setu"),
        buy(3_000_000, 2, location="Posyandu Melati Babakan", vendor="CV Prima Komputer"))),
    Case("two vendors of the same name and different NPWP, PCs at two offices", False, (
        buy(3_000_000, 0, location="Kantor Kelurahan Babakan", vendor="CV Maju", npwp=NPWP_B),
        buy(3_000_000, 3, location="Posyandu Melati Babakan", vendor="CV Maju", npwp=NPWP_C))),
    Case("a tendered Rp250 juta contract and a Rp10 juta repair from its vendor", False, (
        buy(250_000_000, 0, kel="kec", kind="server", vendor="PT Data Prima"),
        buy(10_000_000, 10, kel="kec", kind="server", vendor="PT Data Prima"))),
    Case("one server, Rp150 + Rp40 juta (under the procurement ceiling)", False, (
        buy(150_000_000, 0, kel="kec", asset="SRV-SETU-2", kind="server"),
        buy(40_000_000, 9, kel="kec", asset="SRV-SETU-2", kind="server"))),
    Case("Rp4,9 juta PCs in two kelurahan the same day, one vendor", False, (
        buy(4_900_000, 0, kel="babakan", vendor="CV Komputer Setu"),
        buy(4_900_000, 0.2, kel="setu", vendor="CV Komputer Setu"))),
    Case("cameras at three sites, three vendors, Rp60 juta each", False, (
        buy(60_000_000, 0, kind="cctv", location="Simpang Muncul", vendor="PT Visi Aman"),
        buy(60_000_000, 5, kind="cctv", location="Taman Kota Setu", vendor="PT Kamera Prima"),
        buy(60_000_000, 10, kind="cctv", location="Pasar Serpong", vendor="CV Optik Jaya"))),
    Case("one printer, Rp2 juta every five weeks", False, (
        buy(2_000_000, 0, asset="PRN-BBK-05", kind="printer"), buy(2_000_000, 35, asset="PRN-BBK-05", kind="printer"),
        buy(2_000_000, 70, asset="PRN-BBK-05", kind="printer"))),
    Case("one PC, Rp30 juta twice (the camat decides both, within his limit)", False, (
        buy(30_000_000, 0, asset="PC-BBK-06"), buy(30_000_000, 10, asset="PC-BBK-06"))),
    Case("one vendor, Rp110 juta from Diskominfo's DPA and Rp110 juta from a kecamatan's", False, (
        buy(110_000_000, 0, kind="wifi_publik", vendor="PT Telematika Banten", central=True),
        buy(110_000_000, 5, kind="wifi_publik", vendor="PT Telematika Banten"))),
    Case("hard: two PCs of one office broke the same week, the regular vendor, Rp3 juta each", False, (
        buy(3_000_000, 0, vendor="CV Komputer Setu"), buy(3_000_000, 4, vendor="CV Komputer Setu"))),
]


def scores(cases: list[Case] | None = None) -> dict[str, float | int]:
    """Precision and recall of the detector over the labelled set."""
    cases = CASES if cases is None else cases
    tp = sum(1 for c in cases if c.split and c.flagged())
    fp = sum(1 for c in cases if not c.split and c.flagged())
    fn = sum(1 for c in cases if c.split and not c.flagged())
    return {"cases": len(cases), "split": sum(c.split for c in cases), "tp": tp, "fp": fp, "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0}
