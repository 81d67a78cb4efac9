"""Load a million planned repair requests fast enough to benchmark with (PostgreSQL ``COPY``).

``bulk_create`` spends about a millisecond per row in Django's SQL compiler on the shared 2-core machine, which
makes a million requests (plus their decisions and ledger entries) an hour's work. This loader writes the same
rows as ``budget_requests.finance.testing.bulk_requests`` — same plan, same unsaved model instances for the
companion rows — through psycopg's ``COPY … FROM STDIN``: each model instance's columns are prepared by its
own fields (``get_db_prep_save``), so defaults and ``auto_now`` values are what the ORM would write. Benchmark
harness only: the application never writes this way.
"""
from __future__ import annotations

import itertools
from typing import Iterable

from django.db import connection
from django.db.models import Max
from django.utils import timezone


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if not (f.primary_key and f.name == "id")]


def copy_instances(model, objs: Iterable, *, with_ids: bool = False) -> int:
    """COPY unsaved ``objs`` of ``model`` into its table (``with_ids``: their ``pk`` is set and written)."""
    from psycopg import sql

    fields = _columns(model)
    if with_ids:
        fields = [model._meta.pk, *fields]
    now = timezone.now()
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(sql.Identifier(f.column) for f in fields))
    count = 0
    connection.ensure_connection()
    with connection.connection.cursor() as cur, cur.copy(stmt) as copy:
        for obj in objs:
            row = []
            for f in fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    value = getattr(obj, f.attname) or now
                else:
                    value = getattr(obj, f.attname)
                row.append(f.get_db_prep_save(value, connection))
            copy.write_row(row)
            count += 1
    return count


def copy_requests(n: int, *, targets, rules, seed: int, prefix: str, categories) -> int:
    """Write ``plan_requests(n, …)`` with its decisions, ledger entries and red flags. Returns ``n``."""
    from budget_requests.finance.testing import companion_rows, plan_requests
    from budget_requests.models import Decision, LedgerEntry, RedFlag, RepairRequest

    first_id = (RepairRequest.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    plan = list(plan_requests(n, targets=targets, rules=rules, seed=seed, prefix=prefix, categories=categories))

    def requests():
        for i, p in enumerate(plan):
            obj = RepairRequest(
                number=p.number, org_unit=p.target.unit, asset=p.target.asset, category=p.category,
                problem="Perangkat rusak (data uji massal).", amount=p.amount, envelope=p.target.envelope,
                requester=p.target.requester, submitted_at=p.submitted, decided_at=p.decided, paid_at=p.paid,
                is_flagged=p.flagged)
            obj.__dict__["state"] = p.state  # the FSM field is protected; this is a bulk row, not a transition
            obj.pk = first_id + i
            yield obj

    copy_instances(RepairRequest, requests(), with_ids=True)
    companions = [companion_rows(p, first_id + i) for i, p in enumerate(plan)]
    copy_instances(Decision, (d for d, _e, _f in companions if d is not None))
    copy_instances(LedgerEntry, itertools.chain.from_iterable(e for _d, e, _f in companions))
    RedFlag.objects.bulk_create([f for _d, _e, f in companions if f is not None], batch_size=2000)
    return n
