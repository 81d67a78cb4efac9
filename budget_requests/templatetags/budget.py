"""Template filters of budget_requests pages: ``{% load budget %}``."""
from django import template
from django.utils.translation import gettext_lazy as _

from ..redflags import BASIS_LABELS

register = template.Library()

FLAG_BASIS = BASIS_LABELS


@register.filter
def flag_basis(value: str) -> str:
    """A red flag's grouping basis in words: "asset" → "aset yang sama"."""
    return str(FLAG_BASIS.get(value, value))


@register.filter
def route_words(route) -> str:
    """An approval route in words: "Lurah Setu → Camat Setu (di atas Rp5.000.000)".

    A later deciding step says why the request goes up to it (the amount is above the limit of the steps before
    it); a technical verification step says so.
    """
    from workflows.formatting import rupiah

    parts = []
    limit_below = None
    for step in route or []:
        title = str(step.get("position_title") or "")
        if step.get("role") == "verify":
            title = str(_("%(title)s (verifikasi teknis)") % {"title": title})
        else:
            if limit_below:
                title = str(_("%(title)s (di atas %(limit)s)") % {"title": title, "limit": rupiah(limit_below)})
            if step.get("max_single_amount"):
                limit_below = max(limit_below or 0, int(step["max_single_amount"]))
        parts.append(title)
    return " → ".join(parts)


@register.filter
def kind_label(value: str, choices: str = "position") -> str:
    """A stored code in words: ``{{ r.position_kind|kind_label }}`` → "Kepala Diskominfo",
    ``{{ r.step_kind|kind_label:"step" }}`` → "Verifikasi teknis", ``{{ r.category|kind_label:"category" }}``."""
    from workflows.models import PositionKind

    from ..models import RepairCategory, StepKind

    table = {"position": PositionKind, "step": StepKind, "category": RepairCategory}.get(choices)
    if not value or table is None:
        return value or ""
    try:
        return str(table(value).label)
    except ValueError:
        return str(value)


@register.filter
def level_label(rule: dict) -> str:
    """A matrix row's decision level in words (``levels.py``): "Camat selaku PA"."""
    from ..levels import level_of

    try:
        return str(level_of(rule.get("level"), position_kind=rule.get("position_kind", ""),
                            step_kind=rule.get("step_kind") or "approve").label)
    except KeyError:
        return str(rule.get("level") or "")
