"""The public seal and verification pages cost a fixed number of SQL queries however many seals, audit events
or signed documents the installation holds: each page is measured with a small and a large trail (5 and 200)
and must not read more on the large one."""
from __future__ import annotations

import hashlib
import io
import json
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from workflows.models import SEAL_STREAM, AuditEvent, Position, SignedDocument, User
from workflows.services.audit import audit_record, audit_seal

from ..factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 200


def _add_seals(unit, n: int) -> None:
    """``n`` more seals, each covering one new event of ``unit``'s stream."""
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="unit.rename", obj=unit, after={"i": i})
        assert audit_seal() is not None


def _measure(client, django_assert_max_num_queries, url: str, bound: int, **kwargs) -> tuple[int, object]:
    with django_assert_max_num_queries(bound) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(queries.captured_queries), response


def _small_then_large(client, django_assert_max_num_queries, url: str, bound: int, grow) -> tuple[int, int]:
    """Query counts of ``url`` on the small trail, then after ``grow()`` brings it to the large one."""
    small, _ = _measure(client, django_assert_max_num_queries, url, bound)
    grow()
    large, _ = _measure(client, django_assert_max_num_queries, url, small)
    return small, large


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_seal_download_reads_one_query_for_5_or_200_seals(client, django_assert_max_num_queries, fmt):
    unit = OrgUnitFactory()
    _add_seals(unit, SMALL)
    url = reverse("audit_seals_download", args=[fmt])
    small, _ = _measure(client, django_assert_max_num_queries, url, 1)
    _add_seals(unit, LARGE - SMALL)
    large, response = _measure(client, django_assert_max_num_queries, url, small)
    assert small == large == 1
    # The large page really carries the 200 seals it was measured with.
    if fmt == "json":
        assert len(json.loads(response.content)["seals"]) == LARGE
    else:
        assert response.content.decode().count("\n") == LARGE + 1
    # A later page (keyset ``?setelah=``) costs the same single query.
    later, response = _measure(client, django_assert_max_num_queries, url + f"?setelah={LARGE - SMALL}", 1)
    assert later == 1
    if fmt == "json":
        assert [s["seq"] for s in json.loads(response.content)["seals"]] == list(range(LARGE - SMALL + 1, LARGE + 1))


def test_transparency_page_queries_do_not_grow_with_the_seals(client, django_assert_max_num_queries):
    unit = OrgUnitFactory()
    _add_seals(unit, SMALL)
    url = reverse("finance:transparency")
    small, large = _small_then_large(client, django_assert_max_num_queries, url, 5,
                                     lambda: _add_seals(unit, LARGE - SMALL))
    assert large <= small
    assert AuditEvent.objects.filter(stream=SEAL_STREAM).count() == LARGE
    html = client.get(url).content.decode()
    # The newest ten seals are shown, the older ones only through the download.
    assert f'data-seal="{LARGE}"' in html and f'data-seal="{LARGE - 9}"' in html
    assert f'data-seal="{LARGE - 10}"' not in html


def test_transparency_page_queries_do_not_grow_with_the_events_a_seal_covers(client, django_assert_max_num_queries):
    units = [OrgUnitFactory() for _ in range(3)]

    def events_then_seal(n: int) -> None:
        for i in range(n):
            with transaction.atomic():
                audit_record(actor=None, action="unit.rename", obj=units[i % len(units)], after={"i": i})
        audit_seal()

    events_then_seal(SMALL)
    url = reverse("finance:transparency")
    small, large = _small_then_large(client, django_assert_max_num_queries, url, 5,
                                     lambda: events_then_seal(LARGE))
    assert large <= small
    newest = AuditEvent.objects.filter(stream=SEAL_STREAM).order_by("-seq").first()
    assert newest.after["count"] == LARGE and newest.after["digest"] in client.get(url).content.decode()


# --- the public verification page of a signature ----------------------------------------------------------

@pytest.fixture
def signed_world(settings, tmp_path):
    """One signed document with its audit event; ``more(n)`` adds ``n`` other signed documents (and events)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    signer = User.objects.create_user("penanda", first_name="Penanda", last_name="Tangan")
    unit = OrgUnitFactory()
    position = Position.objects.create(code="kepala-uji", title="Kepala Uji", org_unit=unit)
    content_type = ContentType.objects.get_for_model(Position)
    made = []

    def more(n: int) -> None:
        for _ in range(n):
            i = len(made)
            data = b"%PDF-1.7\n% dokumen uji " + str(i).encode() + b"\n%%EOF\n"
            signed = SignedDocument(
                content_type=content_type, object_id=str(position.pk), kind="tests.surat",
                title=f"Surat uji {i}", metadata=[["Nomor", f"UJI/{i}"]],
                unsigned_sha256=hashlib.sha256(b"sumber" + str(i).encode()).hexdigest(),
                sha256=hashlib.sha256(data).hexdigest(), size=len(data), filename=f"surat-{i}.pdf",
                signer=signer, signer_name="Penanda Tangan", position=position,
                capacity_label="Plh. Kepala Uji", backend="pkcs12", public_id=uuid.uuid4(),
            )
            signed.file.save(f"surat-{i}.pdf", ContentFile(data), save=False)
            signed.save()
            with transaction.atomic():
                audit_record(actor=signer, action="document.sign", obj=signed, after={"sha256": signed.sha256})
            made.append(signed)

    return {"made": made, "more": more}


def test_verification_page_queries_do_not_grow_with_signed_documents(client, signed_world,
                                                                     django_assert_max_num_queries):
    signed_world["more"](SMALL)
    first = signed_world["made"][0]
    url = reverse("signature_verify", args=[first.public_id])
    small, large = _small_then_large(client, django_assert_max_num_queries, url, 2,
                                     lambda: signed_world["more"](LARGE - SMALL))
    assert large <= small
    assert SignedDocument.objects.count() == LARGE
    page = client.get(url).content.decode()
    assert first.sha256 in page and "Plh. Kepala Uji" in page and "UJI/0" in page
    # The newest document's page costs the same.
    newest = signed_world["made"][-1]
    _count, response = _measure(client, django_assert_max_num_queries, reverse("signature_verify",
                                                                               args=[newest.public_id]), small)
    assert newest.sha256 in response.content.decode()


def test_verification_copy_check_queries_do_not_grow_with_signed_documents(client, signed_world,
                                                                          django_assert_max_num_queries):
    signed_world["more"](SMALL)
    first = signed_world["made"][0]
    url = reverse("signature_verify", args=[first.public_id])
    data = first.file.open("rb").read()

    def post(bound: int) -> int:
        upload = io.BytesIO(data)
        upload.name = "salinan.pdf"
        with django_assert_max_num_queries(bound) as queries:
            response = client.post(url, {"file": upload})
        assert response.status_code == 200
        assert first.sha256 in response.content.decode()  # the copy's own hash is shown: the same bytes
        return len(queries.captured_queries)

    small = post(2)
    signed_world["more"](LARGE - SMALL)
    assert post(small) <= small
