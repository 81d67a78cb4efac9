"""Baseline figures every other benchmark compares against: the cost of viewflow itself per human task."""
from bench.baseline_flow import measure_bare

PROCESSES = 200


def run() -> list[dict]:
    m = measure_bare(PROCESSES)

    def entry(name, value, unit):
        return {"name": name, "value": round(value, 3), "unit": unit,
                "baseline_name": None, "baseline_value": None, "ratio": None}

    return [
        entry("viewflow_bare_task_ms", m["median_ms"], "ms (median per task)"),
        entry("viewflow_bare_task_mean_ms", m["mean_ms"], "ms (mean per task)"),
        entry("viewflow_bare_task_p95_ms", m["p95_ms"], "ms (95th percentile per task)"),
        entry("viewflow_bare_task_queries", m["queries_per_task"], "SQL statements per task"),
    ]
