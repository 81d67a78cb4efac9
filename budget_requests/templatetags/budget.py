"""Template filters of budget_requests pages: ``{% load budget %}``."""
from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FLAG_BASIS = {
    "asset": _("aset yang sama"),
    "vendor": _("penyedia yang sama"),
    "category": _("kategori perbaikan yang sama"),
    "unit": _("unit yang sama"),
}


@register.filter
def flag_basis(value: str) -> str:
    """A red flag's grouping basis in words: "asset" → "aset yang sama"."""
    return str(FLAG_BASIS.get(value, value))
