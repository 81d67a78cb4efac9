import json

import pytest
from django.core.management import CommandError, call_command

from workflows.models import OrgUnit, Position, User

pytestmark = pytest.mark.django_db


def _city(tmp_path):
    data = {
        "city": {"code": "kota-contoh", "name": "Kota Contoh", "positions": [
            {"kind": "wali_kota", "title": "Wali Kota Contoh", "code": "wali-kota-contoh"}]},
        "position_templates": {"kecamatan": [["camat", "Camat {name}"]], "kelurahan": [["lurah", "Lurah {name}"]]},
        "kecamatan": [{"code": "kec-utara", "name": "Utara", "kelurahan": [
            {"code": "kel-satu", "name": "Satu", "aliases": ["Kesatu"]}]}],
    }
    path = tmp_path / "contoh.json"
    path.write_text(json.dumps(data))
    return path


def test_another_city_loads_its_own_file_without_demo_people(tmp_path, capsys):
    path = _city(tmp_path)
    call_command("load_org", str(path))
    call_command("load_org", str(path))  # idempotent
    assert OrgUnit.objects.count() == 3
    assert OrgUnit.objects.get(code="kel-satu").path == "kota-contoh/kec-utara/kel-satu"
    assert set(Position.objects.values_list("title", flat=True)) == {"Wali Kota Contoh", "Camat Utara", "Lurah Satu"}
    assert not User.objects.exists()
    assert "3 unit dan 3 jabatan" in capsys.readouterr().out


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="tidak dapat dimuat"):
        call_command("load_org", str(tmp_path / "tidak-ada.json"))
