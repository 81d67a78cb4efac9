"""A varied history of repair requests driven through the services, spread over several months and units, for
the tests that compare the live finance summaries with a rebuild from scratch (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

from budget_requests.services import (
    payment_sp2d_issue, payment_spm_issue, payment_spp_submit, payment_spp_verify, payment_up_spend,
    request_approve, request_cancel, request_close, request_reject, request_return, request_submit, request_update,
)
from tests.budget_requests.support import new_request
from workflows.acting import local_date

WIB = ZoneInfo("Asia/Jakarta")
VENDOR = dict(payee_name="CV Maju Jaya", payee_npwp="01.234.567.8-411.000", bank_name="Bank BJB",
              bank_account="0012345678901")


@contextmanager
def moment(when: dt.datetime):
    """Every service call inside runs as if it were ``when`` (``timezone.now`` is what they all read)."""
    with mock.patch.object(timezone, "now", return_value=when):
        yield


def months_this_year(count: int) -> list[dt.datetime]:
    """Up to ``count`` mid-month working mornings of this year, oldest first, none in the future."""
    today = local_date()
    out = []
    for month in range(1, today.month + 1):
        day = dt.date(today.year, month, 10)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        if day <= today:
            out.append(dt.datetime.combine(day, dt.time(9), tzinfo=WIB))
    return out[-count:]


def approve(obj, actor) -> None:
    # Many requests for one asset raise red flags (split purchases): approving them needs a justification.
    request_approve(request_obj=obj, actor=actor, justification="Kerusakan berbeda pada hari yang berbeda.")


def varied_history(w) -> dict[str, int]:
    """Approvals, rejections, returns and resubmissions (in a later month), cancellations (under review and
    after approval, which releases), UP spends, closes, one LS payment and a forwarding to the province, in
    two kelurahan of two kecamatan and a kecamatan office, over the months of this year so far. Returns how
    many requests took each path."""
    done: dict[str, int] = {}

    def count(path: str) -> None:
        done[path] = done.get(path, 0) + 1

    months = months_this_year(4)
    for i, when in enumerate(months):
        later = months[min(i + 1, len(months) - 1)]
        with moment(when):
            paid = new_request(w, amount=2_000_000 + i)
            approve(paid, w.lurah_babakan)
            rejected = new_request(w, amount=1_000_000, category="network")
            request_reject(request_obj=rejected, actor=w.lurah_babakan, reason="Bukan kerusakan.")
            cancelled = new_request(w, amount=1_500_000)
            approve(cancelled, w.lurah_babakan)
            request_cancel(request_obj=cancelled, actor=w.operator_babakan, reason="Sudah diperbaiki sendiri.")
            withdrawn = new_request(w, amount=700_000, category="software")
            request_cancel(request_obj=withdrawn, actor=w.operator_babakan, reason="Salah unit.")
            returned = new_request(w, amount=4_000_000)
            request_return(request_obj=returned, actor=w.lurah_babakan, reason="Lampirkan foto.")
            pb = new_request(w, amount=3_000_000 + i, unit=w.pondok_benda)
            approve(pb, w.lurah_pb)
            camat = new_request(w, amount=12_000_000, unit=w.pondok_benda, category="network")
            approve(camat, w.camat_pamulang)
            new_request(w, amount=800_000, unit=w.kec_pamulang)  # stays under review
            count("approved")
        with moment(when + dt.timedelta(days=2, hours=3)):
            payment_up_spend(request_obj=paid, actor=w.bendahara_setu, bukti_number=f"KW/{i}",
                             issued_on=local_date(), payee_name="Toko Komputer")
            request_update(request_obj=returned, actor=w.operator_babakan, amount=3_500_000, category="other")
        with moment(later + dt.timedelta(hours=2)):  # resubmitted and closed a month later (or the same day)
            request_submit(request_obj=returned, actor=w.operator_babakan)
            approve(returned, w.lurah_babakan)
            request_close(request_obj=paid, actor=w.bendahara_setu, note="SPJ selesai.")
        for path in ("paid+closed", "rejected", "cancelled_after_approval", "withdrawn", "returned+resubmitted",
                     "pondok_benda", "camat"):
            count(path)
    ls = new_request(w, amount=3_000_000, payment_route="LS")
    approve(ls, w.lurah_babakan)
    payment_spp_submit(request_obj=ls, actor=w.bendahara_setu, number="SPP-LS/1", issued_on=local_date(), **VENDOR)
    payment_spp_verify(request_obj=ls, actor=w.ppk_setu)
    payment_spm_issue(request_obj=ls, actor=w.plh_camat_setu, number="SPM-LS/1", issued_on=local_date())
    payment_sp2d_issue(request_obj=ls, actor=w.kuasa_bud, number="SP2D/1", issued_on=local_date())
    count("ls_paid")
    new_request(w, amount=2_500_000, asset=w.cctv_province)
    count("forwarded")
    return done
