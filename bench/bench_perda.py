"""Regulation document benchmarks:

- ``perda_pdf_100_pasal_ms``: the whole PDF path for a 100-Pasal draft in the database (snapshot from the
  database, Lampiran II HTML, WeasyPrint through ``workflows.pdf``) against the baseline of WeasyPrint
  rendering the very same HTML string directly (target ratio <= 1.3);
- ``editor_queries_10_pasal`` / ``editor_queries_300_pasal``: SQL statements of the editor page (must not grow);
- ``redline_100_pasal_ms``: comparing two 100-Pasal versions (insertions, deletions, a move, word changes)
  and rendering the redline HTML.
"""
from __future__ import annotations

import copy
import statistics
import time
import uuid

RUNS_PDF = 5
RUNS_REDLINE = 7


def _entry(name, value, unit, baseline_name=None, baseline_value=None):
    ratio = round(value / baseline_value, 3) if baseline_value else None
    return {"name": name, "value": round(value, 3), "unit": unit, "baseline_name": baseline_name,
            "baseline_value": round(baseline_value, 3) if baseline_value is not None else None, "ratio": ratio}


def _regulation(pasal: int, tag: str):
    from perda.models import Regulation
    from perda.samples import sample_fill
    from workflows.models import OrgUnit, OrgUnitKind, User

    unit, _ = OrgUnit.objects.get_or_create(code=f"bench-diskominfo", defaults={
        "name": "Dinas Komunikasi dan Informatika", "kind": OrgUnitKind.PERANGKAT_DAERAH, "path": "bench-diskominfo"})
    user, _ = User.objects.get_or_create(username="bench-perancang", defaults={"is_superuser": True, "is_staff": True})
    reg = Regulation.objects.create(kind="perda", title=f"Penyelenggaraan Kota Cerdas ({tag})", pemrakarsa=unit,
                                    drafter=user, propemperda_year=2026)
    sample_fill(regulation=reg, pasal_count=pasal, bulk=True)
    return reg, user


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_pdf() -> list[dict]:
    from weasyprint import HTML

    from perda.render.html import render_html
    from perda.render.pdf import base_url, regulation_css, regulation_pdf
    from perda.snapshot import snapshot_build
    from workflows.pdf import static_only_fetcher

    reg, _user = _regulation(100, "pdf")
    html = render_html(snapshot_build(reg), css=regulation_css())
    regulation_pdf(reg)  # warm up fonts and imports for both paths

    def baseline():
        HTML(string=html, base_url=base_url(), url_fetcher=static_only_fetcher()).write_pdf()

    # Interleaved pairs, best of N for each: the machine is shared, so the minimum is the figure least
    # disturbed by other load, and interleaving exposes both paths to the same conditions.
    ours_ms, base_ms = [], []
    for _ in range(RUNS_PDF):
        for fn, bucket in ((baseline, base_ms), (lambda: regulation_pdf(reg), ours_ms)):
            t0 = time.perf_counter()
            fn()
            bucket.append((time.perf_counter() - t0) * 1000)
    return [_entry("perda_pdf_100_pasal_ms", min(ours_ms), "ms (best of 5, 100 Pasal, database to PDF)",
                   "weasyprint_same_html_ms", min(base_ms))]


def bench_editor_queries() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    out = []
    for pasal in (10, 300):
        reg, user = _regulation(pasal, f"editor {pasal}")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = reverse("perda:editor", args=[reg.pk])
        client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        out.append(_entry(f"editor_queries_{pasal}_pasal", len(ctx.captured_queries), "SQL statements per page"))
    return out


def _mutate(snapshot: dict) -> dict:
    """A plausible next version: two Pasal inserted, one removed, words changed, a Bagian moved."""
    b = copy.deepcopy(snapshot)
    pasals = []

    def walk(nodes, parent):
        for n in nodes:
            if n["kind"] == "pasal":
                pasals.append((n, nodes))
            walk(n.get("children") or [], n)
    walk(b["body"], None)
    for i, (p, siblings) in enumerate(pasals):
        if i % 10 == 3 and p.get("text"):
            p["text"] = p["text"].replace("lebih lanjut", "lebih rinci").replace("diatur", "ditetapkan")
    p, siblings = pasals[5]
    siblings.insert(siblings.index(p), {"uid": str(uuid.uuid4()), "kind": "pasal", "heading": "",
                                        "text": "Pasal sisipan tentang interoperabilitas data.", "penjelasan": "",
                                        "role": "", "children": []})
    p, siblings = pasals[40]
    siblings.remove(p)
    for bab in b["body"]:
        if len(bab.get("children") or []) == 2 and bab["children"][0]["kind"] == "bagian":
            bab["children"].reverse()
            break
    return b


def bench_redline() -> list[dict]:
    from perda.redline import redline_html
    from perda.samples import sample_snapshot

    a = sample_snapshot(100)
    b = _mutate(a)
    ms = _median_ms(lambda: redline_html(a, b, label_a="v1", label_b="v2"), RUNS_REDLINE)
    return [_entry("redline_100_pasal_ms", ms, "ms (median, compare + HTML, 100 Pasal)")]


def run() -> list[dict]:
    return bench_pdf() + bench_editor_queries() + bench_redline()


if __name__ == "__main__":  # quick look without the harness (uses DJANGO_SETTINGS_MODULE / DATABASE_URL)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    for e in run():
        print(e)
