"""The drafter's pages: list and create drafts, the structured editor, previews (HTML/PDF/Akoma Ntoso), the
naskah akademik download and the redline between versions.

Every write goes through ``perda.services.editor``; a refused input re-shows the editor with the message and
what the user typed. Permission: the draft's drafter, its pemrakarsa, or Bagian Hukum
(``perda.policy.require_may_draft``); reading: anyone logged in who holds a position.
"""
from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from workflows.acting import positions_today
from workflows.models import OrgUnit, OrgUnitKind
from workflows.policy import Denied
from workflows.services.audit import audit_record
from workflows.uploads import PendingUploads

from ..checks import ALLOWED_CHILDREN, run_checks
from ..models import (DasarHukum, DasarHukumRank, EvaluasiKind, Konsiderans, Provision, ProvisionKind,
                      ProvisionRole, Regulation, RegulationKind, Version)
from ..amendments.draft import labels_for
from ..numbering import konsiderans_letter, render_refs
from ..render.html import document_html
from ..services import editor as svc
from ..snapshot import snapshot_build

KIND_LABELS = dict(ProvisionKind.choices)


def _denied(request, exc: Denied, *, regulation: Regulation | None = None):
    with transaction.atomic():
        audit_record(actor=request.user if request.user.is_authenticated else None, action="perda.editor.denied",
                     obj=regulation, reason=exc.code, request=request)
    return render(request, "perda/denied.html", {"message": exc.message if hasattr(exc, "message") else str(exc)},
                  status=403)


def may_read(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(positions_today(user)))


def require_read(user) -> None:
    if not may_read(user):
        raise Denied("no_position", _("Halaman ini hanya untuk pegawai yang memegang jabatan."))


def require_edit(user, regulation: Regulation) -> None:
    """Raises Denied unless ``user`` may edit the draft (the services check again and record the capacity)."""
    from .. import policy

    policy.require_may_edit(user, regulation)


def editable(regulation: Regulation) -> bool:
    if regulation.is_enacted or regulation.enacted_version_id:
        return False
    try:
        from ..selectors import draft_is_editable
    except ImportError:  # pragma: no cover
        return True
    return draft_is_editable(regulation)


# --- forms --------------------------------------------------------------------------------------------

