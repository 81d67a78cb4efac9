"""SIPD file exchange: the code list checked when an envelope is made, export batches of SPP-LS/SPM, reading an
SP2D file (per-row problems, nothing written), reconciliation outcomes and their actions, authority,
idempotence, and the round trip export → an SP2D file built from it → import → reconciled."""
import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from budget_requests.codelist import code_list
from budget_requests.models import Envelope, LedgerEntry, RequestState
from budget_requests.services import (
    RequestError, envelope_create, payment_spm_issue, payment_spp_submit, payment_spp_verify, request_approve,
)
from budget_requests.sipd.exports import export_csv, export_xlsx, sipd_export_create
from budget_requests.sipd.layout import EXPORT_COLUMNS
from budget_requests.sipd.models import LineStatus, Outcome, Sp2dImport, Sp2dLine, SipdExport
from budget_requests.sipd.reconcile import Sp2dFileError, sp2d_import, sp2d_line_record, sp2d_line_resolve
from budget_requests.sipd.sp2d_file import read_sp2d_file
from tests.budget_requests.sipd_support import SP2D_HEADER, sp2d_xlsx_from_export
from tests.budget_requests.support import new_request
from workflows.acting import local_date
from workflows.models import AuditEvent
from workflows.policy import Denied

pytestmark = pytest.mark.django_db
S = RequestState
VENDOR = dict(payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
              bank_account="0012345678901")
HEADER = SP2D_HEADER


@pytest.fixture(autouse=True)
def _no_documents(settings):
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def spm_issued(w, n, amount=3_000_000):
    """An LS request of Babakan with its SPP (PPN+PPh withheld), verification and SPM signed."""
    r = new_request(w, amount=amount, payment_route="LS")
    # several repairs of one PC in a few days are flagged as a possible split: the lurah justifies them
    request_approve(request_obj=r, actor=w.lurah_babakan, justification="Kerusakan berbeda tiap kali.")
    payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number=f"SPP-LS/{n}", issued_on=local_date(),
                       ppn=270_270, pph=40_540, pph_article="PPh 22", contract_number=f"SPK/{n}",
                       contract_date=local_date(), evidence=f"Faktur {n}", **VENDOR)
    payment_spp_verify(request_obj=r, actor=w.ppk_setu)
    payment_spm_issue(request_obj=r, actor=w.plh_camat_setu, number=f"SPM-LS/{n}", issued_on=local_date())
    return r


