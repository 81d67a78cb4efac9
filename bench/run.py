#!/usr/bin/env python
"""Run Pamong's benchmarks: ``make bench`` (all) or ``python bench/run.py viewflow_baseline perda`` (some).

1. Drops and re-creates the benchmark database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/pamong_bench``; its name must contain ``bench``) and migrates it, so
   every run starts from the same empty schema.
2. Imports every ``bench/bench_*.py`` (sorted by name) and calls its ``run() -> list[dict]``; each dict is
   ``{"name", "value", "unit", "baseline_name", "baseline_value", "ratio"}`` (baseline fields may be None;
   the harness fills ``ratio = value / baseline_value`` when a module leaves it None).
3. Merges the entries into ``bench/results.json``: an entry replaces the one with the same name, entries
   of other names (from other runs) are kept. Prints the table.

A module that raises is reported and makes the run exit 1; the other modules still run and are saved.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import unquote, urlparse

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
RESULTS = BENCH_DIR / "results.json"
FIELDS = ("name", "value", "unit", "baseline_name", "baseline_value", "ratio")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pamong_bench"


def recreate_database(url: str) -> None:
    """Drop and create the benchmark database named in ``url`` (PostgreSQL or an SQLite file)."""
    parsed = urlparse(url)
    name = unquote(parsed.path.lstrip("/"))
    if parsed.scheme.startswith("sqlite"):
        path = Path("/" + name) if url.startswith("sqlite:////") else Path(name)
        if "bench" not in path.name:
            sys.exit(f"refusing to delete {path}: a benchmark database file name must contain 'bench'")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if "bench" not in name:
        sys.exit(f"refusing to drop database {name!r}: a benchmark database name must contain 'bench'")
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=parsed.hostname or None, port=parsed.port or None, user=unquote(parsed.username or "") or None,
        password=unquote(parsed.password or "") or None, dbname="postgres", autocommit=True, connect_timeout=10,
    ) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def discover(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    if selected:
        wanted = {s if s.startswith("bench_") else f"bench_{s}" for s in selected}
        unknown = wanted - set(names)
        if unknown:
            sys.exit(f"no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(names)})")
        names = [n for n in names if n in wanted]
    return names


def normalise(entry: dict, module: str) -> dict:
    missing = [f for f in ("name", "value", "unit") if entry.get(f) in (None, "")]
    if missing:
        raise ValueError(f"{module}: entry {entry!r} lacks {', '.join(missing)}")
    out = {f: entry.get(f) for f in FIELDS}
    if out["ratio"] is None and out["baseline_value"]:
        out["ratio"] = round(out["value"] / out["baseline_value"], 3)
    return out


def merge(existing: list[dict], new: list[dict]) -> list[dict]:
    """Existing entries in their order, each replaced by a new one of the same name; then the new names.
    Within one run the last entry of a name wins."""
    by_name = {e["name"]: e for e in new}
    merged = [by_name.pop(e["name"], e) for e in existing]
    return merged + list(by_name.values())


def load_results() -> list[dict]:
    if not RESULTS.exists():
        return []
    data = json.loads(RESULTS.read_text() or "[]")
    if not isinstance(data, list):
        raise SystemExit(f"{RESULTS} must hold a JSON list")
    return data


def fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return str(value)


def table(entries: list[dict]) -> str:
    header = ("name", "value", "unit", "baseline", "baseline value", "ratio")
    rows = [(e["name"], fmt(e["value"]), e["unit"], e["baseline_name"] or "-", fmt(e["baseline_value"]),
             fmt(e["ratio"])) for e in entries]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).rjust(w) if i in (1, 4, 5) else str(c).ljust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="*", help="names like viewflow_baseline (default: all)")
    parser.add_argument("--keep-db", action="store_true", help="reuse the database instead of re-creating it")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    modules = discover(args.benchmarks)

    started = time.perf_counter()
    if not args.keep_db:
        recreate_database(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"database ready in {time.perf_counter() - started:.1f} s ({os.environ['DATABASE_URL']})")

    new: list[dict] = []
    failed: list[str] = []
    for name in modules:
        t0 = time.perf_counter()
        print(f"--- {name} ...", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            entries = [normalise(e, name) for e in module.run()]
        except Exception:  # noqa: BLE001 - report, keep going with the other benchmarks
            traceback.print_exc()
            failed.append(name)
            continue
        new.extend(entries)
        print(f"    {len(entries)} figures in {time.perf_counter() - t0:.1f} s")

    results = merge(load_results(), new)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(results))
    print(f"\n{len(new)} figures from {len(modules) - len(failed)} benchmark(s) written to "
          f"{RESULTS.relative_to(REPO_ROOT)} in {time.perf_counter() - started:.1f} s")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
