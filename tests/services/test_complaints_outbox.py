"""The complaint outbox with a real worker on Redis: the source's status endpoint (a local HTTP server) is down
when the complaint is closed, the worker's retries back off, and once the endpoint is up the update arrives,
signed, exactly once."""
import json

import pytest

from tests.budget_requests.complaints.receiver import Receiver

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_update_survives_a_source_that_is_down_and_arrives_when_it_is_up(tangsel, celery_live):
    from budget_requests.complaints.models import ComplaintUpdate, DeliveryStatus
    from budget_requests.complaints.services import complaint_close, complaint_receive, complaint_source_create
    from budget_requests.complaints.signing import signature_matches
    from budget_requests.models import Asset, AssetKind
    from django.utils import timezone
    from workflows.models import OrgUnit, User

    receiver = Receiver()  # not started: the port refuses connections
    source, _ = complaint_source_create(actor=None, code="siaran", name="SIARAN", kind="siaran",
                                        external_id_label="ID SIARAN", callback_url=receiver.url,
                                        token="svc-token", secret="svc-secret")
    Asset.objects.create(tag="CCTV-BBK-01", kind=AssetKind.CCTV, description="CCTV", location="Taman",
                         org_unit=OrgUnit.objects.get(code="kel-babakan"))
    complaint, _ = complaint_receive(source=source, data={
        "external_id": "SRN-77", "title": "CCTV mati", "description": "Gelap.", "category": "cctv",
        "reported_at": timezone.now(), "asset_code": "CCTV-BBK-01"}, payload={})
    complaint_close(complaint=complaint, actor=User.objects.get(username="operator.babakan"),
                    reason="Sudah menyala kembali.")  # queues the delivery after commit, through Redis

    failed = celery_live.wait_for(
        lambda: ComplaintUpdate.objects.filter(complaint=complaint, attempts__gte=2).first(),
        what="two failed delivery attempts")
    assert failed.status == DeliveryStatus.PENDING and failed.last_error and failed.delivered_at is None
    receiver.start()
    try:
        delivered = celery_live.wait_for(
            lambda: ComplaintUpdate.objects.filter(complaint=complaint, status=DeliveryStatus.DELIVERED).first(),
            what="the delivered update")
    finally:
        receiver.stop()
    assert delivered.attempts >= 3
    (hit,) = receiver.received
    assert json.loads(hit["body"])["event"] == "closed"
    assert signature_matches("svc-secret", hit["body"], hit["headers"]["X-Pamong-Signature"])
    assert "Retry in" in celery_live.log_text()
