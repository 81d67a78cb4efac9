"""Helpers shared by the budget_requests pages."""
from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from workflows.acting import positions_today
from workflows.models import OrgUnitKind
from workflows.policy import Denied
from workflows.services.audit import audit_record

from ..errors import RequestError

REQUEST_UNIT_KINDS = (OrgUnitKind.KELURAHAN, OrgUnitKind.KECAMATAN)


def denied(request, message: str, status: int = 403):
    return render(request, "budget_requests/denied.html", {"message": message}, status=status)


def add_service_error(form, exc: RequestError) -> None:
    """Put a service error on the form: on its field when the form has one, else as a non-field error."""
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


def request_units(user):
    """The kelurahan/kecamatan units the user may raise requests for (their own posts), nearest first."""
    units = {}
    for acting in positions_today(user):
        unit = acting.position.org_unit
        if unit.kind in REQUEST_UNIT_KINDS:
            units[unit.pk] = unit
    return sorted(units.values(), key=lambda u: -u.depth)


def no_unit_message() -> str:
    return _("Anda tidak menjabat di kelurahan atau kecamatan, sehingga tidak dapat mengajukan permohonan perbaikan.")


@contextmanager
def all_or_nothing(*, user, obj, attempted: str, request):
    """Several service calls as one transaction (create + photos + submit): a ``RequestError`` or ``Denied`` in
    any of them writes nothing. The services record a refusal in the audit trail themselves, but inside this
    transaction that record would roll back too, so it is written again after the rollback."""
    try:
        with transaction.atomic():
            yield
    except Denied as exc:
        saved = obj is not None and obj.pk is not None
        with transaction.atomic():
            audit_record(actor=user, action="repair_request.denied", obj=obj if saved else None,
                         stream=None if saved else f"actor:{user.pk}",
                         after={"attempted": attempted, "code": exc.code}, reason=exc.message, request=request)
        raise
