"""What every write to a regulation draft starts with: the draft row locked, the actor's authority and the
draft's stage checked, and the text the user typed cleaned. Shared by the editor and the amendment services."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workflows.models import User

from .. import policy
from ..models import Regulation


class EditorError(ValidationError):
    """Input the editor refuses; ``message`` is Indonesian and shown to the user as is."""


def lock_draft(regulation: Regulation, *, actor: User | None) -> tuple[Regulation, str]:
    """Lock the draft, check that ``actor`` may change it (``perda.policy.require_may_edit``: before anything
    about the draft's stage is said) and that its text is editable now. Returns the draft and the capacity in
    which ``actor`` acts, for the audit trail. ``actor=None`` is a system write (seed data, benchmarks)."""
    reg = Regulation.objects.select_for_update().get(pk=regulation.pk)
    capacity = "" if actor is None else policy.require_may_edit(actor, reg)
    ensure_editable(reg)
    return reg, capacity


def ensure_editable(regulation: Regulation) -> None:
    if regulation.is_enacted or regulation.enacted_version_id:
        raise EditorError(_("Peraturan yang sudah ditetapkan tidak dapat diubah; buat rancangan perubahan."))
    from ..selectors import draft_is_editable  # the formation stage decides

    if not draft_is_editable(regulation):
        raise EditorError(_("Rancangan sedang ditinjau pihak lain atau sudah selesai; teksnya tidak dapat diubah "
                            "pada tahap ini."))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """Normalise line ends and drop control characters (they cannot appear in XML or a PDF text layer)."""
    return _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
