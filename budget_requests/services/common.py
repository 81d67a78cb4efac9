"""Small helpers shared by the services: amount validation, position lookup, deadlines."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection
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
    """``resolve_position(kind, unit).pk`` without building objects (for task permissions on every step).
    One query, written out: the same filter and order as ``resolve_position``."""
    if kind in CITY_WIDE_KINDS:
        position = resolve_position(kind, unit)
        return position.pk if position else None
    codes = unit_chain_codes(unit)
    pos, org = Position._meta.db_table, OrgUnit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM {pos} p JOIN {org} o ON o.id = p.org_unit_id WHERE p.kind = %s AND p.is_active "
            f"AND o.code IN ({', '.join(['%s'] * len(codes))}) ORDER BY o.depth DESC, p.id LIMIT 1",
            [kind, *codes],
        )
        row = cursor.fetchone()
    return row[0] if row else None


_UPDATE_PLANS: dict = {}


def update_row(obj, fields: list[str]) -> None:
    """``obj.save(update_fields=fields)`` for a row known to exist (just locked), with the UPDATE statement
    built once per model and field list: a decision saves the request on every step. Values go through each
    field's ``pre_save`` (``auto_now``) and ``get_db_prep_save`` as in ``save()``; ``pre_save``/``post_save``
    are sent."""
    from django.db.models.signals import post_save, pre_save

    model = type(obj)
    meta = model._meta
    key = (model, tuple(fields), connection.vendor)
    plan = _UPDATE_PLANS.get(key)
    if plan is None:
        qn = connection.ops.quote_name
        targets = [meta.get_field(name) for name in fields]
        plan = _UPDATE_PLANS[key] = (targets, (
            f"UPDATE {qn(meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in targets)} "
            f"WHERE {qn(meta.pk.column)} = %s"))
    targets, sql = plan
    update_fields = frozenset(fields)
    pre_save.send(sender=model, instance=obj, raw=False, using=connection.alias, update_fields=update_fields)
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection=connection) for f in targets]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
        if cursor.rowcount != 1:
            raise model.DoesNotExist(f"{meta.label} {obj.pk} was not updated")
    post_save.send(sender=model, instance=obj, created=False, update_fields=update_fields, raw=False,
                   using=connection.alias)


class Rows:
    """Model instances from a hand-written ``SELECT``, for the few hot queries whose ORM compilation costs
    several times their round trip (the approval step's authority check).

    ``Rows(("a", Assignment), ("p", Position))`` selects every concrete column of each model under its alias
    (``rows.columns``; an empty alias gives bare column names, e.g. for ``UPDATE … RETURNING``); ``rows.fetch(sql, params)`` runs ``sql`` (which must select ``rows.columns`` first) and
    returns one tuple of instances per row, each value passed through the same converters Django's compiler
    applies (JSON, booleans and dates on SQLite, …), each instance built with ``Model.from_db``.
    """

    def __init__(self, *parts: tuple[str, type]):
        self.parts = parts
        self._plans: dict[str, tuple] = {}

    def _plan(self, conn):
        plan = self._plans.get(conn.vendor)
        if plan is None:
            qn = conn.ops.quote_name
            columns, models = [], []
            for alias, model in self.parts:
                fields = model._meta.concrete_fields
                converters = []
                for i, field in enumerate(fields):
                    col = field.get_col(alias or model._meta.db_table)
                    funcs = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
                    if funcs:
                        converters.append((i, funcs, col))
                columns += [f"{alias}.{qn(f.column)}" if alias else qn(f.column) for f in fields]
                models.append((model, [f.attname for f in fields], converters))
            plan = self._plans[conn.vendor] = (", ".join(columns), models)
        return plan

    @property
    def columns(self) -> str:
        return self._plan(connection)[0]

    def fetch(self, sql: str, params: list) -> list[tuple]:
        _, models = self._plan(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        out = []
        for row in rows:
            start, objs = 0, []
            for model, names, converters in models:
                values = list(row[start:start + len(names)])
                for i, funcs, col in converters:
                    for func in funcs:
                        values[i] = func(values[i], col, connection)
                objs.append(model.from_db(connection.alias, names, values))
                start += len(names)
            out.append(tuple(objs))
        return out


def step_due(start: dt.datetime, value: int, unit: str) -> dt.datetime:
    """When a step that started at ``start`` is overdue: ``value`` office hours or working days later."""
    from workflows.calendar import add_working_hours, office_hours

    if unit == "hours":
        return add_working_hours(start, value)
    return add_working_hours(start, office_hours().length * value)
