"""Reads for amending regulations: the consolidated text of a regulation on a date, the amendments in force,
the ``amendment`` block of an amending regulation's snapshot. Constant query counts whatever the number of
provisions: the base, its amendments (one query with their rows and versions)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..models import Amendment, AmendmentSource, Regulation
from .consolidate import consolidate
from .render import base_citation, drafted_instructions
from .tree import from_snapshot_body, resolve_refs, to_snapshot_body


def text_of(regulation: Regulation) -> dict[str, Any]:
    """The regulation's own text: its enacted version, else the live draft."""
    from ..snapshot import snapshot_build

    if regulation.enacted_version_id:
        return regulation.enacted_version.snapshot
    return snapshot_build(regulation)


def amendments_of(base: Regulation) -> list[Regulation]:
    """The regulations that amend ``base`` (enacted or not), oldest first."""
    return list(Regulation.objects.filter(amends=base).select_related("amendment", "enacted_version", "formation", "pemrakarsa")
                .order_by("promulgated_on", "pk"))


def instructions_for(amending: Regulation) -> list[dict[str, Any]]:
    amendment: Amendment = amending.amendment
    if amendment.source == AmendmentSource.IMPORTED:
        return amendment.instructions
    if not amending.enacted_version_id:
        return []
    return drafted_instructions((amendment.base_snapshot or {}).get("body", []), amending.enacted_version.snapshot)


def in_force_list(base: Regulation) -> list[dict[str, Any]]:
    """Each amendment as consolidation takes it: ``{"id", "label", "date", "instructions"}``; drafts and
    amendments without a date of effect are left out."""
    from ..snapshot import regulation_meta

    out = []
    for reg in amendments_of(base):
        amendment = getattr(reg, "amendment", None)
        if amendment is None or amendment.effective_on is None or reg.number is None:
            continue
        out.append({"id": reg.pk, "label": base_citation(regulation_meta(reg)),
                    "date": amendment.effective_on.isoformat(), "instructions": instructions_for(reg)})
    return out


def consolidated(base: Regulation, on: dt.date | None = None) -> dict[str, Any]:
    """The text of ``base`` in force on ``on`` (today's text with every amendment when None):
    ``{"body"`` (snapshot shape, uids kept, numbers as printed), ``"import_body"`` (import shape),
    ``"applied"``, ``"pending"``, ``"notes"``, ``"not_yet_in_force"``}."""
    snapshot = text_of(base)
    base_body = from_snapshot_body(snapshot.get("body", []))
    result = consolidate(base_body, in_force_list(base), on)
    result["body"] = to_snapshot_body(result["body"], namespace=f"regulation-{base.pk}")
    result["import_body"] = from_snapshot_body(resolve_refs(result["body"]))
    start = base.promulgated_on or base.enacted_on
    result["not_yet_in_force"] = bool(on and start and on < start)
    result["snapshot"] = {**snapshot, "body": result["body"]}
    return result


def amendment_block(regulation: Regulation) -> dict[str, Any] | None:
    """What the snapshot of an amending regulation carries so that any later render of it (a frozen version
    too) writes the same Pasal I: the base's facts, the base text the draft started from (or the imported
    instructions), Pasal II."""
    from ..snapshot import regulation_meta

    if not regulation.amends_id:
        return None
    amendment = Amendment.objects.filter(regulation=regulation).first()
    if amendment is None:
        return None
    base = Regulation.objects.select_related("pemrakarsa").get(pk=regulation.amends_id)
    block: dict[str, Any] = {"base": regulation_meta(base), "ordinal": amendment.ordinal,
                             "pasal_ii": amendment.pasal_ii, "source": amendment.source}
    if amendment.source == AmendmentSource.IMPORTED:
        block["instructions"] = amendment.instructions
    else:
        block["base_body"] = (amendment.base_snapshot or {}).get("body", [])
        block["lampiran"] = list(amendment.lampiran or [])
    return block
