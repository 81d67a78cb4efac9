"""The benchmark harness's bookkeeping (the benchmarks themselves run in ``make bench``)."""
import importlib.util
import json
from pathlib import Path

import pytest

RUN_PY = Path(__file__).resolve().parents[2] / "bench" / "run.py"
spec = importlib.util.spec_from_file_location("bench_run", RUN_PY)
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)


def entry(name, value, **kw):
    return {"name": name, "value": value, "unit": "ms", "baseline_name": None, "baseline_value": None,
            "ratio": None, **kw}


def test_merge_replaces_same_names_and_keeps_the_others_in_place():
    old = [entry("a", 1), entry("b", 2), entry("c", 3)]
    new = [entry("b", 20), entry("d", 40)]
    assert [(e["name"], e["value"]) for e in run.merge(old, new)] == [("a", 1), ("b", 20), ("c", 3), ("d", 40)]


def test_merge_keeps_one_entry_per_name_when_a_run_repeats_a_name():
    merged = run.merge([entry("a", 1)], [entry("n", 1), entry("n", 2), entry("a", 5), entry("a", 6)])
    assert [(e["name"], e["value"]) for e in merged] == [("a", 6), ("n", 2)]


def test_normalise_fills_ratio_from_the_baseline_and_rejects_incomplete_entries():
    out = run.normalise({"name": "x", "value": 30.0, "unit": "ms", "baseline_name": "viewflow_bare_task_ms",
                         "baseline_value": 12.0}, "bench_x")
    assert out["ratio"] == 2.5
    assert list(out) == list(run.FIELDS)
    with pytest.raises(ValueError, match="lacks unit"):
        run.normalise({"name": "x", "value": 1}, "bench_x")


def test_refuses_to_drop_a_database_that_is_not_a_bench_database():
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        run.recreate_database("postgres://postgres@127.0.0.1:5432/postgres")


def test_committed_results_have_the_documented_shape():
    results = json.loads((RUN_PY.parent / "results.json").read_text())
    assert isinstance(results, list) and results
    names = [e["name"] for e in results]
    assert len(names) == len(set(names))
    for e in results:
        assert set(e) == set(run.FIELDS)
        assert isinstance(e["value"], (int, float))
    assert "viewflow_bare_task_ms" in names and "viewflow_bare_task_queries" in names


def test_every_benchmark_module_exposes_run():
    for path in sorted((RUN_PY.parent).glob("bench_*.py")):
        assert "def run(" in path.read_text(), f"{path.name} has no run()"
