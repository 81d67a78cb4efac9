"""The request list's query count does not grow with the number of requests (100 vs 10,000 rows)."""
import pytest
from django.urls import reverse

from budget_requests.models import RepairRequest, RequestState

pytestmark = pytest.mark.django_db


def bulk_requests(w, n: int, start: int = 0) -> None:
    states = [RequestState.DRAFT, RequestState.UNDER_REVIEW, RequestState.APPROVED, RequestState.PAID]
    RepairRequest.objects.bulk_create([
        RepairRequest(org_unit=w.babakan, asset=w.pc_babakan if i % 2 else w.printer_babakan, category="hardware",
                      problem="Rusak", amount=1_000_000 + i, envelope=w.env_setu, requester=w.operator_babakan,
                      state=states[i % len(states)], number=f"PR/{w.year}/B{i:06d}", is_flagged=i % 7 == 0)
        for i in range(start, start + n)
    ], batch_size=2000)


def count_list_queries(client, django_assert_max_num_queries, limit: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        with django_assert_max_num_queries(limit):
            response = client.get(reverse("budget_requests:request_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_request_list_queries_do_not_grow_with_rows(client, repair_world, django_assert_max_num_queries):
    w = repair_world
    bulk_requests(w, 100)
    client.force_login(w.lurah_babakan)
    small = count_list_queries(client, django_assert_max_num_queries, 30)
    bulk_requests(w, 9_900, start=100)
    assert RepairRequest.objects.count() == 10_000
    large = count_list_queries(client, django_assert_max_num_queries, small)
    assert large == small
    # the API list too
    with django_assert_max_num_queries(20):
        assert client.get("/api/v1/repair-requests/").json()["count"] == 10_000


def test_request_page_queries_do_not_grow_with_history(client, repair_world, django_assert_max_num_queries):
    from budget_requests.services import request_approve, request_return, request_submit
    from tests.budget_requests.support import new_request

    w = repair_world
    client.force_login(w.lurah_babakan)
    r = new_request(w, amount=1_000_000)
    url = reverse("budget_requests:request_detail", args=[r.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(4):  # four return/resubmit rounds: more decisions, audit events, step times
        request_return(request_obj=r, actor=w.lurah_babakan, reason="Kurang lengkap.")
        request_submit(request_obj=r, actor=w.operator_babakan)
    request_approve(request_obj=r, actor=w.lurah_babakan)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        assert client.get(url).status_code == 200
