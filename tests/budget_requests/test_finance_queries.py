"""Query counts of the dashboard, the ageing drill-down and the exports do not grow with the number of requests.

Fast suite: 1,000 vs 10,000 requests on SQLite. Services stage (PostgreSQL): 1,000 vs 100,000.
"""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget_requests.finance.testing import Target, bulk_requests
from budget_requests.services.summaries import finance_summaries_rebuild
from workflows.models import User



def _targets(world):
    return [Target(world.babakan, world.env_setu, world.pc_babakan, world.operator_babakan),
            Target(world.pondok_benda, world.env_pamulang, world.pc_pb, world.operator_pb),
            Target(world.kel_setu, world.env_setu, world.pc_kel_setu, world.operator_babakan)]


def _pages():
    year = {"year": "2026"}
    return [
        (reverse("finance:dashboard"), year),
        (reverse("finance:drilldown"), {**year, "bucket": "10+"}),
        (reverse("finance:drilldown"), {**year, "route": "camat", "dt_lo": "4", "dt_hi": "5", "page": "2"}),
        (reverse("finance:export", args=["rincian", "csv"]), {**year, "bucket": "6-10"}),
        (reverse("finance:export", args=["pagu", "xlsx"]), year),
        ("/api/v1/finance/decision-times/", year),
        (reverse("finance:transparency"), {"tahun": "2026"}),
    ]


def _count(client, url, params, show: bool = False) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params)
        if hasattr(r, "streaming_content"):
            b"".join(r.streaming_content)
    assert r.status_code == 200, url
    if show:
        for q in ctx.captured_queries:
            print(q["sql"][:160])
    return len(ctx.captured_queries)


def _counts_at_two_sizes(client, world, small: int, large: int) -> tuple[list[int], list[int]]:
    client.force_login(User.objects.get(username="kepala.bpkad"))
    targets = _targets(world)
    bulk_requests(small, targets=targets, rules=world.matrix, seed=1, prefix="S")
    finance_summaries_rebuild()
    for url, params in _pages():  # warm the per-process caches (working-day calendar, content types)
        _count(client, url, params)
    first = [_count(client, url, params) for url, params in _pages()]
    bulk_requests(large - small, targets=targets, rules=world.matrix, seed=2, prefix="L")
    finance_summaries_rebuild()
    second = [_count(client, url, params) for url, params in _pages()]
    return first, second


@pytest.mark.django_db
def test_query_counts_constant_1k_vs_10k(client, repair_world):
    first, second = _counts_at_two_sizes(client, repair_world, 1_000, 10_000)
    assert first == second
    assert max(first) <= 45


@pytest.mark.services
@pytest.mark.django_db
def test_query_counts_constant_1k_vs_100k_postgresql(client, repair_world):
    first, second = _counts_at_two_sizes(client, repair_world, 1_000, 100_000)
    assert first == second
