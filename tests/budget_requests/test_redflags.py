"""Split-purchase detection: the pure core and the flag written at submission."""
import datetime as dt

import pytest

from budget_requests.models import RedFlag
from budget_requests.redflags import Purchase, find_split_purchases
from budget_requests.services import request_approve
from budget_requests.services.errors import RequestError
from tests.budget_requests.support import new_request

T0 = dt.datetime(2026, 3, 10, 9, tzinfo=dt.timezone.utc)
WINDOW = dt.timedelta(days=10)


def p(id, amount, days=0, asset=1, category="hardware", vendors=("cv maju",), unit=1):
    return Purchase(id=id, unit_id=unit, asset_id=asset, category=category, amount=amount,
                    at=T0 + dt.timedelta(days=days), vendors=frozenset(vendors))


def find(candidate, history, limit=5_000_000, procurement=200_000_000):
    return find_split_purchases(candidate, history, window=WINDOW, approver_limit=limit,
                                procurement_threshold=procurement)


def test_three_small_requests_for_one_asset_cross_the_lurah_limit():
    findings = find(p(3, 2_000_000, days=8), [p(1, 2_000_000), p(2, 2_000_000, days=4)])
    assert findings[0].basis == "asset"
    assert findings[0].related_ids == (1, 2)
    assert (findings[0].total, findings[0].threshold, findings[0].threshold_kind) == (6_000_000, 5_000_000, "approver_limit")
    # The category grouping holds the same requests: collapsed into the asset finding.
    assert len(findings) == 1


def test_two_requests_under_the_limit_are_not_flagged():
    assert find(p(2, 2_000_000, days=3), [p(1, 2_000_000)]) == []


def test_requests_outside_the_window_do_not_count():
    assert find(p(3, 2_000_000, days=11), [p(1, 2_000_000), p(2, 2_000_000, days=0.5)]) == []


def test_other_units_do_not_count():
    assert find(p(3, 2_000_000, days=2), [p(1, 2_000_000, unit=2), p(2, 2_000_000, unit=2)]) == []


def test_same_vendor_on_different_assets_is_flagged_by_vendor():
    findings = find(p(3, 3_000_000, asset=3, category="network"),
                    [p(1, 3_000_000, asset=1, category="hardware", vendors=("cv maju",))])
    assert [(f.basis, f.basis_value) for f in findings] == [("vendor", "cv maju")]


def test_procurement_threshold_across_the_whole_unit():
    findings = find(p(2, 150_000_000, asset=2, category="network", vendors=("pt b",)),
                    [p(1, 100_000_000, asset=1, category="hardware", vendors=("pt a",))], limit=None)
    assert [(f.basis, f.threshold_kind, f.threshold) for f in findings] == [("unit", "procurement", 200_000_000)]


@pytest.mark.django_db
def test_split_purchase_example_is_flagged_on_submission_and_needs_a_justification(repair_world):
    w = repair_world
    first = new_request(w, amount=2_000_000)
    second = new_request(w, amount=2_000_000)
    assert not first.is_flagged and not second.is_flagged
    third = new_request(w, amount=2_000_000)
    assert third.is_flagged
    flag = RedFlag.objects.get(request=third)
    assert flag.basis == "asset" and flag.total == 6_000_000 and flag.threshold == 5_000_000
    assert set(flag.related_requests.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert flag.window_days == 10

    # A flag does not block, but approving needs a written justification.
    with pytest.raises(RequestError) as exc:
        request_approve(request_obj=third, actor=w.lurah_babakan)
    assert exc.value.code == "justification_required"
    assert third.state == "under_review"
    request_approve(request_obj=third, actor=w.lurah_babakan, justification="Tiga kerusakan berbeda, bukan satu paket.")
    assert third.state == "approved"
    assert third.decisions.get().justification.startswith("Tiga kerusakan")


@pytest.mark.django_db
def test_resubmitting_a_flagged_request_does_not_duplicate_its_flag(repair_world):
    from budget_requests.services import request_return, request_submit

    w = repair_world
    new_request(w, amount=2_000_000)
    new_request(w, amount=2_000_000)
    third = new_request(w, amount=2_000_000)
    request_return(request_obj=third, actor=w.lurah_babakan, reason="Gabungkan dengan permohonan sebelumnya?")
    request_submit(request_obj=third, actor=w.operator_babakan)
    assert RedFlag.objects.filter(request=third).count() == 1
    assert third.is_flagged
