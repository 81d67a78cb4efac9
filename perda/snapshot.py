"""The snapshot: the full structure of a regulation as plain JSON (format in perda/README.md).

``snapshot_build`` reads the live draft in a fixed number of queries whatever its size; every renderer,
check and the redline work on snapshots, so a frozen ``Version`` and the live draft render the same way.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from .models import DasarHukum, Konsiderans, Provision, Regulation

FORMAT = 1


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# A regulation imported from its published text keeps its own region and closing block as printed.
PUBLISHED_CLOSING_FIELDS = ("imported_from_text", "region_name", "province_name", "head_title", "kind_heading",
                            "enacted_place", "enacted_date_text", "promulgated_place", "promulgated_date_text",
                            "sekda_title", "gazette_label", "tambahan_label", "noreg_label", "menetapkan_text",
                            "pengundangan_text")


def regulation_meta(regulation: Regulation) -> dict[str, Any]:
    return {
        "id": regulation.pk,
        "kind": regulation.kind,
        "evaluasi_kind": regulation.evaluasi_kind,
        "title": regulation.title,
        "number": regulation.number,
        "year": regulation.year,
        "enacted_on": _iso(regulation.enacted_on),
        "promulgated_on": _iso(regulation.promulgated_on),
        "gazette_number": regulation.gazette_number,
        "tambahan_number": regulation.tambahan_number,
        "noreg": regulation.noreg,
        "signer_name": regulation.signer_name,
        "signer_title": regulation.signer_title,
        "sekda_name": regulation.sekda_name,
        "dinyatakan_sah": regulation.dinyatakan_sah,
        "pemrakarsa": regulation.pemrakarsa.name if regulation.pemrakarsa_id else "",
        **{field: getattr(regulation, field) for field in PUBLISHED_CLOSING_FIELDS},
    }


def provision_dict(p: Provision) -> dict[str, Any]:
    return {
        "uid": str(p.uid), "kind": p.kind, "heading": p.heading, "text": p.text,
        "penjelasan": p.penjelasan, "role": p.role, "children": [],
    }


def build_body(provisions) -> tuple[list[dict], dict[int, dict]]:
    """Turn provision rows (any order) into the nested body; also returns pk → node."""
    rows = sorted(provisions, key=lambda p: (p.order, p.pk))
    by_parent: dict[int | None, list[Provision]] = defaultdict(list)
    for p in rows:
        by_parent[p.parent_id].append(p)
    nodes: dict[int, dict] = {}

    def build(parent_id):
        out = []
        for p in by_parent.get(parent_id, ()):
            node = provision_dict(p)
            nodes[p.pk] = node
            node["children"] = build(p.pk)
            out.append(node)
        return out

    return build(None), nodes


def snapshot_build(regulation: Regulation) -> dict[str, Any]:
    """The live draft as a snapshot (4 queries: pemrakarsa, konsiderans, dasar hukum, provisions)."""
    konsiderans = Konsiderans.objects.live().filter(regulation=regulation).order_by("order", "id")
    dasar = DasarHukum.objects.live().filter(regulation=regulation).order_by("order", "id")
    provisions = Provision.objects.live().filter(regulation=regulation).only(
        "id", "uid", "parent_id", "kind", "order", "heading", "text", "penjelasan", "role"
    )
    body, _nodes = build_body(provisions)
    snapshot = {
        "format": FORMAT,
        "regulation": regulation_meta(regulation),
        "konsiderans": [{"uid": str(k.uid), "text": k.text} for k in konsiderans],
        "dasar_hukum": [
            {"uid": str(d.uid), "text": d.text, "rank": d.rank, "enacted_on": _iso(d.enacted_on)} for d in dasar
        ],
        "penjelasan_umum": regulation.penjelasan_umum,
        "body": body,
    }
    if regulation.amends_id:  # an amending regulation (2 more queries): perda.amendments
        from .amendments.selectors import amendment_block

        block = amendment_block(regulation)
        if block is not None:
            snapshot["amendment"] = block
    return snapshot


def canonical_json(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()
