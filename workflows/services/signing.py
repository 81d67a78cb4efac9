"""Signing documents electronically (TTE) and checking signed copies. Every write of a signature is here.

``document_sign`` checks that the user acts for the position whose document it is (through
``workflows.policy``), signs outside any transaction (the BSrE service may take seconds), checks the result
with pyHanko, then stores the signed PDF and audits its hashes in one transaction. A failure (wrong
passphrase, expired certificate, service down) writes no signature and leaves the document unsigned; it is
audited with its code only, so the action can simply be tried again.

The passphrase is a plain argument: it is handed to the signer and nothing else — never stored, logged,
audited or queued (signing runs in the request, not in a Celery task, for that reason).
"""
from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from ..models import GeneratedDocument, SignedDocument, SigningIdentity, User
from ..policy import Denied, require_acting
from ..signing import SignatureBlock, SignerIdentity, SigningFailed, get_signer
from ..signing.registry import SignableKind, get_kind
from ..signing.validation import check_pdf
from .audit import audit_record

logger = logging.getLogger(__name__)


class SigningError(Exception):
    """Signing refused or failed; ``message`` is for the user (Indonesian)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def verify_url(public_id: uuid.UUID) -> str:
    return settings.PAMONG_SITE_URL.rstrip("/") + reverse("signature_verify", args=[public_id])


def signatures_of(*, obj: models.Model, kind: str | None = None) -> models.QuerySet[SignedDocument]:
    rows = SignedDocument.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return rows.filter(kind=kind) if kind else rows


def latest_signature(*, obj: models.Model, kind: str) -> SignedDocument | None:
    return signatures_of(obj=obj, kind=kind).first()


def final_signed_generated(*, obj: models.Model, kind: str) -> GeneratedDocument | None:
    """The generated document of ``obj`` as ``kind`` whose signature froze it, if any: a later request for the
    same document returns it instead of rendering again."""
    return (GeneratedDocument.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                             object_id=str(obj.pk), kind=kind, signature__final=True)
            .select_related("signature").first())


def _identity(user: User) -> SignerIdentity:
    row = SigningIdentity.objects.filter(user=user).first()
    if row is None:
        raise SigningFailed("no_certificate", "no signing identity")
    return SignerIdentity(nik=row.nik, pkcs12=bytes(row.pkcs12) if row.pkcs12 else None)


def signing_capacity(*, user: User, kind: SignableKind, obj: models.Model):
    """The acting capacity in which ``user`` may sign ``obj`` now, or ``Denied``: only whoever holds or acts for
    the position whose document it is (Plh/Plt included)."""
    position = kind.signer_position(obj)
    if position is None:
        raise Denied("no_signer", _("Dokumen ini belum memiliki pejabat penanda tangan."))
    return require_acting(user, position)


def _audit_failure(*, actor: User, acting, kind: SignableKind, obj, failure: SigningFailed, request) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="document.sign_failed", obj=obj, capacity=acting.capacity_label,
                     after={"kind": kind.key, "code": failure.code, "backend": settings.PAMONG_SIGNING_BACKEND},
                     request=request)


@sensitive_variables("passphrase")
def document_sign(*, kind_key: str, obj: models.Model, actor: User, passphrase: str, request=None) -> SignedDocument:
    """Sign the current PDF of ``obj`` as ``kind_key`` for ``actor``. Raises ``Denied`` (no authority) or
    ``SigningError`` (nothing to sign, already signed, or the signature failed — the document stays unsigned)."""
    kind = get_kind(kind_key)
    acting = signing_capacity(user=actor, kind=kind, obj=obj)
    source = kind.source(obj)
    if source is None:
        raise SigningError("not_ready", _("PDF dokumen ini belum siap. Tunggu sampai PDF selesai dibuat."))
    if signatures_of(obj=obj, kind=kind.key).filter(unsigned_sha256=source.sha256).exists():
        raise SigningError("already_signed", _("Dokumen ini sudah ditandatangani."))
    if not passphrase:
        raise SigningError("no_passphrase", _("Masukkan passphrase sertifikat elektronik Anda."))
    public_id = uuid.uuid4()
    # The block and the record describe an Indonesian official document, whatever language the signer's
    # screen uses.
    with translation.override("id"):
        block = SignatureBlock(
            signer_name=actor.get_full_name() or actor.username, capacity_label=acting.capacity_label,
            verify_url=verify_url(public_id), reason=str(kind.reason), location=settings.PAMONG_SIGNING_LOCATION,
        )
        title = kind.title(obj)[:500]
        metadata = [[str(label), str(value)] for label, value in kind.metadata(obj)]
    signer = get_signer()
    try:
        with translation.override("id"):
            signed = signer.sign(pdf=source.pdf, identity=_identity(actor), passphrase=passphrase, block=block)
        check = check_pdf(signed)
        if not check.valid:
            raise SigningFailed("invalid_result", "pyHanko did not judge the signed PDF valid")
    except SigningFailed as failure:
        logger.warning("signing %s of %s for user %s failed: %s", kind.key, obj.pk, actor.pk, failure)
        _audit_failure(actor=actor, acting=acting, kind=kind, obj=obj, failure=failure, request=request)
        raise SigningError(failure.code, failure.message) from None
    digest = hashlib.sha256(signed).hexdigest()
    filename = kind.filename(obj) if kind.filename else f"{kind.key.replace('.', '-')}-{obj.pk}.pdf"
    try:
        with transaction.atomic():
            row = SignedDocument(
                public_id=public_id, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                kind=kind.key, generated_document=source.generated_document, final=kind.final,
                title=title, metadata=metadata,
                unsigned_sha256=source.sha256, sha256=digest, size=len(signed),
                filename=filename.replace(".pdf", "-ttd.pdf"), signer=actor, signer_name=block.signer_name,
                position=acting.position, capacity_label=acting.capacity_label, backend=signer.name,
            )
            row.file.save(f"{kind.key.replace('.', '-')}-{obj.pk}-{digest[:12]}.pdf", ContentFile(signed), save=False)
            row.save()
            audit_record(actor=actor, action="document.sign", obj=obj, capacity=acting.capacity_label,
                         after={"kind": kind.key, "signed_document": str(public_id), "sha256": digest,
                                "unsigned_sha256": source.sha256, "backend": signer.name,
                                "signer": check.signatures[-1].signer_subject},
                         request=request)
    except IntegrityError:
        raise SigningError("already_signed", _("Dokumen ini sudah ditandatangani.")) from None
    return row


def signature_check_copy(*, signed: SignedDocument, data: bytes) -> dict:
    """Compare an uploaded copy with a signed document: same bytes, and pyHanko's verdict on the copy."""
    digest = hashlib.sha256(data).hexdigest()
    check = check_pdf(data)
    return {"sha256": digest, "matches": digest == signed.sha256, "check": check}


