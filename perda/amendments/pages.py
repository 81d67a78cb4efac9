"""Page support for amendments: what the JDIH page of a regulation shows about its amendments (the text in
force on a date, the original, each provision's history, the links both ways, a redline between two dates),
and the staff action that starts an amendment draft."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Regulation
from ..numbering import iter_nodes, number_tree
from .render import base_citation
from .selectors import amendments_of, consolidated


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def history_rows(body: list[dict]) -> list[dict[str, Any]]:
    """Each provision that was changed: its citation and the notes ("diubah dengan Peraturan Daerah …")."""
    labels = number_tree(body)
    return [{"citation": labels[n["uid"]].citation, "uid": n["uid"], "notes": [h["note"] for h in n["history"]]}
            for n, _p in iter_nodes(body) if n.get("history")]


def jdih_amendment_context(request: HttpRequest, regulation: Regulation) -> dict[str, Any]:
    """Context for the JDIH page: ``amends`` (the regulation this one amends), ``amended_by`` (those that
    amend it), and when it has been amended: ``consolidated_html`` (the text in force on ``?tanggal=``,
    default today; ``?naskah=asli`` keeps the original), ``history``, ``redline_html`` (``?banding=`` date →
    ``?tanggal=`` date)."""
    from ..render.html import render_html
    from ..snapshot import regulation_meta

    ctx: dict[str, Any] = {"amends": None, "amended_by": [], "consolidated_html": None}
    if regulation.amends_id:
        base = Regulation.objects.select_related("formation").get(pk=regulation.amends_id)
        ctx["amends"] = {"regulation": base, "citation": base_citation(regulation_meta(base)),
                         "published": _published(base)}
    amending = [r for r in amendments_of(regulation) if r.number is not None]
    if not amending:
        return ctx
    ctx["amended_by"] = [{"regulation": r, "citation": base_citation(regulation_meta(r)),
                          "on": getattr(getattr(r, "amendment", None), "effective_on", None),
                          "published": _published(r)} for r in amending]
    on = _date(request.GET.get("tanggal")) or dt.date.today()
    ctx["tanggal"] = on
    ctx["asli"] = request.GET.get("naskah") == "asli"
    result = consolidated(regulation, on)
    ctx["not_yet_in_force"] = result["not_yet_in_force"]
    ctx["applied"] = result["applied"]
    ctx["pending"] = result["pending"]
    ctx["notes"] = result["notes"]
    ctx["history"] = history_rows(result["body"])
    if not ctx["asli"]:
        snapshot = dict(result["snapshot"])
        ctx["consolidated_html"] = render_html(snapshot, standalone=False)
    since = _date(request.GET.get("banding"))
    if since is not None:
        from ..redline import redline_html

        earlier = consolidated(regulation, since)
        ctx["banding"] = since
        ctx["redline_html"] = redline_html(earlier["snapshot"], result["snapshot"],
                                           label_a=since.isoformat(), label_b=on.isoformat())
    return ctx


def _published(regulation: Regulation) -> bool:
    from ..states import Stage

    formation = getattr(regulation, "formation", None)
    return bool(regulation.enacted_version_id and formation is not None and formation.stage == Stage.SELESAI)


@login_required
@require_POST
def amendment_start_view(request: HttpRequest, regulation_id: int):
    """Start a "Perubahan atas …" draft of an enacted regulation and open it in the editor."""
    from .services import amendment_start

    base = get_object_or_404(Regulation, pk=regulation_id)
    try:
        reg = amendment_start(actor=request.user, base=base, request=request)  # refuses (403) who may not draft
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("perda:jdih_detail", base.pk)
    messages.success(request, _("Rancangan perubahan dibuat dari teks yang berlaku hari ini."))
    return redirect("perda:editor", reg.pk)
