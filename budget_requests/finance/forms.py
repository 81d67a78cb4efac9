"""The dashboard filter: unit (within the user's scope), fiscal year, month range, category, state."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.acting import local_date
from workflows.formatting import BULAN

from .selectors import CATEGORY_CHOICES, STATE_CHOICES, FinanceFilter, visible_units

MONTH_CHOICES = [(i + 1, name) for i, name in enumerate(BULAN)]


class FinanceFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    year = forms.IntegerField(label=_("Tahun anggaran"), min_value=2000, max_value=2100, required=False)
    month_from = forms.TypedChoiceField(label=_("Dari bulan"), choices=MONTH_CHOICES, coerce=int, required=False)
    month_to = forms.TypedChoiceField(label=_("Sampai bulan"), choices=MONTH_CHOICES, coerce=int, required=False)
    category = forms.ChoiceField(label=_("Kategori"), required=False,
                                 choices=[("", _("Semua kategori")), *CATEGORY_CHOICES])
    state = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status")), *STATE_CHOICES])

    def __init__(self, data=None, *, user, **kwargs):
        # Always bound, with the defaults filled in, so the selects show what the figures use.
        values = {"year": str(local_date().year), "month_from": "1", "month_to": "12"}
        if data:
            values.update({k: data.get(k) for k in ("unit", "year", "month_from", "month_to", "category", "state")
                           if data.get(k) not in (None, "")})
        super().__init__(values, **kwargs)
        self.units = {u.code: u for u in visible_units(user)}
        self.fields["unit"].choices = [("", _("Semua unit dalam wewenang Anda"))] + [
            (code, ("— " if u.kind == "kelurahan" else "") + str(u)) for code, u in self.units.items()]

    def clean(self):
        data = super().clean()
        mf, mt = data.get("month_from") or 1, data.get("month_to") or 12
        if mf > mt:
            raise forms.ValidationError(_("Bulan awal tidak boleh setelah bulan akhir."))
        return data

    def to_filter(self) -> FinanceFilter:
        """The filter from the valid fields; an invalid field (e.g. a unit outside the user's scope) falls back
        to its default (the whole scope, this fiscal year, January–December)."""
        self.is_valid()
        d = self.cleaned_data
        mf, mt = d.get("month_from") or 1, d.get("month_to") or 12
        if mf > mt:
            mf, mt = 1, 12
        return FinanceFilter(
            year=d.get("year") or local_date().year, month_from=mf, month_to=mt,
            unit=self.units.get(d.get("unit") or ""), category=d.get("category") or "", state=d.get("state") or "",
        )


def filter_from_params(params, user) -> tuple[FinanceFilter, FinanceFilterForm]:
    form = FinanceFilterForm(params or None, user=user)
    return form.to_filter(), form
