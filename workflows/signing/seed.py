"""Demo signing identities for ``seed_demo``: a demo CA in ``PAMONG_SIGNING_DIR`` (its certificate is the
default trust root) and a certificate for every official who holds or acts for a position.

Every demo archive opens with ``DEMO_PASSPHRASE``; a real deployment uses BSrE and no archive at all. Safe to
run twice: officials who already have an identity keep it.
"""
from __future__ import annotations

from django.conf import settings
from django.db import transaction

from ..models import Assignment, SigningIdentity, User
from ..region import current_region
from . import democa

DEMO_PASSPHRASE = "tte-demo"


def demo_nik(user: User) -> str:
    """A 16-digit demo NIK that opens, as a resident's does, with the region's area code (``PAMONG_REGION``)."""
    return f"{current_region().nik_prefix}{user.pk:012d}"


def _organization() -> str:
    """The government the demo certificates name: "Pemerintah Kabupaten Tangerang" (at most 64 characters)."""
    return f"Pemerintah {current_region().full_name}"[:64]


def issue_identity(*, user: User, ca: democa.DemoCA, passphrase: str = DEMO_PASSPHRASE,
                   valid_days: int = democa.OFFICIAL_VALID_DAYS, now=None) -> SigningIdentity:
    """Issue (or reissue) ``user``'s demo certificate."""
    nik = demo_nik(user)
    issued = democa.issue_official(ca, common_name=(user.get_full_name() or user.username)[:64],
                                   organization=_organization(), nik=nik,
                                   passphrase=passphrase, valid_days=valid_days, now=now)
    identity, _created = SigningIdentity.objects.update_or_create(user=user, defaults={
        "nik": nik, "pkcs12": issued.pkcs12, "certificate_subject": issued.subject[:500],
        "certificate_serial": issued.serial, "certificate_issuer": issued.issuer[:500],
        "valid_from": issued.not_before, "valid_until": issued.not_after,
    })
    return identity


def seed_signing() -> dict[str, int]:
    ca = democa.load_or_create_ca(settings.PAMONG_SIGNING_DIR, organization=_organization())
    officials = (User.objects.filter(is_active=True, pk__in=Assignment.objects.values("user_id"))
                 .exclude(signing_identity__isnull=False).order_by("pk"))
    issued = 0
    with transaction.atomic():
        for user in officials:
            issue_identity(user=user, ca=ca)
            issued += 1
    return {"certificates_issued": issued}
