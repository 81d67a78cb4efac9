"""Repair request pages: list, new, detail (with the actions the user may take), edit and resubmit."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows.acting import local_date, positions_today
from workflows.policy import Denied, OutOfScope, require_in_unit
from workflows.region import current_region
from workflows.uploads import PendingUploads

from .. import selectors
from ..errors import RequestError
from ..forms import (
    ApproveForm, CloseForm, ListFilterForm, NumberedForm, QuoteAddFormSet, QuoteFormSet, ReasonForm, RequestForm,
    SppForm, UpSpendForm, VerifyForm,
)
from ..models import Asset, DelegationRule, Envelope, RepairRequest, RequestState
from ..policy import payment_position_ids, payment_step_waiting, step_position_ids
from ..services import (
    payment_record, photo_add, quote_add, request_approve, request_cancel, request_close, request_create,
    request_reject, request_require_visible, request_return, request_submit, request_update,
)
from .common import add_service_error, all_or_nothing, denied, no_unit_message, request_units

S = RequestState
PAGE_SIZE = 25
CANCELLABLE = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED)


# --- list ---------------------------------------------------------------------------------------------------
@login_required
def request_list(request):
    units = selectors.request_units(request.user)
    form = ListFilterForm(request.GET or None, units=units)
    state = unit = q = ""
    if form.is_valid():
        state, unit, q = form.cleaned_data["state"], form.cleaned_data["unit"], form.cleaned_data["q"]
    qs = selectors.request_list(request.user, state=state, unit=unit, q=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "budget_requests/request_list.html", {
        "form": form, "page": page, "rows": page.object_list, "params": params.urlencode(),
        "may_create": bool(request_units(request.user)),
    })


# --- new ----------------------------------------------------------------------------------------------------
def _form_kwargs(units):
    year = local_date().year
    assets = Asset.objects.filter(org_unit__in=units, is_active=True).select_related("org_unit").order_by("tag")
    env_ids = set()
    for unit in units:
        env_ids |= set(selectors.envelopes_for_request_form(unit, year).values_list("pk", flat=True))
    envelopes = Envelope.objects.filter(pk__in=env_ids).select_related("org_unit").order_by("org_unit__path")
    return {"units": units, "assets": assets, "envelopes": envelopes}


@login_required
def request_new(request):
    units = request_units(request.user)
    if not units:
        return denied(request, no_unit_message())
    kwargs = _form_kwargs(units)
    if request.method == "POST":
        pending = PendingUploads(request)
        files = pending.files_with_kept(request.POST, request.FILES)
        form = RequestForm(request.POST, files, **kwargs)
        quotes = QuoteFormSet(request.POST, files, prefix="quotes")
        if form.is_valid() & quotes.is_valid():
            d = form.cleaned_data
            try:
                with all_or_nothing(user=request.user, obj=None, attempted="create", request=request):
                    obj = request_create(
                        actor=request.user, org_unit=d["org_unit"], asset=d["asset"], category=d["category"],
                        problem=d["problem"], amount=d["amount"], envelope=d["envelope"], urgency=d["urgency"],
                        payment_route=d["payment_route"], request=request,
                        quotes=[{k: v for k, v in q.items() if v not in (None, "")}
                                for q in quotes.cleaned_data if q],
                    )
                    for photo in d["photos"]:
                        photo_add(request_obj=obj, actor=request.user, file=photo, request=request)
                    if "submit" in request.POST:
                        request_submit(request_obj=obj, actor=request.user, request=request)
            except RequestError as exc:
                add_service_error(form, exc)
            except Denied as exc:
                return denied(request, exc.message)
            else:
                pending.discard(request.POST)
                messages.success(request, _("Permohonan %(n)s diajukan.") % {"n": obj} if obj.state != S.DRAFT
                                 else _("Draf permohonan disimpan."))
                _warn_if_flagged(request, obj.pk)
                return redirect("budget_requests:request_detail", obj.pk)
        pending.keep([form, *quotes.forms], files)  # shown again: the files that passed their checks are kept
        status = 400
    else:
        form = RequestForm(**kwargs)
        quotes = QuoteFormSet(prefix="quotes")
        status = 200
    return render(request, "budget_requests/request_form.html",
                  {"form": form, "quotes": quotes, "obj": None}, status=status)


# --- detail -------------------------------------------------------------------------------------------------
def _covers(actings, unit) -> bool:
    for acting in actings:
        try:
            require_in_unit(acting, unit)
        except Denied:
            continue
        return True
    return False


# The actions (forms) of each payment step.
PAYMENT_ACTIONS = {
    "spp": {"spp"}, "verify": {"verify", "spp_refuse"}, "spm": {"spm", "spm_refuse"},
    "sp2d": {"sp2d", "sp2d_refuse"}, "up_spend": {"up_spend"},
}


# Form action -> payment step (a ``*_refuse`` action refuses the step's document).
PAYMENT_FORM_STEPS = {
    "spp": "spp", "verify": "verify", "spp_refuse": "verify", "spm": "spm", "spm_refuse": "spm", "sp2d": "sp2d",
    "sp2d_refuse": "sp2d", "up_spend": "up_spend",
}


def _spp_initial(obj: RepairRequest) -> dict:
    quote = min(obj.quotes.all(), key=lambda q: q.amount, default=None)
    return {"payee_name": quote.vendor_name, "payee_npwp": quote.vendor_npwp} if quote else {}


def available_actions(user, obj: RepairRequest) -> set[str]:
    """Which action forms to show (the services decide for real when the form is sent)."""
    mine = positions_today(user)
    unit_acts = [a for a in mine if a.position.org_unit.kind in ("kelurahan", "kecamatan")]
    in_unit = _covers(unit_acts, obj.org_unit) or obj.requester_id == user.pk
    acts: set[str] = set()
    if obj.state in (S.DRAFT, S.RETURNED) and in_unit:
        acts |= {"edit", "submit"}
    if obj.state == S.UNDER_REVIEW:
        allowed = set(step_position_ids(obj))
        if any(a.position.pk in allowed for a in mine):
            acts |= {"approve", "return", "reject"}
    if obj.state in CANCELLABLE and in_unit:
        acts.add("cancel")
    step = payment_step_waiting(obj)
    if step and {a.position.pk for a in mine} & set(payment_position_ids(obj, step)):
        acts |= PAYMENT_ACTIONS[step]
    if obj.state in (S.PAID, S.FORWARDED_TO_PROVINCE) and in_unit:
        acts.add("close")
    return acts


def _route_rows(obj: RepairRequest) -> list[dict]:
    rules = DelegationRule.objects.in_bulk([s.get("rule_id") for s in obj.route if s.get("rule_id")])
    decisions = [d for d in obj.decisions.all() if d.revision == obj.revision]
    rows = []
    for step in obj.route:
        i = step.get("index", len(rows))
        decided = [d for d in decisions if d.step_index == i]
        if obj.state == S.UNDER_REVIEW and i == obj.current_step:
            status = "current"
        elif decided or (obj.state not in (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED) and i <= obj.current_step
                         and obj.state not in (S.CANCELLED, S.REJECTED)):
            status = "done"
        else:
            status = "pending"
        rows.append({"n": i + 1, "step": step, "rule": rules.get(step.get("rule_id")), "decision": decided[-1] if decided else None,
                     "status": status})
    return rows


def _documents_with_sign_links(user, obj: RepairRequest) -> list:
    """The request's PDFs; a ready, unsigned one carries ``sign_url`` when ``user`` is the official whose
    document it is (acting for that position today)."""
    from workflows.services.signing import may_sign, sign_url

    from ..signing import signing_key

    documents = selectors.request_documents(obj)
    for doc in documents:
        key = signing_key(doc.kind)
        signed = getattr(doc, "signature", None)  # None when unsigned (the missing reverse row)
        doc.sign_url = (sign_url(key, obj) if doc.is_ready and signed is None and may_sign(user=user, kind_key=key, obj=obj)
                        else "")
    return documents


def _page_context(request, obj: RepairRequest, bound: dict | None = None) -> dict:
    bound = bound or {}
    actions = available_actions(request.user, obj)
    events = selectors.request_events(obj)
    flags = list(obj.red_flags.all())
    return {
        "obj": obj,
        "actions": actions,
        "route_rows": _route_rows(obj),
        "decisions": list(obj.decisions.all()),
        "step_times": selectors.step_times(obj, events),
        "age": selectors.request_age_text(obj),
        "flags": flags,
        "ledger": list(obj.ledger_entries.all()),
        "documents": _documents_with_sign_links(request.user, obj),
        "waiting_on": _waiting_on(obj),
        "approve_form": bound.get("approve") or ApproveForm(prefix="approve", flagged=obj.is_flagged),
        "return_form": bound.get("return") or ReasonForm(prefix="return"),
        "reject_form": bound.get("reject") or ReasonForm(prefix="reject"),
        "cancel_form": bound.get("cancel") or ReasonForm(prefix="cancel"),
        "pays": bool(actions & set(PAYMENT_FORM_STEPS)),  # a payment form of this user's is on the page
        "payment_documents": list(obj.payment_documents.select_related("position", "signer").order_by("pk")),
        "spp_form": bound.get("spp") or SppForm(prefix="spp", initial=_spp_initial(obj)),
        "verify_form": bound.get("verify") or VerifyForm(prefix="verify"),
        "spp_refuse_form": bound.get("spp_refuse") or ReasonForm(prefix="spp_refuse"),
        "spm_form": bound.get("spm") or NumberedForm(prefix="spm", number_label=_("Nomor SPM-LS")),
        "spm_refuse_form": bound.get("spm_refuse") or ReasonForm(prefix="spm_refuse"),
        "sp2d_form": bound.get("sp2d") or NumberedForm(prefix="sp2d", number_label=_("Nomor SP2D")),
        "sp2d_refuse_form": bound.get("sp2d_refuse") or ReasonForm(prefix="sp2d_refuse"),
        "up_spend_form": bound.get("up_spend") or UpSpendForm(prefix="up_spend"),
        "close_form": bound.get("close") or CloseForm(prefix="close"),
        "submit_error": bound.get("submit_error"),
    }


def _waiting_on(obj: RepairRequest) -> str:
    if obj.state == S.FORWARDED_TO_PROVINCE:
        return _("Menunggu %(province)s (aset milik Provinsi)") % {
            "province": current_region().province_government}
    if obj.state == S.UNDER_REVIEW:
        step = obj.current_route_step or {}
        who = step.get("position_title") or ""
        if obj.escalated_to_id:
            who = _("%(who)s (dieskalasi ke %(to)s)") % {"who": who, "to": obj.escalated_to.title}
        return who
    if obj.state == S.RETURNED:
        return _("Pemohon (perbaikan dan pengajuan ulang)")
    return {
        "spp": _("Bendahara Pengeluaran / PPTK (SPP-LS)"), "verify": _("PPK-SKPD (verifikasi SPP)"),
        "spm": _("PA/KPA (penandatanganan SPM)"), "sp2d": _("Kuasa BUD di BPKAD (SP2D)"),
        "up_spend": _("Bendahara Pengeluaran (belanja dari UP dengan bukti)"),
    }.get(payment_step_waiting(obj), "")


def _get_visible(request, pk: int) -> RepairRequest:
    try:
        obj = selectors.request_for_page(pk)
    except RepairRequest.DoesNotExist:
        raise Http404
    if not selectors.may_view_request(request.user, obj):
        raise Http404
    return obj


@login_required
def request_detail(request, pk: int):
    obj = _get_visible(request, pk)
    return render(request, "budget_requests/request_detail.html", _page_context(request, obj))


# --- actions ------------------------------------------------------------------------------------------------
ACTION_FORMS = {
    "approve": lambda data, obj: ApproveForm(data, prefix="approve", flagged=obj.is_flagged),
    "return": lambda data, obj: ReasonForm(data, prefix="return"),
    "reject": lambda data, obj: ReasonForm(data, prefix="reject"),
    "cancel": lambda data, obj: ReasonForm(data, prefix="cancel"),
    "spp": lambda data, obj: SppForm(data, prefix="spp"),
    "verify": lambda data, obj: VerifyForm(data, prefix="verify"),
    "spp_refuse": lambda data, obj: ReasonForm(data, prefix="spp_refuse"),
    "spm": lambda data, obj: NumberedForm(data, prefix="spm", number_label=_("Nomor SPM-LS")),
    "spm_refuse": lambda data, obj: ReasonForm(data, prefix="spm_refuse"),
    "sp2d": lambda data, obj: NumberedForm(data, prefix="sp2d", number_label=_("Nomor SP2D")),
    "sp2d_refuse": lambda data, obj: ReasonForm(data, prefix="sp2d_refuse"),
    "up_spend": lambda data, obj: UpSpendForm(data, prefix="up_spend"),
    "close": lambda data, obj: CloseForm(data, prefix="close"),
}
DONE = {
    "approve": _("Keputusan dicatat: disetujui."),
    "return": _("Permohonan dikembalikan kepada pemohon."),
    "reject": _("Permohonan ditolak."),
    "cancel": _("Permohonan dibatalkan."),
    "spp": _("SPP-LS diajukan untuk diverifikasi PPK-SKPD."),
    "verify": _("SPP terverifikasi; menunggu SPM."),
    "spp_refuse": _("SPP dikembalikan kepada bendahara."),
    "spm": _("SPM ditandatangani; menunggu SP2D."),
    "spm_refuse": _("SPM ditolak; SPP dikembalikan kepada bendahara."),
    "sp2d": _("SP2D terbit: pembayaran dicatat."),
    "sp2d_refuse": _("SP2D ditolak; SPM dikembalikan kepada PA/KPA."),
    "up_spend": _("Belanja dari UP dicatat."),
    "close": _("Permohonan ditutup."),
    "submit": _("Permohonan diajukan."),
}


def _run_action(action: str, obj: RepairRequest, user, d: dict, request) -> None:
    if action == "approve":
        request_approve(request_obj=obj, actor=user, justification=d.get("justification", ""), request=request)
    elif action == "return":
        request_return(request_obj=obj, actor=user, reason=d["reason"], request=request)
    elif action == "reject":
        request_reject(request_obj=obj, actor=user, reason=d["reason"], request=request)
    elif action == "cancel":
        request_cancel(request_obj=obj, actor=user, reason=d["reason"], request=request)
    elif action in PAYMENT_FORM_STEPS:
        payment_record(request_obj=obj, actor=user, step=PAYMENT_FORM_STEPS[action], refuse=action.endswith("_refuse"),
                       data=d, request=request)
    elif action == "close":
        request_close(request_obj=obj, actor=user, note=d.get("note", ""), request=request)
    elif action == "submit":
        request_submit(request_obj=obj, actor=user, request=request)


@login_required
@require_POST
def request_action(request, pk: int, action: str):
    """One action on a request. An outsider gets 404 (the attempt is recorded in the audit trail) before their
    input or the request's state is looked at; someone who sees the request but may not act gets 403."""
    if action not in ACTION_FORMS and action != "submit":
        raise Http404
    try:
        obj = RepairRequest.objects.select_related("org_unit").get(pk=pk)
    except RepairRequest.DoesNotExist:
        raise Http404
    try:
        request_require_visible(request_obj=obj, actor=request.user, attempted=action, request=request)
    except OutOfScope:
        raise Http404
    form = ACTION_FORMS[action](request.POST, obj) if action in ACTION_FORMS else None
    if form is not None and not form.is_valid():
        return _rerender(request, obj, action, form)
    try:
        _run_action(action, obj, request.user, form.cleaned_data if form is not None else {}, request)
    except Denied as exc:
        if isinstance(exc, OutOfScope) or not selectors.may_view_request(request.user, obj):
            raise Http404
        # Someone who sees the request (e.g. a Plh beyond the share of the limit): the same page, what they
        # typed kept, the refusal on top.
        ctx = _page_context(request, selectors.request_for_page(obj.pk), {action: form} if form is not None else {})
        ctx["denied_message"] = exc.message
        return render(request, "budget_requests/request_detail.html", ctx, status=403)
    except RequestError as exc:
        if form is None:
            return _rerender(request, obj, action, None, submit_error=exc.message)
        add_service_error(form, exc)
        return _rerender(request, obj, action, form)
    messages.success(request, DONE[action])
    if action == "submit":
        _warn_if_flagged(request, obj.pk)
    return redirect("budget_requests:request_detail", obj.pk)


