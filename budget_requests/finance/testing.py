"""Bulk data for finance tests and benchmarks: many repair requests with decisions, ledger rows and red flags,
written with ``bulk_create`` (fast; bypasses the services on purpose — the figures only read these rows).

Not for production data: envelope running totals are left untouched (finance figures come from the ledger).
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


def bulk_requests(n: int, *, targets: list[Target], rules: dict, seed: int = 1, prefix: str = "BLK",
                  today: dt.date | None = None, batch: int = 5000) -> int:
    """Create ``n`` requests spread over the year up to ``today`` (default: today). ``rules`` maps
    "lurah"/"camat"/"bpkad" to DelegationRule rows (the deciding rule by amount). Returns the number made."""
    rng = random.Random(seed)
    today = today or local_date()
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days, 1)
    tz = timezone.get_current_timezone()
    states = [s for s, _w in STATE_WEIGHTS]
    weights = [w for _s, w in STATE_WEIGHTS]
    made = 0
    while made < n:
        size = min(batch, n - made)
        objs, meta = [], []
        for i in range(size):
            k = made + i
            t = targets[k % len(targets)]
            state = rng.choices(states, weights)[0]
            amount = rng.choice([750_000, 1_500_000, 3_000_000, 4_999_999, 7_500_000, 20_000_000, 60_000_000])
            open_state = state in (S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED)
            day = today - dt.timedelta(days=rng.randrange(0, 30)) if open_state else start + dt.timedelta(
                days=rng.randrange(0, span))
            submitted = dt.datetime.combine(day, dt.time(9, rng.randrange(0, 60)), tzinfo=tz)
            decided = None
            if state in (S.APPROVED, S.PAID, S.CLOSED, S.REJECTED):
                decided = min(submitted + dt.timedelta(days=rng.randrange(0, 15), hours=rng.randrange(0, 6)),
                              timezone.now())
            objs.append(RepairRequest(
                number=f"{prefix}/{today.year}/{k:07d}", org_unit=t.unit, asset=t.asset, category="hardware",
                problem="Perangkat rusak (data uji massal).", amount=amount, envelope=t.envelope,
                requester=t.requester, state=state, submitted_at=submitted, decided_at=decided,
                is_flagged=(k % 97 == 0),
            ))
            meta.append((t, amount, state, decided))
        created = RepairRequest.objects.bulk_create(objs, batch_size=1000)
        if created and created[0].pk is None:  # backends without RETURNING
            created = list(RepairRequest.objects.filter(number__in=[o.number for o in objs]).order_by("pk"))
        decisions, entries, flags = [], [], []
        for obj, (t, amount, state, decided) in zip(created, meta):
            if decided is not None:
                kind = "lurah" if amount <= rules["lurah"].max_single_amount else (
                    "camat" if amount <= rules["camat"].max_single_amount else "bpkad")
                decisions.append(Decision(
                    request=obj, step_index=0, outcome=DecisionOutcome.REJECT if state == S.REJECTED
                    else DecisionOutcome.APPROVE, is_final=True, amount=amount, rule=rules[kind]))
            if state in (S.APPROVED, S.PAID, S.CLOSED):
                entries.append(LedgerEntry(envelope=t.envelope, kind=LedgerKind.RESERVE, amount=amount, request=obj,
                                           room_after=0))
            if state in (S.PAID, S.CLOSED):
                entries.append(LedgerEntry(envelope=t.envelope, kind=LedgerKind.PAY, amount=amount, request=obj,
                                           room_after=0, spp_number="SPP", spm_number="SPM", sp2d_number="SP2D",
                                           paid_on=decided.date()))
            if obj.is_flagged:
                flags.append(RedFlag(request=obj, basis="asset", basis_value=str(t.asset.pk), window_days=10,
                                     window_start=obj.submitted_at - dt.timedelta(days=10),
                                     window_end=obj.submitted_at, total=amount * 2, threshold=5_000_000,
                                     threshold_kind="approver_limit"))
        Decision.objects.bulk_create(decisions, batch_size=2000)
        LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        RedFlag.objects.bulk_create(flags, batch_size=2000)
        made += size
    return made
