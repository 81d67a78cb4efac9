"""Small helpers shared by the services: amount validation, position lookup, deadlines."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.models import OrgUnit, Position
from workflows.policy import CITY_WIDE_KINDS

from ..money import AmountSyntaxError, parse_rupiah, rupiah
from .errors import RequestError

DEFAULT_MAX_AMOUNT = 1_000_000_000  # Rp1 miliar: far above any repair decided through this process

def max_amount() -> int:
    return int(getattr(settings, "BUDGET_REQUEST_MAX_AMOUNT", DEFAULT_MAX_AMOUNT))


def clean_amount(value, *, field: str = "amount", maximum: int | None = None) -> int:
    """A whole, positive rupiah amount no larger than the sane maximum, or ``RequestError``.

    Accepts an int, an integral Decimal, or text as ``money.parse_rupiah`` reads it ("5.000.000",
    "Rp 5.000.000,00", "Rp5.000.000,-"; ASCII digits only). Floats, fractions, booleans and text are refused.
    The one parser of amounts for the services, the forms and the API.
    """
    if isinstance(value, bool) or value is None:
        raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah."), field)
    if isinstance(value, float):
        raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah tanpa sen."), field)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah tanpa sen."), field)
        value = int(value)
    if isinstance(value, str):
        try:
            value = parse_rupiah(value)
        except AmountSyntaxError as exc:
            if exc.code == "has_cents":
                raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah tanpa sen."),
                                   field) from None
            raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah."), field) from None
    if not isinstance(value, int):
        raise RequestError("amount_not_numeric", _("Nilai harus berupa bilangan bulat rupiah."), field)
    if value <= 0:
        raise RequestError("amount_not_positive", _("Nilai harus lebih besar dari nol."), field)
    limit = max_amount() if maximum is None else maximum
    if value > limit:
        raise RequestError(
            "amount_too_large",
            _("Nilai melebihi batas wajar (Rp%(max)s).") % {"max": rupiah(limit)},
            field,
        )
    return value


def unit_chain_codes(unit: OrgUnit) -> list[str]:
    """Codes of the unit and its ancestors, nearest first (from the materialized path)."""
    return list(reversed(unit.path.split("/")))


def resolve_position(kind: str, unit: OrgUnit) -> Position | None:
    """The position of ``kind`` responsible for ``unit``: the nearest one on the unit's chain, or the
    city-wide office of that kind. One query."""
    codes = unit_chain_codes(unit)
    candidates = list(
        Position.objects.filter(kind=kind, is_active=True).select_related("org_unit").order_by("-org_unit__depth", "pk")
        if kind in CITY_WIDE_KINDS
        else Position.objects.filter(kind=kind, is_active=True, org_unit__code__in=codes)
        .select_related("org_unit").order_by("-org_unit__depth", "pk")
    )
    for position in candidates:
        if position.org_unit.code in codes:
            return position
    return candidates[0] if candidates and kind in CITY_WIDE_KINDS else None


def resolve_position_id(kind: str, unit: OrgUnit) -> int | None:
    """``resolve_position(kind, unit).pk`` without building objects (for task permissions). One query."""
    if kind in CITY_WIDE_KINDS:
        position = resolve_position(kind, unit)
        return position.pk if position else None
    return (
        Position.objects.filter(kind=kind, is_active=True, org_unit__code__in=unit_chain_codes(unit))
        .order_by("-org_unit__depth", "pk").values_list("pk", flat=True).first()
    )


def step_due(start: dt.datetime, value: int, unit: str) -> dt.datetime:
    """When a step that started at ``start`` is overdue: ``value`` office hours or working days later."""
    from workflows.calendar import add_working_hours, office_hours

    if unit == "hours":
        return add_working_hours(start, value)
    return add_working_hours(start, office_hours().length * value)
