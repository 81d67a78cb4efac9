"""The enacted regulation as a signable document (``workflows.signing.registry``).

The Wali Kota (or whoever acts for the post that day, Plh/Plt included) signs the frozen PDF served at
``/publik/jdih/<id>/pdf/``; from then on that page serves the signed PDF only. A regulation "dinyatakan sah"
(not signed within the deadline, UU 12/2011 Ps. 79) has no signer, so it is not signed electronically either.
"""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from workflows.models import PositionKind
from workflows.signing.registry import SignableKind, SourcePdf, register

from .models import Regulation

KIND = "perda.peraturan"


def _source(regulation: Regulation) -> SourcePdf | None:
    if not regulation.enacted_pdf or not regulation.enacted_pdf_sha256:
        return None
    with regulation.enacted_pdf.open("rb") as handle:
        return SourcePdf(pdf=handle.read(), sha256=regulation.enacted_pdf_sha256)


def _signer_position(regulation: Regulation):
    from .policy import position_of_kind

    if regulation.dinyatakan_sah or not regulation.enacted_pdf_sha256:
        return None
    return position_of_kind(PositionKind.WALI_KOTA)


def _title(regulation: Regulation) -> str:
    return _("%(kind)s Nomor %(number)s Tahun %(year)s tentang %(title)s") % {
        "kind": regulation.kind_label, "number": regulation.number or "-", "year": regulation.year or "-",
        "title": regulation.title,
    }


def _metadata(regulation: Regulation) -> list[tuple[str, str]]:
    return [(_("Jenis"), str(regulation.kind_label)), (_("Nomor"), str(regulation.number or "")),
            (_("Tahun"), str(regulation.year or "")),
            (_("Tautan JDIH"),
             settings.PAMONG_SITE_URL.rstrip("/") + reverse("perda:jdih_detail", args=[regulation.pk]))]


def _filename(regulation: Regulation) -> str:
    return f"{regulation.kind}-{regulation.year}-{regulation.number}.pdf"


def connect() -> None:
    register(SignableKind(
        key=KIND, label=_l("Peraturan yang diundangkan"), model=Regulation, source=_source,
        signer_position=_signer_position, title=_title, metadata=_metadata,
        back_url=lambda regulation: reverse("perda:formation_detail", args=[regulation.pk]),
        reason=_l("Penetapan"), final=True, filename=_filename,
    ))
