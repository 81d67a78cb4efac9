"""The JDIHN feed: every regulation published in this JDIH, in the JSON shape the national network
(jdihn.go.id, Perpres 33/2012) harvests from its members.

Keys and value formats follow the JDIHN integration convention: every value is a string; dates YYYY-MM-DD;
``operasi`` "4" and ``display`` "1"; fields meant for monographs (``noPanggil``, ``isbn``, ``nomorIndukBuku``,
``deskripsiFisik``) are "-" for a regulation; ``abstrak`` only where there is one. URLs are absolute, built on
``PAMONG_SITE_URL``. The ``status`` follows the regulations that amend or revoke it (``legal_status``).

Reads are bounded: the published regulations and their status in one query, whatever their number.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .metadata import kind_meta, region_parts
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


# The columns the feed reads (loading whole rows of the wide regulation table costs more than the query).
FEED_FIELDS = ("kind", "title", "number", "year", "promulgated_on", "region_name", "kind_heading", "tempat_terbit",
               "penerbit", "sumber", "subjek", "bahasa", "bidang_hukum", "teu_badan", "abstrak")


def with_legal_status(queryset: QuerySet[Regulation], today: dt.date) -> QuerySet[Regulation]:
    """Annotate ``is_revoked`` and ``is_amended`` as of ``today`` (two EXISTS subqueries, no extra query).

    Revoked: a regulation revoking it is promulgated on or before ``today`` (the usual closing provision puts
    it in force on that day; a later date of entry into force stated in a text is to be confirmed per text).
    Amended: an amending regulation has taken effect — ``Amendment.in_force_on`` (Pasal II) when set, else
    its promulgation date (``Amendment.effective_on``)."""
    # Driven from the revoked side (the link table's index on it), so the plan does not scan every regulation.
    revoking = Regulation.revokes.through.objects.filter(
        to_regulation=OuterRef("pk"), from_regulation__number__isnull=False,
        from_regulation__promulgated_on__lte=today)
    enacted = Regulation.objects.filter(number__isnull=False, promulgated_on__isnull=False)
    amending = enacted.filter(amends=OuterRef("pk")).filter(
        Q(amendment__in_force_on__lte=today) | Q(amendment__in_force_on__isnull=True, promulgated_on__lte=today))
    return queryset.annotate(is_revoked=Exists(revoking), is_amended=Exists(amending))


def published_regulations(today: dt.date | None = None) -> QuerySet[Regulation]:
    """Published regulations with their legal status, in one query whatever their number."""
    published = Regulation.objects.filter(formation__stage=Stage.SELESAI, enacted_version__isnull=False)
    return (with_legal_status(published, today or timezone.localdate()).only(*FEED_FIELDS)
            .order_by("-year", "-number", "pk"))


def legal_status(regulation: Regulation) -> str:
    """Dicabut, else Diubah, else Berlaku — from the annotations of ``with_legal_status``."""
    if regulation.is_revoked:
        return DICABUT
    if regulation.is_amended:
        return DIUBAH
    return BERLAKU


def _absolute(path: str) -> str:
    return settings.PAMONG_SITE_URL.rstrip("/") + path


def file_name(regulation: Regulation) -> str:
    """The name the JDIH serves the PDF under (``perda.views.public.jdih_pdf``)."""
    return f"{regulation.kind}-{regulation.year}-{regulation.number}.pdf"


def judul(regulation: Regulation) -> str:
    """"Peraturan Daerah Kota Tangerang Selatan Nomor 4 Tahun 2026 tentang …" ("Peraturan Wali Kota Tangerang
    Selatan …" for a Perwali, "Peraturan Bupati Bandung …" in a kabupaten); an imported text of another region
    keeps its own region and head."""
    level, place = region_parts(regulation)
    daerah = f"{level} {place}".strip() if regulation.kind == "perda" else place
    return (f"{kind_meta(regulation).jenis} {daerah} Nomor {regulation.number} Tahun {regulation.year} "
            f"tentang {regulation.title}")


def _jdih_path() -> str:
    # Resolved once per feed: reversing two URLs per regulation was a third of the feed's time. The detail
    # and PDF paths are "<listing>/<id>/" and "<listing>/<id>/pdf/" (perda/urls.py; tests compare with reverse).
    return reverse("perda:jdih_list")


def feed_entry(regulation: Regulation, jdih_path: str | None = None) -> dict[str, str]:
    """One feed object; ``regulation`` comes from ``published_regulations`` (its status annotated)."""
    kind = kind_meta(regulation)
    detail = f"{jdih_path or _jdih_path()}{regulation.pk}/"
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
        "status": legal_status(regulation),
        "bahasa": regulation.bahasa,
        "bidangHukum": regulation.bidang_hukum,
        "teuBadan": regulation.teu_badan,
        "nomorIndukBuku": NOT_APPLICABLE,
        "fileDownload": file_name(regulation),
        "urlDownload": _absolute(f"{detail}pdf/"),
        "urlDetailPeraturan": _absolute(detail),
        "operasi": "4",
        "display": "1",
    }
    if regulation.abstrak.strip():
        entry["abstrak"] = regulation.abstrak.strip()
    return entry


def jdihn_feed(today: dt.date | None = None) -> list[dict[str, str]]:
    path = _jdih_path()
    return [feed_entry(r, path) for r in published_regulations(today) if r.promulgated_on and r.number]


def feed_fingerprint(today: dt.date | None = None) -> str:
    """What the feed depends on, in one aggregate query: any regulation or formation written since (an
    amendment enacted, metadata filled, a publication), and the day (an amendment taking effect)."""
    today = today or timezone.localdate()
    facts = Regulation.objects.aggregate(n=Count("pk"), changed=Max("updated_at"),
                                         staged=Max("formation__updated_at"))
    raw = f"{today.isoformat()}|{facts['n']}|{facts['changed']}|{facts['staged']}"
    return hashlib.sha256(raw.encode()).hexdigest()
