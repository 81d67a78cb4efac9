"""Writes to a regulation draft: the regulation itself, konsiderans, dasar hukum and the provision tree.

Every function is keyword-only, runs in one transaction with the regulation row locked, and writes an
audit event on the regulation's stream. Nothing is deleted: removing a point or provision sets
``removed_at`` (frozen versions keep it), and a reference to a removed provision becomes a check error.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.models import OrgUnit, User
from workflows.services.audit import audit_record

from .. import policy
from ..checks import ALLOWED_CHILDREN
from ..models import DasarHukum, Konsiderans, Provision, ProvisionKind, ProvisionRole, Regulation, RegulationKind
from ..models.document import EvaluasiKind
from .draft_access import EditorError, clean_text, lock_draft

NASKAH_MAX_BYTES = 20 * 1024 * 1024
NASKAH_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


# --- helpers ------------------------------------------------------------------------------------------

def _audit(*, actor: User | None, regulation: Regulation, action: str, before=None, after=None,
           reason: str = "", request=None, capacity: str = "") -> None:
    audit_record(actor=actor, action=action, obj=regulation, before=before, after=after, reason=reason,
                 request=request, capacity=capacity)


# --- regulation ---------------------------------------------------------------------------------------

REGULATION_FIELDS = (
    "kind", "evaluasi_kind", "title", "propemperda_year", "outside_propemperda_reason", "penjelasan_umum",
)


def _regulation_state(reg: Regulation) -> dict[str, Any]:
    data = {f: getattr(reg, f) for f in REGULATION_FIELDS}
    data["pemrakarsa_id"] = reg.pemrakarsa_id
    data["drafter_id"] = reg.drafter_id
    return data


def _normalise_title(title: str) -> str:
    title = " ".join(clean_text(title).split())
    if title.lower().startswith("tentang "):
        title = title[len("tentang "):]
    return title.rstrip(".")


def regulation_create(
    *,
    actor: User,
    kind: str,
    title: str,
    pemrakarsa: OrgUnit,
    drafter: User,
    propemperda_year: int | None = None,
    outside_propemperda_reason: str = "",
    evaluasi_kind: str = "",
    penjelasan_umum: str = "",
    naskah_akademik: UploadedFile | None = None,
    request=None,
) -> Regulation:
    """Start a draft. Raises ``Denied`` when ``actor`` may not start one for ``pemrakarsa``
    (``perda.policy.require_may_start_draft``) and ``ValidationError`` (Indonesian messages) for bad input;
    nothing is written then."""
    capacity = "" if actor is None else policy.require_may_start_draft(actor, pemrakarsa)
    reg = Regulation(
        kind=kind, title=_normalise_title(title), pemrakarsa=pemrakarsa, drafter=drafter,
        propemperda_year=propemperda_year, outside_propemperda_reason=clean_text(outside_propemperda_reason),
        evaluasi_kind=evaluasi_kind or "", penjelasan_umum=clean_text(penjelasan_umum), created_by=actor,
    )
    if kind not in RegulationKind.values:
        raise EditorError(_("Jenis peraturan tidak dikenal."))
    if reg.evaluasi_kind and reg.evaluasi_kind not in EvaluasiKind.values:
        raise EditorError(_("Jenis evaluasi tidak dikenal."))
    if not reg.title:
        raise EditorError({"title": _("Judul wajib diisi.")})
    reg.full_clean(exclude=["naskah_akademik", "drafter", "pemrakarsa"])
    with transaction.atomic():
        reg.save()
        if naskah_akademik is not None:
            _attach_naskah(reg, naskah_akademik)
            reg.save(update_fields=["naskah_akademik", "naskah_akademik_name"])
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.regulation.create", after=_regulation_state(reg),
               request=request)
    return reg


def regulation_update(*, actor: User, regulation: Regulation, request=None, **fields: Any) -> Regulation:
    """Change the draft's own fields (kind, evaluasi_kind, title, propemperda_year,
    outside_propemperda_reason, penjelasan_umum, pemrakarsa, drafter)."""
    allowed = set(REGULATION_FIELDS) | {"pemrakarsa", "drafter"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        before = _regulation_state(reg)
        for name, value in fields.items():
            if name == "title":
                value = _normalise_title(value)
            elif name in ("outside_propemperda_reason", "penjelasan_umum"):
                value = clean_text(value)
            elif name == "evaluasi_kind":
                value = value or ""
            setattr(reg, name, value)
        if not reg.title:
            raise EditorError({"title": _("Judul wajib diisi.")})
        reg.full_clean(exclude=["naskah_akademik"])
        reg.save()
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.regulation.update", before=before,
               after=_regulation_state(reg), request=request)
    regulation.refresh_from_db()
    return reg


def naskah_akademik_check(upload: UploadedFile) -> str:
    """The extension of a naskah akademik upload (PDF or DOCX, sniffed from content); raise ``EditorError``."""
    import filetype

    if upload.size is not None and upload.size > NASKAH_MAX_BYTES:
        raise EditorError({"naskah_akademik": _("Berkas terlalu besar (maksimum 20 MB).")})
    if not upload.size:
        raise EditorError({"naskah_akademik": _("Berkas kosong.")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    ext = NASKAH_TYPES.get(kind.mime) if kind else None
    if ext is None:
        raise EditorError({"naskah_akademik": _("Naskah akademik harus berupa berkas PDF atau DOCX.")})
    return ext


def _attach_naskah(reg: Regulation, upload: UploadedFile) -> None:
    ext = naskah_akademik_check(upload)
    original = (upload.name or f"naskah-akademik.{ext}").replace("/", "_").replace("\\", "_")[:200]
    reg.naskah_akademik_name = original
    reg.naskah_akademik.save(f"naskah.{ext}", upload, save=False)


def naskah_akademik_attach(*, actor: User, regulation: Regulation, upload: UploadedFile, request=None) -> Regulation:
    """Attach (or replace) the naskah akademik: PDF or DOCX sniffed from content, at most 20 MB."""
    naskah_akademik_check(upload)
    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        before = {"naskah_akademik": reg.naskah_akademik.name}
        _attach_naskah(reg, upload)
        reg.save(update_fields=["naskah_akademik", "naskah_akademik_name", "updated_at"])
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.naskah_akademik.attach", before=before,
               after={"naskah_akademik": reg.naskah_akademik.name, "name": reg.naskah_akademik_name},
               request=request)
    return reg


# --- konsiderans and dasar hukum (ordered point lists) ----------------------------------------------------

def _insert_at(model, regulation: Regulation, position: int | None) -> int:
    """Make room at ``position`` (0-based) in a live ordered list; returns the order value to use."""
    rows = list(model.objects.live().filter(regulation=regulation).order_by("order", "id").values_list("id", flat=True))
    if position is None or position >= len(rows):
        return len(rows)
    position = max(0, position)
    # Re-sequence everything so orders are 0..n-1 with a gap at position.
    for i, pk in enumerate(rows):
        model.objects.filter(pk=pk).update(order=i if i < position else i + 1)
    return position


def _resequence(model, regulation: Regulation, ids_in_order: list[int]) -> None:
    for i, pk in enumerate(ids_in_order):
        model.objects.filter(pk=pk).update(order=i)


def _move_point(model, item, direction: str) -> None:
    ids = list(model.objects.live().filter(regulation_id=item.regulation_id).order_by("order", "id")
               .values_list("id", flat=True))
    i = ids.index(item.pk)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down"):
        raise EditorError(_("Arah pemindahan tidak dikenal."))
    if j < 0 or j >= len(ids):
        return
    ids[i], ids[j] = ids[j], ids[i]
    _resequence(model, item.regulation, ids)


def konsiderans_add(*, actor: User, regulation: Regulation, text: str, position: int | None = None,
                    request=None) -> Konsiderans:
    text = clean_text(text)
    if not text:
        raise EditorError({"text": _("Teks konsiderans wajib diisi.")})
    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        order = _insert_at(Konsiderans, reg, position)
        k = Konsiderans.objects.create(regulation=reg, order=order, text=text)
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.konsiderans.add",
               after={"uid": str(k.uid), "text": text, "position": order}, request=request)
    return k


def konsiderans_edit(*, actor: User, konsiderans: Konsiderans, text: str, request=None) -> Konsiderans:
    text = clean_text(text)
    if not text:
        raise EditorError({"text": _("Teks konsiderans wajib diisi.")})
    with transaction.atomic():
        reg, capacity = lock_draft(konsiderans.regulation, actor=actor)
        k = Konsiderans.objects.select_for_update().get(pk=konsiderans.pk, removed_at__isnull=True)
        before = {"uid": str(k.uid), "text": k.text}
        k.text = text
        k.save(update_fields=["text"])
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.konsiderans.edit", before=before,
               after={"uid": str(k.uid), "text": text}, request=request)
    return k


def _point_move(*, model, point, kind: str, actor: User, direction: str, request) -> None:
    """Move a konsiderans or dasar hukum point up/down among its live siblings, audited."""
    with transaction.atomic():
        reg, capacity = lock_draft(point.regulation, actor=actor)
        _move_point(model, point, direction)
        _audit(actor=actor, capacity=capacity, regulation=reg, action=f"perda.{kind}.move",
               after={"uid": str(point.uid), "direction": direction}, request=request)


def _point_remove(*, model, point, kind: str, actor: User, request) -> None:
    """Mark a konsiderans or dasar hukum point removed (versions keep it) and close the gap, audited."""
    with transaction.atomic():
        reg, capacity = lock_draft(point.regulation, actor=actor)
        model.objects.filter(pk=point.pk).update(removed_at=timezone.now())
        _resequence(model, reg, list(model.objects.live().filter(regulation=reg)
                                     .order_by("order", "id").values_list("id", flat=True)))
        _audit(actor=actor, capacity=capacity, regulation=reg, action=f"perda.{kind}.remove",
               before={"uid": str(point.uid), "text": point.text}, request=request)


def konsiderans_move(*, actor: User, konsiderans: Konsiderans, direction: str, request=None) -> None:
    _point_move(model=Konsiderans, point=konsiderans, kind="konsiderans", actor=actor, direction=direction,
                request=request)


def konsiderans_remove(*, actor: User, konsiderans: Konsiderans, request=None) -> None:
    _point_remove(model=Konsiderans, point=konsiderans, kind="konsiderans", actor=actor, request=request)


def _dasar_position(reg: Regulation, rank: int | None, enacted_on: dt.date | None) -> int | None:
    """Where a new dasar hukum point goes: after every point of a higher or equal rank (and earlier date)."""
    if rank is None:
        return None
    rows = list(DasarHukum.objects.live().filter(regulation=reg).order_by("order", "id")
                .values_list("rank", "enacted_on"))
    key = (rank, enacted_on or dt.date.max)
    for i, (r, d) in enumerate(rows):
        if r is not None and (r, d or dt.date.max) > key:
            return i
    return None


def dasar_hukum_add(*, actor: User, regulation: Regulation, text: str, rank: int | None = None,
                    enacted_on: dt.date | None = None, position: int | None = None, request=None) -> DasarHukum:
    """Add a Mengingat point. Without ``position`` it is placed by hierarchy rank then date when a rank is
    given, else at the end."""
    text = clean_text(text)
    if not text:
        raise EditorError({"text": _("Teks dasar hukum wajib diisi.")})
    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        if position is None:
            position = _dasar_position(reg, rank, enacted_on)
        order = _insert_at(DasarHukum, reg, position)
        d = DasarHukum.objects.create(regulation=reg, order=order, text=text, rank=rank, enacted_on=enacted_on)
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.dasar_hukum.add",
               after={"uid": str(d.uid), "text": text, "rank": rank, "enacted_on": enacted_on, "position": order},
               request=request)
    return d


def dasar_hukum_edit(*, actor: User, dasar_hukum: DasarHukum, text: str, rank: int | None = None,
                     enacted_on: dt.date | None = None, request=None) -> DasarHukum:
    text = clean_text(text)
    if not text:
        raise EditorError({"text": _("Teks dasar hukum wajib diisi.")})
    with transaction.atomic():
        reg, capacity = lock_draft(dasar_hukum.regulation, actor=actor)
        d = DasarHukum.objects.select_for_update().get(pk=dasar_hukum.pk, removed_at__isnull=True)
        before = {"uid": str(d.uid), "text": d.text, "rank": d.rank, "enacted_on": d.enacted_on}
        d.text, d.rank, d.enacted_on = text, rank, enacted_on
        d.save(update_fields=["text", "rank", "enacted_on"])
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.dasar_hukum.edit", before=before,
               after={"uid": str(d.uid), "text": text, "rank": rank, "enacted_on": enacted_on}, request=request)
    return d


def dasar_hukum_move(*, actor: User, dasar_hukum: DasarHukum, direction: str, request=None) -> None:
    _point_move(model=DasarHukum, point=dasar_hukum, kind="dasar_hukum", actor=actor, direction=direction,
                request=request)


def dasar_hukum_remove(*, actor: User, dasar_hukum: DasarHukum, request=None) -> None:
    _point_remove(model=DasarHukum, point=dasar_hukum, kind="dasar_hukum", actor=actor, request=request)


# --- provisions ---------------------------------------------------------------------------------------

def _provision_state(p: Provision) -> dict[str, Any]:
    return {"uid": str(p.uid), "kind": p.kind, "parent": str(p.parent.uid) if p.parent_id else None,
            "order": p.order, "heading": p.heading, "text": p.text, "penjelasan": p.penjelasan, "role": p.role}


def _check_nesting(kind: str, parent: Provision | None) -> None:
    if kind not in ProvisionKind.values:
        raise EditorError(_("Jenis ketentuan tidak dikenal."))
    allowed = ALLOWED_CHILDREN[parent.kind if parent else None]
    if kind not in allowed:
        where = parent.get_kind_display() if parent else _("batang tubuh")
        raise EditorError(_("%(kind)s tidak dapat ditempatkan di bawah %(parent)s.") % {
            "kind": ProvisionKind(kind).label, "parent": where})


def _siblings(regulation_id: int, parent_id: int | None):
    return Provision.objects.live().filter(regulation_id=regulation_id, parent_id=parent_id)


def _open_gap(regulation_id: int, parent_id: int | None, position: int | None, exclude_pk: int | None = None) -> int:
    """Re-sequence the live siblings 0..n-1 leaving a gap at ``position``; returns the order to use."""
    qs = _siblings(regulation_id, parent_id)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    ids = list(qs.order_by("order", "id").values_list("id", flat=True))
    if position is None or position >= len(ids):
        position = len(ids)
    position = max(0, position)
    changes = [(pk, i if i < position else i + 1) for i, pk in enumerate(ids)]
    current = dict(qs.values_list("id", "order"))
    for pk, order in changes:
        if current.get(pk) != order:
            Provision.objects.filter(pk=pk).update(order=order)
    return position


def _close_gap(regulation_id: int, parent_id: int | None) -> None:
    """Re-sequence the live siblings under ``parent_id`` as 0..n-1 (after a removal)."""
    rows = list(_siblings(regulation_id, parent_id).order_by("order", "id").values_list("id", "order"))
    for i, (pk, order) in enumerate(rows):
        if order != i:
            Provision.objects.filter(pk=pk).update(order=i)


def provision_add(
    *,
    actor: User,
    regulation: Regulation,
    kind: str,
    parent: Provision | None = None,
    position: int | None = None,
    heading: str = "",
    text: str = "",
    penjelasan: str = "",
    role: str = "",
    uid: uuid.UUID | str | None = None,
    request=None,
) -> Provision:
    """Add a provision under ``parent`` (None = top level) at ``position`` (0-based among live siblings;
    None = last)."""
    if parent is not None and (parent.regulation_id != regulation.pk or parent.removed_at is not None):
        raise EditorError(_("Induk ketentuan tidak ditemukan dalam rancangan ini."))
    _check_nesting(kind, parent)
    if role and (kind != ProvisionKind.BAB or role not in ProvisionRole.values):
        raise EditorError(_("Peran hanya dapat diberikan kepada BAB."))
    with transaction.atomic():
        reg, capacity = lock_draft(regulation, actor=actor)
        order = _open_gap(reg.pk, parent.pk if parent else None, position)
        p = Provision(
            regulation=reg, parent=parent, kind=kind, order=order,
            heading=" ".join(clean_text(heading).split()), text=clean_text(text), penjelasan=clean_text(penjelasan),
            role=role or "",
        )
        if uid is not None:
            p.uid = uuid.UUID(str(uid))
        p.save()
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.provision.add", after=_provision_state(p), request=request)
    return p


def provision_edit(*, actor: User, provision: Provision, heading: str | None = None, text: str | None = None,
                   penjelasan: str | None = None, role: str | None = None, request=None) -> Provision:
    with transaction.atomic():
        reg, capacity = lock_draft(provision.regulation, actor=actor)
        p = Provision.objects.select_for_update(of=("self",)).select_related("parent").get(pk=provision.pk)
        if p.removed_at is not None:
            raise EditorError(_("Ketentuan ini sudah dihapus dari rancangan."))
        before = _provision_state(p)
        if heading is not None:
            p.heading = " ".join(clean_text(heading).split())
        if text is not None:
            p.text = clean_text(text)
        if penjelasan is not None:
            p.penjelasan = clean_text(penjelasan)
        if role is not None:
            if role and (p.kind != ProvisionKind.BAB or role not in ProvisionRole.values):
                raise EditorError(_("Peran hanya dapat diberikan kepada BAB."))
            p.role = role
        p.save(update_fields=["heading", "text", "penjelasan", "role"])
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.provision.edit", before=before,
               after=_provision_state(p), request=request)
    return p


_UNCHANGED = object()


def provision_move(*, actor: User, provision: Provision, direction: str | None = None,
                   parent: Provision | None | object = _UNCHANGED, position: int | None = None,
                   request=None) -> Provision:
    """Move up/down among siblings (``direction``), or to ``position`` under ``parent`` (None = top level)."""
    with transaction.atomic():
        reg, capacity = lock_draft(provision.regulation, actor=actor)
        p = Provision.objects.select_for_update(of=("self",)).select_related("parent").get(pk=provision.pk)
        if p.removed_at is not None:
            raise EditorError(_("Ketentuan ini sudah dihapus dari rancangan."))
        before = _provision_state(p)
        if direction is not None:
            if direction not in ("up", "down"):
                raise EditorError(_("Arah pemindahan tidak dikenal."))
            ids = list(_siblings(reg.pk, p.parent_id).order_by("order", "id").values_list("id", flat=True))
            i = ids.index(p.pk)
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(ids):
                ids[i], ids[j] = ids[j], ids[i]
                for k, pk in enumerate(ids):
                    Provision.objects.filter(pk=pk).update(order=k)
        else:
            new_parent = p.parent if parent is _UNCHANGED else parent
            if new_parent is not None:
                new_parent = Provision.objects.get(pk=new_parent.pk)
                if new_parent.regulation_id != reg.pk or new_parent.removed_at is not None:
                    raise EditorError(_("Induk ketentuan tidak ditemukan dalam rancangan ini."))
                # Refuse moving a node under itself or its own descendant.
                anc = new_parent
                while anc is not None:
                    if anc.pk == p.pk:
                        raise EditorError(_("Ketentuan tidak dapat dipindahkan ke dalam dirinya sendiri."))
                    anc = anc.parent
            _check_nesting(p.kind, new_parent)
            old_parent_id = p.parent_id
            order = _open_gap(reg.pk, new_parent.pk if new_parent else None, position, exclude_pk=p.pk)
            p.parent = new_parent
            p.order = order
            p.save(update_fields=["parent", "order"])
            if old_parent_id != (new_parent.pk if new_parent else None):
                ids = list(_siblings(reg.pk, old_parent_id).order_by("order", "id").values_list("id", flat=True))
                for k, pk in enumerate(ids):
                    Provision.objects.filter(pk=pk).update(order=k)
        p.refresh_from_db()
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.provision.move", before=before,
               after=_provision_state(p), request=request)
    return p


def provision_remove(*, actor: User, provision: Provision, request=None) -> None:
    """Drop a provision and its subtree from the live draft (versions keep them)."""
    with transaction.atomic():
        reg, capacity = lock_draft(provision.regulation, actor=actor)
        p = Provision.objects.select_for_update(of=("self",)).select_related("parent").get(pk=provision.pk)
        if p.removed_at is not None:
            return
        rows = list(Provision.objects.live().filter(regulation=reg).values_list("id", "parent_id"))
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in rows:
            children.setdefault(parent_id, []).append(pk)
        subtree, stack = [], [p.pk]
        while stack:
            pk = stack.pop()
            subtree.append(pk)
            stack.extend(children.get(pk, ()))
        now = timezone.now()
        Provision.objects.filter(pk__in=subtree).update(removed_at=now)
        _close_gap(reg.pk, p.parent_id)
        _audit(actor=actor, capacity=capacity, regulation=reg, action="perda.provision.remove", before=_provision_state(p),
               after={"removed": len(subtree)}, request=request)


_CITATION_BEFORE = re.compile(r"sebagaimana\s+dimaksud\s+(?:dalam|pada)\s*$", re.IGNORECASE)


def reference_token(target: Provision | uuid.UUID | str) -> str:
    uid = target.uid if isinstance(target, Provision) else target
    return f"[[ref:{uid}]]"


def reference_insert(*, actor: User, provision: Provision, target: Provision,
                     prefix: str = "sebagaimana dimaksud dalam ", at: int | None = None, request=None) -> Provision:
    """Insert a reference to ``target`` into ``provision.text`` at character ``at`` (None = end)."""
    if target.regulation_id != provision.regulation_id or target.removed_at is not None:
        raise EditorError(_("Ketentuan yang dirujuk tidak ditemukan dalam rancangan ini."))
    text = provision.text
    before = text if at is None else text[:at]
    if prefix and _CITATION_BEFORE.search(before):
        prefix = ""  # the drafter already wrote "sebagaimana dimaksud dalam": only the reference goes in
    token = f"{prefix}{reference_token(target)}"
    if at is None:
        sep = "" if not text or text.endswith((" ", "\n")) else " "
        new_text = f"{text}{sep}{token}"
    else:
        sep = "" if not before or before.endswith((" ", "\n")) or prefix else " "
        new_text = before + sep + token + text[at:]
    return provision_edit(actor=actor, provision=provision, text=new_text, request=request)


def next_free_order(regulation: Regulation, parent: Provision | None) -> int:
    value = _siblings(regulation.pk, parent.pk if parent else None).aggregate(m=Max("order"))["m"]
    return 0 if value is None else value + 1
