"""Finance dashboard at 1,000 and at 1,000,000 repair requests (issue 10: dashboards that do not slow down).

Figures:

* ``dashboard_1k_ms`` — median response time of ``/keuangan/`` for a BPKAD officer (city-wide, whole fiscal
  year) at 1,000 requests, through the Django test client (middleware and template included).
* ``dashboard_1m_ms`` — the same page at 1,000,000 requests; its ``ratio`` is ``dashboard_1m_ms /
  dashboard_1k_ms`` (target ≤ 1.5): the page reads the summary tables, whose size depends on the units,
  months, categories, states and working-day values present, not on the number of requests.
* ``dashboard_queries_1m`` — SQL statements of that page at 1,000,000 requests, against the count at 1,000.
* ``finance_summaries_rebuild_1m_s`` — ``finance_summaries_rebuild()`` over the 1,000,000 requests (it also
  builds the summaries of the bulk-loaded rows, which bypass the services).
* ``dashboard_bench_total_s`` — wall time of this whole module (bulk load included).

The requests are spread over every kelurahan of the demo city (each with an envelope of its own and a PC), all six
repair categories and the months of the year so far, in the states and decision times of
``budget_requests.finance.testing.plan_requests``: the first thousand with ``bulk_create``, the rest through
``bench/copy_load.py`` (PostgreSQL ``COPY`` of the same rows; ``bulk_create`` would take an hour on the shared
machine). Everything runs inside one transaction that is rolled back at the end, so the rows do not stay for
the other modules.
"""
from __future__ import annotations

import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from bench.bench_finance import RUNS, _get, _median_ms, _queries

SMALL, LARGE = 1_000, 1_000_000


def _targets(world):
    """Every kelurahan of the demo city with an envelope of its own and a PC (made here through the services)."""
    from budget_requests.finance.testing import Target
    from budget_requests.models import Asset, AssetKind
    from budget_requests.services import envelope_allocate, envelope_create
    from tests.budget_requests.support import ACCOUNT, SUB_KEGIATAN
    from workflows.models import OrgUnit, OrgUnitKind

    targets = []
    for unit in OrgUnit.objects.filter(kind=OrgUnitKind.KELURAHAN, is_active=True).order_by("path"):
        envelope = envelope_create(actor=world.admin, org_unit=unit, sub_kegiatan=SUB_KEGIATAN, account_code=ACCOUNT,
                                   fiscal_year=world.year, name=f"Pemeliharaan TI {unit}")
        envelope_allocate(envelope=envelope, amount=10**13, actor=world.admin)
        asset = Asset.objects.create(tag=f"BENCH-{unit.code}", kind=AssetKind.PC, description="PC layanan",
                                     org_unit=unit, location=str(unit))
        targets.append(Target(unit, envelope, asset, world.operator_babakan))
    return targets


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def run() -> list[dict]:
    from bench.copy_load import copy_requests
    from budget_requests.finance.testing import bulk_requests
    from budget_requests.models import RepairCategory
    from budget_requests.services.summaries import finance_summaries_rebuild
    from tests.budget_requests.support import make_matrix, make_world
    from workflows.acting import local_date
    from workflows.models import User
    from workflows.seed import seed_demo

    started = time.perf_counter()
    out: dict = {}
    url, params = "/keuangan/", {"year": str(local_date().year)}
    categories = tuple(c for c, _label in RepairCategory.choices)
    with override_settings(ALLOWED_HOSTS=["localhost"]), transaction.atomic():
        seed_demo()
        world = make_world(make_matrix())
        targets = _targets(world)
        out["targets"] = len(targets)
        client = Client()
        client.force_login(User.objects.get(username="kepala.bpkad"))

        bulk_requests(SMALL, targets=targets, rules=world.matrix, seed=1, prefix="D1", categories=categories)
        finance_summaries_rebuild()
        _analyze()
        _get(client, url, params)  # warm the per-process caches (calendar, content types, templates)
        out["q1k"] = _queries(client, url, params)
        out["ms1k"] = _median_ms(client, url, params)

        t0 = time.perf_counter()
        copy_requests(LARGE - SMALL, targets=targets, rules=world.matrix, seed=2, prefix="D2", categories=categories)
        out["load_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = finance_summaries_rebuild()
        out["rebuild_s"] = time.perf_counter() - t0
        out["cells"] = result.request_cells
        _analyze()
        _get(client, url, params)
        out["q1m"] = _queries(client, url, params)
        out["ms1m"] = _median_ms(client, url, params)
        transaction.set_rollback(True)
    total_s = time.perf_counter() - started

    def entry(name, value, unit, baseline_name=None, baseline_value=None):
        return {"name": name, "value": round(value, 3), "unit": unit, "baseline_name": baseline_name,
                "baseline_value": round(baseline_value, 3) if baseline_value is not None else None, "ratio": None}

    return [
        entry("dashboard_1k_ms", out["ms1k"], f"ms (median of {RUNS}, BPKAD, city-wide year, 1,000 requests)"),
        entry("dashboard_1m_ms", out["ms1m"],
              f"ms (median of {RUNS}, BPKAD, city-wide year, 1,000,000 requests over {out['targets']} kelurahan "
              f"× 6 categories; target ratio ≤ 1.5)", "dashboard_1k_ms", out["ms1k"]),
        entry("dashboard_queries_1m", out["q1m"], "SQL statements per page (1,000,000 requests)",
              "dashboard_queries_1k", out["q1k"]),
        entry("finance_summaries_rebuild_1m_s", out["rebuild_s"],
              f"s (rebuild from scratch: 1,000,000 requests → {out['cells']} summary cells; bulk load took "
              f"{out['load_s']:.0f} s)"),
        entry("dashboard_bench_total_s", total_s, "s (whole module: seed, 1M bulk load, rebuild, measurements)"),
    ]
