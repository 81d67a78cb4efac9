"""Staff pages of the formation process: the list of drafts with stage and deadline, and a draft's formation
page (timeline, deadlines, records, versions, consultations, and the actions the user may take now)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from workflows.policy import Denied
from workflows.uploads import PendingUploads

from .. import policy, selectors
from ..models import Formation, Regulation, StageRecord
from ..metadata import head_title, missing_metadata
from ..services import enactment, jdih
from ..services import formation as svc
from ..states import RECORD_DOCUMENT, RECORDABLE, Outcome, Stage

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AttachmentCheckMixin:
    """Refuse a bad attachment on its own field, so the form shown again names it and does not keep it."""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        try:
            svc.attachment_validate(upload)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages, code=getattr(exc, "code", None)) from None
        return upload


class RecordForm(AttachmentCheckMixin, forms.Form):
    outcome = forms.ChoiceField(label=_l("Hasil"))
    received_on = forms.DateField(label=_l("Tanggal dokumen diterima"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_l("Nomor dokumen"), required=False, max_length=200)
    attachment = forms.FileField(label=_l("Lampiran (PDF/JPG/PNG)"), required=False)
    note = forms.CharField(label=_l("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, formation: Formation, **kwargs):
        super().__init__(*args, **kwargs)
        stage = formation.stage
        outcomes = list(RECORDABLE.get(stage, ()))
        if stage == Stage.NOREG:  # first the sending, then the number
            outcomes = [Outcome.DIKIRIM] if formation.noreg_sent_on is None else [Outcome.DITERBITKAN]
        self.fields["outcome"].choices = [(o, Outcome(o).label) for o in outcomes]
        if stage in RECORD_DOCUMENT:
            self.fields["document_number"].help_text = RECORD_DOCUMENT[stage]


class DateForm(forms.Form):
    on = forms.DateField(label=_l("Tanggal"), widget=DATE_WIDGET)


class EnactForm(DateForm):
    """Penetapan: the Wali Kota confirms the text shown (its digest travels with the form, so a text changed
    after it was shown is not signed unseen)."""

    on = forms.DateField(label=_l("Tanggal penetapan"), widget=DATE_WIDGET)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(label=_l("Saya telah membaca naskah di atas dan menetapkannya."),
                                 error_messages={"required": _l("Centang pernyataan bahwa Anda telah membaca naskah.")})


class PromulgateForm(forms.Form):
    on = forms.DateField(label=_l("Tanggal diundangkan"), widget=DATE_WIDGET)
    number = forms.IntegerField(label=_l("Nomor peraturan"), required=False, min_value=1,
                                help_text=_l("Kosongkan untuk nomor berikutnya."))
    gazette_number = forms.IntegerField(label=_l("Nomor Lembaran/Berita Daerah"), required=False, min_value=1,
                                        help_text=_l("Kosongkan untuk nomor berikutnya."))


class MetadataForm(forms.Form):
    """The JDIH metadata of Permenkumham 8/2019 that Bagian Hukum confirms before publication."""

    teu_badan = forms.CharField(label=_l("T.E.U. badan"), max_length=200, required=False,
                                help_text=_l("Tajuk entri utama, mis. \"Tangerang Selatan (Kota)\"."))
    tempat_terbit = forms.CharField(label=_l("Tempat penetapan (tempat terbit)"), max_length=120, required=False)
    penerbit = forms.CharField(label=_l("Penerbit"), max_length=200, required=False)
    sumber = forms.CharField(label=_l("Sumber"), max_length=200, required=False,
                             help_text=_l("Mis. \"LD 2026 (12) : 10 hlm.\" (Lembaran/Berita Daerah, tahun, nomor, "
                                          "jumlah halaman)."))
    subjek = forms.CharField(label=_l("Subjek"), max_length=300, required=False,
                             help_text=_l("Kata kunci isi peraturan, huruf kapital, dipisah tanda hubung."))
    bahasa = forms.CharField(label=_l("Bahasa"), max_length=60, required=False)
    bidang_hukum = forms.CharField(label=_l("Bidang hukum"), max_length=120, required=False,
                                   help_text=_l("Mis. \"Hukum Administrasi Negara\"."))
    lokasi = forms.CharField(label=_l("Lokasi"), max_length=200, required=False,
                             help_text=_l("Unit yang menyimpan dokumen aslinya."))
    abstrak = forms.CharField(label=_l("Abstrak"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    revokes = forms.ModelMultipleChoiceField(
        label=_l("Mencabut"), queryset=Regulation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("Peraturan yang dicabut dan dinyatakan tidak berlaku oleh peraturan ini."),
    )

    def __init__(self, *args, regulation: Regulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revokes"].queryset = (
            Regulation.objects.filter(number__isnull=False, promulgated_on__isnull=False)
            .exclude(pk=regulation.pk).order_by("-year", "-number"))
        self.fields["revokes"].label_from_instance = lambda r: f"{r.kind_label} {r.number}/{r.year} — {r.title}"


def _metadata_form(regulation: Regulation) -> MetadataForm:
    from ..metadata import metadata_suggestions

    initial = {**metadata_suggestions(regulation), "revokes": list(regulation.revokes.values_list("pk", flat=True))}
    return MetadataForm(regulation=regulation, initial=initial)


class WithdrawForm(AttachmentCheckMixin, forms.Form):
    reason = forms.CharField(label=_l("Alasan penarikan"), widget=forms.Textarea(attrs={"rows": 2}))
    agreement = forms.CharField(label=_l("Nomor persetujuan bersama penarikan"), required=False, max_length=200,
                                help_text=_l("Wajib setelah pembahasan tingkat I dimulai."))
    attachment = forms.FileField(label=_l("Lampiran (PDF/JPG/PNG)"), required=False)


class ConsultationForm(forms.Form):
    version = forms.ModelChoiceField(label=_l("Versi"), queryset=None, empty_label=None)
    opens_on = forms.DateField(label=_l("Dibuka"), widget=DATE_WIDGET)
    closes_on = forms.DateField(label=_l("Ditutup"), widget=DATE_WIDGET)
    note = forms.CharField(label=_l("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, regulation: Regulation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.versions_of(regulation)
        self.fields["version"].label_from_instance = lambda v: f"v{v.seq} — {v.label}"


def _today_initial() -> dict:
    return {"on": timezone.localdate(), "received_on": timezone.localdate()}


def _forbidden(request, denied: Denied, formation: Formation | None, action: str):
    svc.denied_record(actor=request.user, formation=formation, action=action, denied=denied, request=request)
    response = render(request, "perda/denied.html", {"message": denied.message}, status=403)
    return response


def formation_list(request):
    if not policy.may_view_formation(request.user):
        return _forbidden(request, Denied("no_position", _("Anda tidak memiliki jabatan yang dapat melihat halaman ini.")),
                          None, "formation.list")
    stage = request.GET.get("tahap", "aktif")
    kind = request.GET.get("jenis", "")
    q = request.GET.get("q", "").strip()
    formations = list(selectors.formation_list(stage=stage, kind=kind, q=q)[:200])
    today = timezone.localdate()
    rows = []
    rules = selectors.DeadlineRules()
    for f in formations:
        deadlines = selectors.formation_deadlines(f, rules)
        nearest = min(deadlines, key=lambda d: d.due) if deadlines else None
        rows.append({"formation": f, "deadline": nearest,
                     "days_left": nearest.days_left(today) if nearest else None,
                     "overdue": -nearest.days_left(today) if nearest else None})
    drafts = (list(selectors.drafts_outside_formation(kind=kind, q=q)[:200]) if stage in ("aktif", "")
              else [])
    return render(request, "perda/formation_list.html", {
        "rows": rows, "stage": stage, "kind": kind, "q": q, "drafts": drafts,
        "head_regulation": f"Peraturan {head_title()}",  # the region's own: Peraturan Wali Kota / Bupati
        "stages": [("aktif", _("Semua yang berjalan")), ("", _("Semua"))] + list(Stage.choices),
    })


def _signing_context(user, regulation: Regulation) -> dict:
    """The electronic signature of the enacted PDF: the signature if there is one, else the "Tanda tangani"
    link for whoever acts for the Wali Kota today."""
    from workflows.services.signing import latest_signature, may_sign, sign_url

    from ..signing import KIND as SIGNED_KIND

    signature = latest_signature(obj=regulation, kind=SIGNED_KIND) if regulation.enacted_pdf_sha256 else None
    can_sign = (regulation.enacted_pdf_sha256 and signature is None
                and may_sign(user=user, kind_key=SIGNED_KIND, obj=regulation))
    return {"signature": signature, "sign_url": sign_url(SIGNED_KIND, regulation) if can_sign else ""}


def formation_detail(request, regulation_id: int, forms_in: dict | None = None, status: int = 200):
    if not policy.may_view_formation(request.user):
        return _forbidden(request, Denied("no_position", _("Anda tidak memiliki jabatan yang dapat melihat halaman ini.")),
                          None, "formation.view")
    regulation = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        formation = selectors.formation_for_page(regulation_id)
    except Formation.DoesNotExist:
        return render(request, "perda/formation_start.html", {"regulation": regulation})
    actions = policy.allowed_actions(request.user, formation)
    today = timezone.localdate()
    forms_in = forms_in or {}
    ctx = {
        "formation": formation,
        "regulation": formation.regulation,
        "timeline": selectors.timeline(formation),
        "deadlines": [(d, d.days_left(today)) for d in selectors.formation_deadlines(formation)],
        "versions": list(selectors.versions_of(formation.regulation)[:50]),
        "consultations": list(selectors.consultations_of(formation.regulation)),
        "actions": actions,
        "record_form": forms_in.get("record") or (
            RecordForm(formation=formation, initial=_today_initial()) if "record" in actions else None),
        "date_form": forms_in.get("date") or DateForm(initial=_today_initial()),
        "promulgate_form": forms_in.get("promulgate") or PromulgateForm(initial=_today_initial()),
        "withdraw_form": forms_in.get("withdraw") or WithdrawForm(),
        "metadata_form": forms_in.get("metadata") or (
            _metadata_form(formation.regulation) if "metadata" in actions else None),
        "metadata_missing": missing_metadata(formation.regulation) if "metadata" in actions else [],
        "consultation_form": forms_in.get("consultation") or (
            ConsultationForm(regulation=formation.regulation,
                             initial={"opens_on": today, "closes_on": today + dt.timedelta(days=14)})
            if "consultation" in actions else None),
        "penetapan_due": enactment.penetapan_due(formation),
        **_signing_context(request.user, formation.regulation),
        "tasks": _open_tasks(formation),
    }
    return render(request, "perda/formation_detail.html", ctx, status=status)


def _open_tasks(formation: Formation) -> list:
    if formation.process_id is None:
        return []
    from viewflow.workflow.status import STATUS

    from workflows.models import Position
    from workflows.permissions import PREFIX

    tasks = list(formation.process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
                 .exclude(flow_task_type__in=["START", "END"]).select_related("owner"))
    ids = {int(t.owner_permission[len(PREFIX):]) for t in tasks
           if (t.owner_permission or "").startswith(PREFIX) and t.owner_permission[len(PREFIX):].isdigit()}
    titles = dict(Position.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    for t in tasks:
        suffix = (t.owner_permission or "")[len(PREFIX):]
        t.position_title = titles.get(int(suffix)) if suffix.isdigit() else None
    return tasks


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@require_POST
def formation_start(request, regulation_id: int):
    regulation = get_object_or_404(Regulation, pk=regulation_id)
    try:
        policy.require_may_draft(request.user, regulation)
    except Denied as denied:
        return _forbidden(request, denied, None, "formation.start")
    svc.formation_start(regulation=regulation, actor=request.user, request=request)
    messages.success(request, _("Proses pembentukan dimulai."))
    return redirect("perda:formation_detail", regulation_id)


@require_POST
def formation_action(request, regulation_id: int, action: str):
    formation = get_object_or_404(Formation.objects.select_related("regulation"), regulation_id=regulation_id)
    user = request.user
    bound = None
    key = None
    pending = PendingUploads(request)
    files = pending.files_with_kept(request.POST, request.FILES)

    def again():
        """The form with its errors; the files that passed their checks are kept for the next POST."""
        pending.keep([bound], files)
        return formation_detail(request, regulation_id, {key: bound}, status=400)

    try:
        if action == "mulai-penyusunan":
            svc.formation_start_drafting(formation=formation, actor=user, request=request)
            done = _("Tahap penyusunan dimulai.")
        elif action == "ajukan":
            version = svc.formation_submit(formation=formation, actor=user, note=request.POST.get("note", ""),
                                           request=request)
            done = _("Rancangan diajukan untuk pengharmonisasian (versi %(seq)s dibekukan).") % {"seq": version.seq}
        elif action == "catat":
            key = "record"
            bound = RecordForm(request.POST, files, formation=formation)
            if not bound.is_valid():
                return again()
            d = bound.cleaned_data
            svc.formation_record(formation=formation, actor=user, outcome=d["outcome"], received_on=d["received_on"],
                                 document_number=d["document_number"], attachment=d["attachment"], note=d["note"],
                                 request=request)
            done = _("Hasil tahap dicatat.")
        elif action == "tetapkan":
            bound = EnactForm(request.POST)
            if not bound.is_valid():
                return enact_confirm(request, regulation_id, form=bound, status=400)
            from ..snapshot import snapshot_build, snapshot_sha256

            if bound.cleaned_data["text_sha256"] != snapshot_sha256(snapshot_build(formation.regulation)):
                bound.add_error(None, _("Naskah berubah sejak ditampilkan. Baca naskah terbaru di bawah, lalu tetapkan."))
                return enact_confirm(request, regulation_id, form=bound, status=400, fresh_digest=True)
            try:
                enactment.formation_enact(formation=formation, actor=user, signed_on=bound.cleaned_data["on"],
                                          request=request)
            except ValidationError as exc:
                for message in _messages_of(exc):
                    bound.add_error(None, message)
                return enact_confirm(request, regulation_id, form=bound, status=400)
            done = _("Peraturan ditetapkan.")
        elif action == "nyatakan-sah":
            key = "date"
            bound = DateForm(request.POST)
            if not bound.is_valid():
                return again()
            enactment.formation_declare_valid(formation=formation, actor=user, on=bound.cleaned_data["on"],
                                              request=request)
            done = _("Peraturan Daerah dinyatakan sah.")
        elif action == "undangkan":
            key = "promulgate"
            bound = PromulgateForm(request.POST)
            if not bound.is_valid():
                return again()
            d = bound.cleaned_data
            enactment.formation_promulgate(formation=formation, actor=user, promulgated_on=d["on"], number=d["number"],
                                           gazette_number=d["gazette_number"], request=request)
            done = _("Peraturan diundangkan; PDF resmi sedang dibuat.")
        elif action == "metadata":
            key = "metadata"
            bound = MetadataForm(request.POST, regulation=formation.regulation)
            if not bound.is_valid():
                return again()
            d = dict(bound.cleaned_data)
            jdih.jdih_metadata_update(formation=formation, actor=user, revokes=d.pop("revokes"), request=request, **d)
            done = _("Metadata JDIH disimpan.")
        elif action == "publikasikan":
            svc.formation_publish(formation=formation, actor=user, request=request)
            done = _("Peraturan dipublikasikan di JDIH.")
        elif action == "tarik":
            key = "withdraw"
            bound = WithdrawForm(request.POST, files)
            if not bound.is_valid():
                return again()
            d = bound.cleaned_data
            svc.formation_withdraw(formation=formation, actor=user, reason=d["reason"], agreement=d["agreement"],
                                   attachment=d["attachment"], request=request)
            done = _("Rancangan ditarik.")
        else:
            raise Http404
    except Denied as denied:
        return _forbidden(request, denied, formation, f"formation.{action}")
    except ValidationError as exc:
        if bound is not None:
            for message in _messages_of(exc):
                bound.add_error(None, message)
            return again()
        for message in _messages_of(exc):
            messages.error(request, message)
        return redirect("perda:formation_detail", regulation_id)
    pending.discard(request.POST)
    messages.success(request, done)
    return redirect("perda:formation_detail", regulation_id)


def enact_confirm(request, regulation_id: int, form: EnactForm | None = None, status: int = 200,
                  fresh_digest: bool = False):
    """Before the Wali Kota signs: the whole text being signed, its fingerprint, the date and a confirmation.
    The signing itself is the POST of ``formation_action`` "tetapkan" (policy checked by the service)."""
    from ..render.html import document_html
    from ..snapshot import snapshot_build, snapshot_sha256

    formation = get_object_or_404(Formation.objects.select_related("regulation"), regulation_id=regulation_id)
    if "enact" not in policy.allowed_actions(request.user, formation):
        return _forbidden(request, Denied("not_walikota", _("Hanya Wali Kota yang menetapkan, pada tahap penetapan.")),
                          formation, "formation.enact_confirm")
    regulation = formation.regulation
    snapshot = snapshot_build(regulation)
    digest = snapshot_sha256(snapshot)
    if form is None:
        form = EnactForm(initial={**_today_initial(), "text_sha256": digest})
    elif fresh_digest:
        data = form.data.copy()
        data["text_sha256"] = digest
        data.pop("confirm", None)
        errors = form.non_field_errors()
        form = EnactForm(data)
        form.is_valid()
        form.errors.clear()
        for message in errors:
            form.add_error(None, message)
    return render(request, "perda/enact_confirm.html", {
        "regulation": regulation, "formation": formation, "document": document_html(snapshot), "digest": digest,
        "form": form, "penetapan_due": enactment.penetapan_due(formation),
    }, status=status)


def record_attachment(request, regulation_id: int, record_id: int):
    if not policy.may_view_formation(request.user):
        return HttpResponseForbidden()
    record = get_object_or_404(StageRecord, pk=record_id, formation__regulation_id=regulation_id)
    if not record.attachment:
        raise Http404
    return FileResponse(record.attachment.open("rb"), as_attachment=True,
                        filename=record.attachment_name or record.attachment.name.rsplit("/", 1)[-1])
