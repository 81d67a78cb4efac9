"""Web pages of IT-repair spending: new request form, detail page with actions, resubmission, scoping."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget_requests.models import Photo, RepairRequest, RequestState
from tests.budget_requests.support import new_request, tiny_image
from workflows.acting import local_date
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db
S = RequestState
JPEG = tiny_image("JPEG")
PDF = b"%PDF-1.4\n" + b"0" * 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BUDGET_DOCUMENTS_ON_EVENTS = False


def fresh(obj):
    return RepairRequest.objects.get(pk=obj.pk)


def form_data(w, **over):
    data = {
        "org_unit": str(w.babakan.pk), "asset": str(w.pc_babakan.pk), "category": "hardware",
        "problem": "PC pelayanan mati total.", "amount": "1.500.000", "urgency": "high", "payment_route": "UP",
        "envelope": str(w.env_setu.pk),
        "quotes-TOTAL_FORMS": "3", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "1",
        "quotes-MAX_NUM_FORMS": "10",
        "quotes-0-vendor_name": "CV Maju Jaya", "quotes-0-amount": "1500000",
        "submit": "1",
    }
    data.update(over)
    return data


def test_new_request_form_creates_and_submits(client, repair_world):
    w = repair_world
    client.force_login(w.operator_babakan)
    page = client.get(reverse("budget_requests:request_new"))
    assert page.status_code == 200
    assets = list(page.context["form"].fields["asset"].queryset)
    assert w.pc_babakan in assets and w.pc_pb not in assets  # limited to the user's unit
    data = form_data(w)
    data["photos"] = [SimpleUploadedFile("kerusakan.jpg", JPEG, content_type="image/jpeg")]
    response = client.post(reverse("budget_requests:request_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = RepairRequest.objects.get()
    assert (obj.amount, obj.state, obj.urgency) == (1_500_000, S.UNDER_REVIEW, "high")
    assert obj.quotes.count() == 1 and obj.photos.count() == 1
    assert response["Location"] == reverse("budget_requests:request_detail", args=[obj.pk])
    photo_url = reverse("budget_requests:photo_file", args=[obj.photos.get().pk])
    assert photo_url in client.get(response["Location"]).content.decode()
    served = client.get(photo_url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == JPEG
    client.force_login(w.lurah_pb)
    assert client.get(photo_url).status_code == 404


@pytest.mark.parametrize("amount,message", [
    ("-5000", "lebih besar dari nol"),
    ("0", "lebih besar dari nol"),
    ("satu juta", "bilangan bulat rupiah"),
    ("1.500.000,50", "bilangan bulat rupiah"),
    ("999999999999999", "batas wajar"),
])
def test_bad_amounts_get_indonesian_messages_and_write_nothing(client, repair_world, amount, message):
    w = repair_world
    client.force_login(w.operator_babakan)
    response = client.post(reverse("budget_requests:request_new"), form_data(w, amount=amount))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["amount"])
    assert f'value="{amount}"' in response.content.decode()  # the user's input is kept
    assert not RepairRequest.objects.exists()


def test_pdf_renamed_jpg_and_oversized_photo_are_refused(client, repair_world, settings):
    w = repair_world
    client.force_login(w.operator_babakan)
    data = form_data(w)
    data["photos"] = [SimpleUploadedFile("foto.jpg", PDF, content_type="image/jpeg")]
    response = client.post(reverse("budget_requests:request_new"), data)
    assert response.status_code == 400
    assert "isi berkas ini PDF" in " ".join(response.context["form"].errors["photos"])
    settings.BUDGET_PHOTO_MAX_BYTES = 100
    data["photos"] = [SimpleUploadedFile("besar.jpg", JPEG, content_type="image/jpeg")]
    response = client.post(reverse("budget_requests:request_new"), data)
    assert "terlalu besar" in " ".join(response.context["form"].errors["photos"])
    assert not RepairRequest.objects.exists() and not Photo.objects.exists()


def test_a_quote_is_required(client, repair_world):
    w = repair_world
    client.force_login(w.operator_babakan)
    response = client.post(reverse("budget_requests:request_new"),
                           form_data(w, **{"quotes-0-vendor_name": "", "quotes-0-amount": ""}))
    assert response.status_code == 400
    assert "sekurang-kurangnya satu penawaran" in response.content.decode()
    assert not RepairRequest.objects.exists()


def test_detail_shows_route_age_and_lurah_approves(client, repair_world):
    w = repair_world
    r = new_request(w, amount=4_500_000)
    client.force_login(w.lurah_babakan)
    page = client.get(reverse("budget_requests:request_detail", args=[r.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert {"approve", "return", "reject"} <= page.context["actions"]
    assert "Lurah Babakan" in body and "Rp4.500.000" in body and "jam kerja" in body
    assert page.context["step_times"][-1].ongoing
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "approve"]), {})
    assert response.status_code == 302
    r = fresh(r)
    assert r.state == S.APPROVED
    page = client.get(reverse("budget_requests:request_detail", args=[r.pk]))
    body = page.content.decode()
    assert "selaku Lurah Babakan" in body and 'data-entry="reserve"' in body
    assert [s.outcome for s in page.context["step_times"]][:2] == ["Diajukan", "Disetujui"]


def test_return_needs_a_reason_and_keeps_the_page(client, repair_world):
    w = repair_world
    r = new_request(w, amount=2_000_000)
    client.force_login(w.lurah_babakan)
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "return"]), {"return-reason": " "})
    assert response.status_code == 400
    assert "Alasan wajib diisi." in response.content.decode()
    assert fresh(r).state == S.UNDER_REVIEW


def test_lurah_of_another_kelurahan_gets_404_and_an_audit_event(client, repair_world):
    w = repair_world
    r = new_request(w, amount=2_000_000)
    client.force_login(w.lurah_pb)
    assert client.get(reverse("budget_requests:request_detail", args=[r.pk])).status_code == 404
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "approve"]), {})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.lurah_pb).exists()
    assert fresh(r).state == S.UNDER_REVIEW


def test_flagged_request_needs_justification_on_the_form(client, repair_world):
    w = repair_world
    for _ in range(2):
        request = new_request(w, amount=2_000_000)
        from budget_requests.services import request_approve
        request_approve(request_obj=request, actor=w.lurah_babakan)
    third = new_request(w, amount=2_000_000)
    assert fresh(third).is_flagged
    client.force_login(w.lurah_babakan)
    response = client.post(reverse("budget_requests:request_action", args=[third.pk, "approve"]),
                           {"approve-justification": ""})
    assert response.status_code == 400
    assert "justifikasi" in response.content.decode()
    response = client.post(reverse("budget_requests:request_action", args=[third.pk, "approve"]),
                           {"approve-justification": "Tiga kerusakan berbeda pada minggu yang sama."})
    assert response.status_code == 302
    assert fresh(third).state == S.APPROVED


def test_returned_request_is_edited_and_resubmitted(client, repair_world):
    w = repair_world
    from budget_requests.services import request_return

    r = new_request(w, amount=3_000_000)
    request_return(request_obj=r, actor=w.lurah_babakan, reason="Lampirkan penawaran kedua.")
    client.force_login(w.kepala_bpkad)  # sees it, but does not raise or revise a unit's requests
    assert client.get(reverse("budget_requests:request_edit", args=[r.pk])).status_code == 403
    client.force_login(w.operator_babakan)
    page = client.get(reverse("budget_requests:request_edit", args=[r.pk]))
    assert page.status_code == 200 and "Lampirkan penawaran kedua." in page.content.decode()
    data = form_data(w, amount="3.200.000", **{"quotes-TOTAL_FORMS": "1", "quotes-MIN_NUM_FORMS": "0",
                                             "quotes-0-vendor_name": "PT Sinar", "quotes-0-amount": "3.200.000"})
    response = client.post(reverse("budget_requests:request_edit", args=[r.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    r = fresh(r)
    assert (r.state, r.amount, r.revision >= 1, r.quotes.count()) == (S.UNDER_REVIEW, 3_200_000, True, 2)


def test_bendahara_records_payment(client, repair_world):
    w = repair_world
    from budget_requests.services import request_approve

    r = new_request(w, amount=1_000_000)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    client.force_login(w.bendahara_setu)
    page = client.get(reverse("budget_requests:request_detail", args=[r.pk]))
    assert "up_spend" in page.context["actions"]
    data = {"up_spend-number": "KW-001", "up_spend-payee_name": "CV Maju Jaya",
            "up_spend-issued_on": local_date().isoformat()}
    bad = client.post(reverse("budget_requests:request_action", args=[r.pk, "up_spend"]),
                      {**data, "up_spend-issued_on": (local_date() + dt.timedelta(days=3)).isoformat()})
    assert bad.status_code == 400 and "masa depan" in bad.content.decode()
    assert 'value="KW-001"' in bad.content.decode()
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "up_spend"]), data)
    assert response.status_code == 302
    assert fresh(r).state == S.PAID


def test_ls_payment_forms_go_to_the_official_of_each_step(client, repair_world):
    w = repair_world
    from budget_requests.services import request_approve

    r = new_request(w, amount=1_000_000, payment_route="LS")
    request_approve(request_obj=r, actor=w.lurah_babakan)
    url = reverse("budget_requests:request_action", args=[r.pk, "spp"])
    client.force_login(w.ppk_setu)  # not the bendahara: no SPP form, and a post is refused
    assert "spp" not in client.get(reverse("budget_requests:request_detail", args=[r.pk])).context["actions"]
    client.force_login(w.bendahara_setu)
    page = client.get(reverse("budget_requests:request_detail", args=[r.pk]))
    assert "spp" in page.context["actions"] and page.context["pays"]
    data = {"spp-number": "SPP-LS/001", "spp-issued_on": local_date().isoformat(), "spp-payee_name": "CV Maju Jaya",
            "spp-payee_npwp": "12", "spp-bank_name": "Bank BJB", "spp-bank_account": "0012345678",
            "spp-ppn": "Rp90.090", "spp-pph": "0"}
    bad = client.post(url, data)
    assert bad.status_code == 400 and "NPWP" in bad.content.decode() and 'value="SPP-LS/001"' in bad.content.decode()
    assert client.post(url, {**data, "spp-payee_npwp": "01.234.567.8-411.000"}).status_code == 302
    assert fresh(r).state == S.SPP_SUBMITTED
    client.force_login(w.ppk_setu)
    page = client.get(reverse("budget_requests:request_detail", args=[r.pk]))
    assert {"verify", "spp_refuse"} <= page.context["actions"]
    assert "Bendahara Pengeluaran Kecamatan Setu" in page.content.decode()  # who signed the SPP, in what capacity


def test_province_asset_shows_waiting_on_province(client, repair_world):
    w = repair_world
    r = new_request(w, amount=2_000_000, asset=w.cctv_province)
    assert fresh(r).state == S.FORWARDED_TO_PROVINCE
    client.force_login(w.lurah_babakan)
    body = client.get(reverse("budget_requests:request_detail", args=[r.pk])).content.decode()
    assert "data-waiting-province" in body and "Menunggu Pemerintah Provinsi Banten" in body
    body = client.get(reverse("budget_requests:request_list")).content.decode()
    assert "Menunggu Provinsi" in body


def test_list_is_scoped_and_filtered(client, repair_world):
    w = repair_world
    mine = new_request(w, amount=1_000_000)
    other = new_request(w, amount=1_000_000, unit=w.pondok_benda)
    client.force_login(w.lurah_babakan)
    page = client.get(reverse("budget_requests:request_list"))
    ids = {r.pk for r in page.context["rows"]}
    assert mine.pk in ids and other.pk not in ids
    assert "menunggu Lurah Babakan" in page.content.decode()
    page = client.get(reverse("budget_requests:request_list"), {"state": "approved"})
    assert list(page.context["rows"]) == []
    client.force_login(w.kepala_bpkad)
    ids = {r.pk for r in client.get(reverse("budget_requests:request_list")).context["rows"]}
    assert {mine.pk, other.pk} <= ids


def test_envelope_pages_are_scoped(client, repair_world):
    w = repair_world
    client.force_login(w.lurah_babakan)
    page = client.get(reverse("budget_requests:envelope_list"))
    ids = {e.pk for e in page.context["rows"]}
    assert w.env_setu.pk in ids and w.env_pamulang.pk not in ids
    assert client.get(reverse("budget_requests:envelope_detail", args=[w.env_pamulang.pk])).status_code == 404
    page = client.get(reverse("budget_requests:envelope_detail", args=[w.env_setu.pk]))
    assert page.status_code == 200 and "Rp500.000.000" in page.content.decode()


def test_asset_csv_import_is_all_or_nothing_with_row_errors(client, repair_world):
    w = repair_world
    client.force_login(w.lurah_babakan)
    assert client.get(reverse("budget_requests:asset_import")).status_code == 403
    client.force_login(w.kadis)
    csv = ("tag,kind,description,location,org_unit,owner_authority,technical_owner\n"
           "PC-NEW-1,pc,PC baru,Kantor,kel-babakan,kota,diskominfo\n"
           "PC-NEW-2,mesin,Mesin,Kantor,kel-tidak-ada,kota,\n")
    response = client.post(reverse("budget_requests:asset_import"),
                           {"file": SimpleUploadedFile("aset.csv", csv.encode(), content_type="text/csv")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Baris 3" in body and "tidak dikenal" in body and "tidak ditemukan" in body
    from budget_requests.models import Asset
    assert not Asset.objects.filter(tag="PC-NEW-1").exists()
    good = csv.splitlines()[0] + "\n" + csv.splitlines()[1] + "\n"
    response = client.post(reverse("budget_requests:asset_import"),
                           {"file": SimpleUploadedFile("aset.csv", good.encode(), content_type="text/csv")})
    assert response.status_code == 302
    assert Asset.objects.filter(tag="PC-NEW-1").exists()


def test_redflag_list_only_for_inspektorat(client, repair_world):
    w = repair_world
    client.force_login(w.lurah_babakan)
    assert client.get(reverse("budget_requests:redflag_list")).status_code == 403
    from django.contrib.auth import get_user_model
    from budget_requests.services import request_approve

    first = new_request(w, amount=2_000_000)
    request_approve(request_obj=first, actor=w.lurah_babakan)
    second = new_request(w, amount=2_000_000)
    third = new_request(w, amount=2_000_000)
    request_approve(request_obj=third, actor=w.lurah_babakan, justification="Kerusakan berbeda, dicek teknisi.")
    client.force_login(get_user_model().objects.get(username="inspektur"))
    page = client.get(reverse("budget_requests:redflag_list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "aset yang sama" in body and first.number in body and second.number in body
    assert "Kerusakan berbeda, dicek teknisi." in body


def test_flow_task_page_redirects_to_request_detail(client, repair_world):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    w = repair_world
    r = new_request(w, amount=1_000_000)
    task = Task.objects.get(process_id=fresh(r).process_id, status=STATUS.NEW, flow_task_type="HUMAN")
    client.force_login(w.lurah_babakan)
    from workflows.site import task_url
    # The inbox first offers viewflow's "assign" page; the task page itself then opens the request.
    assign_url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    client.post(assign_url, {"_continue": "1"})
    task.refresh_from_db()
    assert task.owner_id == w.lurah_babakan.pk
    response = client.get(task_url(task), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith(
        reverse("budget_requests:request_detail", args=[r.pk]))


def test_inbox_entry_says_what_the_task_is_about(client, repair_world):
    w = repair_world
    r = new_request(w, amount=4_500_000)
    from viewflow.workflow.models import Process

    brief = Process.objects.get(pk=fresh(r).process_id).flow_class.process_class.objects.get(pk=fresh(r).process_id).brief
    assert brief == f"{r.number} · TI-BBK-001 · Kelurahan Babakan · Rp4.500.000"
    client.force_login(w.lurah_babakan)
    assert f"{r.number} · TI-BBK-001 · Kelurahan Babakan" in client.get("/").content.decode()


def test_forwarded_request_is_closed_with_the_province_answer(client, repair_world):
    w = repair_world
    r = new_request(w, amount=2_000_000, asset=w.cctv_province)
    client.force_login(w.operator_babakan)
    assert "close" in client.get(reverse("budget_requests:request_detail", args=[r.pk])).context["actions"]
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "close"]), {"close-note": ""})
    assert response.status_code == 400
    assert "Catatan tanggapan Provinsi wajib diisi." in response.content.decode()
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "close"]),
                           {"close-note": "Diperbaiki Dishub Provinsi Banten, surat 12/2026."})
    assert response.status_code == 302
    assert fresh(r).state == S.CLOSED


def test_operator_cancels_a_draft_with_a_reason(client, repair_world):
    w = repair_world
    r = new_request(w, amount=2_000_000, submit=False)
    client.force_login(w.operator_babakan)
    assert {"edit", "submit", "cancel"} <= client.get(
        reverse("budget_requests:request_detail", args=[r.pk])).context["actions"]
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "cancel"]),
                           {"cancel-reason": "Salah pilih aset."})
    assert response.status_code == 302
    assert fresh(r).state == S.CANCELLED
    assert client.post(reverse("budget_requests:request_action", args=[r.pk, "bogus"])).status_code == 404


def test_plh_camat_beyond_the_share_gets_403_on_the_same_page_with_input_kept(client, repair_world):
    w = repair_world
    r = new_request(w, amount=45_000_000)  # camat decides; the Plh may only up to 20% of Rp200 juta
    client.force_login(w.plh_camat_setu)
    response = client.post(reverse("budget_requests:request_action", args=[r.pk, "approve"]),
                           {"approve-justification": "Layanan berhenti sejak kemarin."})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Plh. Camat Setu hanya boleh menyetujui sampai Rp40.000.000" in body
    assert "Layanan berhenti sejak kemarin." in body
    assert AuditEvent.objects.filter(action="repair_request.denied", actor=w.plh_camat_setu).exists()
    assert fresh(r).state == S.UNDER_REVIEW


def test_flagged_request_explains_itself_and_the_label_fits_the_request(client, repair_world):
    """The requester of a request flagged at submission is told what the flag means and what happens next; an
    unflagged request's decision form does not carry the flagged wording and "(opsional)" at once."""
    from budget_requests.services import request_approve

    w = repair_world
    plain = new_request(w, amount=2_000_000)
    client.force_login(w.lurah_babakan)
    page = client.get(reverse("budget_requests:request_detail", args=[plain.pk])).content.decode()
    assert "bertanda merah)" not in page and "Catatan keputusan" in page
    request_approve(request_obj=plain, actor=w.lurah_babakan)
    request_approve(request_obj=new_request(w, amount=2_000_000), actor=w.lurah_babakan)
    client.force_login(w.operator_babakan)
    response = client.post(reverse("budget_requests:request_new"), form_data(w, amount="2.000.000",
                                                                               **{"asset": str(w.pc_babakan.pk)}),
                           follow=True)
    body = response.content.decode()
    flagged = RepairRequest.objects.order_by("-pk").first()
    assert flagged.is_flagged
    assert "Permohonan ini bertanda merah (dugaan pemecahan paket)" in body  # the message after submitting
    assert "data-flag-guidance" in body and "Apa yang terjadi selanjutnya?" in body
    client.force_login(w.lurah_babakan)
    page = client.get(reverse("budget_requests:request_detail", args=[flagged.pk])).content.decode()
    assert "Justifikasi persetujuan" in page and "(opsional)" not in page.split('id="tindakan"')[1].split("</form>")[0]


