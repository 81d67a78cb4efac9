"""Two officials' clicks on "Tanda tangani" for the same document at the same instant (PostgreSQL): both may
pass the "already signed?" check before either commits, so the database's unique constraint on the unsigned
source decides. Exactly one signature is stored and audited; the other click is told the document is signed.
"""
import pytest
from django.db import connection

from tests.services.parallel import run_parallel
from tests.workflows.signing_support import PASSPHRASE, TEST_KIND, install
from workflows.models import AuditEvent, Position, SignedDocument, User
from workflows.services.signing import SigningError, document_sign
from workflows.signing.seed import issue_identity

pytestmark = pytest.mark.services

N_CLICKS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_signing_of_one_document_stores_one_signature(tangsel, settings, tmp_path, monkeypatch):
    assert connection.vendor == "postgresql", "this test is about PostgreSQL constraints; run make test-services"
    ca = install(settings, tmp_path, monkeypatch)
    plh = User.objects.get(username="sekcam.setu")
    issue_identity(user=plh, ca=ca, passphrase=PASSPHRASE)
    camat_id = Position.objects.get(code="camat-kec-setu").pk
    outcomes: list[str] = []

    def click(_i: int) -> None:
        try:
            document_sign(kind_key=TEST_KIND, obj=Position.objects.get(pk=camat_id),
                          actor=User.objects.get(pk=plh.pk), passphrase=PASSPHRASE)
            outcomes.append("signed")
        except SigningError as exc:
            outcomes.append(exc.code)

    errors = run_parallel(click, N_CLICKS)
    assert not errors, errors
    assert sorted(outcomes) == ["already_signed"] * (N_CLICKS - 1) + ["signed"], outcomes
    assert SignedDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.sign").count() == 1
