"""Finance dashboard and Excel export at 100,000 repair requests (issue 5).

Figures:

* ``dashboard_queries_1k`` / ``dashboard_queries_100k`` — SQL statements of one ``/keuangan/`` page for a
  BPKAD officer (city-wide, whole fiscal year) at 1,000 and at 100,000 requests (caches warm).
* ``dashboard_100k_ms`` — median response time of that page at 100,000 requests (through the Django test
  client, middleware and template included), against the baseline ``bare_view_same_rows_ms``: a bare Django
  view in the same run that reads and renders the same number of table rows (one query, one template, the
  same rupiah filter per money cell).
* ``xlsx_export_100k_ms`` — the drill-down export of all 100,000 requests to .xlsx (write-only openpyxl),
  response fully consumed.
* ``xlsx_export_100k_peak_mb`` — the growth of the peak memory during that export: the larger of the
  process's peak RSS growth (``resource.getrusage`` ru_maxrss after − before) and the tracemalloc peak of
  a second export run (the RSS peak can hide under the peak reached while the rows were bulk-inserted).
  Target < 150 MB.

Everything runs inside one transaction that is rolled back at the end, so the 100,000 rows do not stay in
the benchmark database for the other modules.
"""
from __future__ import annotations

import re
import resource
import statistics
import time
import tracemalloc

from django.db import connection, transaction
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path

import config.urls as project_urls

SMALL, LARGE = 1_000, 100_000
RUNS = 7

BARE_TEMPLATE = Template(
    "{% load pamong %}<html><body><table>{% for r in rows %}<tr><td>{{ r.0 }}</td><td>{{ r.1 }}</td>"
    "<td>{{ r.2|rupiah }}</td><td>{{ r.3 }}</td><td>{{ r.4|rupiah }}</td><td>{{ r.5|rupiah }}</td></tr>"
    "{% endfor %}</table></body></html>"
)


def bare_view(request, n: int):
    from budget_requests.models import RepairRequest

    rows = list(RepairRequest.objects.order_by("pk").values_list("number", "state", "amount", "category", "amount",
                                                                  "amount")[:n])
    return HttpResponse(BARE_TEMPLATE.render(Context({"rows": rows})))


# This module doubles as the URLconf during the benchmark: the project's routes plus the bare baseline view.
site = project_urls.site
urlpatterns = [path("bench/bare/<int:n>/", bare_view), *project_urls.urlpatterns]


def _setup():
    from budget_requests.finance.testing import Target
    from tests.budget_requests.support import make_matrix, make_world
    from workflows.seed import seed_demo

    seed_demo()
    world = make_world(make_matrix())
    targets = [Target(world.babakan, world.env_setu, world.pc_babakan, world.operator_babakan),
               Target(world.pondok_benda, world.env_pamulang, world.pc_pb, world.operator_pb),
               Target(world.kel_setu, world.env_setu, world.pc_kel_setu, world.operator_babakan)]
    return world, targets


def _get(client, url, params=None):
    r = client.get(url, params or {}, HTTP_HOST="localhost")
    if hasattr(r, "streaming_content"):
        for _chunk in r.streaming_content:
            pass
    assert r.status_code == 200, (url, r.status_code)
    return r


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url, params)
    return len(ctx.captured_queries)


def _median_ms(client, url, params=None, runs=RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        _get(client, url, params)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _table_rows(response) -> int:
    """Body rows of the dashboard's tables (each carries a data-* attribute naming its figure)."""
    html = response.content.decode()
    return len(re.findall(r'<tr data-(?:envelope|state|bucket|route|month|flag)="', html))


def run() -> list[dict]:
    from budget_requests.finance.testing import bulk_requests
    from budget_requests.services.summaries import finance_summaries_rebuild
    from workflows.acting import local_date
    from workflows.models import User

    out: dict = {}
    year = {"year": str(local_date().year)}
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["localhost"]):
        with transaction.atomic():
            world, targets = _setup()
            client = Client()
            client.force_login(User.objects.get(username="kepala.bpkad"))
            bulk_requests(SMALL, targets=targets, rules=world.matrix, seed=1, prefix="BS")
            finance_summaries_rebuild()  # the bulk rows bypass the services that keep the summaries
            _get(client, "/keuangan/", year)  # warm caches (calendar, content types)
            out["dashboard_queries_1k"] = _queries(client, "/keuangan/", year)
            bulk_requests(LARGE - SMALL, targets=targets, rules=world.matrix, seed=2, prefix="BL")
            finance_summaries_rebuild()
            with connection.cursor() as cur:
                if connection.vendor == "postgresql":
                    cur.execute("ANALYZE")
            response = _get(client, "/keuangan/", year)
            rows = _table_rows(response)
            out["dashboard_queries_100k"] = _queries(client, "/keuangan/", year)
            out["dashboard_100k_ms"] = _median_ms(client, "/keuangan/", year)
            out["bare_ms"] = _median_ms(client, f"/bench/bare/{rows}/")
            out["rows"] = rows

            url = "/keuangan/ekspor/rincian.xlsx"
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            t0 = time.perf_counter()
            _get(client, url, year)
            out["xlsx_ms"] = (time.perf_counter() - t0) * 1000
            rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
            tracemalloc.start()
            _get(client, url, year)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            out["xlsx_peak_mb"] = max(rss_growth_mb, peak / 1024 / 1024)
            out["xlsx_rss_growth_mb"] = rss_growth_mb
            transaction.set_rollback(True)

    def entry(name, value, unit, baseline_name=None, baseline_value=None):
        ratio = round(value / baseline_value, 3) if baseline_value else None
        return {"name": name, "value": round(value, 3), "unit": unit, "baseline_name": baseline_name,
                "baseline_value": round(baseline_value, 3) if baseline_value is not None else None, "ratio": ratio}

    return [
        entry("dashboard_100k_ms", out["dashboard_100k_ms"], "ms (median of 7, BPKAD, 100k requests)",
              f"bare_view_same_rows_ms ({out['rows']} rows)", out["bare_ms"]),
        entry("dashboard_queries_1k", out["dashboard_queries_1k"], "SQL statements per page (1,000 requests)"),
        entry("dashboard_queries_100k", out["dashboard_queries_100k"], "SQL statements per page (100,000 requests)",
              "dashboard_queries_1k", out["dashboard_queries_1k"]),
        entry("xlsx_export_100k_ms", out["xlsx_ms"], "ms (100,000 rows, .xlsx write-only, streamed from disk)"),
        entry("xlsx_export_100k_peak_mb", out["xlsx_peak_mb"],
              f"MB peak growth during export (target < 150; RSS growth {out['xlsx_rss_growth_mb']:.1f} MB)"),
    ]
