"""Seal digests published outside the database: the public transparency page and its download, the monthly
finance report, and ``verify_audit --against`` a saved list."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budget_requests.finance.models import MonthlyReport
from budget_requests.finance.reports import render_monthly_report
from workflows.models import SEAL_STREAM, AuditEvent, AuditStreamHead
from workflows.services.audit import audit_record, audit_seal

from ..factories import OrgUnitFactory
from .test_audit import _tamper

pytestmark = pytest.mark.django_db(transaction=True)


def _sealed(n_seals=2):
    unit = OrgUnitFactory()
    seals = []
    for i in range(n_seals):
        with transaction.atomic():
            audit_record(actor=None, action="unit.rename", obj=unit, after={"i": i})
        seals.append(audit_seal())
    return seals


def _saved_list(client, fmt="json", path=None):
    response = client.get(reverse("audit_seals_download", args=[fmt]))
    assert response.status_code == 200
    path.write_bytes(response.content)
    return path


def test_transparency_page_shows_the_newest_seal_digests_and_offers_the_list(client):
    seals = _sealed(2)
    html = client.get(reverse("finance:transparency")).content.decode()
    assert seals[0].after["digest"] in html and seals[1].after["digest"] in html
    assert reverse("audit_seals_download", args=["json"]) in html
    listed = json.loads(client.get(reverse("audit_seals_download", args=["json"])).content)["seals"]
    assert [(s["seq"], s["digest"], s["hash"], s["count"]) for s in listed] == [
        (s.seq, s.after["digest"], s.hash, 1) for s in seals]
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("audit_seals_download", args=["csv"])).content.decode())))
    assert [(int(r["seq"]), r["digest"]) for r in rows] == [(s.seq, s.after["digest"]) for s in seals]
    assert client.get("/publik/segel-jejak-audit.xml").status_code == 404


def test_monthly_report_lists_the_seals_of_its_month():
    seals = _sealed(1)
    today = timezone.localdate()
    html = render_monthly_report(MonthlyReport(org_unit=None, year=today.year, month=today.month))
    assert seals[0].after["digest"] in html and seals[0].hash in html
    earlier = MonthlyReport(org_unit=None, year=today.year - 1, month=today.month)
    assert seals[0].after["digest"] not in render_monthly_report(earlier)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_verify_against_a_saved_list_passes_and_then_names_a_missing_seal(client, tmp_path, capsys, fmt):
    seals = _sealed(2)
    saved = _saved_list(client, fmt, tmp_path / f"segel.{fmt}")
    call_command("verify_audit", against=str(saved))
    assert "2 segel cocok" in capsys.readouterr().out
    # A database superuser removes the newest seal and winds the seal stream's head back: the database alone
    # now looks whole, the saved list does not.
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [seals[1].pk])
    AuditStreamHead.objects.filter(stream=SEAL_STREAM).update(seq=seals[0].seq, hash=seals[0].hash)
    call_command("verify_audit")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", against=str(saved))
    assert exit_info.value.code == 1
    assert f"seal #{seals[1].seq} is missing" in capsys.readouterr().err


def test_verify_against_names_a_seal_whose_digest_differs(client, tmp_path, capsys):
    seals = _sealed(2)
    saved = _saved_list(client, "json", tmp_path / "segel.json")
    data = json.loads(saved.read_text())
    data["seals"][0]["digest"] = "0" * 64
    saved.write_text(json.dumps(data))
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--against", str(saved))
    err = capsys.readouterr().err
    assert f"seal #{seals[0].seq}: digest" in err and f"seal #{seals[1].seq}" not in err


def test_audit_seal_command_seals_once(capsys):
    with transaction.atomic():
        audit_record(actor=None, action="unit.rename", obj=OrgUnitFactory())
    call_command("audit_seal")
    call_command("audit_seal")
    out = capsys.readouterr().out
    assert "1 peristiwa" in out and "Tidak ada peristiwa baru" in out
    assert AuditEvent.objects.filter(stream=SEAL_STREAM).count() == 1


def _download_pages(client, fmt, monkeypatch, size):
    """Follow the download's ``next`` links page by page; each page's response and its query count."""
    from workflows import selectors

    monkeypatch.setattr(selectors, "SEAL_PAGE_SIZE", size)
    pages, url = [], reverse("audit_seals_download", args=[fmt])
    while url:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        pages.append((response, len(queries)))
        link = response.get("Link", "")
        url = link[1:link.index(">")] if link else None
        if fmt == "json":
            assert json.loads(response.content)["next"] == url
    return pages


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_seal_download_is_paged_with_one_query_per_page(client, monkeypatch, tmp_path, capsys, fmt):
    seals = _sealed(7)
    pages = _download_pages(client, fmt, monkeypatch, size=3)
    # 7 seals, 3 per page: three pages, each read with one query whatever the number of seals.
    assert len(pages) == 3
    assert all(count <= 1 for _, count in pages)
    if fmt == "json":
        listed = [s for response, _ in pages for s in json.loads(response.content)["seals"]]
    else:
        listed = [r for response, _ in pages for r in csv.DictReader(io.StringIO(response.content.decode()))]
    assert [int(s["seq"]) for s in listed] == [s.seq for s in seals]
    assert [len(json.loads(r.content)["seals"]) if fmt == "json" else r.content.decode().count("\n") - 1
            for r, _ in pages] == [3, 3, 1]
    # Every page saved, then checked against the database: all seven seals match.
    files = []
    for i, (response, _) in enumerate(pages):
        files.append(tmp_path / f"segel-{i}.{fmt}")
        files[-1].write_bytes(response.content)
    call_command("verify_audit", "--against", *map(str, files))
    assert "7 segel cocok" in capsys.readouterr().out
    if fmt == "csv":  # the CSV pages joined into one file (header lines repeated) read the same
        joined = tmp_path / "segel-semua.csv"
        joined.write_bytes(b"".join(r.content for r, _ in pages))
        call_command("verify_audit", "--against", str(joined))
        assert "7 segel cocok" in capsys.readouterr().out


def test_seal_download_query_count_does_not_grow_with_the_seals(client, monkeypatch, django_assert_max_num_queries):
    from workflows import selectors

    _sealed(12)
    monkeypatch.setattr(selectors, "SEAL_PAGE_SIZE", 4)
    with django_assert_max_num_queries(1):
        response = client.get(reverse("audit_seals_download", args=["json"]) + "?setelah=4")
    data = json.loads(response.content)
    assert [s["seq"] for s in data["seals"]] == [5, 6, 7, 8]
    assert data["next"].endswith("?setelah=8")
    last = json.loads(client.get(reverse("audit_seals_download", args=["json"]) + "?setelah=8").content)
    assert [s["seq"] for s in last["seals"]] == [9, 10, 11, 12] and last["next"] is None
    assert client.get(reverse("audit_seals_download", args=["csv"]) + "?setelah=x").status_code == 400


def test_verify_against_warns_of_a_page_left_out(client, monkeypatch, tmp_path, capsys):
    _sealed(5)
    pages = _download_pages(client, "json", monkeypatch, size=2)
    first, third = tmp_path / "a.json", tmp_path / "c.json"
    first.write_bytes(pages[0][0].content)
    third.write_bytes(pages[2][0].content)
    call_command("verify_audit", "--against", str(first), str(third))
    out = capsys.readouterr().out
    assert "melompati segel #3–#4" in out and "3 segel cocok" in out


def _published_rows(client, monkeypatch, size=500):
    """Every page of the JSON download, as ``verify_audit --against`` reads the saved files."""
    return [{**row, "seq": int(row["seq"])} for response, _ in _download_pages(client, "json", monkeypatch, size)
            for row in json.loads(response.content)["seals"]]


@pytest.mark.parametrize("chunk", [1, 3, 500])
def test_verify_against_reads_the_stored_seals_in_chunks_with_the_same_report(client, monkeypatch, tmp_path,
                                                                              capsys, chunk):
    from workflows.management.commands import verify_audit

    seals = _sealed(7)
    rows = _published_rows(client, monkeypatch, size=3)
    # Saved files given out of order (the newest seals first), seal #4 in both: the report follows the list.
    later = [{**rows[6], "hash": "f" * 64}] + rows[3:6]  # seal #7's hash as saved differs
    earlier = [rows[0], {**rows[1], "digest": "0" * 64}] + rows[2:4]  # seal #2's digest as saved differs
    for path, saved in ((tmp_path / "a.json", later), (tmp_path / "b.json", earlier)):
        path.write_text(json.dumps({"seals": saved, "next": None}))
    # A database superuser removes seal #5: the saved list must still name it.
    _tamper("DELETE FROM workflows_auditevent WHERE id = %s", [seals[4].pk])
    listed = verify_audit.read_seal_file(tmp_path / "a.json") + verify_audit.read_seal_file(tmp_path / "b.json")
    assert [row["seq"] for row in listed] == [7, 4, 5, 6, 1, 2, 3, 4]
    monkeypatch.setattr(verify_audit, "SEAL_CHECK_CHUNK", chunk)
    assert verify_audit.seal_file_mismatches(listed) == [
        f"seal #7: hash {seals[6].hash} differs from the saved {'f' * 64}",
        "seal #5 is missing from the database",
        f"seal #2: digest {seals[1].after['digest']} differs from the saved {'0' * 64}",
    ]
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit", "--against", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "seal #5 is missing from the database" in err and "seal #7: hash" in err and "seal #2: digest" in err


def test_verify_against_holds_one_chunk_of_stored_seals_at_a_time(client, monkeypatch, django_assert_num_queries):
    from workflows import selectors
    from workflows.management.commands import verify_audit

    _sealed(60)
    listed = _published_rows(client, monkeypatch)
    assert len(listed) == 60
    reads = []
    original = selectors.audit_seal_list

    def counted(**kwargs):
        seals = original(**kwargs)
        reads.append(len(seals))
        return seals

    monkeypatch.setattr(verify_audit, "audit_seal_list", counted)
    monkeypatch.setattr(verify_audit, "SEAL_CHECK_CHUNK", 25)
    # 60 saved seals, 25 per read: three queries, and never more than 25 stored seals in memory at once.
    with django_assert_num_queries(3):
        assert verify_audit.seal_file_mismatches(listed) == []
    assert reads == [25, 25, 10]