def may_sign(*, user: User, kind_key: str, obj: models.Model) -> bool:
    """Whether ``user`` acts today for the position whose document it is (for showing the "Tanda tangani"
    action; ``document_sign`` checks again)."""
    try:
        signing_capacity(user=user, kind=get_kind(kind_key), obj=obj)
    except (Denied, LookupError):
        return False
    return True


def sign_url(kind_key: str, obj: models.Model) -> str:
    return reverse("document_sign", args=[kind_key, obj.pk])


def signing_identity_set(*, user: User, nik: str, actor: User, request=None) -> SigningIdentity:
    """Record the NIK an official's BSrE certificate is issued to (audited). A NIK is 16 digits."""
    from django.core.exceptions import ValidationError

    nik = (nik or "").strip()
    if nik and not (len(nik) == 16 and nik.isdigit()):
        raise ValidationError(_("NIK harus 16 angka; tertulis: %(nik)s") % {"nik": nik})
    with transaction.atomic():
        identity, _created = SigningIdentity.objects.select_for_update().get_or_create(user=user)
        before = {"nik": identity.nik}
        identity.nik = nik
        identity.save(update_fields=["nik"])
        audit_record(actor=actor, action="signing_identity.set", obj=identity, before=before, after={"nik": nik},
                     request=request)
    return identity