def _warn_if_flagged(request, pk: int) -> None:
    """A request flagged as a possible split purchase when it was submitted: tell the requester at once."""
    if RepairRequest.objects.filter(pk=pk, is_flagged=True).exists():
        messages.warning(request, _("Permohonan ini bertanda merah (dugaan pemecahan paket). Permohonan tetap "
                                    "diproses; baca penjelasan di bagian \"Tanda merah\" tentang apa artinya dan "
                                    "apa yang dapat Anda lakukan."))


def _rerender(request, obj, action, form, submit_error=None):
    if not selectors.may_view_request(request.user, obj):
        raise Http404
    fresh = selectors.request_for_page(obj.pk)
    bound = {action: form} if form is not None else {"submit_error": submit_error}
    return render(request, "budget_requests/request_detail.html", _page_context(request, fresh, bound), status=400)


# --- edit / resubmit ----------------------------------------------------------------------------------------
@login_required
def request_edit(request, pk: int):
    """Revise a draft or a returned request, then save or (re)submit it."""
    obj = _get_visible(request, pk)
    if obj.state not in (S.DRAFT, S.RETURNED):
        return denied(request, _("Permohonan hanya dapat diubah saat berstatus draf atau dikembalikan."), status=400)
    if request.method == "GET" and "edit" not in available_actions(request.user, obj):
        return denied(request, _("Hanya staf %(unit)s yang dapat mengubah permohonan ini.") % {"unit": obj.org_unit})
    kwargs = _form_kwargs([obj.org_unit])
    kwargs["units"] = [obj.org_unit]
    if request.method == "POST":
        pending = PendingUploads(request)
        files = pending.files_with_kept(request.POST, request.FILES)
        form = RequestForm(request.POST, files, **kwargs)
        quotes = QuoteAddFormSet(request.POST, files, prefix="quotes")
        if form.is_valid() & quotes.is_valid():
            d = form.cleaned_data
            fields = {k: d[k] for k in ("asset", "category", "problem", "amount", "urgency", "payment_route", "envelope")}
            try:
                with all_or_nothing(user=request.user, obj=obj, attempted="update", request=request):
                    request_update(request_obj=obj, actor=request.user, request=request, **fields)
                    for q in quotes.cleaned_data:
                        if q:
                            quote_add(request_obj=obj, actor=request.user, vendor_name=q["vendor_name"],
                                      amount=q["amount"], vendor_npwp=q.get("vendor_npwp") or "",
                                      file=q.get("file"), request=request)
                    for photo in d["photos"]:
                        photo_add(request_obj=obj, actor=request.user, file=photo, request=request)
                    if "submit" in request.POST:
                        request_submit(request_obj=obj, actor=request.user, request=request)
            except RequestError as exc:
                add_service_error(form, exc)
            except Denied as exc:
                return denied(request, exc.message)
            else:
                pending.discard(request.POST)
                messages.success(request, _("Permohonan diajukan ulang.") if "submit" in request.POST
                                 else _("Perubahan disimpan."))
                return redirect("budget_requests:request_detail", obj.pk)
        pending.keep([form, *quotes.forms], files)
        status = 400
    else:
        form = RequestForm(initial={
            "org_unit": str(obj.org_unit_id), "asset": obj.asset_id, "category": obj.category, "problem": obj.problem,
            "amount": f"{obj.amount:,}".replace(",", "."), "urgency": obj.urgency, "payment_route": obj.payment_route,
            "envelope": obj.envelope_id,
        }, **kwargs)
        quotes = QuoteAddFormSet(prefix="quotes")
        status = 200
    return render(request, "budget_requests/request_form.html", {"form": form, "quotes": quotes, "obj": obj},
                  status=status)


@login_required
def photo_file(request, pk: int):
    """A request's photo, served only to whoever may see the request (uploads live outside the web root)."""
    from django.http import FileResponse

    from ..models import Photo

    photo = Photo.objects.select_related("request__org_unit").filter(pk=pk).first()
    if photo is None or not selectors.may_view_request(request.user, photo.request):
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
