"""JDIHN feed benchmarks (``/publik/jdih/jdihn.json``):

- ``jdihn_feed_500_ms``: building the feed body for 500 published regulations (a fifth of them amended, a
  tenth revoked), uncached, against the baseline of one plain query reading the same rows' columns;
- ``jdihn_feed_cached_ms``: the same request served from the cache (one aggregate query);
- ``jdihn_feed_queries_50`` / ``jdihn_feed_queries_500``: SQL statements of an uncached request (must not grow):
  the fingerprint, then the regulations with their status as EXISTS subqueries.
"""
from __future__ import annotations

import datetime as dt

from bench.bench_perda import _entry, _median_ms

RUNS = 7


def _published(count: int, tag: str) -> None:
    """``count`` enacted, published Perda with their metadata; every fifth amended, every tenth revoked."""
    from perda.models import Amendment, Formation, Regulation, Version
    from perda.states import Stage
    from workflows.models import OrgUnit, OrgUnitKind, User

    unit, _ = OrgUnit.objects.get_or_create(code="bench-jdihn", defaults={
        "name": "Dinas Komunikasi dan Informatika", "kind": OrgUnitKind.PERANGKAT_DAERAH, "path": "bench-jdihn"})
    user, _ = User.objects.get_or_create(username="bench-jdihn")
    metadata = {"teu_badan": "Tangerang Selatan (Kota)", "tempat_terbit": "Tangerang Selatan", "subjek": "UJI",
                "bahasa": "Indonesia", "bidang_hukum": "Hukum Administrasi Negara", "lokasi": "Bagian Hukum"}
    day = dt.date(2026, 1, 5)
    regs = Regulation.objects.bulk_create([
        Regulation(kind="perda", title=f"Peraturan {tag} {i}", pemrakarsa=unit, drafter=user, propemperda_year=2026,
                   number=10_000 + i, year=2026, enacted_on=day, promulgated_on=day, gazette_number=i + 1,
                   sumber=f"LD 2026 ({i + 1}) : 5 hlm.", **metadata)
        for i in range(count)])
    versions = Version.objects.bulk_create([
        Version(regulation=r, seq=1, label="diundangkan", snapshot={"format": 1}, sha256="0" * 64) for r in regs])
    for reg, version in zip(regs, versions):
        reg.enacted_version = version
    Regulation.objects.bulk_update(regs, ["enacted_version"])
    Formation.objects.bulk_create([Formation(regulation=r, stage=Stage.SELESAI) for r in regs])
    amending = [r for i, r in enumerate(regs) if i % 5 == 1]
    for base, amender in zip(regs[::5], amending):
        Regulation.objects.filter(pk=amender.pk).update(amends=base)
    Amendment.objects.bulk_create([Amendment(regulation=r, source="draf") for r in amending])
    for revoked, revoker in zip(regs[2::10], regs[3::10]):
        revoker.revokes.add(revoked)


def bench_feed() -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from perda.models import Regulation

    client = Client(HTTP_HOST="localhost")
    url = reverse("perda:jdihn_feed")
    out = []

    def uncached():
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    for count, tag in ((50, "a"), (450, "b")):
        _published(count, tag)
        if connection.vendor == "postgresql":  # fresh bulk rows: give the planner statistics, as autovacuum would
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        uncached()  # warm (content types, URL resolver)
        with CaptureQueriesContext(connection) as ctx:
            uncached()
        total = Regulation.objects.count()
        out.append(_entry(f"jdihn_feed_queries_{total}", len(ctx.captured_queries), "SQL statements per request"))
    assert len(uncached().json()) == Regulation.objects.count()
    baseline = _median_ms(lambda: list(Regulation.objects.values_list(
        "pk", "number", "year", "promulgated_on", "title", "sumber", "subjek", "teu_badan")), RUNS)
    out.append(_entry("jdihn_feed_500_ms", _median_ms(uncached, RUNS), "ms per uncached request",
                      "plain_query_same_rows_ms", baseline))
    client.get(url)
    out.append(_entry("jdihn_feed_cached_ms", _median_ms(lambda: client.get(url), RUNS), "ms per cached request"))
    return out


def run() -> list[dict]:
    return bench_feed()


if __name__ == "__main__":  # quick look without the harness (uses DJANGO_SETTINGS_MODULE / DATABASE_URL)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    for e in run():
        print(e)
