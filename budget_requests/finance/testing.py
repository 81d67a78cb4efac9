"""Bulk data for finance tests and benchmarks: many repair requests with decisions, ledger rows and red flags,
written with ``bulk_create`` (fast; bypasses the services on purpose — the figures only read these rows).

Not for production data: envelope running totals are left untouched, and the finance summary tables are not
maintained row by row: call ``services.summaries.finance_summaries_rebuild()`` after loading (the harnesses do).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from workflows.acting import local_date

from ..models import (
    Decision, DecisionOutcome, LedgerEntry, LedgerKind, RedFlag, RepairRequest, RequestState,
)

S = RequestState
STATE_WEIGHTS = [
    (S.SUBMITTED, 5), (S.UNDER_REVIEW, 15), (S.RETURNED, 3), (S.APPROVED, 20), (S.PAID, 30), (S.CLOSED, 10),
    (S.REJECTED, 7), (S.CANCELLED, 5), (S.FORWARDED_TO_PROVINCE, 5),
]


@dataclass
class Target:
    unit: object
    envelope: object
    asset: object
    requester: object


@dataclass
class Planned:
    """One bulk request as planned (before any row is written)."""

    k: int
    target: Target
    number: str
    category: str
    amount: int
    state: str
    submitted: dt.datetime
    decided: dt.datetime | None
    paid: dt.datetime | None
    flagged: bool
    rule: object | None      # the DelegationRule of the final decision (None: undecided)
    outcome: str


def plan_requests(n: int, *, targets: list[Target], rules: dict, seed: int = 1, prefix: str = "BLK",
                  today: dt.date | None = None, categories: tuple[str, ...] = ("hardware",)):
    """Yield ``n`` planned requests spread over the year up to ``today`` (default: today), over the ``targets``
    and ``categories`` in turn. ``rules`` maps "lurah"/"camat"/"bpkad" to DelegationRule rows (the deciding rule
    by amount)."""
    rng = random.Random(seed)
    today = today or local_date()
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    states = [s for s, _w in STATE_WEIGHTS]
    weights = [w for _s, w in STATE_WEIGHTS]
    amounts = [750_000, 1_500_000, 3_000_000, 4_999_999, 7_500_000, 20_000_000, 60_000_000]
    for k in range(n):
        t = targets[k % len(targets)]
        state = rng.choices(states, weights)[0]
        amount = rng.choice(amounts)
        open_state = state in (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED)
        day = today - dt.timedelta(days=rng.randrange(0, 30)) if open_state else start + dt.timedelta(
            days=rng.randrange(0, span))
        submitted = dt.datetime.combine(day, dt.time(9, rng.randrange(0, 60)), tzinfo=tz)
        decided = rule = None
        if state in (S.APPROVED, S.PAID, S.CLOSED, S.REJECTED):
            decided = min(submitted + dt.timedelta(days=rng.randrange(0, 15), hours=rng.randrange(0, 6)), now)
            rule = rules["lurah" if amount <= rules["lurah"].max_single_amount else (
                "camat" if amount <= rules["camat"].max_single_amount else "bpkad")]
        yield Planned(
            k=k, target=t, number=f"{prefix}/{today.year}/{k:07d}",
            category=categories[(k // len(targets)) % len(categories)], amount=amount, state=state,
            submitted=submitted, decided=decided, paid=decided if state in (S.PAID, S.CLOSED) else None,
            flagged=(k % 97 == 0), rule=rule,
            outcome=DecisionOutcome.REJECT if state == S.REJECTED else DecisionOutcome.APPROVE)


def companion_rows(p: Planned, request_id: int) -> tuple[Decision | None, list[LedgerEntry], RedFlag | None]:
    """The final decision, ledger entries and red flag a planned request comes with (unsaved)."""
    decision = None
    if p.rule is not None:
        decision = Decision(request_id=request_id, step_index=0, outcome=p.outcome, is_final=True, amount=p.amount,
                            rule=p.rule)
    entries = []
    if p.state in (S.APPROVED, S.PAID, S.CLOSED):
        entries.append(LedgerEntry(envelope=p.target.envelope, kind=LedgerKind.RESERVE, amount=p.amount,
                                   request_id=request_id, room_after=0))
    if p.state in (S.PAID, S.CLOSED):
        entries.append(LedgerEntry(envelope=p.target.envelope, kind=LedgerKind.PAY, amount=p.amount,
                                   request_id=request_id, room_after=0, spp_number="SPP", spm_number="SPM",
                                   sp2d_number="SP2D", paid_on=p.decided.date()))
    flag = None
    if p.flagged:
        flag = RedFlag(request_id=request_id, basis="asset", basis_value=str(p.target.asset.pk), window_days=10,
                       window_start=p.submitted - dt.timedelta(days=10), window_end=p.submitted,
                       total=p.amount * 2, threshold=5_000_000, threshold_kind="approver_limit")
    return decision, entries, flag


def bulk_requests(n: int, *, targets: list[Target], rules: dict, seed: int = 1, prefix: str = "BLK",
                  today: dt.date | None = None, batch: int = 5000, categories: tuple[str, ...] = ("hardware",)) -> int:
    """Create the requests of ``plan_requests`` with ``bulk_create`` in batches. Returns the number made."""
    plan = plan_requests(n, targets=targets, rules=rules, seed=seed, prefix=prefix, today=today,
                         categories=categories)
    made = 0
    while made < n:
        chunk = [p for _i, p in zip(range(min(batch, n - made)), plan)]
        objs = [RepairRequest(
            number=p.number, org_unit=p.target.unit, asset=p.target.asset, category=p.category,
            problem="Perangkat rusak (data uji massal).", amount=p.amount, envelope=p.target.envelope,
            requester=p.target.requester, state=p.state, submitted_at=p.submitted, decided_at=p.decided,
            paid_at=p.paid, is_flagged=p.flagged) for p in chunk]
        created = RepairRequest.objects.bulk_create(objs, batch_size=1000)
        if created and created[0].pk is None:  # backends without RETURNING
            created = list(RepairRequest.objects.filter(number__in=[o.number for o in objs]).order_by("pk"))
        decisions, entries, flags = [], [], []
        for obj, p in zip(created, chunk):
            decision, ledger, flag = companion_rows(p, obj.pk)
            decisions += [decision] if decision else []
            entries += ledger
            flags += [flag] if flag else []
        Decision.objects.bulk_create(decisions, batch_size=2000)
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        RedFlag.objects.bulk_create(flags, batch_size=2000)
        made += len(chunk)
    return made
