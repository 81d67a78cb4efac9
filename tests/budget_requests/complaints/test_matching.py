"""Matching a complaint to its asset and kelurahan: asset number, location text, kelurahan name, nothing."""
from __future__ import annotations

import pytest

from budget_requests.complaints.matching import match_complaint
from budget_requests.complaints.models import MatchBasis

pytestmark = pytest.mark.django_db


def test_asset_number_sent_by_the_source(complaint_world):
    m = match_complaint(category="cctv", asset_code=" cctv-bbk-02 ")
    assert m.asset == complaint_world.cctv_babakan_2 and m.org_unit == complaint_world.babakan
    assert m.basis == MatchBasis.ASSET_CODE


def test_asset_number_written_in_the_text(complaint_world):
    m = match_complaint(category="lainnya", title="Kamera CCTV-BBK-01 mati", description="")
    assert m.asset == complaint_world.cctv_babakan and m.basis == MatchBasis.ASSET_CODE


def test_location_text_against_the_register(complaint_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        m = match_complaint(category="cctv", location="CCTV di simpang Puspiptek, depan pasar Babakan")
    assert m.asset == complaint_world.cctv_babakan and m.basis == MatchBasis.LOCATION


def test_kelurahan_name_alone_gives_the_unit_and_its_single_asset_of_the_kind(complaint_world):
    w = complaint_world
    m = match_complaint(category="wifi_publik", kelurahan="pondok  BENDA")
    assert m.org_unit == w.pondok_benda and m.asset == w.wifi_pb and m.basis == MatchBasis.KELURAHAN
    m = match_complaint(category="cctv", location="Kel. Babakan, Setu")
    assert m.org_unit == w.babakan and m.asset is None  # two cameras there: the operator chooses


def test_longest_kelurahan_name_wins(complaint_world):
    from workflows.models import OrgUnit

    m = match_complaint(category="lainnya", location="Jl. Raya, Lengkong Gudang Timur")
    assert m.org_unit == OrgUnit.objects.get(code="kel-lengkong-gudang-timur")


def test_nothing_matched(complaint_world):
    m = match_complaint(category="wifi_publik", location="dekat lapangan", title="internet mati")
    assert m.asset is None and m.org_unit is None and m.basis == MatchBasis.NONE
