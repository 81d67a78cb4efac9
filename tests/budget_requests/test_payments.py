"""Payment as Permendagri 77/2020 lays it out: LS through SPP (bendahara/PPTK) → verification (PPK-SKPD) → SPM
(PA/KPA) → SP2D (Kuasa BUD), each refusal back one document with its reason; UP spent from the bendahara's
cash with its evidence. The flow and the FSM end together, and the ledger turns the commitment into spending
exactly once."""
import pytest

from budget_requests.flows import RepairFlow
from budget_requests.models import Envelope, LedgerEntry, PaymentDocument, RequestState
from budget_requests.pdf import payment_request
from budget_requests.services import (
    RequestError, payment_sp2d_issue, payment_sp2d_refuse, payment_spm_issue, payment_spm_refuse,
    payment_spp_refuse, payment_spp_submit, payment_spp_verify, payment_up_spend, request_approve, request_cancel,
)
from tests.budget_requests.support import new_request
from tests.budget_requests.test_flow import assert_ended, fresh, open_human
from workflows.acting import local_date
from workflows.models import AuditEvent, Position
from workflows.policy import Denied

pytestmark = pytest.mark.django_db
S = RequestState
VENDOR = dict(payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
              bank_account="0012345678901")


def _approved(w, *, route="LS", amount=3_000_000):
    r = new_request(w, amount=amount, payment_route=route)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    return r


def _spp(w, r, n="1"):
    payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number=f"SPP-LS/{n}", issued_on=local_date(),
                       ppn=270_270, pph=40_540, pph_article="PPh 22", **VENDOR)


def _addressed_to(r, code):
    return open_human(r).owner_permission == Position.objects.get(code=code).permission_name


def test_ls_walks_every_refusal_back_and_pays_once(repair_world):
    w = repair_world
    r = _approved(w)
    today = local_date()
    assert open_human(r).flow_task == RepairFlow.spp and _addressed_to(r, "bendahara-kec-setu")
    _spp(w, r)
    assert (fresh(r).state, open_human(r).flow_task) == (S.SPP_SUBMITTED, RepairFlow.verify)
    assert _addressed_to(r, "ppk-skpd-kec-setu")
    payment_spp_refuse(request_obj=r, actor=w.ppk_setu, reason="Faktur pajak belum dilampirkan.")
    assert (fresh(r).state, open_human(r).flow_task) == (S.APPROVED, RepairFlow.spp)
    assert fresh(r).status_note == "Faktur pajak belum dilampirkan."
    _spp(w, r, "2")
    payment_spp_verify(request_obj=r, actor=w.ppk_setu)
    assert (fresh(r).state, open_human(r).flow_task) == (S.SPP_VERIFIED, RepairFlow.spm)
    assert _addressed_to(r, "camat-kec-setu")  # the PA of the kecamatan's DPA
    payment_spm_refuse(request_obj=r, actor=w.plh_camat_setu, reason="Kode rekening salah.")
    assert (fresh(r).state, open_human(r).flow_task) == (S.APPROVED, RepairFlow.spp)
    _spp(w, r, "3")
    payment_spp_verify(request_obj=r, actor=w.ppk_setu)
    payment_spm_issue(request_obj=r, actor=w.plh_camat_setu, number="SPM-LS/3", issued_on=today)
    assert (fresh(r).state, open_human(r).flow_task) == (S.SPM_ISSUED, RepairFlow.sp2d)
    assert _addressed_to(r, "kuasa-bud")
    payment_sp2d_refuse(request_obj=r, actor=w.kuasa_bud, reason="Rekening penerima tidak sesuai.")
    assert (fresh(r).state, open_human(r).flow_task) == (S.SPP_VERIFIED, RepairFlow.spm)
    assert LedgerEntry.objects.filter(request=r, kind="pay").count() == 0  # still a commitment
    payment_spm_issue(request_obj=r, actor=w.plh_camat_setu, number="SPM-LS/3b", issued_on=today)
    payment_sp2d_issue(request_obj=r, actor=w.kuasa_bud, number="SP2D/0099", issued_on=today)
    assert_ended(r, "end_paid")
    assert fresh(r).state == S.PAID

    pay = LedgerEntry.objects.get(request=r, kind="pay")
    assert (pay.spp_number, pay.spm_number, pay.sp2d_number) == ("SPP-LS/3", "SPM-LS/3b", "SP2D/0099")
    env = Envelope.objects.get(pk=w.env_setu.pk)
    assert (env.reserved, env.paid) == (0, 3_000_000)
    docs = list(PaymentDocument.objects.filter(request=r).order_by("pk"))
    assert [(d.kind, d.refused) for d in docs] == [
        ("spp", False), ("verifikasi", True), ("spp", False), ("verifikasi", False), ("spm", True), ("spp", False),
        ("verifikasi", False), ("spm", False), ("sp2d", True), ("spm", False), ("sp2d", False)]
    spm = docs[-2]
    assert (spm.signer, spm.capacity_label) == (w.plh_camat_setu, "Plh. Camat Setu")
    assert docs[0].net_amount == 3_000_000 - 270_270 - 40_540
    actions = list(AuditEvent.objects.filter(object_id=str(r.pk), action__startswith="repair_request.")
                   .values_list("action", flat=True))
    assert actions.count("repair_request.paid") == 1 and "repair_request.sp2d_refused" in actions


