"""Kelurahan are listed under their own kecamatan: Ciputat's under Ciputat, not under Ciputat Timur (ordering by
the path string puts "kec-ciputat-timur" before "kec-ciputat/…")."""
import pytest
from django.contrib.auth import get_user_model

from budget_requests import selectors
from budget_requests.finance import selectors as fin
from workflows.models import OrgUnit
from workflows.models.org import tree_key, tree_order
from workflows.seed import seed_demo

pytestmark = pytest.mark.django_db


def _under_right_kecamatan(paths: list[str]) -> None:
    current = None
    for path in paths:
        parts = path.split("/")
        if len(parts) == 2:
            current = path
        elif len(parts) == 3:
            assert path.startswith(current + "/"), f"{path} listed under {current}"


def test_unit_lists_keep_each_kelurahan_under_its_kecamatan():
    seed_demo()
    bpkad = get_user_model().objects.get(username="kepala.bpkad")
    for units in (fin.visible_units(bpkad), selectors.request_units(bpkad)):
        paths = [u.path for u in units]
        _under_right_kecamatan(paths)
        ciputat = paths.index("kota-tangsel/kec-ciputat")
        assert paths[ciputat + 1].startswith("kota-tangsel/kec-ciputat/")
    in_db = list(OrgUnit.objects.filter(depth__gte=1).order_by(*tree_order()).values_list("path", flat=True))
    _under_right_kecamatan(in_db)
    assert in_db == sorted(in_db, key=tree_key)
