"""What differs between the forms of a regulation, as descriptor rows (DESIGN.md "Variation lives in
descriptors"). A regulation is either a *pokok* (its own batang tubuh of BAB and Pasal) or a *perubahan* of
another regulation (Lampiran II UU 12/2011 Bab IV: Pasal I with the numbered instructions, Pasal II with the
entry into force). The renderers, the amendment service and the JDIH read the row; they do not branch on the
form themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RegulationForm:
    code: str
    label: str
    # Title of a new draft of this form, from the base regulation's citation and title.
    title_formula: str
    # The first konsiderans point a new draft of this form starts with (the drafter edits it).
    konsiderans_seed: str
    # Pasal II (entry into force) of an amending regulation.
    pasal_ii: str
    # Pasal I's opening sentence, many instructions / one instruction.
    opening_many: str
    opening_one: str
    # AKN: the ``contains`` attribute of the act and whether its body is a list of modifications.
    akn_contains: str
    body: str  # "batang_tubuh" | "pasal_romawi"


FORMS: dict[str, RegulationForm] = {
    "pokok": RegulationForm(
        code="pokok", label="Peraturan", title_formula="{title}", konsiderans_seed="", pasal_ii="",
        opening_many="", opening_one="", akn_contains="originalVersion", body="batang_tubuh",
    ),
    "perubahan": RegulationForm(
        code="perubahan", label="Peraturan Perubahan",
        title_formula="Perubahan {ordinal}atas {base_citation} tentang {base_title}",
        konsiderans_seed=("bahwa beberapa ketentuan dalam {base_citation} tentang {base_title} sudah tidak "
                          "sesuai dengan perkembangan dan kebutuhan hukum sehingga perlu diubah;"),
        pasal_ii="{jenis_kalimat} ini mulai berlaku pada tanggal diundangkan.",
        opening_many="Beberapa ketentuan dalam {base_full} diubah sebagai berikut:",
        opening_one="Ketentuan dalam {base_full} diubah sebagai berikut:",
        akn_contains="singleVersion", body="pasal_romawi",
    ),
}


def form_of(snapshot: dict[str, Any]) -> RegulationForm:
    return FORMS["perubahan" if snapshot.get("amendment") else "pokok"]