def test_redflag_list_filters_and_sorts(client, repair_world):
    """The Inspektorat filters flags by review state and kecamatan and sorts them; amounts do not break."""
    from django.contrib.auth import get_user_model

    from budget_requests.models import RedFlag
    from budget_requests.services import request_approve

    w = repair_world
    first = new_request(w, amount=2_000_000)
    request_approve(request_obj=first, actor=w.lurah_babakan)
    new_request(w, amount=2_000_000)
    new_request(w, amount=2_000_000)
    flags = list(RedFlag.objects.order_by("pk"))
    assert len(flags) >= 1
    RedFlag.objects.filter(pk=flags[0].pk).update(reviewed_at=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    client.force_login(get_user_model().objects.get(username="inspektur"))
    url = reverse("budget_requests:redflag_list")
    unreviewed = client.get(url, {"telaah": "belum"})
    assert f'data-flag="{flags[0].pk}"' not in unreviewed.content.decode()
    reviewed = client.get(url, {"telaah": "sudah"}).content.decode()
    assert f'data-flag="{flags[0].pk}"' in reviewed
    assert 'class="br-nowrap" data-total>Rp' in reviewed
    elsewhere = client.get(url, {"unit": "kec-pamulang"}).content.decode()
    assert "data-flag=" not in elsewhere
    by_total = client.get(url, {"urut": "jumlah"})
    totals = [f.total for f in by_total.context["rows"]]
    assert totals == sorted(totals, reverse=True)
    assert client.get(url, {"urut": "unit", "unit": "kec-setu"}).status_code == 200
