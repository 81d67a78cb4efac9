"""The monthly finance report is signed by whoever holds or acts for the office on the signing date."""
import datetime as dt

import pytest
from django.utils import timezone

from budget_requests.finance.models import MonthlyReport
from budget_requests.finance.reports import render_monthly_report, report_signer
from workflows.models import Assignment, OrgUnit, Position, User

pytestmark = pytest.mark.django_db


def _name(username):
    user = User.objects.get(username=username)
    return user.get_full_name() or user.username


def test_kecamatan_report_is_signed_by_the_plh_while_the_camat_is_away(tangsel):
    # The demo appoints the Sekcam of Setu Plh of the Camat for three days from today.
    setu = OrgUnit.objects.get(code="kec-setu")
    User.objects.filter(username="sekcam.setu").update(nip="198001012005011001")
    report = MonthlyReport.objects.create(org_unit=setu, year=2026, month=3)
    today = timezone.localdate()
    signer = report_signer(report, today)
    assert signer.title == "Plh. Camat Setu"
    assert signer.name == _name("sekcam.setu") and signer.nip == "198001012005011001"
    html = render_monthly_report(report)
    assert "PLH. CAMAT SETU," in html and _name("sekcam.setu").upper() in html
    assert "NIP. 198001012005011001" in html
    # After the Plh's three days the camat signs again, in their own name and without a prefix.
    later = report_signer(report, today + dt.timedelta(days=5))
    assert later.title == "Camat Setu" and later.name == _name("camat.setu")


def test_city_report_is_signed_by_the_head_of_bpkad(tangsel):
    report = MonthlyReport.objects.create(org_unit=None, year=2026, month=3)
    signer = report_signer(report, timezone.localdate())
    assert signer.title == "Kepala Badan Pengelolaan Keuangan dan Aset Daerah"
    assert signer.name == _name("kepala.bpkad")


def test_vacant_office_keeps_the_dotted_lines(tangsel):
    setu = OrgUnit.objects.get(code="kec-setu")
    Assignment.objects.filter(position=Position.objects.get(code="camat-kec-setu")).delete()
    report = MonthlyReport.objects.create(org_unit=setu, year=2026, month=3)
    signer = report_signer(report, timezone.localdate())
    assert signer.title == "Camat Setu" and signer.name == ""
    html = render_monthly_report(report)
    assert "CAMAT SETU," in html and "(......" in html and "data-signer-name" not in html
