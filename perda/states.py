"""The formation stages of a regulation (DOMAIN.md §4) and the outcomes Bagian Hukum records at each.

The stage itself lives on ``perda.models.formation.Formation.stage`` (a django-fsm-2 field whose
``@transition`` methods are the only writers). This module holds the vocabulary: stage names, which stages
lie on the Perda and the Perwali path, the outcome of each outside party's decision, and which legal deadline
(a ``workflows.LegalDeadline`` code) runs during a stage.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PERENCANAAN = "perencanaan", _("Perencanaan (Propemperda)")
    PENYUSUNAN = "penyusunan", _("Penyusunan")
    HARMONISASI = "harmonisasi", _("Pengharmonisasian")
    PEMBAHASAN_1 = "pembahasan_1", _("Pembahasan tingkat I")
    FASILITASI = "fasilitasi", _("Fasilitasi Gubernur")
    PEMBAHASAN_2 = "pembahasan_2", _("Pembahasan tingkat II dan persetujuan bersama")
    PENYERAHAN = "penyerahan", _("Penyampaian kepada Wali Kota")
    EVALUASI = "evaluasi", _("Evaluasi Gubernur")
    PERBAIKAN_EVALUASI = "perbaikan_evaluasi", _("Penyempurnaan hasil evaluasi")
    NOREG = "noreg", _("Nomor register (noreg)")
    PENETAPAN = "penetapan", _("Penetapan oleh Wali Kota")
    PENGUNDANGAN = "pengundangan", _("Pengundangan oleh Sekretaris Daerah")
    PENYEBARLUASAN = "penyebarluasan", _("Penyebarluasan (JDIH)")
    SELESAI = "selesai", _("Selesai — dipublikasikan")
    DITARIK = "ditarik", _("Ditarik")


TERMINAL = frozenset({Stage.SELESAI, Stage.DITARIK})

# Stages in the order a Perda passes them; the Perwali path is the subsequence without DPRD and province.
PERDA_ORDER: tuple[str, ...] = (
    Stage.PERENCANAAN, Stage.PENYUSUNAN, Stage.HARMONISASI, Stage.PEMBAHASAN_1, Stage.FASILITASI,
    Stage.PEMBAHASAN_2, Stage.PENYERAHAN, Stage.EVALUASI, Stage.PERBAIKAN_EVALUASI, Stage.NOREG,
    Stage.PENETAPAN, Stage.PENGUNDANGAN, Stage.PENYEBARLUASAN, Stage.SELESAI,
)
PERWALI_ORDER: tuple[str, ...] = (
    Stage.PENYUSUNAN, Stage.HARMONISASI, Stage.PENETAPAN, Stage.PENGUNDANGAN, Stage.PENYEBARLUASAN,
    Stage.SELESAI,
)
DPRD_STAGES = frozenset({Stage.PEMBAHASAN_1, Stage.FASILITASI, Stage.PEMBAHASAN_2, Stage.PENYERAHAN})
# Before pembahasan tingkat I a draft may be withdrawn freely; from it until persetujuan bersama only with
# a recorded joint agreement of DPRD and Wali Kota; after persetujuan bersama not at all.
FREE_WITHDRAWAL = frozenset({Stage.PERENCANAAN, Stage.PENYUSUNAN, Stage.HARMONISASI})
AGREED_WITHDRAWAL = frozenset({Stage.PEMBAHASAN_1, Stage.FASILITASI, Stage.PEMBAHASAN_2})


def path_for(*, is_perwali: bool, is_evaluasi: bool) -> tuple[str, ...]:
    """The stages a regulation of this kind passes on its straight path (no loops), in order."""
    if is_perwali:
        return PERWALI_ORDER
    skip = {Stage.PERBAIKAN_EVALUASI}
    skip.add(Stage.FASILITASI if is_evaluasi else Stage.EVALUASI)
    return tuple(s for s in PERDA_ORDER if s not in skip)


class Outcome(models.TextChoices):
    """What an outside party decided, as Bagian Hukum records it from the document received."""

    MULAI = "mulai", _("Dimulai")
    DIAJUKAN = "diajukan", _("Diajukan")
    SELESAI = "selesai", _("Selesai / diterima")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan dengan catatan")
    ADA_TEMUAN = "ada_temuan", _("Ada temuan / rekomendasi perbaikan")
    SESUAI = "sesuai", _("Sesuai")
    TIDAK_SESUAI = "tidak_sesuai", _("Tidak sesuai")
    DISETUJUI = "disetujui", _("Disetujui bersama")
    DITERIMA = "diterima", _("Diterima")
    DIPERBAIKI = "diperbaiki", _("Telah disempurnakan")
    DIKIRIM = "dikirim", _("Dikirim")
    DITERBITKAN = "diterbitkan", _("Diterbitkan")
    DITETAPKAN = "ditetapkan", _("Ditetapkan (ditandatangani)")
    DINYATAKAN_SAH = "dinyatakan_sah", _("Dinyatakan sah (tidak ditandatangani dalam 30 hari)")
    DIUNDANGKAN = "diundangkan", _("Diundangkan")
    DIPUBLIKASIKAN = "dipublikasikan", _("Dipublikasikan di JDIH")
    DITARIK = "ditarik", _("Ditarik")


# The outcomes Bagian Hukum may record in each stage through the generic "record a result" form. Stages
# with their own dedicated action (penetapan, pengundangan, penyebarluasan, submission) are absent here.
RECORDABLE: dict[str, tuple[str, ...]] = {
    Stage.HARMONISASI: (Outcome.SELESAI, Outcome.DIKEMBALIKAN),
    Stage.PEMBAHASAN_1: (Outcome.SELESAI,),
    Stage.FASILITASI: (Outcome.SESUAI, Outcome.ADA_TEMUAN),
    Stage.PEMBAHASAN_2: (Outcome.DISETUJUI,),
    Stage.PENYERAHAN: (Outcome.DITERIMA,),
    Stage.EVALUASI: (Outcome.SESUAI, Outcome.TIDAK_SESUAI),
    Stage.PERBAIKAN_EVALUASI: (Outcome.DIPERBAIKI,),
    Stage.NOREG: (Outcome.DIKIRIM, Outcome.DITERBITKAN),
}

# What the recorded document is called, for form labels and the timeline.
RECORD_DOCUMENT = {
    Stage.HARMONISASI: _("Berita Acara Selesai Harmonisasi / surat pengembalian Kanwil"),
    Stage.PEMBAHASAN_1: _("Laporan hasil pembahasan tingkat I"),
    Stage.FASILITASI: _("Surat hasil fasilitasi Gubernur"),
    Stage.PEMBAHASAN_2: _("Keputusan DPRD tentang persetujuan bersama"),
    Stage.PENYERAHAN: _("Surat penyampaian Pimpinan DPRD"),
    Stage.EVALUASI: _("Keputusan Gubernur tentang hasil evaluasi"),
    Stage.PERBAIKAN_EVALUASI: _("Berita acara penyempurnaan"),
    Stage.NOREG: _("Surat permohonan / pemberian noreg"),
}

# LegalDeadline codes (workflows.calendar.deadline_due) running while a formation is in a stage.
# ``noreg`` has two: the city's 3 days to send, then the province's 7 days to issue.
DEADLINE_CODES = {
    "harmonisasi": "harmonisasi",
    "fasilitasi": "fasilitasi",
    "penyerahan": "penyampaian-dprd",
    "perbaikan_evaluasi": "evaluasi-penyempurnaan",
    "noreg_send": "noreg-penyampaian",
    "noreg_issue": "noreg-penerbitan",
    "penetapan": "penetapan",
    "penetapan_evaluasi": "penetapan-evaluasi",
}
