"""Decision levels: who may do what with money from whose DPA (DOMAIN.md §6). One table of descriptors.

A delegation rule (``DelegationRule.level``) sits at one of these levels. Routing reads the table to know
whether a rule's position may decide a request at all — only the budget's holder decides: the Pengguna
Anggaran of the DPA the envelope belongs to, or a Kuasa Pengguna Anggaran he appointed — and the finance
figures read it to class a route as local or central. Adding a level is a new row here plus tests, not an
``if`` in the routing, the what-if or the dashboards.

DPA kinds (``dpa_kind_of``): an envelope of a kecamatan or of one of its kelurahan sits in the **kecamatan**
DPA (the camat is PA; kelurahan funds are part of it, the lurah acting as KPA); an envelope of a city office
(Perangkat Daerah such as Diskominfo) sits in that **perangkat_daerah**'s own DPA, whose PA is its head.

Legal bases below are the national ones the roles come from; the amounts stay in the matrix rows (the Wali
Kota's decree), each with its own basis. ``needs_confirmation`` marks what the city's legal office should
still confirm for its own decree.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# budget roles
KPA = "kpa"          # Kuasa Pengguna Anggaran: decides within the authority the PA delegated
PA = "pa"            # Pengguna Anggaran: the head of the SKPD that holds the DPA
VERIFIER = "verifier"  # technical verification (Diskominfo for IT), never decides spending
BUD = "bud"          # Bendahara Umum Daerah (BPKAD): verifies SPM and issues SP2D, never approves in the PA's place

DPA_KECAMATAN = "kecamatan"
DPA_PERANGKAT_DAERAH = "perangkat_daerah"


@dataclass(frozen=True)
class DecisionLevel:
    code: str
    label: str
    role: str
    # Position kinds that may hold this level (a rule's position_kind must be one of them).
    position_kinds: frozenset[str]
    # DPA kinds this level decides for (empty: it decides for none, e.g. BUD or a verifier).
    dpa_kinds: frozenset[str]
    # Unit kinds of the requesting unit it sits above (None: every unit, a city-wide office).
    unit_kinds: frozenset[str] | None
    # Class of a route this level decides, for the finance figures and the what-if.
    route_class: str
    # Whether the level appears in the approval route at all (BUD acts in the payment steps instead).
    in_route: bool
    basis: str
    needs_confirmation: bool = True

    @property
    def may_decide(self) -> bool:
        return self.role in (PA, KPA)

    def decides_for(self, *, dpa_kind: str, dpa_head_kind: str | None, position_kind: str) -> bool:
        """May a rule of this level, for ``position_kind``, decide spending from a DPA of this kind/head?"""
        if not self.may_decide or dpa_kind not in self.dpa_kinds:
            return False
        if self.role == PA:  # the PA of *this* DPA, not of another SKPD's
            return position_kind == dpa_head_kind
        return True


LEVELS: dict[str, DecisionLevel] = {lv.code: lv for lv in (
    DecisionLevel(
        code="kpa_lurah", label=_("Lurah selaku KPA"), role=KPA, position_kinds=frozenset({"lurah"}),
        dpa_kinds=frozenset({DPA_KECAMATAN}), unit_kinds=frozenset({"kelurahan"}), route_class="lurah",
        in_route=True,
        basis="PP 12/2019 tentang Pengelolaan Keuangan Daerah (PA dapat melimpahkan sebagian kewenangannya "
              "kepada KPA); PP 17/2018 tentang Kecamatan (kelurahan sebagai perangkat kecamatan)"),
    DecisionLevel(
        code="pa_camat", label=_("Camat selaku PA"), role=PA, position_kinds=frozenset({"camat"}),
        dpa_kinds=frozenset({DPA_KECAMATAN}), unit_kinds=frozenset({"kelurahan", "kecamatan"}), route_class="camat",
        in_route=True, basis="PP 12/2019 (kepala SKPD selaku PA); UU 1/2004 Ps. 18 (PA/KPA menguji tagihan dan "
                             "memerintahkan pembayaran); kecamatan sebagai Perangkat Daerah"),
    DecisionLevel(
        code="pa_skpd", label=_("Kepala Perangkat Daerah selaku PA"), role=PA,
        position_kinds=frozenset({"kepala_diskominfo", "kepala_bpkad"}), dpa_kinds=frozenset({DPA_PERANGKAT_DAERAH}),
        unit_kinds=None, route_class="central", in_route=True,
        basis="PP 12/2019 (kepala SKPD selaku PA atas DPA SKPD-nya); UU 1/2004 Ps. 18"),
    DecisionLevel(
        code="technical", label=_("Verifikasi teknis Diskominfo"), role=VERIFIER,
        position_kinds=frozenset({"kepala_diskominfo", "teknisi_diskominfo"}), dpa_kinds=frozenset(), unit_kinds=None,
        route_class="central", in_route=True,
        basis="Perwali tentang tata kelola TIK (ilustratif): verifikasi teknis oleh perangkat daerah urusan "
              "komunikasi dan informatika"),
    DecisionLevel(
        code="bud", label=_("BPKAD selaku BUD"), role=BUD, position_kinds=frozenset({"kepala_bpkad", "analis_bpkad"}),
        dpa_kinds=frozenset(), unit_kinds=None, route_class="central", in_route=False,
        basis="PP 12/2019 dan Permendagri 77/2020 (Kuasa BUD menerbitkan SP2D atas SPM yang ditandatangani "
              "PA/KPA; BUD tidak menyetujui belanja atas nama PA)"),
)}

LEVEL_CHOICES = [(lv.code, lv.label) for lv in LEVELS.values()]


def level_of(code: str | None, *, position_kind: str = "", step_kind: str = "approve") -> DecisionLevel:
    """The level of a rule; rules stored before levels existed get the one their position kind implies."""
    if code:
        return LEVELS[code]
    return LEVELS[default_level_code(position_kind, step_kind)]


def default_level_code(position_kind: str, step_kind: str) -> str:
    if position_kind == "lurah":
        return "kpa_lurah"
    if position_kind == "camat":
        return "pa_camat"
    if position_kind in ("kepala_bpkad", "analis_bpkad"):
        return "bud"
    if step_kind == "technical_verification":
        return "technical"
    return "pa_skpd"


def dpa_kind_of(unit_kind: str) -> str:
    """The DPA an envelope of a unit of this kind belongs to."""
    return DPA_KECAMATAN if unit_kind in ("kecamatan", "kelurahan") else DPA_PERANGKAT_DAERAH


def pa_position_kinds() -> frozenset[str]:
    """Position kinds that may head a DPA (to find the PA of a city office's DPA)."""
    return frozenset().union(*(lv.position_kinds for lv in LEVELS.values() if lv.role == PA))


def route_class_of(code: str | None, *, position_kind: str = "", step_kind: str = "approve") -> str:
    return level_of(code, position_kind=position_kind, step_kind=step_kind).route_class


LOCAL_ROUTE_CLASSES = tuple(dict.fromkeys(lv.route_class for lv in LEVELS.values() if lv.route_class != "central"))


def route_class_q(route_class: str, *, prefix: str = "rule__"):
    """A ``Q`` on rules (through ``prefix``) whose level is of ``route_class``; rules stored before levels existed
    count by the level their position kind implies."""
    from django.db.models import Q

    def local(cls: str) -> Q:
        codes = [c for c, lv in LEVELS.items() if lv.route_class == cls]
        kinds = sorted({k for c in codes for k in LEVELS[c].position_kinds
                        if default_level_code(k, "approve") == c})
        return Q(**{f"{prefix}level__in": codes}) | Q(**{f"{prefix}level": "", f"{prefix}position_kind__in": kinds})

    if route_class in LOCAL_ROUTE_CLASSES:
        return local(route_class)
    q = Q()
    for cls in LOCAL_ROUTE_CLASSES:
        q |= local(cls)
    return ~q