def csv_upload(rows, name="sp2d.csv"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def sp2d_file_from_export(batch):
    """What SIPD would give back: an SP2D for every SPM of the batch (xlsx)."""
    return SimpleUploadedFile("sp2d-sipd.xlsx", sp2d_xlsx_from_export(export_xlsx(batch), on=local_date()))


# --- the code list --------------------------------------------------------------------------------------------
def test_code_list_is_versioned_and_every_code_cites_a_source():
    codes = code_list()
    assert codes.version and "7.01.01.2.09.0006" in codes.sub_kegiatan and "5.1.02.03.02.0405" in codes.rekening
    assert all(codes.source_title(e.source) != e.source for e in [*codes.sub_kegiatan.values(),
                                                                   *codes.rekening.values()])


@pytest.mark.parametrize("sub, account, field, code", [
    ("", "5.1.02.03.02.0405", "sub_kegiatan", "required"),
    ("7.01.01.2.09.9999", "5.1.02.03.02.0405", "sub_kegiatan", "unknown_sub_kegiatan"),
    ("2.16.01.2.09.0006", "5.1.02.03.02.0405", "sub_kegiatan", "sub_kegiatan_not_for_unit"),
    ("7.01.01.2.09.0006", "5.1.02.99", "account_code", "unknown_account_code"),
])
def test_envelope_codes_are_validated_with_an_indonesian_message(repair_world, sub, account, field, code):
    w = repair_world
    before = Envelope.objects.count()
    with pytest.raises(RequestError) as exc:
        envelope_create(actor=w.admin, org_unit=w.kec_setu, sub_kegiatan=sub, account_code=account,
                        fiscal_year=w.year + 1, name="Uji")
    assert (exc.value.field, exc.value.code) == (field, code)
    assert Envelope.objects.count() == before


def test_envelope_records_the_code_list_version(repair_world):
    w = repair_world
    env = envelope_create(actor=w.admin, org_unit=w.diskominfo, sub_kegiatan="2.16.01.2.09.0006",
                          account_code="5.2.02.10.01.0002", fiscal_year=w.year, name="Penggantian PC")
    assert (env.sub_kegiatan, env.code_list_version) == ("2.16.01.2.09.0006", code_list().version)
    assert w.env_setu.sub_kegiatan == "7.01.01.2.09.0006"


def test_envelope_api_create_validates_codes_and_role(repair_world):
    from rest_framework.test import APIClient

    w = repair_world
    payload = {"org_unit": "kec-setu", "sub_kegiatan": "7.01.01.2.09.0006", "account_code": "5.1.02.03.02.9999",
               "fiscal_year": w.year + 1, "name": "Uji", "allocation": 1_000_000}
    client = APIClient()
    client.force_authenticate(w.kepala_bpkad)
    bad = client.post("/api/v1/envelopes/", payload, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "account_code"
    ok = client.post("/api/v1/envelopes/", {**payload, "account_code": "5.1.02.03.02.0410"}, format="json")
    assert ok.status_code == 201 and ok.json()["allocated"] == 1_000_000
    client.force_authenticate(w.operator_babakan)
    assert client.post("/api/v1/envelopes/", payload, format="json").status_code == 403


# --- export ---------------------------------------------------------------------------------------------------
def test_export_batch_has_the_sipd_fields_and_only_new_spms(repair_world):
    w = repair_world
    r1, r2 = spm_issued(w, "1"), spm_issued(w, "2")
    batch = sipd_export_create(actor=w.kuasa_bud)
    assert batch.row_count == 2 and batch.total == 6_000_000
    rows = list(csv.reader(io.StringIO(export_csv(batch).decode("utf-8-sig")), delimiter=";"))
    header, first = rows[0], dict(zip(rows[0], rows[1]))
    assert header == [str(label) for _k, label, _t in EXPORT_COLUMNS]
    assert (first["Nomor SPM"], first["Kode sub kegiatan"], first["Kode rekening"], first["NPWP"],
            first["Nomor kontrak"], first["Bukti"], first["Nilai bersih (Rp)"]) == (
        "SPM-LS/1", "7.01.01.2.09.0006", "5.1.02.03.02.0405", VENDOR["payee_npwp"], "SPK/1", "Faktur 1",
        str(3_000_000 - 270_270 - 40_540))
    assert AuditEvent.objects.filter(action="sipd.exported", object_id=str(batch.pk)).count() == 1
    with pytest.raises(RequestError) as exc:  # nothing new to export
        sipd_export_create(actor=w.kuasa_bud)
    assert exc.value.code == "empty"
    again = sipd_export_create(actor=w.kepala_bpkad, only_new=False, org_unit=w.kec_setu)
    assert again.row_count == 2
    with pytest.raises(RequestError):  # another kecamatan has no SPM
        sipd_export_create(actor=w.kepala_bpkad, only_new=False, org_unit=w.kec_pamulang)


def test_export_refused_to_other_roles_and_audited(repair_world):
    w = repair_world
    spm_issued(w, "1")
    with pytest.raises(Denied):
        sipd_export_create(actor=w.bendahara_setu)
    assert SipdExport.objects.count() == 0
    assert AuditEvent.objects.filter(action="sipd.denied").count() == 1


# --- reading the SP2D file ------------------------------------------------------------------------------------
def test_every_bad_row_is_reported_by_row_and_column():
    content = "\n".join([";".join(HEADER), "SP2D/1;01/12/2026;1.500.000;SPM/1;CV A;;",
                         ";31/02/2026;satu juta;SPM/2;;123;", "SP2D/3;01/12/2026;1000;SPM/3;;;2000"]).encode()
    result = read_sp2d_file(content, "sp2d.csv", today=dt.date(2026, 12, 6))
    got = {(p.row_number, p.column) for p in result.problems}
    assert got == {(3, "Nomor SP2D"), (3, "Tanggal SP2D"), (3, "Nilai"), (3, "NPWP"), (4, "Potongan")}
    assert "Baris 3, kolom Nilai" in str(next(p for p in result.problems if p.column == "Nilai"))


def test_a_missing_column_is_named():
    result = read_sp2d_file(b"Nomor SP2D;Tanggal SP2D;Nilai\nA;01/12/2026;1\n", "x.csv", today=dt.date(2026, 12, 6))
    assert [(p.row_number, p.column) for p in result.problems] == [(1, "Nomor SPM")]


def test_a_bad_file_changes_nothing(repair_world):
    w = repair_world
    r = spm_issued(w, "1")
    upload = csv_upload([["SP2D/1", local_date().strftime("%d/%m/%Y"), "3000000", "SPM-LS/1", "", "", ""],
                         ["SP2D/2", "kemarin", "3000000", "SPM-LS/9", "", "", ""]])
    with pytest.raises(Sp2dFileError) as exc:
        sp2d_import(file=upload, actor=w.kuasa_bud)
    assert [(p.row_number, p.column) for p in exc.value.problems] == [(3, "Tanggal SP2D")]
    assert (Sp2dImport.objects.count(), Sp2dLine.objects.count()) == (0, 0)
    r.refresh_from_db()
    assert r.state == S.SPM_ISSUED


# --- reconciliation -------------------------------------------------------------------------------------------
def test_each_outcome_and_its_action(repair_world):
    w = repair_world
    matched, different, waiting = spm_issued(w, "1"), spm_issued(w, "2"), spm_issued(w, "3")
    sipd_export_create(actor=w.kuasa_bud)
    today = local_date().strftime("%d/%m/%Y")
    upload = csv_upload([
        ["SP2D/0001", today, "3.000.000", "SPM-LS/1", "CV Maju Jaya", VENDOR["payee_npwp"], "310.810"],
        ["SP2D/0002", today, "3.100.000", "SPM-LS/2", "CV Maju Jaya", "", ""],
        ["SP2D/0003", today, "1.000.000", "SPM-LS/404", "CV Lain", "", ""],
    ])
    result = sp2d_import(file=upload, actor=w.kuasa_bud)
    lines = {line.outcome: line for line in result.imported.lines.all()}
    assert set(lines) == set(Outcome.values)
    assert lines[Outcome.MATCHED].request == matched and lines[Outcome.DIFFERENT_AMOUNT].request == different
    assert lines[Outcome.MISSING_IN_SIPD].request == waiting and lines[Outcome.MISSING_IN_PAMONG].request is None
    assert AuditEvent.objects.filter(action="sipd.sp2d_imported").count() == 1

    with pytest.raises(RequestError):  # a different amount is not recorded as paid
        sp2d_line_record(line=lines[Outcome.DIFFERENT_AMOUNT], actor=w.kuasa_bud)
    with pytest.raises(Denied):  # the Kepala BPKAD may see it, but the SP2D is the Kuasa BUD's act
        sp2d_line_record(line=lines[Outcome.MATCHED], actor=w.kepala_bpkad)
    sp2d_line_record(line=lines[Outcome.MATCHED], actor=w.kuasa_bud)
    matched.refresh_from_db()
    assert matched.state == S.PAID
    pay = LedgerEntry.objects.get(request=matched, kind="pay")
    assert (pay.spm_number, pay.sp2d_number) == ("SPM-LS/1", "SP2D/0001")
    with pytest.raises(RequestError):  # recorded once
        sp2d_line_record(line=Sp2dLine.objects.get(pk=lines[Outcome.MATCHED].pk), actor=w.kuasa_bud)

    with pytest.raises(RequestError) as exc:
        sp2d_line_resolve(line=lines[Outcome.MISSING_IN_PAMONG], actor=w.kepala_bpkad, note="  ")
    assert exc.value.field == "note"
    sp2d_line_resolve(line=lines[Outcome.MISSING_IN_PAMONG], actor=w.kepala_bpkad,
                      note="SP2D gaji, bukan belanja perbaikan.")
    with pytest.raises(Denied):
        sp2d_line_resolve(line=lines[Outcome.MISSING_IN_SIPD], actor=w.bendahara_setu, note="x")
    statuses = dict(result.imported.lines.values_list("outcome", "status"))
    assert statuses[Outcome.MATCHED] == LineStatus.RECORDED
    assert statuses[Outcome.MISSING_IN_PAMONG] == LineStatus.RESOLVED
    assert statuses[Outcome.MISSING_IN_SIPD] == LineStatus.OPEN
    assert {"sipd.sp2d_line_recorded", "sipd.sp2d_line_resolved"} <= set(
        AuditEvent.objects.values_list("action", flat=True))


def test_the_same_file_twice_doubles_nothing(repair_world):
    w = repair_world
    r = spm_issued(w, "1")
    batch = sipd_export_create(actor=w.kuasa_bud)
    first = sp2d_import(file=sp2d_file_from_export(batch), actor=w.kuasa_bud)
    second = sp2d_import(file=sp2d_file_from_export(batch), actor=w.kuasa_bud)
    assert first.created and not second.created and first.imported == second.imported
    assert Sp2dLine.objects.count() == 1
    sp2d_line_record(line=first.imported.lines.get(), actor=w.kuasa_bud)
    # a new file listing the same SP2D again: shown as already recorded, nothing paid twice
    r.refresh_from_db()
    again = sp2d_import(file=csv_upload([["SP2D/0001", local_date().strftime("%d/%m/%Y"), "3000000", "SPM-LS/1",
                                          "", "", "310810"]], name="lagi.csv"), actor=w.kuasa_bud)
    line = again.imported.lines.get()
    assert (line.outcome, line.status) == (Outcome.MATCHED, LineStatus.RECORDED)
    assert LedgerEntry.objects.filter(request=r, kind="pay").count() == 1


def test_round_trip_export_sp2d_file_import_reconciled(repair_world):
    w = repair_world
    requests = [spm_issued(w, str(i)) for i in range(1, 4)]
    batch = sipd_export_create(actor=w.kuasa_bud, date_from=local_date(), date_to=local_date())
    result = sp2d_import(file=sp2d_file_from_export(batch), actor=w.kuasa_bud)
    lines = list(result.imported.lines.order_by("row_number"))
    assert [line.outcome for line in lines] == [Outcome.MATCHED] * 3
    for line in lines:
        sp2d_line_record(line=line, actor=w.kuasa_bud)
    for r in requests:
        r.refresh_from_db()
        assert r.state == S.PAID
    assert not Sp2dLine.objects.filter(status=LineStatus.OPEN).exists()
