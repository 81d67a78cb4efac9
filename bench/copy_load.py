"""Load a million planned repair requests fast enough to benchmark with (PostgreSQL ``COPY``).

``bulk_create`` spends about a millisecond per row in Django's model and SQL machinery on the shared 2-core
machine, which makes a million requests (with their decisions and ledger entries) more than an hour's work.
This loader writes the rows of ``budget_requests.finance.testing.plan_requests`` — the plan ``bulk_requests``
writes with the ORM — through psycopg's ``COPY … FROM STDIN``. Each table's columns start from a template row
prepared by the model's own fields from an unsaved instance (``get_db_prep_save``: defaults and ``auto_now``
values as the ORM would write them); only the planned columns change per row. Benchmark harness only: the
application never writes this way.
"""
from __future__ import annotations

import itertools
from typing import Iterable, Iterator

from django.db import connection
from django.db.models import Max
from django.utils import timezone


class Table:
    """A model's columns and a template row to write with ``COPY``."""

    def __init__(self, model, sample, *, with_id: bool = False):
        now = timezone.now()
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.model = model
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.template = []
        for f in self.fields:
            value = getattr(sample, f.attname)
            if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                value = now
            self.template.append(f.get_db_prep_save(value, connection))

    def row(self, **values) -> list:
        out = list(self.template)
        for name, value in values.items():
            out[self.index[name]] = value
        return out

    def copy(self, rows: Iterable[list]) -> int:
        from psycopg import sql

        stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.model._meta.db_table),
            sql.SQL(", ").join(sql.Identifier(f.column) for f in self.fields))
        count = 0
        connection.ensure_connection()
        with connection.connection.cursor() as cur, cur.copy(stmt) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count


def copy_requests(n: int, *, targets, rules, seed: int, prefix: str, categories) -> int:
    """Write ``plan_requests(n, …)`` with its final decisions, ledger entries and red flags. Returns ``n``."""
    from budget_requests.finance.testing import companion_rows, plan_requests
    from budget_requests.models import (
        Decision, DecisionOutcome, LedgerEntry, LedgerKind, RedFlag, RepairRequest, RequestState,
    )

    S = RequestState
    first_id = (RepairRequest.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    t0 = targets[0]
    requests = Table(RepairRequest, RepairRequest(
        pk=first_id, number="X", org_unit=t0.unit, asset=t0.asset, category="hardware",
        problem="Perangkat rusak (data uji massal).", amount=1, envelope=t0.envelope, requester=t0.requester),
        with_id=True)
    decisions = Table(Decision, Decision(request_id=first_id, step_index=0, outcome=DecisionOutcome.APPROVE,
                                         is_final=True, amount=1, rule=rules["lurah"]))
    entries = Table(LedgerEntry, LedgerEntry(envelope=t0.envelope, kind=LedgerKind.RESERVE, amount=1,
                                             request_id=first_id, room_after=0))
    plan = list(plan_requests(n, targets=targets, rules=rules, seed=seed, prefix=prefix, categories=categories))

    def request_rows() -> Iterator[list]:
        for i, p in enumerate(plan):
            t = p.target
            yield requests.row(id=first_id + i, number=p.number, org_unit_id=t.unit.pk, asset_id=t.asset.pk,
                               category=p.category, amount=p.amount, envelope_id=t.envelope.pk,
                               requester_id=t.requester.pk, state=p.state, submitted_at=p.submitted,
                               decided_at=p.decided, paid_at=p.paid, is_flagged=p.flagged)

    def decision_rows() -> Iterator[list]:
        for i, p in enumerate(plan):
            if p.rule is not None:
                yield decisions.row(request_id=first_id + i, outcome=p.outcome, amount=p.amount, rule_id=p.rule.pk)

    def entry_rows() -> Iterator[list]:
        for i, p in enumerate(plan):
            if p.state in (S.APPROVED, S.PAID, S.CLOSED):
                yield entries.row(request_id=first_id + i, envelope_id=p.target.envelope.pk,
                                  kind=LedgerKind.RESERVE, amount=p.amount)
            if p.state in (S.PAID, S.CLOSED):
                yield entries.row(request_id=first_id + i, envelope_id=p.target.envelope.pk, kind=LedgerKind.PAY,
                                  amount=p.amount, spp_number="SPP", spm_number="SPM", sp2d_number="SP2D",
                                  paid_on=p.decided.date())

    requests.copy(request_rows())
    decisions.copy(decision_rows())
    entries.copy(entry_rows())
    flags = (companion_rows(p, first_id + i)[2] for i, p in enumerate(plan) if p.flagged)
    RedFlag.objects.bulk_create(list(itertools.chain(flags)), batch_size=2000)
    return n
