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
