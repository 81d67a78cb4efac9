"""Forms of the SIPD exchange pages (BPKAD): choosing an export batch, uploading an SP2D file, a resolution."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.models import OrgUnit, OrgUnitKind
from workflows.models.org import tree_order

from ..forms import DATE_WIDGET
from .sp2d_file import MAX_BYTES


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("SPM dari tanggal"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("SPM sampai tanggal"), required=False, widget=DATE_WIDGET)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, empty_label=_("Seluruh kota"),
                                  queryset=OrgUnit.objects.none(), to_field_name="code")
    only_new = forms.BooleanField(label=_("Hanya SPM yang belum pernah diekspor"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.KECAMATAN, OrgUnitKind.PERANGKAT_DAERAH]).order_by(*tree_order())


class Sp2dUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas SP2D dari SIPD (.xlsx atau .csv)"),
                           help_text=_("Kolom: Nomor SP2D, Tanggal SP2D, Nilai, Nomor SPM, Pihak Ketiga, NPWP, "
                                       "Potongan. Baris pertama adalah judul kolom."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."), code="file_too_large")
        return f


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Catatan penyelesaian"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Catatan penyelesaian wajib diisi.")})
