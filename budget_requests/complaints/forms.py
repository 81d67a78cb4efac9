"""Forms of the triage page (closing with a reason, sending to a kelurahan). The repair request is raised with
the request form of ``budget_requests.forms``, prefilled from the complaint."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workflows.models import OrgUnit, OrgUnitKind

from ..models import Asset
from .services import MAX_REASON


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penutupan (dibaca pelapor)"), max_length=MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"), required=False, empty_label=_("— pilih kelurahan —"),
        queryset=OrgUnit.objects.filter(kind=OrgUnitKind.KELURAHAN, is_active=True).order_by("name"))
    asset_tag = forms.CharField(label=_("atau nomor aset"), max_length=64, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=MAX_REASON, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        tag = (data.get("asset_tag") or "").strip()
        data["asset"] = None
        if tag:
            asset = Asset.objects.filter(tag__iexact=tag, is_active=True).select_related("org_unit").first()
            if asset is None:
                raise ValidationError({"asset_tag": _("Aset %(tag)s tidak ditemukan.") % {"tag": tag}})
            data["asset"] = asset
        elif data.get("kelurahan") is None:
            raise ValidationError(_("Pilih kelurahan atau isi nomor aset."))
        return data
