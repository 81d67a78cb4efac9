"""Template filters of the shared engine: ``{% load pamong %}``.

    {{ request.amount|rupiah }}        → Rp1.500.000
    {{ request.amount|rupiah_sen }}    → Rp1.500.000,00
    {{ request.amount|terbilang }}     → satu juta lima ratus ribu rupiah
    {{ event.created_at|wib }}         → 27 November 2026 14.05 WIB
    {{ draft.enacted_on|tanggal }}     → 27 November 2026

Empty values (None, "") render as an empty string so an optional field does not break a page.
"""
from django import template

from workflows import formatting

register = template.Library()


def _empty(value) -> bool:
    return value is None or value == ""


@register.filter
def rupiah(value) -> str:
    return "" if _empty(value) else formatting.rupiah(value)


@register.filter
def rupiah_sen(value) -> str:
    return "" if _empty(value) else formatting.rupiah_sen(value)


@register.filter
def terbilang(value) -> str:
    return "" if _empty(value) else formatting.terbilang(value)


@register.filter
def wib(value) -> str:
    return "" if _empty(value) else formatting.wib(value)


@register.filter
def tanggal(value) -> str:
    return "" if _empty(value) else formatting.tanggal(value)


@register.filter
def ribuan(value) -> str:
    return "" if _empty(value) else formatting.ribuan(value)


@register.filter
def can_manage(flow, user) -> bool:
    """``{% if view.flow_class.instance|can_manage:request.user %}``: the user may cancel/manage the flow's processes."""
    try:
        return bool(flow.has_manage_permission(user))
    except AttributeError:
        return False