def test_up_is_spent_from_the_bendaharas_cash_without_an_spp(repair_world):
    w = repair_world
    r = _approved(w, route="UP")
    assert open_human(r).flow_task == RepairFlow.up_spend and _addressed_to(r, "bendahara-kec-setu")
    with pytest.raises(RequestError):  # an LS step on an UP request
        _spp(w, r)
    payment_up_spend(request_obj=r, actor=w.bendahara_setu, bukti_number="KW/77", issued_on=local_date(),
                     payee_name="Toko Komputer Setu")
    assert_ended(r, "end_paid")
    assert LedgerEntry.objects.filter(request=r, kind="pay").count() == 1
    assert [d.kind for d in PaymentDocument.objects.filter(request=r)] == ["bukti_up"]
    html = payment_request(fresh(r))
    assert "UANG PERSEDIAAN" in html and "SPP-UP" not in html and "SPP-GU" in html
    assert "Bendahara Pengeluaran Kecamatan Setu" in html and "KW/77" in html


def test_cancelling_before_the_spp_ends_cancelled_and_releases(repair_world):
    w = repair_world
    r = _approved(w)
    request_cancel(request_obj=r, actor=w.operator_babakan, reason="Diperbaiki dengan garansi.")
    assert_ended(r, "end_cancelled")
    assert Envelope.objects.get(pk=w.env_setu.pk).reserved == 0


def test_each_step_only_by_its_official_and_outsiders_learn_no_state(repair_world):
    w = repair_world
    r = _approved(w)
    for actor in (w.lurah_babakan, w.kuasa_bud, w.ppk_setu):
        with pytest.raises(Denied):
            _spp_as(actor, r)
    # Someone who acts in a later step is refused as an outsider to this one, not told the state.
    with pytest.raises(Denied):
        payment_sp2d_issue(request_obj=r, actor=w.bendahara_setu, number="X", issued_on=local_date())
    with pytest.raises(RequestError) as exc:
        payment_sp2d_issue(request_obj=r, actor=w.kuasa_bud, number="X", issued_on=local_date())
    assert exc.value.code == "wrong_state"
    # The PPTK may prepare the SPP-LS material in the bendahara's place.
    _spp_as(w.pptk_setu, r)
    assert PaymentDocument.objects.get(request=r).capacity_label == "PPTK Kecamatan Setu"


def _spp_as(actor, r):
    payment_spp_submit(request_obj=r, actor=actor, number="SPP-LS/9", issued_on=local_date(), **VENDOR)


@pytest.mark.parametrize("change, code", [
    ({"payee_npwp": "123"}, "invalid_npwp"),
    ({"bank_account": "rek-abc"}, "invalid_account"),
    ({"ppn": 2_000_000, "pph": 1_000_000}, "taxes_too_large"),
    ({"ppn": "1.5"}, "amount_not_numeric"),
])
def test_spp_refuses_bad_vendor_data_and_writes_nothing(repair_world, change, code):
    w = repair_world
    r = _approved(w)
    with pytest.raises(RequestError) as exc:
        payment_spp_submit(request_obj=r, actor=w.bendahara_setu, number="SPP-LS/1", issued_on=local_date(),
                           **{**VENDOR, **change})
    assert exc.value.code == code
    assert fresh(r).state == S.APPROVED and not PaymentDocument.objects.filter(request=r).exists()


def test_ls_document_shows_each_official_in_their_capacity(repair_world):
    w = repair_world
    r = _approved(w)
    _spp(w, r)
    payment_spp_verify(request_obj=r, actor=w.ppk_setu)
    payment_spm_issue(request_obj=r, actor=w.plh_camat_setu, number="SPM-LS/1", issued_on=local_date())
    payment_sp2d_issue(request_obj=r, actor=w.kuasa_bud, number="SP2D/1", issued_on=local_date())
    html = payment_request(fresh(r))
    assert "SPP-LS" in html and "SPP-UP" not in html
    for label in ("Bendahara Pengeluaran Kecamatan Setu", "PPK-SKPD Kecamatan Setu", "Plh. Camat Setu",
                  "Kuasa BUD"):
        assert label in html
    assert "NPWP 01.234.567.8-411.000" in html and "Rp2.689.190,00" in html  # net of PPN and PPh


def test_the_officials_of_payment_exist_in_the_seed_with_demo_people(repair_world):
    from workflows.models import Assignment, PositionKind

    for kind, codes in ((PositionKind.PPK_SKPD, ["ppk-skpd-kec-setu", "ppk-skpd-kec-pamulang", "ppk-skpd-diskominfo"]),
                        (PositionKind.KUASA_BUD, ["kuasa-bud"]), (PositionKind.PPTK, ["pptk-kec-setu"])):
        for code in codes:
            position = Position.objects.get(code=code)
            assert position.kind == kind
            assert Assignment.objects.filter(position=position, capacity="definitif").exists()


def test_step_times_name_the_payment_steps(repair_world):
    from budget_requests.selectors import request_events, step_times

    w = repair_world
    r = _approved(w)
    _spp(w, r)
    times = step_times(fresh(r), request_events(fresh(r)))
    assert (str(times[-2].label), str(times[-2].outcome)) == ("Menunggu pembayaran", "SPP-LS diajukan")
    assert "Bendahara Pengeluaran Kecamatan Setu" in times[-2].actor
    assert str(times[-1].label) == "Menunggu verifikasi PPK-SKPD" and times[-1].ended is None