class RegulationForm(forms.Form):
    kind = forms.ChoiceField(label=_l("Jenis"), choices=RegulationKind.choices)
    evaluasi_kind = forms.ChoiceField(label=_l("Jenis evaluasi"), required=False,
                                      choices=[("", _l("— bukan jenis yang dievaluasi —"))] + list(EvaluasiKind.choices),
                                      help_text=_l("APBD, pajak, retribusi, tata ruang, RPJPD/RPJMD: tanpa fasilitasi, "
                                                   "dengan evaluasi Gubernur."))
    title = forms.CharField(label=_l("Judul (tanpa kata \"tentang\")"), max_length=500)
    pemrakarsa = forms.ModelChoiceField(label=_l("Pemrakarsa"), queryset=OrgUnit.objects.none())
    propemperda_year = forms.IntegerField(label=_l("Tahun Propemperda"), required=False, min_value=2000, max_value=2100)
    outside_propemperda_reason = forms.CharField(
        label=_l("Alasan di luar Propemperda"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("Wajib bila tahun Propemperda kosong."))
    penjelasan_umum = forms.CharField(label=_l("Penjelasan umum"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    naskah_akademik = forms.FileField(label=_l("Naskah akademik (PDF/DOCX, maks. 20 MB)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemrakarsa"].queryset = OrgUnit.objects.filter(
            is_active=True, kind__in=[OrgUnitKind.PERANGKAT_DAERAH, OrgUnitKind.BAGIAN, OrgUnitKind.KOTA,
                                      OrgUnitKind.KECAMATAN]).order_by("path")

    def clean_naskah_akademik(self):
        """Checked here too, so a refused file is named on its field and not kept for the next POST."""
        upload = self.cleaned_data.get("naskah_akademik")
        if upload:
            try:
                svc.naskah_akademik_check(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return upload

    def clean(self):
        data = super().clean()
        if data.get("propemperda_year") is None and not (data.get("outside_propemperda_reason") or "").strip():
            self.add_error("outside_propemperda_reason",
                           _("Isi tahun Propemperda, atau catat alasan rancangan ini disusun di luar Propemperda."))
        if data.get("evaluasi_kind") and data.get("kind") != RegulationKind.PERDA:
            self.add_error("evaluasi_kind", _("Hanya Peraturan Daerah yang dievaluasi Gubernur."))
        return data


def _apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


# --- list and create ----------------------------------------------------------------------------------

def regulation_list(request):
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc)
    q = (request.GET.get("q") or "").strip()
    qs = Regulation.objects.select_related("pemrakarsa", "drafter").order_by("-updated_at")
    if q:
        qs = qs.filter(title__icontains=q)
    return render(request, "perda/editor_list.html", {"regulations": qs[:200], "q": q})


def regulation_new(request):
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc)
    pending = PendingUploads(request)
    files = pending.files_with_kept(request.POST, request.FILES) if request.method == "POST" else None
    form = RegulationForm(request.POST or None, files)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            reg = svc.regulation_create(
                actor=request.user, kind=d["kind"], title=d["title"], pemrakarsa=d["pemrakarsa"],
                drafter=request.user, propemperda_year=d["propemperda_year"],
                outside_propemperda_reason=d["outside_propemperda_reason"], evaluasi_kind=d["evaluasi_kind"],
                penjelasan_umum=d["penjelasan_umum"], naskah_akademik=d.get("naskah_akademik"), request=request)
        except Denied as exc:
            return _denied(request, exc)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            pending.discard(request.POST)
            messages.success(request, _("Rancangan dibuat. Lanjutkan dengan konsiderans, dasar hukum, dan batang tubuh."))
            return redirect("perda:editor", regulation_id=reg.pk)
    if request.method == "POST":
        pending.keep([form], files)  # shown again: the naskah akademik chosen is kept
    return render(request, "perda/editor_meta.html", {"form": form, "regulation": None},
                  status=400 if request.method == "POST" else 200)


def regulation_meta(request, regulation_id: int):
    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_read(request.user)
        if request.method == "POST":
            require_edit(request.user, reg)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    initial = {f: getattr(reg, f) for f in ("kind", "evaluasi_kind", "title", "propemperda_year",
                                            "outside_propemperda_reason", "penjelasan_umum")}
    initial["pemrakarsa"] = reg.pemrakarsa_id
    pending = PendingUploads(request)
    files = pending.files_with_kept(request.POST, request.FILES) if request.method == "POST" else None
    form = RegulationForm(request.POST or None, files, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                svc.regulation_update(
                    actor=request.user, regulation=reg, request=request, kind=d["kind"],
                    evaluasi_kind=d["evaluasi_kind"], title=d["title"], pemrakarsa=d["pemrakarsa"],
                    propemperda_year=d["propemperda_year"],
                    outside_propemperda_reason=d["outside_propemperda_reason"],
                    penjelasan_umum=d["penjelasan_umum"])
                if d.get("naskah_akademik"):
                    svc.naskah_akademik_attach(actor=request.user, regulation=reg, upload=d["naskah_akademik"],
                                               request=request)
        except Denied as exc:
            return _denied(request, exc, regulation=reg)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            pending.discard(request.POST)
            messages.success(request, _("Data rancangan disimpan."))
            return redirect("perda:editor", regulation_id=reg.pk)
    if request.method == "POST":
        pending.keep([form], files)
    return render(request, "perda/editor_meta.html", {"form": form, "regulation": reg},
                  status=400 if request.method == "POST" else 200)


# --- the editor page ------------------------------------------------------------------------------------

def _rows(snapshot: dict, labels) -> list[dict]:
    """The body as a flat list (document order) for the template: no recursive includes."""
    rows: list[dict] = []

    roles = dict(ProvisionRole.choices)

    def walk(nodes, depth, parent_uid):
        for i, n in enumerate(nodes):
            lab = labels[n["uid"]]
            kind = n["kind"]
            rows.append({
                "uid": n["uid"], "kind": kind, "kind_label": KIND_LABELS[kind], "label": lab.label,
                "citation": lab.citation, "depth": min(depth, 8), "heading": n.get("heading", ""),
                "text": n.get("text", ""), "text_html": render_refs(n.get("text", ""), labels, n["uid"]),
                "penjelasan": n.get("penjelasan", ""), "role": n.get("role", ""),
                "role_label": roles.get(n.get("role", ""), ""), "parent_uid": parent_uid,
                "first": i == 0, "last": i == len(nodes) - 1,
                "child_kinds": [(k, KIND_LABELS[k]) for k in ProvisionKind.values if k in ALLOWED_CHILDREN[kind]],
                "container": kind in ("bab", "bagian", "paragraf"),
                "has_children": bool(n.get("children")),
            })
            walk(n.get("children") or [], depth + 1, n["uid"])

    walk(snapshot.get("body", []), 0, None)
    return rows


def _editor_context(request, reg: Regulation, *, error: str = "", posted: dict | None = None) -> dict:
    snapshot = snapshot_build(reg)
    labels = labels_for(snapshot)  # an amendment draft keeps the base's numbers (Pasal 7A)
    problems = run_checks(snapshot)
    versions = list(Version.objects.filter(regulation=reg).only("id", "seq", "label", "created_at", "sha256",
                                                                 "regulation_id").order_by("seq"))
    rows = _rows(snapshot, labels)
    containers = [r for r in rows if r["kind"] in ("bab", "bagian", "paragraf", "pasal", "ayat", "huruf", "angka")]
    return {
        "regulation": reg,
        "snapshot": snapshot,
        "konsiderans": [dict(k, letter=konsiderans_letter(i)) for i, k in enumerate(snapshot["konsiderans"])],
        "dasar_hukum": snapshot["dasar_hukum"],
        "rows": rows,
        "ref_targets": [r for r in rows if r["kind"] in ("pasal", "ayat", "huruf", "angka")],
        "move_targets": containers,
        "problems": problems,
        "error_count": sum(1 for p in problems if p.level == "error"),
        "versions": versions,
        "editable": editable(reg),
        "error": error,
        "posted": posted or {},
        "top_kinds": _append_kinds(snapshot, labels),
        "roles": ProvisionRole.choices,
        "ranks": DasarHukumRank.choices,
        "konsiderans_closing": document_closing(snapshot),
        "closing_letter": konsiderans_letter(len(snapshot["konsiderans"])),
        "action_url": reverse("perda:editor_action", kwargs={"regulation_id": reg.pk}),
        "node_url": reverse("perda:editor", kwargs={"regulation_id": reg.pk}) + "ketentuan/",
        **_amendment_context(snapshot),
    }


def _amendment_context(snapshot: dict) -> dict:
    """For an amendment drafted in Pamong: Pasal I as Pamong writes it from the edits so far, and the changes of
    the base's Lampiran (which the drafter states here, as the base's Lampiran are not part of its text)."""
    amendment = snapshot.get("amendment") or {}
    if "base_body" not in amendment:
        return {"amendment_draft": False}
    from ..amendments.lampiran import ordered, own_labels, target_label
    from ..amendments.render import instructions_of

    entries = amendment.get("lampiran") or []
    own = own_labels(entries)
    ops = [("ubah", _("diubah (diganti lampiran rancangan ini)")), ("tambah", _("ditambahkan (lampiran baru)")),
           ("hapus", _("dihapus"))]
    return {
        "amendment_draft": True,
        "pasal_i": instructions_of(snapshot),
        "lampiran_changes": [dict(e, label=target_label(e["target"]), own=own.get(e["uid"], ""),
                                  op_label=dict(ops)[e["op"]]) for e in ordered(entries)],
        "lampiran_ops": ops,
    }


def _append_kinds(snapshot: dict, labels) -> list[tuple[str, str]]:
    """The kinds "Tambah di akhir" offers, each saying where it will go ("Pasal — di akhir BAB II")."""
    from ..checks import append_parent

    out = []
    for kind in ("bab", "bagian", "paragraf", "pasal"):
        parent = append_parent(snapshot["body"], kind)
        if parent is None and kind not in ("bab", "pasal"):
            continue  # a Bagian or Paragraf needs a BAB/Bagian above it
        where = (_("di akhir %(where)s") % {"where": labels[parent["uid"]].citation} if parent is not None
                 else _("di akhir batang tubuh"))
        out.append((kind, f"{KIND_LABELS[kind]} — {where}"))
    return out


def document_closing(snapshot: dict) -> str:
    from ..numbering import konsiderans_closing

    meta = snapshot["regulation"]
    return konsiderans_closing(len(snapshot["konsiderans"]), meta["kind"], meta["title"])


def editor(request, regulation_id: int):
    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa", "drafter"), pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    return render(request, "perda/editor.html", _editor_context(request, reg))


def _node_context(request, reg: Regulation, uid: str, *, error: str = "", posted: dict | None = None) -> dict:
    ctx = _editor_context(request, reg, error=error, posted=posted)
    node = next((r for r in ctx["rows"] if r["uid"] == uid), None)
    if node is None:
        raise Http404
    ctx["node"] = node
    return ctx


def provision_page(request, regulation_id: int, uid: str):
    """One provision's forms: edit (with reference insertion), add inside/after, move."""
    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa", "drafter"), pk=regulation_id)
    try:
        require_read(request.user)
        require_edit(request.user, reg)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    return render(request, "perda/editor_node.html", _node_context(request, reg, str(uid)))


def _get_provision(reg: Regulation, uid: str | None) -> Provision | None:
    if not uid:
        return None
    try:
        uid = uuid.UUID(uid)
    except ValueError:
        raise Http404
    return get_object_or_404(Provision.objects.select_related("parent", "regulation"), regulation=reg, uid=uid,
                             removed_at__isnull=True)


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date_or_none(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError(_("Tanggal tidak valid (gunakan format TTTT-BB-HH)."))


@require_POST
def editor_action(request, regulation_id: int):
    """One endpoint for every structural edit; ``op`` names the service, ``target`` what it acts on."""
    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_edit(request.user, reg)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    if not editable(reg):
        exc = Denied("not_editable", _("Rancangan sedang ditinjau pihak lain atau sudah ditetapkan; teksnya tidak dapat diubah sekarang."))
        return _denied(request, exc, regulation=reg)
    p = request.POST
    op = p.get("op", "")
    user = request.user
    anchor = ""
    try:
        if op in ("lampiran_save", "lampiran_remove"):
            from ..amendments import services as amendment_svc

            anchor = "lampiran"
            if op == "lampiran_save":
                amendment_svc.amendment_lampiran_save(
                    actor=user, regulation=reg, op=p.get("change", ""), target=p.get("lampiran", ""),
                    title=p.get("title", ""), text=p.get("text", ""), uid=p.get("target") or None, request=request)
            else:
                amendment_svc.amendment_lampiran_remove(actor=user, regulation=reg, uid=p.get("target", ""),
                                                        request=request)
        elif op.startswith("konsiderans_") or op.startswith("dasar_"):
            model = Konsiderans if op.startswith("konsiderans_") else DasarHukum
            item = None
            if p.get("target"):
                try:
                    item = get_object_or_404(model, regulation=reg, uid=uuid.UUID(p["target"]), removed_at__isnull=True)
                except ValueError:
                    raise Http404
            anchor = "konsiderans" if model is Konsiderans else "dasar-hukum"
            if op == "konsiderans_add":
                svc.konsiderans_add(actor=user, regulation=reg, text=p.get("text", ""),
                                    position=_int_or_none(p.get("position")), request=request)
            elif op == "konsiderans_edit" and item:
                svc.konsiderans_edit(actor=user, konsiderans=item, text=p.get("text", ""), request=request)
            elif op in ("konsiderans_up", "konsiderans_down") and item:
                svc.konsiderans_move(actor=user, konsiderans=item, direction=op.rsplit("_", 1)[1], request=request)
            elif op == "konsiderans_remove" and item:
                svc.konsiderans_remove(actor=user, konsiderans=item, request=request)
            elif op == "dasar_add":
                svc.dasar_hukum_add(actor=user, regulation=reg, text=p.get("text", ""),
                                    rank=_int_or_none(p.get("rank")), enacted_on=_date_or_none(p.get("enacted_on")),
                                    request=request)
            elif op == "dasar_edit" and item:
                svc.dasar_hukum_edit(actor=user, dasar_hukum=item, text=p.get("text", ""),
                                     rank=_int_or_none(p.get("rank")), enacted_on=_date_or_none(p.get("enacted_on")),
                                     request=request)
            elif op in ("dasar_up", "dasar_down") and item:
                svc.dasar_hukum_move(actor=user, dasar_hukum=item, direction=op.rsplit("_", 1)[1], request=request)
            elif op == "dasar_remove" and item:
                svc.dasar_hukum_remove(actor=user, dasar_hukum=item, request=request)
            else:
                return HttpResponseBadRequest(_("Perintah tidak dikenal."))
        else:
            node = _get_provision(reg, p.get("target"))
            if op == "add":
                # "where": child (last child of target), after (next sibling of target), top (end of the body)
                where = p.get("where", "child")
                kind = p.get("kind", "")
                if ":" in kind:
                    where, kind = kind.split(":", 1)
                parent, position = node, None
                if node is not None and where == "after":
                    parent = node.parent
                    siblings = list(Provision.objects.live().filter(regulation=reg, parent=parent)
                                    .order_by("order", "id").values_list("id", flat=True))
                    position = siblings.index(node.pk) + 1
                elif where == "top":
                    # "at the end": inside the container shown last (a Pasal goes into the BAB above it)
                    from ..checks import append_parent

                    tail = append_parent(snapshot_build(reg)["body"], kind)
                    parent = _get_provision(reg, tail["uid"]) if tail else None
                new = svc.provision_add(actor=user, regulation=reg, kind=kind, parent=parent,
                                        position=position, heading=p.get("heading", ""), text=p.get("text", ""),
                                        penjelasan=p.get("penjelasan", ""), role=p.get("role", ""), request=request)
                anchor = f"n-{new.uid}"
            elif node is None:
                raise Http404
            elif op == "edit":
                svc.provision_edit(actor=user, provision=node,
                                   heading=p.get("heading") if "heading" in p else None,
                                   text=p.get("text") if "text" in p else None,
                                   penjelasan=p.get("penjelasan") if "penjelasan" in p else None,
                                   role=p.get("role") if "role" in p else None, request=request)
                anchor = f"n-{node.uid}"
            elif op in ("up", "down"):
                svc.provision_move(actor=user, provision=node, direction=op, request=request)
                anchor = f"n-{node.uid}"
            elif op == "move":
                dest = p.get("parent", "")
                parent = None if dest in ("", "top") else _get_provision(reg, dest)
                svc.provision_move(actor=user, provision=node, parent=parent,
                                   position=_int_or_none(p.get("position")), request=request)
                anchor = f"n-{node.uid}"
            elif op == "remove":
                svc.provision_remove(actor=user, provision=node, request=request)
            elif op == "ref":
                target = _get_provision(reg, p.get("ref_target"))
                if target is None:
                    raise ValidationError(_("Pilih ketentuan yang dirujuk."))
                svc.reference_insert(actor=user, provision=node, target=target,
                                     prefix=p.get("prefix", "sebagaimana dimaksud dalam "), request=request)
                anchor = f"n-{node.uid}"
            else:
                return HttpResponseBadRequest(_("Perintah tidak dikenal."))
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    except ValidationError as exc:
        message = " ".join(exc.messages)
        posted = {k: v for k, v in p.items() if k != "csrfmiddlewaretoken"}
        if p.get("back") == "node" and p.get("target"):
            ctx = _node_context(request, reg, p["target"], error=message, posted=posted)
            return render(request, "perda/editor_node.html", ctx, status=400)
        ctx = _editor_context(request, reg, error=message, posted=posted)
        return render(request, "perda/editor.html", ctx, status=400)
    if p.get("back") == "node" and p.get("target") and op != "remove":
        # saved on a provision's own page: back to that page, where the drafter was working
        messages.success(request, _("Tersimpan."))
        url = reverse("perda:provision", kwargs={"regulation_id": reg.pk, "uid": p["target"]})
        return redirect(url)
    url = reverse("perda:editor", kwargs={"regulation_id": reg.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- outputs -------------------------------------------------------------------------------------------

def _snapshot_for(request, reg: Regulation) -> tuple[dict, str]:
    seq = request.GET.get("versi")
    if seq:
        v = get_object_or_404(Version, regulation=reg, seq=_int_or_none(seq) or 0)
        return v.snapshot, f"v{v.seq} — {v.label}"
    return snapshot_build(reg), _("draf terkini")


def preview(request, regulation_id: int):
    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    snapshot, which = _snapshot_for(request, reg)
    return render(request, "perda/editor_preview.html", {
        "regulation": reg, "document": document_html(snapshot), "which": which,
        "draft": not reg.is_enacted, "versions": Version.objects.filter(regulation=reg).only("seq", "label", "regulation_id")})


def pdf(request, regulation_id: int):
    from ..render.pdf import cached_snapshot_pdf

    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    snapshot, _which = _snapshot_for(request, reg)
    data = cached_snapshot_pdf(snapshot)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rancangan-{reg.pk}.pdf"'
    return response


def akn(request, regulation_id: int):
    from ..render.akn import render_akn

    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    snapshot, _which = _snapshot_for(request, reg)
    response = HttpResponse(render_akn(snapshot), content_type="application/akn+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="perda-{reg.pk}.akn.xml"'
    return response


def naskah_akademik(request, regulation_id: int):
    """Staff download (permission-checked); the public route for drafts under consultation is in the public views."""
    reg = get_object_or_404(Regulation, pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    if not reg.naskah_akademik:
        raise Http404
    name = reg.naskah_akademik_name or reg.naskah_akademik.name.rsplit("/", 1)[-1]
    return FileResponse(reg.naskah_akademik.open("rb"), as_attachment=True, filename=name)


def compare(request, regulation_id: int):
    """Redline between two versions (``a``/``b`` = version numbers; ``b`` empty = the live draft)."""
    from ..redline import redline_document_html, redline_html, redline_pdf

    reg = get_object_or_404(Regulation.objects.select_related("pemrakarsa"), pk=regulation_id)
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc, regulation=reg)
    versions = list(Version.objects.filter(regulation=reg).only("id", "seq", "label", "regulation_id", "snapshot")
                    .order_by("seq"))
    by_seq = {v.seq: v for v in versions}
    a_seq, b_seq = _int_or_none(request.GET.get("a")), _int_or_none(request.GET.get("b"))
    if a_seq is None and versions:
        a_seq = versions[-1].seq if b_seq is None else versions[0].seq
    if a_seq is not None and a_seq not in by_seq or (b_seq is not None and b_seq not in by_seq):
        raise Http404
    html = ""
    document = request.GET.get("tampilan") == "dokumen"
    if a_seq is not None:
        a = by_seq[a_seq]
        b_snap, b_label = ((by_seq[b_seq].snapshot, f"v{b_seq} {by_seq[b_seq].label}") if b_seq is not None
                           else (snapshot_build(reg), _("draf terkini")))
        a_label = f"v{a.seq} {a.label}"
        if request.GET.get("format") == "pdf":
            response = HttpResponse(redline_pdf(a.snapshot, b_snap, label_a=a_label, label_b=b_label,
                                                document=document), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="perbandingan-{reg.pk}.pdf"'
            return response
        html = redline_html(a.snapshot, b_snap, label_a=a_label, label_b=b_label)
        if document:
            html += redline_document_html(a.snapshot, b_snap)
    return render(request, "perda/editor_compare.html", {
        "regulation": reg, "versions": versions, "a": a_seq, "b": b_seq, "redline": html, "document": document})
