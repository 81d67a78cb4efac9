"""What-if replay: decision times (working days, median and p90 with their 5–95 % interval over the runs) and
the central office's backlog, for the demo data (observed step durations) and for the documented synthetic year
(its own synthetic duration history, labelled synthetic). The current matrix (kecamatan DPAs, lurah as KPA,
camat as PA) is compared with the fully central shape (every envelope in Diskominfo's DPA). Also the time one
synthetic replay takes."""
from __future__ import annotations

import time

from django.db import transaction


def _entries(prefix: str, results, label: str) -> list[dict]:
    out = []
    for r in results:
        t = r.timing
        shape = "current" if r is results[0] else "central"
        for key, value, interval in (("median", t.median, t.median_interval), ("p90", t.p90, t.p90_interval)):
            if value is None:
                continue
            lo, hi = interval
            out.append({"name": f"whatif_{prefix}_{shape}_{key}_wd", "value": value,
                        "unit": f"working days, interval {lo}–{hi}; {label}; {r.requests} requests, "
                                f"{r.decided_locally_share:.1%} decided locally, durations {t.source}"})
        out.append({"name": f"whatif_{prefix}_{shape}_backlog_max", "value": t.backlog_max or 0,
                    "unit": f"most central dossiers waiting at a day's end; capacity {t.capacity}/working day "
                            f"({t.capacity_source}); mean wait {t.wait_mean} wd; {label}"})
    return out


def run() -> list[dict]:
    from budget_requests.finance import whatif
    from budget_requests.finance.selectors import FinanceFilter
    from workflows.acting import local_date
    from workflows.models import User
    from workflows.seed import seed_demo

    year = local_date().year
    started = time.perf_counter()
    requests = whatif.synthetic_year(year, 1)
    synthetic = whatif.compare(requests, year=year, history=whatif.synthetic_history(1), current_name="current",
                               central_name="fully_central")
    synthetic_ms = (time.perf_counter() - started) * 1000
    out = _entries("synthetic", synthetic, f"SYNTHETIC year {year}, seed 1")
    with transaction.atomic():
        seed_demo()
        from budget_requests.seed import seed_demo as seed_budget

        seed_budget()
        user = User.objects.get(username="kepala.bpkad")
        f = FinanceFilter(year=year)
        demo_requests = whatif.period_requests(user, f)
        demo = whatif.compare(demo_requests, year=year, history=whatif.observed_history(), current_name="current",
                              central_name="fully_central")
        out += _entries("demo", demo, "demo seed, observed durations")
        transaction.set_rollback(True)
    out.append({"name": "whatif_synthetic_replay_ms", "value": round(synthetic_ms, 1),
                "unit": f"ms to generate and replay {len(requests)} synthetic requests under 2 shapes, 60 runs each"})
    return out
