"""Freezing immutable versions of a regulation."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from workflows.models import User
from workflows.services.audit import audit_record

from ..checks import ChecksFailed, errors, run_checks
from ..models import Regulation, Version
from ..snapshot import snapshot_build, snapshot_sha256


def version_freeze(*, regulation: Regulation, label: str, actor: User | None, request=None,
                   capacity: str = "", allow_errors: bool = False) -> Version:
    """Freeze the live draft as the next immutable ``Version``.

    Raises ``ChecksFailed`` (with ``.problems``) while any error-level structural check fails, unless
    ``allow_errors`` (used only by the importer's round trips and tests). Takes the regulation row lock so
    two freezes cannot take the same sequence number.
    """
    with transaction.atomic():
        reg = Regulation.objects.select_for_update(of=("self",)).select_related("pemrakarsa").get(pk=regulation.pk)
        snapshot = snapshot_build(reg)
        problems = errors(run_checks(snapshot))
        if problems and not allow_errors:
            raise ChecksFailed(problems)
        seq = (Version.objects.filter(regulation=reg).aggregate(m=Max("seq"))["m"] or 0) + 1
        version = Version(regulation=reg, seq=seq, label=label[:200], created_by=actor, snapshot=snapshot,
                          sha256=snapshot_sha256(snapshot))
        version.save()
        audit_record(actor=actor, action="perda.version.freeze", obj=reg, capacity=capacity,
                     after={"version": seq, "label": version.label, "sha256": version.sha256}, request=request)
    return version


def version_verify(version: Version) -> bool:
    """True when the stored snapshot still hashes to the stored sha256."""
    return snapshot_sha256(version.snapshot) == version.sha256
