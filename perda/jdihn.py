"""The JDIHN feed: every regulation published in this JDIH, in the JSON shape the national network
(jdihn.go.id, Perpres 33/2012) harvests from its members.

Keys and value formats follow the JDIHN integration convention: every value is a string; dates YYYY-MM-DD;
``operasi`` "4" and ``display`` "1"; fields meant for monographs (``noPanggil``, ``isbn``, ``nomorIndukBuku``,
``deskripsiFisik``) are "-" for a regulation; ``abstrak`` only where there is one. URLs are absolute, built on
``PAMONG_SITE_URL``. The ``status`` follows the regulations that amend or revoke it (``legal_status``).

Reads are bounded: the published regulations in one query, their amending regulations (with the amendment
row) and their revoking regulations in one prefetch each, whatever their number.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from .metadata import KIND_META
from .models import Regulation
from .states import Stage

# JDIHN status words (Permenkumham 8/2019 "status peraturan"; the network shows these three).
BERLAKU = "Berlaku"
DIUBAH = "Diubah"
DICABUT = "Dicabut"

FEED_KEYS: tuple[str, ...] = (
    "idData", "tahun_pengundangan", "tanggal_pengundangan", "jenis", "noPeraturan", "judul", "noPanggil",
    "singkatanJenis", "tempatTerbit", "penerbit", "deskripsiFisik", "sumber", "subjek", "isbn", "status",
    "bahasa", "bidangHukum", "teuBadan", "nomorIndukBuku", "fileDownload", "urlDownload", "urlDetailPeraturan",
    "operasi", "display",
)
NOT_APPLICABLE = "-"


def published_regulations() -> QuerySet[Regulation]:
    """Published regulations with what their status needs, in a constant number of queries."""
    amending = Regulation.objects.filter(number__isnull=False, promulgated_on__isnull=False).select_related("amendment")
    revoking = Regulation.objects.filter(number__isnull=False, promulgated_on__isnull=False)
    return (
        Regulation.objects.filter(formation__stage=Stage.SELESAI, enacted_version__isnull=False)
        .defer("penjelasan_umum")
        .prefetch_related(Prefetch("amended_by", queryset=amending), Prefetch("revoked_by", queryset=revoking))
        .order_by("-year", "-number", "pk")
    )


def legal_status(regulation: Regulation, today: dt.date | None = None) -> str:
    """Dicabut once a revoking regulation is promulgated (in force on that day, the usual closing provision;
    a later date of entry into force is to be confirmed per text), else Diubah once an amending regulation has
    taken effect (``Amendment.effective_on``), else Berlaku. Uses the prefetched relations."""
    today = today or timezone.localdate()
    if any(r.promulgated_on and r.promulgated_on <= today for r in regulation.revoked_by.all()):
        return DICABUT
    for amending in regulation.amended_by.all():
        amendment = getattr(amending, "amendment", None)
        effective = amendment.effective_on if amendment is not None else amending.promulgated_on
        if effective and effective <= today:
            return DIUBAH
    return BERLAKU


def _absolute(path: str) -> str:
    return settings.PAMONG_SITE_URL.rstrip("/") + path


def file_name(regulation: Regulation) -> str:
    """The name the JDIH serves the PDF under (``perda.views.public.jdih_pdf``)."""
    return f"{regulation.kind}-{regulation.year}-{regulation.number}.pdf"


def judul(regulation: Regulation) -> str:
    """"Peraturan Daerah Kota Tangerang Selatan Nomor 4 Tahun 2026 tentang …"."""
    from .amendments.render import base_citation

    citation = base_citation({"kind": regulation.kind, "number": regulation.number, "year": regulation.year})
    return f"{citation} tentang {regulation.title}"


def feed_entry(regulation: Regulation, today: dt.date | None = None) -> dict[str, str]:
    kind = KIND_META[regulation.kind]
    entry: dict[str, Any] = {
        "idData": str(regulation.pk),
        "tahun_pengundangan": str(regulation.promulgated_on.year),
        "tanggal_pengundangan": regulation.promulgated_on.isoformat(),
        "jenis": kind.jenis,
        "noPeraturan": str(regulation.number),
        "judul": judul(regulation),
        "noPanggil": NOT_APPLICABLE,
        "singkatanJenis": kind.singkatan,
        "tempatTerbit": regulation.tempat_terbit,
        "penerbit": regulation.penerbit or NOT_APPLICABLE,
        "deskripsiFisik": NOT_APPLICABLE,
        "sumber": regulation.sumber,
        "subjek": regulation.subjek,
        "isbn": NOT_APPLICABLE,
        "status": legal_status(regulation, today),
        "bahasa": regulation.bahasa,
        "bidangHukum": regulation.bidang_hukum,
        "teuBadan": regulation.teu_badan,
        "nomorIndukBuku": NOT_APPLICABLE,
        "fileDownload": file_name(regulation),
        "urlDownload": _absolute(reverse("perda:jdih_pdf", args=[regulation.pk])),
        "urlDetailPeraturan": _absolute(reverse("perda:jdih_detail", args=[regulation.pk])),
        "operasi": "4",
        "display": "1",
    }
    if regulation.abstrak.strip():
        entry["abstrak"] = regulation.abstrak.strip()
    return entry


def jdihn_feed(today: dt.date | None = None) -> list[dict[str, str]]:
    today = today or timezone.localdate()
    return [feed_entry(r, today) for r in published_regulations() if r.promulgated_on and r.number]


def feed_fingerprint(today: dt.date | None = None) -> str:
    """What the feed depends on, in one aggregate query: any regulation or formation written since (an
    amendment enacted, metadata filled, a publication), and the day (an amendment taking effect)."""
    today = today or timezone.localdate()
    facts = Regulation.objects.aggregate(n=Count("pk"), changed=Max("updated_at"),
                                         staged=Max("formation__updated_at"))
    raw = f"{today.isoformat()}|{facts['n']}|{facts['changed']}|{facts['staged']}"
    return hashlib.sha256(raw.encode()).hexdigest()
