"""Bagian Hukum fills the JDIH metadata of an enacted regulation at the penyebarluasan stage
(Permenkumham 8/2019; the rules are ``perda.metadata.RULES``), including which earlier regulations it revokes.
Publication (``perda.services.formation.formation_publish``) is refused until the required fields are there."""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.models import User
from workflows.services.audit import audit_record

from .. import policy
from ..metadata import METADATA_FIELDS
from ..models import Formation, Regulation
from ..states import Stage
from .formation import FormationError


def _clean(fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - set(METADATA_FIELDS)
    if unknown:
        raise ValueError(f"not metadata fields: {sorted(unknown)}")
    cleaned = {}
    for name, value in fields.items():
        value = (value or "").strip()
        limit = Regulation._meta.get_field(name).max_length
        if limit and len(value) > limit:
            label = Regulation._meta.get_field(name).verbose_name
            raise FormationError(
                _("%(field)s terlalu panjang (paling banyak %(limit)s karakter).") % {"field": label, "limit": limit},
                code="too_long",
            )
        cleaned[name] = value
    return cleaned


def _revocable(regulation: Regulation, revokes: Iterable[Regulation]) -> list[Regulation]:
    chosen = list(revokes)
    for other in chosen:
        if other.pk == regulation.pk:
            raise FormationError(_("Peraturan tidak dapat mencabut dirinya sendiri."), code="revokes_self")
        if not other.is_enacted:
            raise FormationError(
                _("Hanya peraturan yang sudah diundangkan yang dapat dicabut (%(reg)s belum).") % {"reg": other},
                code="revokes_draft",
            )
    return chosen


def jdih_metadata_update(*, formation: Formation, actor: User, revokes: Iterable[Regulation] | None = None,
                         request=None, **fields: str) -> Regulation:
    """Store the metadata fields given (``perda.metadata.METADATA_FIELDS``) and, when ``revokes`` is given,
    the regulations this one revokes. Bagian Hukum only, at penyebarluasan; one transaction, audited with the
    values before and after."""
    cleaned = _clean(fields)
    with transaction.atomic():
        formation = Formation.objects.select_for_update().select_related("regulation").get(pk=formation.pk)
        acting = policy.require_bagian_hukum(actor)
        policy.require_stage(formation, Stage.PENYEBARLUASAN)
        regulation = Regulation.objects.select_for_update().get(pk=formation.regulation_id)
        before = {name: getattr(regulation, name) for name in cleaned}
        for name, value in cleaned.items():
            setattr(regulation, name, value)
        regulation.save(update_fields=[*cleaned, "updated_at"])
        after = dict(cleaned)
        if revokes is not None:
            chosen = _revocable(regulation, revokes)
            before["revokes"] = sorted(regulation.revokes.values_list("pk", flat=True))
            regulation.revokes.set(chosen)
            after["revokes"] = sorted(r.pk for r in chosen)
        audit_record(actor=actor, action="perda.jdih_metadata.update", obj=regulation,
                     capacity=acting.capacity_label, before=before, after=after, request=request)
    return regulation
