"""Web forms of budget_requests. They only parse and pre-check input; the services validate again and write.

Amounts are whole rupiah typed as "1.500.000" or "1500000" (``AmountField``); photos are checked by content
(JPEG/PNG/WebP) and size with the same checks the services use, so a refused file is reported on the form
before anything is written.
"""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workflows.acting import local_date

from .errors import RequestError
from .models import Asset, Envelope, PaymentRoute, RepairCategory, RequestState, Urgency
from .services.common import clean_amount
from .services.requests import MAX_QUOTES
from .services.uploads import clean_photo, clean_quote_file

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHOTOS = 6


def _as_validation_error(exc: RequestError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code)


class AmountField(forms.CharField):
    """Whole rupiah: "1.500.000", "1500000" or "Rp1.500.000"; negative, zero, text and absurd sizes refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "placeholder": "1.500.000",
                                  "maxlength": "40"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 40:
            raise ValidationError(_("Nilai harus berupa bilangan bulat rupiah."), code="amount_not_numeric")
        try:
            return clean_amount(value)
        except RequestError as exc:
            raise _as_validation_error(exc)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Zero or more photos, each sniffed and size-checked."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("Paling banyak %(n)s foto sekali unggah.") % {"n": MAX_PHOTOS}, code="too_many")
        errors = []
        for f in files:
            try:
                clean_photo(f)
            except RequestError as exc:
                errors.append(ValidationError("%s: %s" % (getattr(f, "name", ""), exc.message), code=exc.code))
        if errors:
            raise ValidationError(errors)
        return list(files)


class RequestForm(forms.Form):
    """Fields of a repair request (new or revised). ``assets``/``envelopes`` are limited to the user's unit."""

    org_unit = forms.ChoiceField(label=_("Unit pemohon"))
    asset = forms.ModelChoiceField(label=_("Aset yang rusak"), queryset=Asset.objects.none(),
                                   empty_label=_("— pilih aset —"))
    category = forms.ChoiceField(label=_("Kategori perbaikan"), choices=RepairCategory.choices)
    problem = forms.CharField(label=_("Uraian kerusakan"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    amount = AmountField(label=_("Nilai perbaikan (Rp)"),
                         help_text=_("Rupiah utuh tanpa sen, mis. 1.500.000 atau 1500000."))
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices, initial=Urgency.NORMAL)
    payment_route = forms.ChoiceField(label=_("Mekanisme pembayaran"), choices=PaymentRoute.choices,
                                      initial=PaymentRoute.UP)
    envelope = forms.ModelChoiceField(label=_("Dibebankan pada pagu"), queryset=Envelope.objects.none(),
                                      empty_label=_("— pilih pagu —"))
    photos = PhotosField(label=_("Foto kerusakan (JPEG/PNG/WebP)"), required=False,
                         help_text=_("Jenis berkas diperiksa dari isinya; ukuran maksimal 5 MB per foto."))

    def __init__(self, *args, units, assets, envelopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["org_unit"].choices = [(str(u.pk), str(u)) for u in units]
        if len(units) == 1:
            self.fields["org_unit"].initial = str(units[0].pk)
            self.fields["org_unit"].widget = forms.HiddenInput()
        self.fields["asset"].queryset = assets
        self.fields["asset"].label_from_instance = lambda a: "%s — %s%s" % (
            a.tag, a.description, " (%s)" % _("aset Provinsi") if a.is_province_owned else "")
        self.fields["envelope"].queryset = envelopes
        self.fields["envelope"].label_from_instance = lambda e: "%s — %s (%s)" % (
            e.name, e.org_unit, e.account_code)

    def clean_org_unit(self):
        value = self.cleaned_data["org_unit"]
        if value not in self.units:
            raise ValidationError(_("Unit tidak valid."), code="invalid_unit")
        return self.units[value]


class QuoteForm(forms.Form):
    vendor_name = forms.CharField(label=_("Nama penyedia"), max_length=200)
    vendor_npwp = forms.CharField(label=_("NPWP"), max_length=32, required=False)
    amount = AmountField(label=_("Nilai penawaran (Rp)"))
    file = forms.FileField(label=_("Berkas penawaran (PDF/JPEG/PNG)"), required=False)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f:
            try:
                clean_quote_file(f)
            except RequestError as exc:
                raise _as_validation_error(exc)
        return f


class BaseQuoteFormSet(forms.BaseFormSet):
    require_one = True

    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled and self.require_one:
            raise ValidationError(_("Lampirkan sekurang-kurangnya satu penawaran penyedia."), code="quote_required")


QuoteFormSet = forms.formset_factory(QuoteForm, formset=BaseQuoteFormSet, extra=3, max_num=MAX_QUOTES,
                                    validate_max=True, absolute_max=MAX_QUOTES)


class OptionalQuoteFormSet(BaseQuoteFormSet):
    require_one = False


# When revising a request, new quotes are optional (the earlier ones stay).
QuoteAddFormSet = forms.formset_factory(QuoteForm, formset=OptionalQuoteFormSet, extra=1, max_num=MAX_QUOTES,
                                       validate_max=True, absolute_max=MAX_QUOTES)


class ApproveForm(forms.Form):
    justification = forms.CharField(
        label=_("Catatan keputusan"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, flagged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged = flagged
        if flagged:
            self.fields["justification"].label = _("Justifikasi persetujuan")
            self.fields["justification"].help_text = _(
                "Wajib: jelaskan mengapa permohonan bertanda merah ini tetap disetujui (mis. kerusakan berbeda).")
            self.fields["justification"].required = True
            self.fields["justification"].error_messages["required"] = _(
                "Permohonan ini bertanda merah: tuliskan justifikasi untuk menyetujuinya.")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Alasan wajib diisi.")})


class _DatedForm(forms.Form):
    issued_on = forms.DateField(label=_("Tanggal"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("issued_on", local_date())
        super().__init__(*args, **kwargs)


class SppForm(_DatedForm):
    """SPP-LS: the vendor paid directly and the taxes withheld (the service validates NPWP, account, rupiah)."""

    number = forms.CharField(label=_("Nomor SPP-LS"), max_length=64)
    payee_name = forms.CharField(label=_("Nama penyedia (penerima)"), max_length=200)
    payee_npwp = forms.CharField(label=_("NPWP penyedia"), max_length=32)
    bank_name = forms.CharField(label=_("Bank penerima"), max_length=100)
    bank_account = forms.CharField(label=_("Nomor rekening penerima"), max_length=40)
    ppn = forms.CharField(label=_("PPN dipungut (Rp)"), max_length=24, required=False)
    pph = forms.CharField(label=_("PPh dipotong (Rp)"), max_length=24, required=False)
    pph_article = forms.CharField(label=_("Pasal PPh (mis. PPh 22, PPh 23)"), max_length=32, required=False)
    contract_number = forms.CharField(label=_("Nomor kontrak/SPK"), max_length=64, required=False)
    contract_date = forms.DateField(label=_("Tanggal kontrak/SPK"), required=False, widget=DATE_WIDGET)
    evidence = forms.CharField(label=_("Bukti (kuitansi/faktur/BAST)"), max_length=200, required=False)
    field_order = ["number", "issued_on", "payee_name", "payee_npwp", "bank_name", "bank_account", "ppn", "pph",
                   "pph_article", "contract_number", "contract_date", "evidence"]


class NumberedForm(_DatedForm):
    number = forms.CharField(label=_("Nomor"), max_length=64)
    field_order = ["number", "issued_on"]

    def __init__(self, *args, number_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if number_label:
            self.fields["number"].label = number_label


class VerifyForm(_DatedForm):
    pass


class UpSpendForm(_DatedForm):
    number = forms.CharField(label=_("Nomor bukti (kuitansi/nota)"), max_length=64)
    payee_name = forms.CharField(label=_("Dibayarkan kepada"), max_length=200)
    field_order = ["number", "issued_on", "payee_name"]


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Catatan (untuk permohonan ke Provinsi: tanggapan Provinsi)"), required=False,
                           max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ListFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False,
                              choices=[("", _("Semua status")), ("open", _("Masih berjalan"))] + list(RequestState.choices))
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    q = forms.CharField(label=_("Cari"), required=False, max_length=100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit"))] + [(u.code, str(u)) for u in units]


class AssetImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV"),
                           help_text=_("Kolom: tag, kind, description, location, org_unit, owner_authority, "
                                       "technical_owner (pemisah koma atau titik koma)."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 2 * 1024 * 1024:
            raise ValidationError(_("Berkas CSV terlalu besar (maksimal 2 MB)."), code="file_too_large")
        return f
