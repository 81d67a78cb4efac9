"""Paste the text of a published regulation, review the recovered structure, then save it as a draft.

Step 1 (POST ``text``): parse and show the structure (BAB, Bagian, Pasal with their numbers, counts) with the
text kept in the form. Step 2 (POST ``text`` + ``confirm``): parse again and save through the services.
"""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from workflows.models import OrgUnit, OrgUnitKind
from workflows.policy import Denied

from ..importer import RegulationTextError, iter_pasal, parse_regulation, save_regulation
from .editor import _denied, require_read

MAX_CHARS = 600_000


class ImportForm(forms.Form):
    text = forms.CharField(label=_l("Teks peraturan (salin dari PDF)"), widget=forms.Textarea(attrs={"rows": 14}),
                           max_length=MAX_CHARS)
    pemrakarsa = forms.ModelChoiceField(label=_l("Pemrakarsa rancangan perubahan"), queryset=OrgUnit.objects.none(),
                                        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemrakarsa"].queryset = OrgUnit.objects.filter(
            is_active=True, kind__in=[OrgUnitKind.PERANGKAT_DAERAH, OrgUnitKind.BAGIAN, OrgUnitKind.KOTA]).order_by("path")


def _outline(body: list[dict], depth: int = 0) -> list[dict]:
    rows = []
    for node in body:
        t = node["type"]
        if t == "pasal":
            rows.append({"depth": depth, "label": f"Pasal {node['num']}",
                         "detail": (f"{len(node.get('ayat', []))} ayat" if node.get("ayat") else
                                    (node.get("text", "")[:90] + ("…" if len(node.get("text", "")) > 90 else "")))})
        else:
            word = {"bab": "BAB", "bagian": "Bagian", "paragraf": "Paragraf"}[t]
            rows.append({"depth": depth, "label": f"{word} {node['num']}", "detail": node.get("heading", "")})
            rows.extend(_outline(node.get("children", []), depth + 1))
    return rows


def regulation_import(request):
    try:
        require_read(request.user)
    except Denied as exc:
        return _denied(request, exc)
    form = ImportForm(request.POST or None)
    parsed = None
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            parsed = parse_regulation(form.cleaned_data["text"])
        except RegulationTextError as exc:
            error = str(exc)
        if parsed is not None and request.POST.get("confirm"):
            unit = form.cleaned_data.get("pemrakarsa")
            if unit is None:
                form.add_error("pemrakarsa", _("Pilih pemrakarsa rancangan."))
            else:
                reg = save_regulation(parsed, actor=request.user, pemrakarsa=unit, drafter=request.user,
                                      request=request)
                messages.success(request, _("Struktur peraturan disimpan sebagai rancangan baru."))
                return redirect("perda:editor", regulation_id=reg.pk)
    context = {"form": form, "parsed": parsed, "error": error}
    if parsed is not None:
        context.update({
            "outline": _outline(parsed["body"]),
            "pasal_count": sum(1 for _p in iter_pasal(parsed["body"])),
            "bab_count": sum(1 for n in parsed["body"] if n["type"] == "bab"),
            "closing": parsed.get("penutup") or {},
        })
    status = 400 if request.method == "POST" and (not form.is_valid() or error) else 200
    return render(request, "perda/editor_import.html", context, status=status)
