"""Seal digests published outside the database: the public transparency page and its download, the monthly
finance report, and ``verify_audit --against`` a saved list."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budget_requests.finance.models import MonthlyReport
from budget_requests.finance.reports import render_monthly_report
from workflows.models import SEAL_STREAM, AuditEvent, AuditStreamHead
from workflows.services.audit import audit_record, audit_seal

from ..factories import OrgUnitFactory
from .test_audit import _tamper

pytestmark = pytest.mark.django_db(transaction=True)


def _sealed(n_seals=2):
    unit = OrgUnitFactory()
    seals = []
    for i in range(n_seals):
        with transaction.atomic():
            audit_record(actor=None, action="unit.rename", obj=unit, after={"i": i})
        seals.append(audit_seal())
    return seals


def _saved_list(client, fmt="json", path=None):
    response = client.get(reverse("audit_seals_download", args=[fmt]))
    assert response.status_code == 200
    path.write_bytes(response.content)
    return path


def test_transparency_page_shows_the_newest_seal_digests_and_offers_the_list(client):
    seals = _sealed(2)
    html = client.get(reverse("finance:transparency")).content.decode()
    assert seals[0].after["digest"] in html and seals[1].after["digest"] in html
    assert reverse("audit_seals_download", args=["json"]) in html
    listed = json.loads(client.get(reverse("audit_seals_download", args=["json"])).content)["seals"]
    assert [(s["seq"], s["digest"], s["hash"], s["count"]) for s in listed] == [
        (s.seq, s.after["digest"], s.hash, 1) for s in seals]
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("audit_seals_download", args=["csv"])).content.decode())))
    assert [(int(r["seq"]), r["digest"]) for r in rows] == [(s.seq, s.after["digest"]) for s in seals]
    assert client.get("/publik/segel-jejak-audit.xml").status_code == 404


def test_monthly_report_lists_the_seals_of_its_month():
    seals = _sealed(1)
    today = timezone.localdate()
    html = render_monthly_report(MonthlyReport(org_unit=None, year=today.year, month=today.month))
    assert seals[0].after["digest"] in html and seals[0].hash in html
    earlier = MonthlyReport(org_unit=None, year=today.year - 1, month=today.month)
    assert seals[0].after["digest"] not in render_monthly_report(earlier)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_verify_against_a_saved_list_passes_and_then_names_a_missing_seal(client, tmp_path, capsys, fmt):
    seals = _sealed(2)
    saved = _saved_list(client, fmt, tmp_path / f"segel.{fmt}")
    call_command("verify_audit", against=str(saved))
    assert "2 segel cocok" in capsys.readouterr().out
    # A database superuser removes the newest seal and winds the seal stream's head back: the database alone
    # now looks whole, the saved list does not.
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [seals[1].pk])
    AuditStreamHead.objects.filter(stream=SEAL_STREAM).update(seq=seals[0].seq, hash=seals[0].hash)
    call_command("verify_audit")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", against=str(saved))
    assert exit_info.value.code == 1
    assert f"seal #{seals[1].seq} is missing" in capsys.readouterr().err


def test_verify_against_names_a_seal_whose_digest_differs(client, tmp_path, capsys):
    seals = _sealed(2)
    saved = _saved_list(client, "json", tmp_path / "segel.json")
    data = json.loads(saved.read_text())
    data["seals"][0]["digest"] = "0" * 64
    saved.write_text(json.dumps(data))
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--against", str(saved))
    err = capsys.readouterr().err
    assert f"seal #{seals[0].seq}: digest" in err and f"seal #{seals[1].seq}" not in err


def test_audit_seal_command_seals_once(capsys):
    with transaction.atomic():
        audit_record(actor=None, action="unit.rename", obj=OrgUnitFactory())
    call_command("audit_seal")
    call_command("audit_seal")
    out = capsys.readouterr().out
    assert "1 peristiwa" in out and "Tidak ada peristiwa baru" in out
    assert AuditEvent.objects.filter(stream=SEAL_STREAM).count() == 1
